import * as vscode from 'vscode';
import { hsmPath, keyPath, keyVersionPath } from '../../core/expiry/expiryPath';
import { expiryUri } from '../../expiry/expiryUri';
import type { ActionableError } from '../../core/actionableError';
import { secretServerKeySpec } from '../../core/secretServerKey';
import { describeWaitingPeriod, type KeyVersionSwitchRecord } from '../../core/expiry/waitingPeriod';
import type { KeyInfo } from '../../azure/keys';
import type { ManagedHsmInfo } from '../../azure/managedHsms';
import type { SubscriptionInfo, TenantInfo } from '../../azure/subscriptions';
import { ErrorNode, MessageNode, type ErrorAction, type TreeNode } from '../treeNode';
import { modelPath, type AzureTreeModel, type KeyRow, type RoleAssignmentRow } from './azureTreeModel';

// The Azure tree's nodes: tenants → subscriptions → Managed HSMs → Keys (paged) → key → versions
// and role assignments. Each renders what AzureTreeModel loaded; none calls Azure itself.

export interface AzureNodeContext {
  readonly model: AzureTreeModel;
  /** Redraws `node` (or the whole view). */
  changed(node?: TreeNode): void;
  /** The extension's media/ folder (the HSM icon). */
  readonly mediaRoot: vscode.Uri;
  /** The recorded Secret Server switch of this key (versionless id) and the services' time, for the waiting period. */
  keySwitch?(versionlessKeyId: string): { record: KeyVersionSwitchRecord; nowMs: number } | undefined;
}

const localRbacDocs = 'https://learn.microsoft.com/azure/key-vault/managed-hsm/role-management';
const activationDocs = 'https://learn.microsoft.com/azure/key-vault/managed-hsm/quick-create-cli#activate-your-managed-hsm';

export class TenantNode implements TreeNode {
  readonly id: string;
  constructor(
    private readonly ctx: AzureNodeContext,
    readonly tenant: TenantInfo,
    readonly account: string,
  ) {
    this.id = modelPath.tenant(tenant.tenantId);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.tenant.displayName ?? this.tenant.tenantId, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = this.tenant.defaultDomain ?? this.tenant.tenantId;
    item.tooltip = (vscode.l10n.t('Tenant {0}\nSigned in as {1}', this.tenant.tenantId, this.account));
    item.iconPath = new vscode.ThemeIcon('organization');
    item.contextValue = 'mhsm.tenant';
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const subs = await this.ctx.model.subscriptions(this.tenant.tenantId);
    if (!subs.ok) return [errorNode(`${this.id}/error`, subs.error, { tenantId: this.tenant.tenantId })];
    if (subs.value.length === 0) {
      return [new MessageNode(`${this.id}/empty`, vscode.l10n.t('No subscriptions (or none selected)'), 'info', { title: vscode.l10n.t('Select subscriptions…'), command: 'mhsm.selectSubscriptions' })];
    }
    return subs.value.map((s) => new SubscriptionNode(this.ctx, s));
  }

  invalidate(): void {
    this.ctx.model.invalidate(this.id);
  }
}

export class SubscriptionNode implements TreeNode {
  readonly id: string;
  constructor(
    private readonly ctx: AzureNodeContext,
    readonly subscription: SubscriptionInfo,
  ) {
    this.id = modelPath.subscription(subscription);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.subscription.displayName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.subscription.state && this.subscription.state !== 'Enabled' ? this.subscription.state : undefined;
    item.tooltip = (vscode.l10n.t('Subscription {0}\nTenant {1}', this.subscription.subscriptionId, this.subscription.tenantId));
    item.iconPath = new vscode.ThemeIcon('symbol-namespace');
    item.contextValue = 'mhsm.subscription';
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const hsms = await this.ctx.model.hsms(this.subscription);
    if (!hsms.ok) return [errorNode(`${this.id}/error`, hsms.error, { tenantId: this.subscription.tenantId })];
    if (hsms.value.length === 0) return [new MessageNode(`${this.id}/empty`, vscode.l10n.t('No Managed HSMs in this subscription'))];
    return hsms.value.map((h) => new HsmNode(this.ctx, h));
  }

  invalidate(): void {
    this.ctx.model.invalidate(this.id);
  }
}

export class HsmNode implements TreeNode {
  readonly id: string;
  constructor(
    private readonly ctx: AzureNodeContext,
    readonly hsm: ManagedHsmInfo,
  ) {
    this.id = modelPath.hsm(hsm);
  }

