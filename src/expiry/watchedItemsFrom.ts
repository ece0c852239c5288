import type { ApplicationSecrets } from '../azure/graph/clientSecrets';
import type { KeyInfo } from '../azure/keys';
import { parseKeyIdentifier } from '../core/keyIdentifier';
import type { WatchedClientSecret, WatchedKey, WatchedKeyVersion } from '../core/expiry/watchedItem';

// Watched items from what the clients already return, so the tree loaders and the Secret Server
// connections can feed the watch (ExpiryWatch.setItems) without knowing the model's details.

/** What a Secret Server connection's key management uses, for the `usedBySecretServer` links. */
export interface ConnectionUse {
  connectionId: string;
  principalId?: string;
  keyUrl?: string;
}

export function connectionsUsingApp(uses: readonly ConnectionUse[], appId: string): string[] {
  return uses.filter((u) => (u.principalId ?? '').toLowerCase() === appId.toLowerCase()).map((u) => u.connectionId);
}

/**
 * Connections whose key URL names this key (versionless URL) or this version (versioned URL).
 * With `version` undefined, any connection using the key at all.
 */
export function connectionsUsingKey(uses: readonly ConnectionUse[], versionlessId: string, version?: string): string[] {
  const out: string[] = [];
  for (const u of uses) {
    if (!u.keyUrl) continue;
    const parsed = parseKeyIdentifier(u.keyUrl);
    if (!parsed.ok || parsed.value.versionlessId.toLowerCase() !== versionlessId.toLowerCase()) continue;
    const configured = parsed.value.version?.toLowerCase();
    if (version === undefined || configured === undefined || configured === version.toLowerCase()) out.push(u.connectionId);
  }
  return out;
}

export function clientSecretItems(app: ApplicationSecrets, uses: readonly ConnectionUse[]): WatchedClientSecret[] {
  const usedBy = connectionsUsingApp(uses, app.appId);
  return app.secrets.map((s) => ({
    kind: 'clientSecret',
    appId: app.appId,
    appDisplayName: app.displayName,
    keyId: s.keyId,
    hint: s.hint,
    displayName: s.displayName,
    startDateTime: s.startDateTime,
    endDateTime: s.endDateTime,
    usedBySecretServer: usedBy,
  }));
}

/**
 * Items for one key's versions. A versionless URL in Secret Server marks only the current
 * (newest) version as used, which is what Secret Server resolves it to at configuration time.
 */
export function keyVersionItems(versions: readonly KeyInfo[], uses: readonly ConnectionUse[]): WatchedKeyVersion[] {
  if (versions.length === 0) return [];
  const newest = [...versions].sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0))[0];
  return versions.map((v) => {
    const pinned = connectionsUsingKey(uses, v.versionlessId, v.version).filter((c) => {
      const use = uses.find((u) => u.connectionId === c);
      const configuredVersion = use?.keyUrl ? parseKeyIdentifier(use.keyUrl) : undefined;
      return configuredVersion?.ok && configuredVersion.value.version !== undefined ? true : v === newest;
    });
    return {
      kind: 'keyVersion',
      kid: v.id,
      notBefore: v.notBefore,
      expiresOn: v.expiresOn,
      enabled: v.enabled,
      usedBySecretServer: pinned,
      keyType: v.keyType,
      keySize: v.keySize,
      keyOps: v.keyOps,
    };
  });
}

export function keyItem(key: KeyInfo, deleted: boolean, uses: readonly ConnectionUse[]): WatchedKey {
  return { kind: 'key', keyId: key.versionlessId, enabled: key.enabled, deleted, usedBySecretServer: connectionsUsingKey(uses, key.versionlessId) };
}
