import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Envelope encryption as Secret Server does it: each secret's fields under its own AES-256 key,
// that key under the master key. AES-256-GCM with the owning secret's id as associated data, so a
// sealed value moved to another secret fails to open.

export function newAesKey(): Buffer {
  return randomBytes(32);
}

/** base64 of iv(12) | tag(16) | ciphertext. */
export function seal(key: Buffer, plaintext: Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

/** Throws when the key is wrong or the value was tampered with. */
export function open(key: Buffer, sealed: string, context: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 28) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
}
