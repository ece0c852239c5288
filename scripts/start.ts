// `npm start`: the extension in a real VS Code in your browser, signed in to the local sandbox.
// Installs code-server and Node 24 on first use (.vscode-e2e/, about 2.5 min), starts the sandbox
// (state in .sandbox/), builds the extension and the sandbox sign-in extension, starts
// code-server with both installed, already signed in to the sandbox, and prints the URL. Ctrl+C
// stops everything.
//
//   npm start [-- --port 8080] [--reset] [--verbose]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCodeServer } from './vscode/codeServer';
import { asInstalled, displayName, extensionId } from './vscode/extensionIdentity';
import { buildExtension, buildSandboxSignin } from './vscode/harnessBuild';
import { ensureVsCode } from './vscode/install';
import { e2eDir, repoRoot, signinExtensionDir } from './vscode/paths';
import { stopAllOnSignal } from './vscode/processGroup';
import { startSandbox } from './vscode/sandboxLauncher';
import { trustedAuthAccessEnvVar } from './vscode/trustedAuthAccessPatch';
import { sandboxSettings } from './vscode/workbenchSettings';

const usage = `Usage: npm start [-- options]

  --port N     code-server's port (default 8080; a free one if it is taken)
  --reset      start the sandbox over with a freshly seeded world
  --verbose    show the sandbox's request log
  --help       this text`;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(usage);
    return;
  }
  const port = Number(option('port') ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('--port takes a TCP port number');

  const install = await ensureVsCode();
  console.log('[start] building the extension and the sandbox sign-in extension');
  await Promise.all([buildExtension(), buildSandboxSignin()]);

  const sandbox = await startSandbox({
    stateDir: path.join(repoRoot, '.sandbox'),
    args: [...(process.argv.includes('--reset') ? ['--reset'] : []), ...(process.argv.includes('--verbose') ? [] : ['--quiet'])],
    output: 'inherit',
  });
  let server: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  const stopAll = async () => {
    await server?.stop();
    await sandbox.stop();
  };
  stopAllOnSignal(stopAll);

  const workspace = path.join(e2eDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const logFile = path.join(e2eDir, 'code-server.log');
  try {
    server = await startCodeServer({
      install,
      port,
      extensions: [asInstalled(repoRoot), asInstalled(signinExtensionDir)],
      settings: sandboxSettings(sandbox.endpointsFile),
      env: {
        MHSM_SANDBOX_ENDPOINTS: sandbox.endpointsFile,
        // Opens signed in, as a returning user would: the sign-in extension signs the seeded
        // administrator in at startup, and the product is trusted to use that account without the
        // Allow dialog (a patch to code-server's server, see trustedAuthAccessPatch.ts). Only here:
        // the tests start signed out and go through the real dialog.
        MHSM_SANDBOX_SIGNIN_AT_STARTUP: '1',
        // VS Code compares lower-cased ids.
        [trustedAuthAccessEnvVar]: JSON.stringify([extensionId(repoRoot).toLowerCase()]),
      },
      // Two providers cannot share the id 'microsoft': the sandbox sign-in replaces the built-in
      // one for this run only.
      skipBuiltinExtensions: ['vscode.microsoft-authentication'],
      logFile,
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
  const name = displayName(repoRoot) ?? 'the extension';
  console.log('');
  console.log(`[start] ${name} is running in VS Code (code-server) at:`);
  console.log('');
  console.log(`    ${server.workbenchUrl(workspace)}`);
  console.log('');
  console.log(`[start] signed in as the sandbox's administrator ("Microsoft (sandbox)"); the sandbox's endpoints are in ${path.relative(repoRoot, sandbox.endpointsFile)}`);
  console.log(`[start] code-server log: ${path.relative(repoRoot, logFile)}. Press Ctrl+C to stop.`);

  // Either child dying on its own ends the run rather than leaving half of it up.
  const crashed = (what: string) => () => {
    console.error(`[start] ${what} stopped unexpectedly; stopping everything`);
    stopAll().finally(() => process.exit(1));
  };
  void sandbox.unexpectedExit.then(crashed('the sandbox'));
  void server.unexpectedExit.then(crashed(`code-server (see ${path.relative(repoRoot, logFile)})`));
}

main().catch((err: unknown) => {
  console.error(`[start] ${(err as Error).message}`);
  process.exit(1);
});
