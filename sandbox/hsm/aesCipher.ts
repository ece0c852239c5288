import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { badParameter } from './keyValidation';

// AES encrypt/decrypt with an oct-HSM key: GCM (the service makes the 12-byte IV and returns
// the 16-byte tag), CBC without padding and CBC with PKCS#7 padding (CBCPAD; the caller gives
// the 16-byte IV).

export type AesMode = 'GCM' | 'CBC' | 'CBCPAD';

export interface AesResult {
  value: Buffer;
  iv?: Buffer;
  tag?: Buffer;
  aad?: Buffer;
}

export interface AesInput {
  value: Buffer;
  iv?: Buffer;
  tag?: Buffer;
  aad?: Buffer;
}

function gcmName(key: Buffer): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  return `aes-${(key.length * 8) as 128 | 192 | 256}-gcm` as const;
}

function cbcName(key: Buffer): string {
  return `aes-${key.length * 8}-cbc`;
}

export function aesEncrypt(key: Buffer, mode: AesMode, input: AesInput): AesResult {
  if (mode === 'GCM') {
    if (input.iv && input.iv.length !== 12) throw badParameter(`The 'iv' for AES-GCM must be 12 bytes; it is ${input.iv.length}.`);
    const iv = input.iv ?? randomBytes(12);
    const cipher = createCipheriv(gcmName(key), key, iv, { authTagLength: 16 });
    if (input.aad) cipher.setAAD(input.aad);
    const value = Buffer.concat([cipher.update(input.value), cipher.final()]);
    return { value, iv, tag: cipher.getAuthTag(), ...(input.aad ? { aad: input.aad } : {}) };
  }
  const iv = requireCbcIv(input.iv);
  if (mode === 'CBC' && input.value.length % 16 !== 0) throw badParameter(`AES-CBC without padding takes a value in multiples of 16 bytes; this one is ${input.value.length}. Use the CBCPAD algorithm.`);
  const cipher = createCipheriv(cbcName(key), key, iv);
  cipher.setAutoPadding(mode === 'CBCPAD');
  return { value: Buffer.concat([cipher.update(input.value), cipher.final()]), iv };
}

export function aesDecrypt(key: Buffer, mode: AesMode, input: AesInput): AesResult {
  if (mode === 'GCM') {
    if (!input.iv || input.iv.length !== 12) throw badParameter("AES-GCM decryption needs the 12-byte 'iv' returned by encryption.");
    if (!input.tag || input.tag.length !== 16) throw badParameter("AES-GCM decryption needs the 16-byte authentication 'tag' returned by encryption.");
    try {
      const decipher = createDecipheriv(gcmName(key), key, input.iv, { authTagLength: 16 });
      decipher.setAuthTag(input.tag);
      if (input.aad) decipher.setAAD(input.aad);
      return { value: Buffer.concat([decipher.update(input.value), decipher.final()]) };
    } catch {
      throw badParameter('The value failed AES-GCM authentication: the ciphertext, iv, tag or aad do not match this key version.');
    }
  }
  const iv = requireCbcIv(input.iv);
  if (input.value.length === 0 || input.value.length % 16 !== 0) throw badParameter(`AES-CBC ciphertext comes in multiples of 16 bytes; this one is ${input.value.length}.`);
  try {
    const decipher = createDecipheriv(cbcName(key), key, iv);
    decipher.setAutoPadding(mode === 'CBCPAD');
    return { value: Buffer.concat([decipher.update(input.value), decipher.final()]) };
  } catch {
    throw badParameter('The value could not be decrypted: its padding is not valid for this key version and iv.');
  }
}

function requireCbcIv(iv: Buffer | undefined): Buffer {
  if (!iv || iv.length !== 16) throw badParameter("AES-CBC needs a 16-byte 'iv'.");
  return iv;
}
