import * as vscode from 'vscode';

// The composition root. Features arrive issue by issue; until then activation only prepares the
// output channel that every later part logs to.
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Managed HSM for Secret Server', { log: true });
  context.subscriptions.push(output);
}

export function deactivate(): void {
  // Nothing to release beyond context.subscriptions.
}
