import { SwitchRecordStore } from './expiry/switchRecordStore';
import * as vscode from 'vscode';
import { toUserError } from './commands/runCommand';
import type { ExpiryFeed } from './expiry/liveExpiryWatch';
import type { Services } from './services';
import { azureLoaders } from './views/azure/azureLoaders';
import { AzureTreeModel, type AzureLoaders } from './views/azure/azureTreeModel';
import { AzureTreeProvider, azureViewId } from './views/azure/azureTreeProvider';
import { ConnectionStore } from './views/secretServer/connectionStore';
import { secretServerLoaders } from './views/secretServer/secretServerLoaders';
import { SecretServerModel } from './views/secretServer/secretServerModel';
import { SecretServerSessions } from './views/secretServer/secretServerSessions';
import { SecretServerTreeProvider, secretServerViewId } from './views/secretServer/secretServerTreeProvider';

// The two views and what they share, created once by extension.ts and handed to the commands.

export interface Explorer {
  readonly services: Services;
  readonly azure: AzureTreeProvider;
  readonly azureLoaders: AzureLoaders;
  readonly secretServer: SecretServerTreeProvider;
  readonly connections: ConnectionStore;
  readonly sessions: SecretServerSessions;
}

export const selectedTenantsKey = 'mhsm.azure.selectedTenants';

/**
 * `observeLoaders` may wrap the Azure loaders to see what the tree loads (the walkthrough does);
 * it must return what the loaders return, unchanged.
 */
export function createExplorer(context: vscode.ExtensionContext, services: Services, expiry?: ExpiryFeed, observeLoaders?: (loaders: AzureLoaders) => AzureLoaders): Explorer {
  const loaders = observeLoaders ? observeLoaders(azureLoaders(services)) : azureLoaders(services);
  const azureModel = new AzureTreeModel(
    loaders,
    {
      tenants: () => services.state.get<string[]>(selectedTenantsKey),
      subscriptions: () => vscode.workspace.getConfiguration('mhsm.azure').get<string[]>('selectedSubscriptions'),
    },
    expiry && ((hsm, keyName, versions) => expiry.versionsLoaded(hsm, keyName, versions)),
  );
  const azure = new AzureTreeProvider(azureModel, services.log, vscode.Uri.joinPath(context.extensionUri, 'media'), () => {
    try {
      services.cloud();
      return undefined;
    } catch (err) {
      return toUserError(err, vscode.l10n.t('read the cloud settings'));
    }
  }, (keyId) => {
    const record = new SwitchRecordStore(services.state).find(keyId);
    return record && { record, nowMs: services.now().getTime() };
  });

  const connections = new ConnectionStore(services.state, services.secrets);
  const sessions = new SecretServerSessions({ store: connections, log: services.log, caPem: () => services.cloud().caPem, observeServiceDate: (d) => services.observeServiceDate(d), activity: services.activity });
  const secretServer = new SecretServerTreeProvider(new SecretServerModel(secretServerLoaders(services, sessions, azureModel), expiry && ((c, state) => expiry.secretServerLoaded(c, state))), connections, services.log, services.now);

  context.subscriptions.push(
    azure,
    secretServer,
    vscode.window.createTreeView(azureViewId, { treeDataProvider: azure, showCollapseAll: true }),
    vscode.window.createTreeView(secretServerViewId, { treeDataProvider: secretServer, showCollapseAll: true }),
    vscode.authentication.onDidChangeSessions(async (e) => {
      if (e.provider.id !== currentProviderId(services)) return;
      // Providers report every new token as a session change; only a different account (or
      // signing in or out) changes what the trees show.
      const shown = await azureModel.signedInAccount();
      const now = await loaders.signedInAccount().catch(() => undefined);
      if (shown !== now) {
        azure.refresh();
        secretServer.refresh();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mhsm.azure.selectedSubscriptions')) azure.refresh();
    }),
  );
  services.onDidChangeCloud(() => {
    azure.refresh();
    secretServer.refresh();
  });
  return { services, azure, azureLoaders: loaders, secretServer, connections, sessions };
}

/** The provider to watch; undefined while the cloud settings are unusable (the tree shows why). */
function currentProviderId(services: Services): string | undefined {
  try {
    return services.cloud().authProviderId;
  } catch {
    return undefined;
  }
}
