import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

/** Generates key material of the requested type; it is stored in the sandbox and never returned. */
export function generateMaterial(kty: 'oct-HSM' | 'RSA-HSM' | 'EC-HSM', sizeOrCurve: number | string): string {
  if (kty === 'oct-HSM') return randomBytes(Number(sizeOrCurve) / 8).toString('base64');
  if (kty === 'RSA-HSM') {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: Number(sizeOrCurve) });
    return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
  const namedCurve = ({ 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', 'P-256K': 'secp256k1' } as Record<string, string>)[String(sizeOrCurve)];
  const { privateKey } = generateKeyPairSync('ec', { namedCurve });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Key versions are 32 lowercase hex characters, as on the real service. */
export function newKeyVersion(): string {
  return randomUUID().replace(/-/g, '');
}
