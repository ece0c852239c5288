import * as vscode from 'vscode';
import { SandboxAuthProvider } from './sandboxAuthProvider';

/** Set by scripts/start.ts only: open `npm start` signed in, like a returning user. */
const signInAtStartupEnvVar = 'MHSM_SANDBOX_SIGNIN_AT_STARTUP';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Sandbox sign-in', { log: true });
  const provider = new SandboxAuthProvider(log);
  context.subscriptions.push(
    log,
    provider,
    // Registering a second 'microsoft' provider fails, which is why the built-in
    // vscode.microsoft-authentication is disabled for sandbox runs.
    vscode.authentication.registerAuthenticationProvider('microsoft', 'Microsoft (sandbox)', provider, { supportsMultipleAccounts: false }),
    vscode.commands.registerCommand('sandboxSignin.forgetTokens', () => {
      provider.forgetAccessTokens();
      void vscode.window.showInformationMessage('Sandbox sign-in: cached access tokens forgotten; the next request gets new ones.');
    }),
  );
  if (process.env[signInAtStartupEnvVar] === '1') provider.signInAtStartup();
}

export function deactivate(): void {
  // context.subscriptions releases everything.
}
