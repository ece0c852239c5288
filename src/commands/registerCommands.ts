import * as vscode from 'vscode';
import type { Explorer } from '../explorer';
import { LoadMoreNode } from '../views/azure/azureNodes';
import type { TreeNode } from '../views/treeNode';
import { copyIdentifier } from './copyIdentifiers';
import { openInPortal } from './openInPortal';
import { registerCommand } from './runCommand';
import { addSecretServerConnectionCommand, removeSecretServerConnection, signOutSecretServer } from './secretServerConnections';
import { setSecretServerRegionCommand } from './secretServerRegion';
import { selectSubscriptions, selectTenant } from './selectScope';
import { signIn } from './signIn';
import { registerKeyManagementFormCommands } from './keyManagementFormCommands';
import { registerSetupCommands } from './setup/registerSetupCommands';
import { registerManagedHsmCommands } from './managedHsmCommands';

// Every command of the explorer, each through the one error wrapper. Palette and context menus
// share the handler: a node argument when run on a node, none from the palette.

export function registerCommands(context: vscode.ExtensionContext, explorer: Explorer): void {
  const add = (id: string, what: string, handler: (...args: unknown[]) => unknown) => registerCommand(context, explorer.services.log, id, what, handler);

  add('mhsm.signIn', vscode.l10n.t('sign in to Azure'), (tenantId) => signIn(explorer, tenantId));
  add('mhsm.refresh', 'refresh', (node) => refresh(explorer, node));
  add('mhsm.loadMore', vscode.l10n.t('load more keys'), async (node) => {
    if (node instanceof LoadMoreNode) await node.loadMore();
  });
  add('mhsm.copyKeyId', vscode.l10n.t('copy the key identifier'), (node) => copyIdentifier(explorer, 'keyId', node));
  add('mhsm.copyVersionlessKeyId', vscode.l10n.t('copy the versionless key identifier'), (node) => copyIdentifier(explorer, 'versionlessKeyId', node));
  add('mhsm.copyKeyName', vscode.l10n.t('copy the key name'), (node) => copyIdentifier(explorer, 'keyName', node));
  add('mhsm.copyTenantId', vscode.l10n.t('copy the tenant ID'), (node) => copyIdentifier(explorer, 'tenantId', node));
  add('mhsm.copyClientId', vscode.l10n.t('copy the client ID'), (node) => copyIdentifier(explorer, 'clientId', node));
  add('mhsm.openInPortal', vscode.l10n.t('open the Azure portal'), (node) => openInPortal(explorer, node));
  add('mhsm.selectSubscriptions', vscode.l10n.t('select subscriptions'), () => selectSubscriptions(explorer));
  add('mhsm.selectTenant', vscode.l10n.t('select tenants'), () => selectTenant(explorer));
  add('mhsm.addSecretServerConnection', vscode.l10n.t('add a Secret Server connection'), (node) => addSecretServerConnectionCommand(explorer, node));
  add('mhsm.removeSecretServerConnection', vscode.l10n.t('remove the Secret Server connection'), (node) => removeSecretServerConnection(explorer, node));
  add('mhsm.setSecretServerRegion', vscode.l10n.t('set the Secret Server region'), (node) => setSecretServerRegionCommand(explorer, node));
  add('mhsm.signOutSecretServer', vscode.l10n.t('sign out of Secret Server'), (node) => signOutSecretServer(explorer, node));
  add('mhsm.showOutput', vscode.l10n.t('show the output'), () => explorer.services.showOutput());
  const setup = registerSetupCommands(context, explorer);
  registerKeyManagementFormCommands(context, explorer, (message, detail, buttons) => setup.ui().confirm(message, detail, buttons));
  registerManagedHsmCommands(context, explorer);
}

function refresh(explorer: Explorer, node: unknown): void {
  const tree = node as TreeNode | undefined;
  if (!tree || typeof tree.id !== 'string') {
    explorer.azure.refresh();
    explorer.secretServer.refresh();
  } else if (tree.id.startsWith('ss/')) {
    explorer.secretServer.refresh(tree);
  } else {
    explorer.azure.refresh(tree);
  }
}
