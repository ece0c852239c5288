import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort';
import { removeOnExit, spawnGroup, type ProcessGroup } from './processGroup';
import { quietWorkbenchSettings } from './workbenchSettings';
import type { VsCodeInstall } from './install';

const execFileAsync = promisify(execFile);

/** An unpacked extension to put into the fresh extensions folder before the first start. */
export interface InstalledExtension {
  /** `<publisher>.<name>-<version>`, the folder name VS Code expects. */
  folderName: string;
  dir: string;
}

export interface CodeServerOptions {
  install: VsCodeInstall;
  /** Installed (symlinked) extensions; they load as in normal use, with toasts and dialogs. */
  extensions?: InstalledExtension[];
  /**
   * .vsix packages to install into the fresh extensions folder before the first start, with
   * `code-server --install-extension`, as a user installs one: unpacked copies, not symlinks.
   */
  vsixFiles?: string[];
  /**
   * Test mode: lets the workbench honour a `payload` with extensionDevelopmentPath and
   * extensionTestsPath. It also hides notification toasts and auto-confirms dialogs.
   */
  smokeTestDriver?: boolean;
  settings?: Record<string, unknown>;
  /** Extra environment for the server and the extension hosts it forks. */
  env?: Record<string, string>;
  /** Preferred port; a free one is taken if it is busy or not given. */
  port?: number;
  /**
   * Built-in extensions to leave out for this run only (e.g. `vscode.microsoft-authentication`).
   * The web workbench ignores per-extension --disable-extension (it only knows "all"), so the
   * server is told not to scan them (VSCODE_SKIP_BUILTIN_EXTENSIONS).
   */
  skipBuiltinExtensions?: string[];
  /** Where the server's log goes; by default into the run folder, which stop() removes. */
  logFile?: string;
}

export interface CodeServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`: the authority of `vscode-remote://` URIs as the browser sees them. */
  authority: string;
  /** The run's HOME, also to be given to Chromium so neither writes into the real one. */
  home: string;
  runDir: string;
  logFile: string;
  /** The server's `--extensions-dir`. */
  extensionsDir: string;
  /** `code-server --list-extensions --show-versions` of this server: `<id>@<version>` lines. */
  listExtensions(): Promise<string[]>;
  /** The workbench URL for a folder, optionally with a test-mode payload. */
  workbenchUrl(folder: string, payload?: [string, string][]): string;
  /** Resolves if the server exits on its own (a crash), never after stop(). */
  unexpectedExit: Promise<number | null>;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, server: ProcessGroup, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`code-server exited with ${server.child.exitCode}; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s; see ${logFile}`);
}

/**
 * Starts code-server hermetically: its own HOME/XDG/TMPDIR under a short temp folder (unix socket
 * paths must stay under ~107 characters), a fresh extensions folder, an empty config, bound to
 * 127.0.0.1 without auth, in its own process group.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-'));
  const removeRunDir = removeOnExit(runDir);
  const userDir = path.join(runDir, 'user-data', 'User');
  const extensionsDir = path.join(runDir, 'extensions');
  const home = path.join(runDir, 'home');
  const tmp = path.join(runDir, 'tmp');
  for (const dir of [userDir, extensionsDir, home, tmp]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(runDir, 'config.yaml'), '');
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify({ ...quietWorkbenchSettings, ...options.settings }, null, 2));
  // VS Code lists these in extensions/extensions.json on the first start and ignores later folders.
  for (const ext of options.extensions ?? []) fs.symlinkSync(ext.dir, path.join(extensionsDir, ext.folderName), 'dir');

  const port = await freePort(options.port);
  const url = `http://127.0.0.1:${port}`;
  const logFile = options.logFile ?? path.join(runDir, 'server.log');
  const log = fs.openSync(logFile, 'w');
  const args = [
    '--config', path.join(runDir, 'config.yaml'),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    '--user-data-dir', path.join(runDir, 'user-data'),
    '--extensions-dir', extensionsDir,
    // Extension hosts of closed pages otherwise live on for 3 hours.
    '--reconnection-grace-time', '5',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    ...(options.skipBuiltinExtensions?.length ? { VSCODE_SKIP_BUILTIN_EXTENSIONS: options.skipBuiltinExtensions.join(',') } : {}),
    PATH: `${options.install.node24Bin}:${process.env.PATH ?? ''}`,
    HOME: home,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
  };
  // The CLI run of code-server: same HOME, config and folders as the server, output into its log.
  const cli = async (cliArgs: string[]): Promise<string> => {
    const { stdout } = await execFileAsync(options.install.codeServerBin, ['--config', path.join(runDir, 'config.yaml'), '--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', extensionsDir, ...cliArgs], {
      cwd: runDir,
      env,
      timeout: 120_000,
    });
    return stdout;
  };
  for (const vsix of options.vsixFiles ?? []) {
    try {
      fs.appendFileSync(log, await cli(['--install-extension', vsix]));
    } catch (err) {
      fs.closeSync(log);
      removeRunDir();
      throw new Error(`code-server --install-extension ${vsix} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  const server = spawnGroup('code-server', options.install.codeServerBin, args, {
    cwd: runDir,
    stdio: ['ignore', log, log],
    env,
  });
  fs.closeSync(log);

  const stop = async () => {
    await server.stop();
    removeRunDir();
  };
  try {
    await waitForHealth(url, server, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  const authority = `127.0.0.1:${port}`;
  return {
    url,
    authority,
    home,
    runDir,
    logFile,
    extensionsDir,
    listExtensions: async () => (await cli(['--list-extensions', '--show-versions'])).split('\n').map((l) => l.trim()).filter(Boolean),
    workbenchUrl: (folder, payload) => {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${url}/?${query.toString()}`;
    },
    unexpectedExit: server.unexpectedExit,
    stop,
  };
}
