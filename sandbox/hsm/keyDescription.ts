import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { KeyVersion } from '../state/world';

// What one key version is, read from its stored material rather than from the key record: a
// name may hold versions of different types (creating an existing key with another kty adds a
// version of that type, as Key Vault allows), and the material is the one source of truth.

export type KeyDescription =
  | { kty: 'oct-HSM'; keySize: number }
  | { kty: 'RSA-HSM'; keySize: number; n: string; e: string }
  | { kty: 'EC-HSM'; curve: string; x: string; y: string };

const jwkCurveNames: Record<string, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', secp256k1: 'P-256K' };

// Parsing a PEM costs a little; versions never change their material, so the answer is kept.
const cache = new Map<string, KeyDescription>();

export function describeVersion(version: KeyVersion): KeyDescription {
  const cached = cache.get(version.version);
  if (cached) return cached;
  const description = describeMaterial(version.material);
  cache.set(version.version, description);
  return description;
}

function describeMaterial(material: string): KeyDescription {
  if (!material.startsWith('-----BEGIN')) return { kty: 'oct-HSM', keySize: Buffer.from(material, 'base64').length * 8 };
  const privateKey = createPrivateKey(material);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, string>;
  if (privateKey.asymmetricKeyType === 'rsa') {
    return { kty: 'RSA-HSM', keySize: privateKey.asymmetricKeyDetails?.modulusLength ?? 0, n: jwk.n, e: jwk.e };
  }
  return { kty: 'EC-HSM', curve: jwkCurveNames[jwk.crv] ?? jwk.crv, x: jwk.x, y: jwk.y };
}

/** The private key of an RSA or EC version, for the operations that need it. */
export function privateKeyOf(version: KeyVersion): KeyObject {
  return createPrivateKey(version.material);
}

/** The raw AES key of an oct-HSM version. */
export function secretKeyOf(version: KeyVersion): Buffer {
  return Buffer.from(version.material, 'base64');
}