  treeItem(): vscode.TreeItem {
    const h = this.hsm;
    const item = new vscode.TreeItem(h.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = [h.location, h.activated ? undefined : vscode.l10n.t('not activated')].filter(Boolean).join(' · ');
    item.tooltip = [
      h.name,
      `URI: ${h.hsmUri}`,
      vscode.l10n.t('Resource group: {0}', h.resourceGroup),
      `Region: ${h.location}`,
      `Activation: ${h.activated ? 'activated' : (h.activationStatus ?? vscode.l10n.t('not activated'))}`,
      vscode.l10n.t('Soft delete: {0}{1}', h.softDelete ? 'on' : 'off', h.retention ? vscode.l10n.t(' ({0} days retention)', h.retention) : ''),
      vscode.l10n.t('Purge protection: {0}', h.purgeProtection ? 'on' : 'off'),
      ...(h.skuName ? [`SKU: ${h.skuName}`] : []),
    ].join('\n');
    item.iconPath = { light: vscode.Uri.joinPath(this.ctx.mediaRoot, 'hsm-light.svg'), dark: vscode.Uri.joinPath(this.ctx.mediaRoot, 'hsm-dark.svg') };
    item.contextValue = `mhsm.hsm;${h.activated ? 'activated' : 'notActivated'}`;
    if (h.hsmUri) item.resourceUri = expiryUri(hsmPath(h.hsmUri));
    return item;
  }

  async children(): Promise<TreeNode[]> {
    if (!this.hsm.activated) {
      const keys = await this.ctx.model.keys(this.hsm);
      if (!keys.ok) return [errorNode(`${this.id}/error`, keys.error, { hsm: this.hsm })];
    }
    return [new KeysNode(this.ctx, this.hsm), new RoleAssignmentsNode(this.ctx, this.hsm)];
  }

  invalidate(): void {
    this.ctx.model.invalidate(this.id);
  }
}

export class KeysNode implements TreeNode {
  readonly id: string;
  constructor(
    private readonly ctx: AzureNodeContext,
    readonly hsm: ManagedHsmInfo,
  ) {
    this.id = modelPath.keys(hsm);
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Keys', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('folder-library');
    item.contextValue = 'mhsm.keys';
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const keys = await this.ctx.model.keys(this.hsm);
    if (!keys.ok) return [errorNode(`${this.id}/error`, keys.error, { hsm: this.hsm })];
    const { rows, continuationToken, moreError } = keys.value;
    const nodes: TreeNode[] = rows.map((r) => new KeyNode(this.ctx, this.hsm, r));
    // The rows show at once; this node renders again when their types and operations are read.
    if (rows.some((r) => !r.details)) void this.ctx.model.keyDetailsRead(this.hsm).then(() => this.ctx.changed(this));
    if (rows.length === 0) nodes.push(new MessageNode(`${this.id}/empty`, vscode.l10n.t('No keys')));
    if (moreError) nodes.push(errorNode(`${this.id}/moreError`, moreError, { hsm: this.hsm }));
    if (continuationToken) nodes.push(new LoadMoreNode(this.ctx, this));
    return nodes;
  }

  invalidate(): void {
    this.ctx.model.invalidate(this.id);
  }
}

export class LoadMoreNode implements TreeNode {
  readonly id: string;
  private busy = false;
  constructor(
    private readonly ctx: AzureNodeContext,
    readonly parent: KeysNode,
  ) {
    this.id = `${parent.id}/loadMore`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.busy ? 'Loading…' : vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.busy ? 'loading~spin' : 'refresh');
    item.contextValue = 'mhsm.loadMore';
    item.command = { title: vscode.l10n.t('Load more'), command: 'mhsm.loadMore', arguments: [this] };
    return item;
  }

  /** Loads the next page; the spinner shows on this row until it arrives. */
  async loadMore(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.ctx.changed(this);
    try {
      await this.ctx.model.loadMoreKeys(this.parent.hsm);
    } finally {
      this.busy = false;
      this.ctx.changed(this.parent);
    }
  }
}

/** Enabled oct-HSM with wrapKey and unwrapKey: what Secret Server can use (the service never reports an oct key's size). */
export function isSecretServerCompatible(key: KeyInfo): boolean {
  return key.enabled && key.keyType === secretServerKeySpec.keyType && secretServerKeySpec.keyOps.every((op) => key.keyOps?.includes(op)) && (key.keySize === undefined || key.keySize === secretServerKeySpec.keySize);
}

export class KeyNode implements TreeNode {
  readonly id: string;
  constructor(
    private readonly ctx: AzureNodeContext,
    readonly hsm: ManagedHsmInfo,
    readonly row: KeyRow,
  ) {
    this.id = modelPath.key(hsm, row.key.name);
  }

  /** Settles once this row's details (and its page's) are read. */
  detailsRead(): Promise<void> {
    return this.ctx.model.keyDetailsRead(this.hsm);
  }

