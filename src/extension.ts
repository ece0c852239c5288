import type * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { addSecretServerConnection, type NewConnection } from './commands/secretServerConnections';
import { createExplorer, type Explorer } from './explorer';
import { createServices } from './services';
import type { SecretServerConnection } from './views/secretServer/connectionStore';

// The composition root: one Services object, the views built on it, the commands on both.
// Activation stays cheap: no @azure package is loaded until a view or command needs it.

/**
 * What activate() returns. Extension-host tests read the trees through it and add a Secret Server
 * connection without the input boxes (the prompts are the one part they cannot answer).
 */
export interface ExtensionApi extends Explorer {
  addSecretServerConnection(input: NewConnection): Promise<SecretServerConnection>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const services = createServices(context);
  const explorer = createExplorer(context, services);
  registerCommands(context, explorer);
  return { ...explorer, addSecretServerConnection: (input) => addSecretServerConnection(explorer, input) };
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
