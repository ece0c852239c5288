import { HttpError } from '../http/exchange';

// Key Vault carries every binary value as base64url (RFC 4648 §5). Buffer.from(…, 'base64url')
// silently skips characters it does not know, so a mangled value would be "decoded" into other
// bytes; the service refuses it instead, and so does the sandbox.

const alphabet = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decodes a base64url field, answering 400 BadParameter for a missing or malformed value. */
export function decodeBase64Url(value: unknown, field: string, options: { allowEmpty?: boolean } = {}): Buffer {
  if (typeof value !== 'string') throw new HttpError(400, 'BadParameter', `The '${field}' field must be a base64url string.`);
  const unpadded = value.replace(/=+$/, '');
  if (!alphabet.test(value) || unpadded.length % 4 === 1) {
    throw new HttpError(400, 'BadParameter', `The '${field}' field is not valid base64url.`);
  }
  if (unpadded.length === 0 && !options.allowEmpty) throw new HttpError(400, 'BadParameter', `The '${field}' field must not be empty.`);
  return Buffer.from(unpadded, 'base64url');
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