  /** The current version's full data when it could be read, else the listing entry. */
  get key(): KeyInfo {
    return this.row.details?.ok ? this.row.details.value : this.row.key;
  }

  treeItem(): vscode.TreeItem {
    const key = this.key;
    const details = this.row.details;
    const compatible = !!details?.ok && isSecretServerCompatible(key);
    const item = new vscode.TreeItem(key.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const switched = this.ctx.keySwitch?.(key.versionlessId);
    const parts = [
      switched ? describeWaitingPeriod(switched.record, switched.nowMs) : undefined,
      compatible ? vscode.l10n.t('✓ Secret Server compatible') : undefined,
      key.keyType ? `${key.keyType}${key.keySize ? ` ${key.keySize}` : ''}` : undefined,
      key.enabled ? undefined : 'disabled',
      key.expiresOn ? `expires ${day(key.expiresOn)}` : undefined,
      !details ? vscode.l10n.t('reading details…') : details.ok ? undefined : vscode.l10n.t('details unavailable'),
    ];
    item.description = parts.filter(Boolean).join(' · ');
    item.tooltip = [
      key.name,
      `Type: ${key.keyType ?? 'unknown'}${key.keySize ? `, ${key.keySize} bits` : ''}`,
      `Operations: ${key.keyOps?.join(', ') ?? 'unknown'}`,
      `Enabled: ${key.enabled ? 'yes' : 'no'}`,
      `Created: ${day(key.createdOn) ?? 'unknown'}`,
      `Expires: ${day(key.expiresOn) ?? 'never'}`,
      compatible ? vscode.l10n.t('Secret Server can use this key (oct-HSM with wrapKey and unwrapKey).') : vscode.l10n.t('Secret Server needs an enabled oct-HSM key with wrapKey and unwrapKey.'),
      ...(switched ? [vscode.l10n.t('Secret Server was switched from version {0} to {1} on {2} UTC; {3}.', switched.record.oldVersion, switched.record.newVersion, new Date(switched.record.switchedAtMs).toISOString().slice(0, 16).replace('T', ' '), describeWaitingPeriod(switched.record, switched.nowMs))] : []),
      ...(!details ? [vscode.l10n.t('Reading the key\'s type and operations…')] : details.ok ? [] : [details.error.message]),
    ].join('\n');
    item.iconPath = new vscode.ThemeIcon(key.enabled ? 'key' : 'circle-slash', compatible ? new vscode.ThemeColor('testing.iconPassed') : undefined);
    item.contextValue = ['mhsm.key', compatible ? 'secretServerCompatible' : undefined, key.enabled ? 'enabled' : 'disabled'].filter(Boolean).join(';');
    if (this.hsm.hsmUri) item.resourceUri = expiryUri(keyPath(this.hsm.hsmUri, key.name));
    return item;
  }

  async children(): Promise<TreeNode[]> {
    return [new VersionsNode(this.ctx, this.hsm, this.key), new RoleAssignmentsNode(this.ctx, this.hsm, this.key.name)];
  }

  invalidate(): void {
    this.ctx.model.invalidate(this.id);
  }
}

export class VersionsNode implements TreeNode {
  readonly id: string;
  constructor(
    private readonly ctx: AzureNodeContext,
    readonly hsm: ManagedHsmInfo,
    readonly key: KeyInfo,
  ) {
    this.id = `${modelPath.key(hsm, key.name)}/versions`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Versions', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('versions');
    item.contextValue = 'mhsm.versions';
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const versions = await this.ctx.model.versions(this.hsm, this.key.name);
    if (!versions.ok) return [errorNode(`${this.id}/error`, versions.error, { hsm: this.hsm })];
    const switched = this.ctx.keySwitch?.(this.key.versionlessId);
    return versions.value.map((v, i) => new VersionNode(this.hsm, v, i === 0, switched && roleInSwitch(switched, v.version)));
  }

  invalidate(): void {
    this.ctx.model.invalidate(this.id);
  }
}

export class VersionNode implements TreeNode {
  readonly id: string;
  constructor(
    readonly hsm: ManagedHsmInfo,
    readonly key: KeyInfo,
    readonly newest: boolean,
    /** "switched to …" or the waiting period, when this version took part in a recorded switch. */
    private readonly switchNote?: string,
  ) {
    this.id = `${modelPath.key(hsm, key.name)}/versions/${key.version ?? 'current'}`;
  }

