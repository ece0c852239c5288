import * as vscode from 'vscode';
import type { KeyInfo } from '../azure/keys';
import type { ManagedHsmInfo } from '../azure/managedHsms';
import { expiryPathKind } from '../core/expiry/expiryPath';
import type { Services } from '../services';
import type { Loaded } from '../views/azure/azureTreeModel';
import type { SecretServerConnection } from '../views/secretServer/connectionStore';
import type { KeyManagementState } from '../views/secretServer/secretServerModel';
import { expiryThresholdsFromSettings } from './expiryThresholdSettings';
import { ExpiryWatch } from './expiryWatch';
import { registerExpiryWatch } from './registerExpiryWatch';
import { connectionUseOf, secretServerExpiryItems } from './secretServerExpiryItems';
import { keyVersionItems, type ConnectionUse } from './watchedItemsFrom';

// The expiry watch on the live extension: thresholds and switches from settings, items fed by
// the two views as they load, and the actions (renew, reveal) on the real clients. The views
// call the feed; the watch never loads anything itself.

export interface ExpiryFeed {
  secretServerLoaded(connection: SecretServerConnection, state: Loaded<KeyManagementState>): void;
  versionsLoaded(hsm: ManagedHsmInfo, keyName: string, versions: readonly KeyInfo[]): void;
}

export class LiveExpiryWatch implements ExpiryFeed {
  readonly watch: ExpiryWatch;
  /** The last notifications shown (text only: labels and dates, never a secret). */
  readonly notificationsShown: string[] = [];
  /** Key management as last loaded per connection, for the `usedBySecretServer` links and renewals. */
  private readonly uses = new Map<string, { use: ConnectionUse; state: KeyManagementState }>();

  constructor(private readonly services: Services) {
    this.watch = new ExpiryWatch({
      now: () => services.now().getTime(),
      thresholds: expiryThresholdsFromSettings,
    });
  }

  register(context: vscode.ExtensionContext): void {
    const services = this.services;
    const config = () => vscode.workspace.getConfiguration('mhsm.expiry');
    const log = (line: string) => services.log.info(line);
    context.subscriptions.push(
      registerExpiryWatch({
        source: this.watch,
        actions: {
          // The guided renewal is a setup command (its prompts go through the setup UI seam).
          renewClientSecret: (target) => vscode.commands.executeCommand('mhsm.renewClientSecret', target),
          reveal: (path) => revealView(path),
        },
        rules: () => {
          try {
            const cloud = services.cloud();
            return { dnsSuffixes: cloud.managedHsmDnsSuffix ? [cloud.managedHsmDnsSuffix] : [], origins: cloud.managedHsmOrigins ?? [] };
          } catch {
            // Unusable cloud settings: the scanner's public-cloud defaults still find real HSM URLs.
            return {};
          }
        },
        settings: {
          notificationsEnabled: () => config().get<boolean>('notifications.enabled') ?? true,
          workspaceScanEnabled: () => config().get<boolean>('workspaceScan.enabled') ?? true,
          workspaceScanMaxFiles: () => config().get<number>('workspaceScan.maxFiles') ?? 2000,
        },
        state: services.state,
        now: () => services.now().getTime(),
        log,
        onNotificationShown: (text) => {
          this.notificationsShown.push(text);
          this.notificationsShown.splice(0, this.notificationsShown.length - 20);
        },
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mhsm.expiry')) this.watch.recompute();
      }),
      // The services' clock turned out different (skew, or a sandbox test moving time): re-judge.
      services.onDidChangeServiceTime(() => this.watch.recompute()),
    );
    // Thresholds are crossed by time passing, not only by loads.
    const timer = setInterval(() => this.watch.recompute(), 60 * 60 * 1000);
    context.subscriptions.push({ dispose: () => clearInterval(timer) });
  }

  secretServerLoaded(connection: SecretServerConnection, state: Loaded<KeyManagementState>): void {
    // A failed load keeps what was last known: an unreachable server does not make its secret safe.
    if (!state.ok) return;
    this.uses.set(connection.id, { use: connectionUseOf(connection.id, state.value), state: state.value });
    this.watch.setItems(`secretServer:${connection.id}`, secretServerExpiryItems(connection.id, state.value));
  }

  versionsLoaded(hsm: ManagedHsmInfo, keyName: string, versions: readonly KeyInfo[]): void {
    const uses = [...this.uses.values()].map((u) => u.use);
    this.watch.setItems(`azure:${hsm.hsmUri.toLowerCase()}keys/${keyName.toLowerCase()}`, keyVersionItems(versions, uses));
  }

  /** Forgets the items of connections no longer listed (removed from the view). */
  keepConnections(ids: readonly string[]): void {
    for (const id of [...this.uses.keys()]) {
      if (ids.includes(id)) continue;
      this.uses.delete(id);
      this.watch.setItems(`secretServer:${id}`, []);
    }
  }
}

/** Shows the view that holds the object (finding the row itself needs the tree's parents). */
async function revealView(path: string): Promise<void> {
  const kind = expiryPathKind(path);
  const view = kind === 'secretServer' || kind === 'app' || kind === 'clientSecret' ? 'mhsm.secretServer' : 'mhsm.azure';
  await vscode.commands.executeCommand(`${view}.focus`);
}
