// Runs the extension-host suites (test/extension) in a real VS Code, offline: code-server's
// remote Node extension host, driven by Debian's Chromium, exactly as
// shared/reference/vscode-e2e.md describes. The suites use @vscode/test-electron's runner API
// (an index exporting run()), so the same bundle also runs in desktop VS Code:
//
//   npm run test:extension                 # code-server + Chromium (works offline)
//   npm run test:extension -- --electron   # @vscode/test-electron's runTests (downloads VS Code)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCodeServer, type CodeServer } from './codeServer';
import { launchChromium } from './chromium';
import { asInstalled } from './extensionIdentity';
import { buildExtension, buildExtensionTests, buildSandboxSignin, extensionTestsOutDir } from './harnessBuild';
import { ensureChromium, ensureVsCode } from './install';
import { repoRoot, signinExtensionDir } from './paths';
import { removeOnExit, stopAllOnSignal } from './processGroup';
import { automationLine } from './automationLog';
import { startSandbox, type RunningSandbox } from './sandboxLauncher';
import { testResultsDir, testWorkspace } from './testWorkspace';
import { vscodeVersion } from './versions';
import { sandboxSettings } from './workbenchSettings';
import type { Browser } from 'playwright-core';

// The expiry timeline suite follows several Secret Server rotations on a 2-core machine.
const runTimeoutMs = 600_000;
const builtInMicrosoftAuth = 'vscode.microsoft-authentication';

async function runInCodeServer(resultsDir: string, sandbox: RunningSandbox): Promise<number> {
  const install = await ensureVsCode();
  ensureChromium();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  stopAllOnSignal(async () => {
    await cleanup();
    await sandbox.stop();
  });
  try {
    server = await startCodeServer({
      install,
      extensions: [asInstalled(signinExtensionDir)],
      smokeTestDriver: true,
      settings: sandboxSettings(sandbox.endpointsFile),
      env: { MHSM_SANDBOX_ENDPOINTS: sandbox.endpointsFile, ...(process.env.MHSM_TEST_GREP ? { MHSM_TEST_GREP: process.env.MHSM_TEST_GREP } : {}) },
      skipBuiltinExtensions: [builtInMicrosoftAuth],
      logFile: path.join(resultsDir, 'code-server.log'),
    });
    browser = await launchChromium(server.home);
    const page = await browser.newPage();
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    // The workbench forwards the extension host's console (mocha's reporter) and its own log here.
    await page.exposeFunction('codeAutomationLog', (_type: unknown, args: unknown) => {
      const line = automationLine(args);
      if (line !== undefined) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    const remote = (p: string) => `vscode-remote://${server?.authority}${p}`;
    // A loaded machine (several VS Code runs at once) can take longer than the default 30 s.
    await page.goto(
      server.workbenchUrl(testWorkspace, [
        ['extensionDevelopmentPath', remote(repoRoot)],
        ['extensionTestsPath', remote(path.join(extensionTestsOutDir, 'index'))],
      ]),
      // A slow, shared machine can take longer than Playwright's default 30 s for the first load.
      { timeout: 120_000 },
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.error(`[vscode-e2e] the extension host did not report within ${runTimeoutMs / 1000} s`);
        resolve(124);
      }, runTimeoutMs);
    });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code !== 0) await page.screenshot({ path: path.join(resultsDir, 'extension-tests-failure.png') }).catch(() => undefined);
    return code;
  } finally {
    await cleanup();
  }
}

/** Desktop VS Code through @vscode/test-electron, where it can be downloaded. */
async function runInElectron(sandbox: RunningSandbox): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      // The VS Code that code-server bundles, so both modes test the same version.
      version: vscodeVersion,
      extensionDevelopmentPath: [repoRoot, signinExtensionDir],
      extensionTestsPath: path.join(extensionTestsOutDir, 'index'),
      extensionTestsEnv: { MHSM_SANDBOX_ENDPOINTS: sandbox.endpointsFile, ...(process.env.MHSM_TEST_GREP ? { MHSM_TEST_GREP: process.env.MHSM_TEST_GREP } : {}) },
      launchArgs: [testWorkspace, '--disable-extension', builtInMicrosoftAuth, '--disable-workspace-trust'],
    });
    return 0;
  } catch (err) {
    console.error(`[vscode-e2e] ${(err as Error).message}`);
    return 1;
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const electron = process.argv.includes('--electron');
  const resultsDir = path.join(testResultsDir, 'extension');
  fs.mkdirSync(resultsDir, { recursive: true });
  await Promise.all([buildExtension(), buildSandboxSignin(), buildExtensionTests()]);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-e2e-sandbox-'));
  const removeStateDir = removeOnExit(stateDir);
  const sandbox = await startSandbox({ stateDir, args: ['--quiet'], output: { file: path.join(resultsDir, 'sandbox.log') } });
  try {
    const code = electron ? await runInElectron(sandbox) : await runInCodeServer(resultsDir, sandbox);
    console.log(`[vscode-e2e] extension-host tests ${code === 0 ? 'passed' : `failed (exit code ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s; logs in ${path.relative(repoRoot, resultsDir)}/`);
    return code;
  } finally {
    await sandbox.stop();
    removeStateDir();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[vscode-e2e] ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
