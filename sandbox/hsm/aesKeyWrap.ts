import { createCipheriv, createDecipheriv } from 'node:crypto';
import { badParameter } from './keyValidation';

// AES key wrap: RFC 3394 (A128KW/A192KW/A256KW and CKM_AES_KEY_WRAP) and RFC 5649, the padded
// variant (CKM_AES_KEY_WRAP_PAD), through OpenSSL's id-aesN-wrap[-pad] ciphers with the RFCs'
// default initial values.

const kwIv = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const kwpIv = Buffer.from('A65959A6', 'hex');

function cipherName(key: Buffer, padded: boolean): 'id-aes128-wrap' | 'id-aes192-wrap' | 'id-aes256-wrap' | 'id-aes128-wrap-pad' | 'id-aes192-wrap-pad' | 'id-aes256-wrap-pad' {
  const bits = key.length * 8;
  return `id-aes${bits as 128 | 192 | 256}-wrap${padded ? '-pad' : ''}` as const;
}

export function aesWrap(key: Buffer, padded: boolean, plaintext: Buffer): Buffer {
  if (!padded && (plaintext.length < 16 || plaintext.length % 8 !== 0)) {
    throw badParameter(`AES key wrap (RFC 3394) takes a value of at least 16 bytes in multiples of 8; this one is ${plaintext.length} bytes. Use CKM_AES_KEY_WRAP_PAD for other lengths.`);
  }
  const cipher = createCipheriv(cipherName(key, padded), key, padded ? kwpIv : kwIv);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

export function aesUnwrap(key: Buffer, padded: boolean, wrapped: Buffer): Buffer {
  const minimum = padded ? 16 : 24;
  if (wrapped.length < minimum || wrapped.length % 8 !== 0) {
    throw badParameter(`A wrapped value is at least ${minimum} bytes in multiples of 8; this one is ${wrapped.length} bytes.`);
  }
  try {
    const decipher = createDecipheriv(cipherName(key, padded), key, padded ? kwpIv : kwIv);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    // OpenSSL reports a failed integrity check as a generic state error; the service as a bad value.
    throw badParameter('The wrapped value failed the AES key wrap integrity check: it was not wrapped with this key version.');
  }
}
