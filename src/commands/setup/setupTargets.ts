import * as l10n from '@vscode/l10n';
import type { KeyInfo } from '../../azure/keys';
import type { RoleAssignmentInfo } from '../../azure/localRbac';
import type { ManagedHsmInfo } from '../../azure/managedHsms';
import { ActionableError } from '../../core/actionableError';
import type { TreeNode } from '../../views/treeNode';
import type { SetupDeps } from './setupDeps';
import { pickOne } from './wizard';
import type { SetupPickItem } from './setupUi';

// What a command was run on, read from the node by its context value and fields (not by class, so
// the same code serves nodes of either tree), or chosen by walking the Azure tree with picks.

export interface HsmTarget {
  hsm: ManagedHsmInfo;
  node?: TreeNode;
}

export interface KeyTarget {
  hsm: ManagedHsmInfo;
  key: KeyInfo;
  node?: TreeNode;
}

export interface RoleAssignmentTarget {
  hsm: ManagedHsmInfo;
  assignment: RoleAssignmentInfo;
  node?: TreeNode;
}

function contextValueOf(node: unknown): string {
  const item = (node as Partial<TreeNode> | undefined)?.treeItem?.();
  return item?.contextValue ?? '';
}

function isHsm(v: unknown): v is ManagedHsmInfo {
  return typeof v === 'object' && v !== null && typeof (v as ManagedHsmInfo).hsmUri === 'string' && typeof (v as ManagedHsmInfo).name === 'string';
}

export function hsmOfNode(node: unknown): HsmTarget | undefined {
  const hsm = (node as { hsm?: unknown } | undefined)?.hsm;
  return isHsm(hsm) ? { hsm, node: node as TreeNode } : undefined;
}

/** A key (its current version) or one version, from a key or version node. */
export function keyOfNode(node: unknown): KeyTarget | undefined {
  const cv = contextValueOf(node);
  if (!cv.startsWith('mhsm.key') || cv.startsWith('mhsm.keys')) return undefined;
  const target = hsmOfNode(node);
  const key = (node as { key?: KeyInfo }).key;
  return target && key && typeof key.name === 'string' ? { hsm: target.hsm, key, node: node as TreeNode } : undefined;
}

export function isVersionNode(node: unknown): boolean {
  return contextValueOf(node).startsWith('mhsm.keyVersion');
}

/** A role assignment node knows its row, not its HSM: the HSM is found from the node's id path. */
export async function roleAssignmentOfNode(deps: SetupDeps, node: unknown): Promise<RoleAssignmentTarget | undefined> {
  if (!contextValueOf(node).startsWith('mhsm.roleAssignment') || contextValueOf(node).startsWith('mhsm.roleAssignments')) return undefined;
  const assignment = (node as { row?: { assignment?: RoleAssignmentInfo } }).row?.assignment;
  const m = /^t\/([^/]+)\/s\/([^/]+)\/h\/([^/]+)\//.exec((node as TreeNode).id);
  if (!assignment || !m) return undefined;
  const [, tenantId, subscriptionId, name] = m;
  const hsms = await deps.explorer.azure.model.hsms({ tenantId, subscriptionId, displayName: subscriptionId } as Parameters<typeof deps.explorer.azure.model.hsms>[0]);
  const hsm = hsms.ok ? hsms.value.find((h) => h.name === name) : undefined;
  return hsm ? { hsm, assignment, node: node as TreeNode } : undefined;
}

/** The tenant and client id a Secret Server app node offers. */
export function appOfNode(node: unknown): { tenantId?: string; clientId: string } | undefined {
  const ids = (node as { ids?: { tenantId?: string; clientId?: string } } | undefined)?.ids;
  return ids?.clientId ? { tenantId: ids.tenantId, clientId: ids.clientId } : undefined;
}

