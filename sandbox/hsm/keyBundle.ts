import type { DeletedHsmKey, Hsm, HsmKey, KeyVersion } from '../state/world';
import { describeVersion } from './keyDescription';

// The wire shapes of keys (KeyBundle, KeyItem, DeletedKeyBundle, DeletedKeyItem). Identifiers are
// built from the origin the client called, because the SDK parses the vault URL back out of the
// kid and sends its next call there. Key material never appears: no 'k', no private RSA/EC parts.

export function keyId(origin: string, name: string, version?: string): string {
  return version ? `${origin}/keys/${name}/${version}` : `${origin}/keys/${name}`;
}

export function recoveryId(origin: string, name: string): string {
  return `${origin}/deletedkeys/${name}`;
}

/** Managed HSM always soft-deletes; purge protection and a shortened retention change the level's name. */
export function recoveryLevel(hsm: Hsm): string {
  const customised = hsm.softDeleteRetentionInDays !== 90 ? 'Customized' : '';
  return hsm.enablePurgeProtection ? `${customised}Recoverable` : `${customised}Recoverable+Purgeable`;
}

export function latestVersion(key: HsmKey): KeyVersion {
  return key.versions[key.versions.length - 1];
}

export function keyAttributes(hsm: Hsm, version: KeyVersion): Record<string, unknown> {
  return {
    enabled: version.enabled,
    ...(version.nbf !== undefined ? { nbf: version.nbf } : {}),
    ...(version.exp !== undefined ? { exp: version.exp } : {}),
    created: version.created,
    updated: version.updated,
    recoveryLevel: recoveryLevel(hsm),
    recoverableDays: hsm.softDeleteRetentionInDays,
    exportable: version.exportable,
  };
}

function jsonWebKey(origin: string, name: string, version: KeyVersion): Record<string, unknown> {
  const description = describeVersion(version);
  const jwk: Record<string, unknown> = { kid: keyId(origin, name, version.version), kty: description.kty, key_ops: [...version.keyOps] };
  if (description.kty === 'RSA-HSM') Object.assign(jwk, { n: description.n, e: description.e });
  if (description.kty === 'EC-HSM') Object.assign(jwk, { crv: description.curve, x: description.x, y: description.y });
  return jwk;
}

export function keyBundle(origin: string, hsm: Hsm, name: string, version: KeyVersion): Record<string, unknown> {
  return {
    key: jsonWebKey(origin, name, version),
    attributes: keyAttributes(hsm, version),
    tags: { ...version.tags },
    ...(version.releasePolicy ? { release_policy: { ...version.releasePolicy } } : {}),
  };
}

/** List entry: `versioned` is false for GET /keys (kid without version), true for /keys/{name}/versions. */
export function keyItem(origin: string, hsm: Hsm, name: string, version: KeyVersion, versioned: boolean): Record<string, unknown> {
  return {
    kid: keyId(origin, name, versioned ? version.version : undefined),
    attributes: keyAttributes(hsm, version),
    tags: { ...version.tags },
  };
}

function deletion(origin: string, deleted: DeletedHsmKey): Record<string, unknown> {
  return { recoveryId: recoveryId(origin, deleted.key.name), deletedDate: deleted.deletedDate, scheduledPurgeDate: deleted.scheduledPurgeDate };
}

export function deletedKeyBundle(origin: string, hsm: Hsm, deleted: DeletedHsmKey): Record<string, unknown> {
  return { ...keyBundle(origin, hsm, deleted.key.name, latestVersion(deleted.key)), ...deletion(origin, deleted) };
}

export function deletedKeyItem(origin: string, hsm: Hsm, deleted: DeletedHsmKey): Record<string, unknown> {
  return { ...keyItem(origin, hsm, deleted.key.name, latestVersion(deleted.key), false), ...deletion(origin, deleted) };
}
