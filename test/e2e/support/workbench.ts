import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/vscode/chromium';
import { startCodeServer, type CodeServer } from '../../../scripts/vscode/codeServer';
import { asInstalled } from '../../../scripts/vscode/extensionIdentity';
import { buildExtension, buildSandboxSignin } from '../../../scripts/vscode/harnessBuild';
import { ensureChromium, ensureVsCode, type VsCodeInstall } from '../../../scripts/vscode/install';
import { packageVsix } from '../../../scripts/package/packageVsix';
import { repoRoot, signinExtensionDir } from '../../../scripts/vscode/paths';
import { removeOnExit } from '../../../scripts/vscode/processGroup';
import { startSandbox, type RunningSandbox } from '../../../scripts/vscode/sandboxLauncher';
import { testResultsDir, testWorkspace } from '../../../scripts/vscode/testWorkspace';
import { sandboxSettings } from '../../../scripts/vscode/workbenchSettings';
import { screenshot } from './screenshots';

/** A real VS Code (code-server) with the extension installed, open in Chromium, on a fresh sandbox. */
export interface Workbench {
  page: Page;
  context: BrowserContext;
  server: CodeServer;
  sandbox: RunningSandbox;
  /** How the product extension is installed: from the source folder or from the .vsix. */
  extensionSource: ExtensionSource;
  /** Saves test-results/screenshots/<name>.png. */
  screenshot(name: string): Promise<string>;
  /** Stops browser, code-server and sandbox (process groups); safe to call twice. */
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Extra sandbox arguments (e.g. ['--keys', '60']). */
  sandboxArgs?: string[];
  /** Extra environment for the extension host (e.g. a benchmark's opt-in profiling). */
  env?: Record<string, string>;
  /** Folders of further unpacked extensions to install beside this one (e.g. a benchmark's baseline). */
  extraExtensions?: string[];
  /** Defaults to MHSM_E2E_EXTENSION, else 'source'. */
  extension?: ExtensionSource;
}

/**
 * 'source': the project folder, symlinked into the extensions folder (dist/ from `npm run build`).
 * 'installed': the .vsix of `npm run package` (or the file MHSM_E2E_VSIX names), installed with
 * `code-server --install-extension`, so the test sees exactly what a user installs.
 */
export type ExtensionSource = 'source' | 'installed';

export function defaultExtensionSource(): ExtensionSource {
  const value = process.env.MHSM_E2E_EXTENSION ?? 'source';
  if (value !== 'source' && value !== 'installed') throw new Error(`MHSM_E2E_EXTENSION must be 'source' or 'installed', not '${value}'`);
  return value;
}

let packaged: Promise<string> | undefined;

/** The .vsix to install: MHSM_E2E_VSIX, or one `npm run package` per test process. */
export function vsixForTests(): Promise<string> {
  packaged ??= process.env.MHSM_E2E_VSIX
    ? Promise.resolve(path.resolve(process.env.MHSM_E2E_VSIX))
    : packageVsix().then((report) => path.join(repoRoot, report.vsix));
  return packaged;
}

let prepared: Promise<VsCodeInstall> | undefined;

/** Install and build once per test process, not once per suite. */
function prepareOnce(): Promise<VsCodeInstall> {
  prepared ??= (async () => {
    ensureChromium();
    const install = await ensureVsCode();
    await Promise.all([buildExtension(), buildSandboxSignin()]);
    return install;
  })();
  return prepared;
}

export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const install = await prepareOnce();
  const extensionSource = options.extension ?? defaultExtensionSource();
  const vsix = extensionSource === 'installed' ? await vsixForTests() : undefined;
  const logDir = path.join(testResultsDir, 'e2e');
  fs.mkdirSync(logDir, { recursive: true });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-e2e-sandbox-'));
  const removeStateDir = removeOnExit(stateDir);
  let sandbox: RunningSandbox | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await sandbox?.stop();
    removeStateDir();
  };
  try {
    sandbox = await startSandbox({ stateDir, args: ['--quiet', ...(options.sandboxArgs ?? [])], output: { file: path.join(logDir, 'sandbox.log') } });
    server = await startCodeServer({
      install,
      // Installed, not under development: toasts and dialogs behave as for a user.
      extensions: vsix
        ? [asInstalled(signinExtensionDir), ...(options.extraExtensions ?? []).map(asInstalled)]
        : [asInstalled(repoRoot), asInstalled(signinExtensionDir), ...(options.extraExtensions ?? []).map(asInstalled)],
      vsixFiles: vsix ? [vsix] : undefined,
      settings: { ...sandboxSettings(sandbox.endpointsFile), ...options.settings },
      env: { MHSM_SANDBOX_ENDPOINTS: sandbox.endpointsFile, ...options.env },
      skipBuiltinExtensions: ['vscode.microsoft-authentication'],
      logFile: path.join(logDir, 'code-server.log'),
    });
    browser = await launchChromium(server.home);
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    // A loaded machine (several VS Code runs at once) can take longer than the default 30 s.
    await page.goto(server.workbenchUrl(testWorkspace), { timeout: 120_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    const running = { page, context, server, sandbox, extensionSource };
    return { ...running, screenshot: (name) => screenshot(page, name), close };
  } catch (err) {
    await close();
    throw err;
  }
}
