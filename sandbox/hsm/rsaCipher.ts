import { constants, createPublicKey, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { badParameter } from './keyValidation';

// RSA encryption as Key Vault offers it for encrypt/decrypt and wrapKey/unwrapKey (the same
// primitive under two names): RSA-OAEP (SHA-1), RSA-OAEP-256 and RSA1_5.

export const rsaAlgorithms = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const;
export type RsaAlgorithm = (typeof rsaAlgorithms)[number];

export function isRsaAlgorithm(alg: string): alg is RsaAlgorithm {
  return (rsaAlgorithms as readonly string[]).includes(alg);
}

function modulusBytes(key: KeyObject): number {
  return Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

function maxPlaintext(alg: RsaAlgorithm, k: number): number {
  if (alg === 'RSA1_5') return k - 11;
  return k - 2 * (alg === 'RSA-OAEP' ? 20 : 32) - 2;
}

export function rsaEncrypt(privateKey: KeyObject, alg: RsaAlgorithm, plaintext: Buffer): Buffer {
  const k = modulusBytes(privateKey);
  const limit = maxPlaintext(alg, k);
  if (plaintext.length > limit) throw badParameter(`The value is ${plaintext.length} bytes; ${alg} with a ${k * 8}-bit key takes at most ${limit}.`);
  const key = createPublicKey(privateKey);
  if (alg === 'RSA1_5') return publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, plaintext);
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: alg === 'RSA-OAEP' ? 'sha1' : 'sha256' }, plaintext);
}

export function rsaDecrypt(privateKey: KeyObject, alg: RsaAlgorithm, ciphertext: Buffer): Buffer {
  const k = modulusBytes(privateKey);
  if (ciphertext.length !== k) throw badParameter(`The value is ${ciphertext.length} bytes; a ${k * 8}-bit RSA key decrypts exactly ${k}.`);
  try {
    if (alg === 'RSA1_5') return removePkcs1Padding(privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, ciphertext));
    return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: alg === 'RSA-OAEP' ? 'sha1' : 'sha256' }, ciphertext);
  } catch {
    throw badParameter(`The value could not be decrypted with this key using ${alg}.`);
  }
}

// Node 20 refuses PKCS#1 v1.5 padding for private decryption (CVE-2023-46809), so the sandbox
// decrypts raw and checks the padding itself: 0x00 0x02, at least 8 non-zero bytes, 0x00, message.
function removePkcs1Padding(block: Buffer): Buffer {
  if (block[0] !== 0x00 || block[1] !== 0x02) throw new Error('bad padding');
  const separator = block.indexOf(0x00, 2);
  if (separator < 10) throw new Error('bad padding');
  return block.subarray(separator + 1);
}
