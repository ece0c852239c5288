// Before every other module: their strings are translated while they load (l10nSetup.ts).
import { configureL10n } from './l10nSetup';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { addSecretServerConnection, type NewConnection } from './commands/secretServerConnections';
import { expiryDecoration } from './expiry/fileDecorations';
import { expiryUri } from './expiry/expiryUri';
import type { ExpirySnapshot } from './expiry/expiryWatch';
import { LiveExpiryWatch } from './expiry/liveExpiryWatch';
import { statusBarContent } from './expiry/statusBar';
import { createExplorer, type Explorer } from './explorer';
import { createServices } from './services';
import type { SecretServerConnection } from './views/secretServer/connectionStore';

// The composition root: one Services object, the views built on it, the commands on both, and
// the expiry watch fed by the views as they load.
// Activation stays cheap: no @azure package is loaded until a view or command needs it.

/**
 * What activate() returns. Extension-host tests read the trees through it and add a Secret Server
 * connection without the input boxes (the prompts are the one part they cannot answer).
 */
export interface ExtensionApi extends Explorer {
  addSecretServerConnection(input: NewConnection): Promise<SecretServerConnection>;
  /** The expiry watch as the status bar and tree decorations show it (tests cannot read those). */
  readonly expiry: {
    snapshot(): ExpirySnapshot;
    statusBar(): { text: string; tooltip: string } | undefined;
    decoration(path: string): vscode.FileDecoration | undefined;
    /** The texts of the expiry notifications shown so far (the last 20). */
    notifications(): readonly string[];
  };
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  configureL10n();
  const services = createServices(context);
  const expiry = new LiveExpiryWatch(services);
  const explorer = createExplorer(context, services, expiry);
  expiry.register(context);
  // A removed connection's secrets and key stop counting; the view refreshes after a removal.
  context.subscriptions.push(explorer.secretServer.onDidChangeTreeData(() => expiry.keepConnections(explorer.connections.list().map((c) => c.id))));
  registerCommands(context, explorer);
  // One line a benchmark (bench/realVsCode.ts) reads from the log: activate()'s own time, and how
  // long the extension host had been running when it ended.
  services.log.info(`Activated in ${(performance.now() - started).toFixed(2)} ms (extension host up ${Math.round(process.uptime() * 1000)} ms).`);
  return {
    ...explorer,
    addSecretServerConnection: (input) => addSecretServerConnection(explorer, input),
    expiry: {
      snapshot: () => expiry.watch.snapshot(),
      statusBar: () => statusBarContent(expiry.watch.snapshot()),
      decoration: (path) => expiryDecoration(expiry.watch.snapshot(), expiryUri(path)),
      notifications: () => [...expiry.notificationsShown],
    },
  };
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