  treeItem(): vscode.TreeItem {
    const v = this.key;
    const item = new vscode.TreeItem(v.version ?? '(current)', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [
      this.newest ? 'newest' : undefined,
      this.switchNote,
      v.enabled ? 'enabled' : 'disabled',
      v.createdOn ? `created ${day(v.createdOn)}` : undefined,
      v.expiresOn ? `expires ${day(v.expiresOn)}` : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    item.tooltip = (vscode.l10n.t('{0}\nEnabled: {1}\nCreated: {2}\nExpires: {3}', v.id, v.enabled ? 'yes' : 'no', v.createdOn?.toISOString() ?? 'unknown', v.expiresOn?.toISOString() ?? 'never'));
    item.iconPath = new vscode.ThemeIcon(v.enabled ? 'git-commit' : 'circle-slash');
    item.contextValue = `mhsm.keyVersion;${v.enabled ? 'enabled' : 'disabled'}`;
    if (this.hsm.hsmUri && v.version) item.resourceUri = expiryUri(keyVersionPath(this.hsm.hsmUri, v.name, v.version));
    return item;
  }
}

function roleInSwitch(s: { record: KeyVersionSwitchRecord; nowMs: number }, version: string | undefined): string | undefined {
  const v = version?.toLowerCase();
  if (v === s.record.newVersion) return vscode.l10n.t('Secret Server switched to it');
  if (v === s.record.oldVersion) return `previous · ${describeWaitingPeriod(s.record, s.nowMs)}`;
  return undefined;
}

export class RoleAssignmentsNode implements TreeNode {
  readonly id: string;
  constructor(
    private readonly ctx: AzureNodeContext,
    readonly hsm: ManagedHsmInfo,
    readonly keyName?: string,
  ) {
    this.id = keyName ? `${modelPath.key(hsm, keyName)}/rbac` : `${modelPath.hsm(hsm)}/rbac`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Role assignments'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = this.keyName ? `/keys/${this.keyName}` : '/';
    item.iconPath = new vscode.ThemeIcon('shield');
    item.contextValue = 'mhsm.roleAssignments';
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const rows = await this.ctx.model.roleAssignments(this.hsm, this.keyName);
    if (!rows.ok) return [errorNode(`${this.id}/error`, rows.error, { hsm: this.hsm })];
    if (rows.value.length === 0) return [new MessageNode(`${this.id}/empty`, vscode.l10n.t('No role assignments at this scope'))];
    return rows.value.map((r) => new RoleAssignmentNode(this.id, r));
  }

  invalidate(): void {
    this.ctx.model.invalidate(this.id);
  }
}

export class RoleAssignmentNode implements TreeNode {
  readonly id: string;
  constructor(
    parentId: string,
    readonly row: RoleAssignmentRow,
  ) {
    this.id = `${parentId}/${row.assignment.name}`;
  }

  treeItem(): vscode.TreeItem {
    const { assignment: a, principal } = this.row;
    const item = new vscode.TreeItem(a.roleName ?? a.roleDefinitionId.split('/').pop() ?? vscode.l10n.t('Custom role'), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${principal ? `${principal.displayName} (${principal.type})` : a.principalId} · ${a.scope}${this.row.inherited ? ' (inherited)' : ''}`;
    item.tooltip = vscode.l10n.t('Role: {0}\nPrincipal: {1}{2}\nPrincipal object id: {3}\nScope: {4}\nAssignment: {5}', a.roleName ?? a.roleDefinitionId, principal?.displayName ?? vscode.l10n.t('unknown name'), principal ? ` (${principal.type})` : '', a.principalId, a.scope, a.name);
    item.iconPath = new vscode.ThemeIcon(principal === undefined ? 'question' : principal.type === 'User' ? 'person' : principal.type === 'Group' ? 'organization' : 'robot');
    item.contextValue = `mhsm.roleAssignment${this.row.inherited ? ';inherited' : ''}`;
    return item;
  }
}

/** An error node with the fix its kind calls for. */
export function errorNode(id: string, error: ActionableError, where: { tenantId?: string; hsm?: ManagedHsmInfo }): ErrorNode {
  return new ErrorNode(id, error, errorAction(error, where));
}

function errorAction(error: ActionableError, where: { tenantId?: string; hsm?: ManagedHsmInfo }): ErrorAction | undefined {
  switch (error.kind) {
    case 'authentication':
    case 'consentRequired':
      return { title: vscode.l10n.t('Sign in to tenant…'), command: 'mhsm.signIn', arguments: [where.tenantId ?? where.hsm?.tenantId] };
    case 'forbidden':
    case 'accessDenied':
      return where.hsm
        ? { title: vscode.l10n.t('Missing data-plane role…'), command: 'vscode.open', arguments: [vscode.Uri.parse(localRbacDocs)] }
        : undefined;
    case 'notActivated':
      return { title: vscode.l10n.t('HSM not activated'), command: 'vscode.open', arguments: [vscode.Uri.parse(activationDocs)] };
    default:
      return undefined;
  }
}

function day(date: Date | undefined): string | undefined {
  return date ? date.toISOString().slice(0, 10) : undefined;
}
