import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import type { Explorer } from '../explorer';
import { HsmNode, KeyNode, SubscriptionNode, TenantNode, VersionNode } from '../views/azure/azureNodes';
import type { TreeNode } from '../views/treeNode';
import { pickNode } from './pickNode';

// Opens the node's resource in the Azure portal of the current cloud (the tenant pinned with
// '#@<tenant>' so that a multi-tenant account lands in the right directory).

export function portalUrl(portal: string, node: unknown): string | undefined {
  const base = portal.replace(/\/+$/, '');
  if (node instanceof HsmNode || node instanceof KeyNode || node instanceof VersionNode) {
    const hsm = node.hsm;
    const blade = node instanceof HsmNode ? 'overview' : 'keys';
    return `${base}/#@${hsm.tenantId}/resource${hsm.id}/${blade}`;
  }
  if (node instanceof SubscriptionNode) return `${base}/#@${node.subscription.tenantId}/resource/subscriptions/${node.subscription.subscriptionId}/overview`;
  if (node instanceof TenantNode) return `${base}/#@${node.tenant.tenantId}`;
  return undefined;
}

export async function openInPortal(explorer: Explorer, node?: unknown): Promise<void> {
  const portal = explorer.services.cloud().portalUrl;
  const has = (n: unknown): n is TreeNode => portalUrl(portal, n) !== undefined;
  const target = node ?? (await pickNode(explorer.azure, vscode.l10n.t('Open in Azure portal'), has));
  const url = portalUrl(portal, target);
  if (!url) throw new ActionableError(vscode.l10n.t('This item has no page in the Azure portal; run the command on a tenant, subscription, HSM or key.'), 'invalidInput');
  await vscode.env.openExternal(vscode.Uri.parse(url));
}