/** Walks the Azure view with picks until `accept` takes a node; "Load more…" rows load in place. */
export async function pickAzureNode<T>(deps: SetupDeps, title: string, accept: (node: TreeNode) => T | undefined): Promise<T> {
  const tree = deps.explorer.azure;
  let parent: TreeNode | undefined;
  for (;;) {
    const children = await tree.getChildren(parent);
    const offered = children.filter((n) => accept(n) !== undefined || n.children !== undefined || typeof (n as { loadMore?: unknown }).loadMore === 'function');
    if (offered.length === 0) throw new ActionableError(l10n.t('Nothing to choose from for "{0}" here; sign in to Azure or check that the HSM has what you need.', title), 'notFound');
    const items: SetupPickItem<TreeNode>[] = offered.map((node) => {
      const item = node.treeItem();
      return {
        value: node,
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? node.id),
        description: typeof item.description === 'string' ? item.description : undefined,
      };
    });
    const picked = await pickOne(deps.ui(), items, title, l10n.t('Choose an item'));
    const accepted = accept(picked);
    if (accepted !== undefined) return accepted;
    const loadMore = (picked as { loadMore?: () => Promise<void> }).loadMore;
    if (typeof loadMore === 'function') await loadMore.call(picked);
    else parent = picked;
  }
}

export async function resolveHsm(deps: SetupDeps, node: unknown, title: string): Promise<HsmTarget> {
  const fromNode = hsmOfNode(node);
  if (fromNode) return fromNode;
  return pickAzureNode(deps, title, (n) => (contextValueOf(n).startsWith('mhsm.hsm') ? hsmOfNode(n) : undefined));
}

export async function resolveKey(deps: SetupDeps, node: unknown, title: string, options: { version?: boolean } = {}): Promise<KeyTarget> {
  const fromNode = keyOfNode(node);
  if (fromNode && (!options.version || isVersionNode(node))) return fromNode;
  if (fromNode && options.version) {
    // A key node: choose which of its versions.
    const versions = await deps.explorer.azure.model.versions(fromNode.hsm, fromNode.key.name);
    if (!versions.ok) throw versions.error;
    const key = await pickOne(
      deps.ui(),
      versions.value.map((v, i) => ({ value: v, label: v.version ?? '(current)', description: [i === 0 ? 'newest' : undefined, v.enabled ? 'enabled' : 'disabled', v.expiresOn ? `expires ${v.expiresOn.toISOString().slice(0, 10)}` : undefined].filter(Boolean).join(' · ') })),
      title,
      l10n.t('Choose a version'),
    );
    return { hsm: fromNode.hsm, key, node: fromNode.node };
  }
  return pickAzureNode(deps, title, (n) => {
    if (options.version ? !isVersionNode(n) : isVersionNode(n)) return undefined;
    return keyOfNode(n);
  });
}

export async function resolveRoleAssignment(deps: SetupDeps, node: unknown, title: string): Promise<RoleAssignmentTarget> {
  const fromNode = await roleAssignmentOfNode(deps, node);
  if (fromNode) return fromNode;
  const picked = await pickAzureNode(deps, title, (n) => (contextValueOf(n) === 'mhsm.roleAssignment' ? n : undefined));
  const found = await roleAssignmentOfNode(deps, picked);
  if (!found) throw new ActionableError(l10n.t('Could not tell which HSM this role assignment belongs to; refresh the Azure view and try again.'), 'notFound');
  return found;
}

/** The tenant a command works in: the node's, the only one, or a pick. */
export async function resolveTenant(deps: SetupDeps, node: unknown, title: string): Promise<string> {
  const fromNode = (node as { ids?: { tenantId?: string }; hsm?: { tenantId?: string }; tenant?: { tenantId?: string } } | undefined);
  const direct = fromNode?.ids?.tenantId ?? fromNode?.hsm?.tenantId ?? fromNode?.tenant?.tenantId;
  if (direct) return direct;
  const tenants = await deps.explorer.azure.model.tenants();
  if (!tenants.ok) throw tenants.error;
  if (tenants.value.length === 0) throw new ActionableError(l10n.t('You are not signed in to any Azure tenant; sign in first (Managed HSM: Sign in to Azure…).'), 'authentication');
  if (tenants.value.length === 1) return tenants.value[0].tenantId;
  return pickOne(
    deps.ui(),
    tenants.value.map((t) => ({ value: t.tenantId, label: t.displayName ?? t.tenantId, description: t.defaultDomain ?? t.tenantId })),
    title,
    l10n.t('Choose the tenant'),
  );
}
