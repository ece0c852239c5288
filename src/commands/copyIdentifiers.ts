import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import type { Explorer } from '../explorer';
import { HsmNode, KeyNode, SubscriptionNode, TenantNode, VersionNode } from '../views/azure/azureNodes';
import { DetailNode, type NodeIds, type TreeNode } from '../views/treeNode';
import { pickNode } from './pickNode';

// Copy a key identifier (versioned or versionless), a key name, a tenant id or a client id from
// the node the command was run on, or from one picked in QuickPicks when run from the palette.

export type IdKind = keyof NodeIds;

const labels: Record<IdKind, string> = {
  keyId: l10n.t('key identifier'),
  versionlessKeyId: l10n.t('versionless key identifier'),
  keyName: l10n.t('key name'),
  tenantId: l10n.t('tenant ID'),
  clientId: l10n.t('client ID'),
  secretKeyId: l10n.t('client secret ID'),
};

/** The identifiers a node offers. */
export function idsOf(node: unknown): NodeIds {
  if (node instanceof KeyNode) {
    const k = node.key;
    // The listing gives the versionless id; the key read on its own gives the current version.
    return { keyId: node.row.details?.ok ? node.row.details.value.id : undefined, versionlessKeyId: k.versionlessId, keyName: k.name, tenantId: node.hsm.tenantId };
  }
  if (node instanceof VersionNode) return { keyId: node.key.id, versionlessKeyId: node.key.versionlessId, keyName: node.key.name, tenantId: node.hsm.tenantId };
  if (node instanceof HsmNode) return { tenantId: node.hsm.tenantId };
  if (node instanceof SubscriptionNode) return { tenantId: node.subscription.tenantId };
  if (node instanceof TenantNode) return { tenantId: node.tenant.tenantId };
  if (node instanceof DetailNode) return node.ids;
  return {};
}

export async function copyIdentifier(explorer: Explorer, kind: IdKind, node?: unknown): Promise<string> {
  const has = (n: unknown): n is TreeNode => idsOf(n)[kind] !== undefined || (n instanceof KeyNode && !n.row.details);
  const target = node ?? (await pickNode(kind === 'clientId' ? explorer.secretServer : explorer.azure, `Copy ${labels[kind]}`, has));
  // A key row shown before its details were read: its current version is on the way.
  if (target instanceof KeyNode && !target.row.details) await target.detailsRead();
  const value = idsOf(target)[kind];
  if (!value) throw new ActionableError(vscode.l10n.t('This item has no {0} to copy; run the command on a {1}.', labels[kind], kind === 'clientId' ? vscode.l10n.t('Secret Server app registration') : kind === 'tenantId' ? vscode.l10n.t('tenant, subscription or HSM') : vscode.l10n.t('key or key version')), 'invalidInput');
  await vscode.env.clipboard.writeText(value);
  vscode.window.setStatusBarMessage(`Copied ${labels[kind]}: ${value}`, 4000);
  return value;
}
