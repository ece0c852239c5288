import * as vscode from 'vscode';
import type { ActionableError } from '../../core/actionableError';
import { appPath, clientSecretPath, keyVersionPath, secretServerPath } from '../../core/expiry/expiryPath';
import { expiryUri } from '../../expiry/expiryUri';
import { providerLabel } from '../../secretServer/keyManagementTypes';
import type { SecretServerHealth } from '../../secretServer/health';
import type { RotationProgress } from '../../secretServer/rotationProgress';
import { DetailNode, ErrorNode, MessageNode, type TreeNode } from '../treeNode';
import type { SecretServerConnection } from './connectionStore';
import type { AppRegistrationState, KeyManagementState, ResolvedKey, SecretServerModel } from './secretServerModel';

// The Secret Server tree: connection → key management (type; key → HSM and version; app
// registration → client secrets with expiry; rotation; maintenance). Rendering only.

export interface SecretServerNodeContext {
  readonly model: SecretServerModel;
  now(): Date;
}

const expirySoonDays = 30;

export class ConnectionNode implements TreeNode {
  readonly id: string;
  constructor(
    private readonly ctx: SecretServerNodeContext,
    readonly connection: SecretServerConnection,
  ) {
    this.id = `ss/${connection.id}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(hostOf(this.connection.url), vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const { region } = this.connection;
    item.description = region ? `${this.connection.username} · ${region}` : this.connection.username;
    item.tooltip = vscode.l10n.t('{0}\nUser: {1}\nAzure region: {2}', this.connection.url, this.connection.username, region ?? vscode.l10n.t('not set (Set Azure Region…)'));
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = 'mhsm.ssConnection';
    // The expiry watch decorates the connection with the worst state of what it uses.
    item.resourceUri = expiryUri(secretServerPath(this.connection.id));
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const state = await this.ctx.model.keyManagement(this.connection);
    if (!state.ok) {
      const signIn = state.error.kind === 'authentication';
      return [
        new ErrorNode(
          `${this.id}/error`,
          state.error,
          signIn ? { title: vscode.l10n.t('Sign in to Secret Server…'), command: 'mhsm.addSecretServerConnection', arguments: [this] } : undefined,
        ),
      ];
    }
    return keyManagementNodes(this.id, state.value, this.ctx.now());
  }

  invalidate(): void {
    this.ctx.model.invalidate(this.connection.id);
  }
}

function keyManagementNodes(parentId: string, s: KeyManagementState, now: Date): TreeNode[] {
  const id = (suffix: string) => `${parentId}/${suffix}`;
  const type = s.config.provider ? providerLabel(s.config.provider) : (s.config.typeName ?? 'unknown');
  const nodes: TreeNode[] = [new DetailNode(id('type'), vscode.l10n.t('Key management'), type, 'lock', { contextValue: 'mhsm.ssKeyManagement' })];
  if (s.config.provider === 'azureManagedHsm') {
    const hsm = s.config.azureManagedHsm;
    if (s.key) nodes.push(s.key.ok ? keyNode(id('key'), s.key.value, now) : errorNode(id('key'), s.key.error));
    else nodes.push(new MessageNode(id('key'), vscode.l10n.t('No key URL configured'), 'warning'));
    if (s.app) nodes.push(s.app.ok ? appNode(id('app'), s.app.value, hsm.tenantId, now) : errorNode(id('app'), s.app.error, vscode.l10n.t('App registration {0}', hsm.principalId ?? '')));
    else nodes.push(new MessageNode(id('app'), vscode.l10n.t('No app registration configured'), 'warning'));
  }
  nodes.push(
    s.health.ok ? healthNode(id('health'), s.health.value) : errorNode(id('health'), s.health.error),
    s.rotation.ok
      ? new DetailNode(id('rotation'), vscode.l10n.t('Secret key rotation'), rotationText(s.rotation.value), s.rotation.value.done ? 'sync' : 'sync~spin', { contextValue: 'mhsm.ssRotation' })
      : errorNode(id('rotation'), s.rotation.error),
    s.readOnly.ok
      ? new DetailNode(id('maintenance'), vscode.l10n.t('Maintenance (read-only) mode'), s.readOnly.value ? 'on' : 'off', s.readOnly.value ? 'debug-pause' : 'pass', { contextValue: 'mhsm.ssMaintenance' })
      : errorNode(id('maintenance'), s.readOnly.error),
  );
  return nodes;
}

function keyNode(id: string, r: ResolvedKey, now: Date): TreeNode {
  const where = r.hsm ? r.hsm.name : r.host;
  const version = r.key.version ?? vscode.l10n.t('unknown version');
  const expiry = r.key.expiresOn ? expiryText(r.key.expiresOn, now) : undefined;
  const value = [`${where} / ${r.name}`, r.pinned ? `version ${version}` : `latest (${version})`, r.key.enabled ? undefined : 'disabled', expiry].filter(Boolean).join(' · ');
  const warn = !r.key.enabled || (r.key.expiresOn !== undefined && daysUntil(r.key.expiresOn, now) < expirySoonDays);
  return new ExpiryDetailNode(r.key.version ? keyVersionPath(r.key.id, r.name, r.key.version) : undefined, id, 'Key', value, 'key', {
    tooltip: vscode.l10n.t('{0}\nHSM: {1}\nEnabled: {2}\nExpires: {3}', r.key.id, r.hsm ? `${r.hsm.name} (${r.hsm.location}, subscription ${r.hsm.subscriptionId})` : vscode.l10n.t('{0} (not among your listed HSMs)', r.host), r.key.enabled ? 'yes' : 'no', r.key.expiresOn?.toISOString() ?? 'never'),
    contextValue: 'mhsm.ssKey',
    ids: { keyId: r.key.id, versionlessKeyId: r.key.versionlessId, keyName: r.name, tenantId: r.hsm?.tenantId },
    iconColor: warn ? 'list.warningForeground' : undefined,
  });
}

function appNode(id: string, app: AppRegistrationState, tenantId: string | undefined, now: Date): TreeNode {
  const secrets = app.secrets.map(
    (s) =>
      new ExpiryDetailNode(clientSecretPath(app.appId, s.keyId), `${id}/secret/${s.keyId}`, s.displayName || `secret ${s.hint ?? ''}…`, s.endDateTime ? expiryText(new Date(s.endDateTime), now) : vscode.l10n.t('no expiry'), 'key', {
        tooltip: vscode.l10n.t('Client secret {0} (starts with {1}…)\nExpires: {2}', s.displayName ?? '', s.hint ?? '?', s.endDateTime ?? 'never'),
        contextValue: 'mhsm.ssClientSecret',
        ids: { clientId: app.appId, tenantId, secretKeyId: s.keyId },
        iconColor: s.endDateTime && daysUntil(new Date(s.endDateTime), now) < expirySoonDays ? 'list.warningForeground' : undefined,
      }),
  );
  return new ExpiryDetailNode(appPath(app.appId), id, vscode.l10n.t('App registration'), `${app.displayName} (${app.appId})`, 'symbol-class', {
    tooltip: vscode.l10n.t('App {0}\nClient ID: {1}\nTenant: {2}\n{3} client secret(s)', app.displayName, app.appId, tenantId ?? 'unknown', app.secrets.length),
    contextValue: 'mhsm.ssApp',
    ids: { clientId: app.appId, tenantId },
    childNodes: secrets.length ? secrets : [new MessageNode(`${id}/secret/none`, vscode.l10n.t('No client secrets'), 'warning')],
  });
}

/** A detail row the expiry watch decorates (colour and badge) through its `mhsm-expiry:` URI. */
class ExpiryDetailNode extends DetailNode {
  constructor(
    private readonly expiryPath: string | undefined,
    ...detail: ConstructorParameters<typeof DetailNode>
  ) {
    super(...detail);
  }

  override treeItem(): vscode.TreeItem {
    const item = super.treeItem();
    if (this.expiryPath) item.resourceUri = expiryUri(this.expiryPath);
    return item;
  }
}

function errorNode(id: string, error: ActionableError, title?: string): TreeNode {
  return new ErrorNode(id, error, title ? { title, command: 'mhsm.showOutput' } : undefined);
}

function healthNode(id: string, h: SecretServerHealth): TreeNode {
  const value = h.healthy ? 'healthy' : `unhealthy${h.reason ? ` — ${h.reason}` : ''}`;
  return new DetailNode(id, 'Health', value, h.healthy ? 'pass' : 'error', {
    tooltip: [vscode.l10n.t('Secret Server reports {0}.', h.healthy ? 'healthy' : 'unhealthy'), h.reason, h.keyManagementHealthy === false ? vscode.l10n.t('Key management is unhealthy: Secret Server cannot use its master key protector.') : undefined, h.utcNow ? vscode.l10n.t('Server time: {0}', h.utcNow) : undefined].filter(Boolean).join('\n'),
    contextValue: h.healthy ? 'mhsm.ssHealth;healthy' : 'mhsm.ssHealth;unhealthy',
    iconColor: h.healthy ? undefined : 'list.errorForeground',
  });
}

function rotationText(r: RotationProgress): string {
  const progress = r.totalSecrets ? ` ${r.secretsProcessed ?? 0}/${r.totalSecrets}` : '';
  return `${r.state}${progress}${r.message ? ` — ${r.message}` : ''}`;
}

function daysUntil(date: Date, now: Date): number {
  return (date.getTime() - now.getTime()) / 86_400_000;
}

function expiryText(date: Date, now: Date): string {
  const days = Math.floor(daysUntil(date, now));
  const day = date.toISOString().slice(0, 10);
  if (days < 0) return `expired ${day}`;
  return vscode.l10n.t('expires {0} (in {1} day{2})', day, days, days === 1 ? '' : 's');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
