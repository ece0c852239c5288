import * as l10n from '@vscode/l10n';
import { describeExpiry, describeNotBefore } from './expiryDescription';
import { appPath, clientSecretPath, hsmPath, keyPath, keyVersionPath, secretServerPath } from './expiryPath';
import type { Severity } from './severity';
import { instantMs, windowSeverity, type ExpiryThresholds, type Instant } from './thresholds';

// What the expiry watch looks at. Each item carries only identifiers, dates and flags — never a
// secret value — so assessments can be logged, persisted and shown freely.

export interface WatchedClientSecret {
  kind: 'clientSecret';
  appId: string;
  appDisplayName?: string;
  keyId: string;
  /** The first characters Graph shows for the secret; not secret in itself. */
  hint?: string;
  displayName?: string;
  startDateTime?: Instant;
  endDateTime?: Instant;
  /** Connection ids of the Secret Servers whose key management uses this app (empty: none known). */
  usedBySecretServer: readonly string[];
}

export interface WatchedKeyVersion {
  kind: 'keyVersion';
  /** The versioned key identifier, https://{hsm}/keys/{name}/{version}. */
  kid: string;
  notBefore?: Instant;
  expiresOn?: Instant;
  enabled: boolean;
  usedBySecretServer: readonly string[];
  /** Shown in hovers when known. */
  keyType?: string;
  keySize?: number;
  keyOps?: readonly string[];
}

/** A key as a whole: disabled (current version) or soft-deleted while Secret Server still uses it. */
export interface WatchedKey {
  kind: 'key';
  /** The versionless key identifier. */
  keyId: string;
  enabled: boolean;
  deleted: boolean;
  usedBySecretServer: readonly string[];
}

export type WatchedItem = WatchedClientSecret | WatchedKeyVersion | WatchedKey;

export interface Assessment {
  path: string;
  /** Paths of the tree parents that should show this item's trouble, nearest first. */
  ancestors: string[];
  severity: Severity;
  /** "expires in 5 days", for tree descriptions. */
  description: string;
  /** One sentence naming the object, for hovers, notifications and the status bar picker. */
  label: string;
  item: WatchedItem;
}

export function assessItem(item: WatchedItem, nowMs: number, thresholds: ExpiryThresholds): Assessment {
  switch (item.kind) {
    case 'clientSecret':
      return assessClientSecret(item, nowMs, thresholds);
    case 'keyVersion':
      return assessKeyVersion(item, nowMs, thresholds);
    case 'key':
      return assessKey(item);
  }
}

export function assessAll(items: readonly WatchedItem[], nowMs: number, thresholds: ExpiryThresholds): Assessment[] {
  return items.map((i) => assessItem(i, nowMs, thresholds));
}

function connectionPaths(ids: readonly string[]): string[] {
  return ids.map(secretServerPath);
}

function windowDescription(severity: Severity, window: { notBefore?: Instant; expiresOn?: Instant }, nowMs: number): string {
  const nbf = instantMs(window.notBefore);
  if (severity === 'notYetValid' && nbf !== undefined) return describeNotBefore(nbf, nowMs);
  return describeExpiry(instantMs(window.expiresOn), nowMs);
}

function assessClientSecret(item: WatchedClientSecret, nowMs: number, thresholds: ExpiryThresholds): Assessment {
  const window = { notBefore: item.startDateTime, expiresOn: item.endDateTime };
  const severity = windowSeverity(window, nowMs, thresholds);
  const description = windowDescription(severity, window, nowMs);
  const app = item.appDisplayName ? `'${item.appDisplayName}' (${item.appId})` : item.appId;
  const name = item.hint ? `${item.hint}…` : item.keyId;
  const use = item.usedBySecretServer.length > 0 ? l10n.t(', used by Secret Server') : '';
  return {
    path: clientSecretPath(item.appId, item.keyId),
    ancestors: [appPath(item.appId), ...connectionPaths(item.usedBySecretServer)],
    severity,
    description,
    label: l10n.t('Client secret {0} of app {1}{2} {3}', name, app, use, description),
    item,
  };
}

function assessKeyVersion(item: WatchedKeyVersion, nowMs: number, thresholds: ExpiryThresholds): Assessment {
  const { hsm, name, version } = splitKid(item.kid);
  const inUse = item.usedBySecretServer.length > 0;
  let severity = windowSeverity(item, nowMs, thresholds);
  let description = windowDescription(severity, item, nowMs);
  if (!item.enabled) {
    // A disabled version nobody uses is the normal end of a rotation; one in use is an outage.
    severity = inUse ? 'expired' : 'ok';
    description = inUse ? l10n.t('disabled while Secret Server uses it') : 'disabled';
  }
  return {
    path: keyVersionPath(hsm, name, version),
    ancestors: [keyPath(hsm, name), hsmPath(hsm), ...connectionPaths(item.usedBySecretServer)],
    severity,
    description,
    label: `Key '${name}' version ${version}${inUse ? l10n.t(', used by Secret Server,') : ''} ${description}`,
    item,
  };
}

function assessKey(item: WatchedKey): Assessment {
  const url = new URL(item.keyId);
  const name = decodeURIComponent(url.pathname.split('/')[2] ?? '');
  const inUse = item.usedBySecretServer.length > 0;
  let severity: Severity = 'ok';
  let description = 'enabled';
  if (item.deleted) {
    severity = inUse ? 'expired' : 'ok';
    description = inUse ? l10n.t('deleted while Secret Server uses it — recover it now') : 'deleted';
  } else if (!item.enabled) {
    severity = inUse ? 'expired' : 'ok';
    description = inUse ? l10n.t('disabled while Secret Server uses it') : 'disabled';
  }
  return {
    path: keyPath(url.origin, name),
    ancestors: [hsmPath(url.origin), ...connectionPaths(item.usedBySecretServer)],
    severity,
    description,
    label: `Key '${name}' ${description}`,
    item,
  };
}

function splitKid(kid: string): { hsm: string; name: string; version: string } {
  const url = new URL(kid);
  const [, , name = '', version = ''] = url.pathname.split('/');
  return { hsm: url.origin, name: decodeURIComponent(name), version };
}
