import { HttpError } from '../http/exchange';
import type { KeyVersion } from '../state/world';

// Whether a key version may be used for an operation right now, with Key Vault's 403 answers
// (code Forbidden and an inner code naming the reason). The activation window only guards the
// operations that make new protected data: an expired key still decrypts and unwraps what it
// protected before, which is what keeps old data readable after a key version expires.

export type KeyOperation = 'encrypt' | 'decrypt' | 'wrapKey' | 'unwrapKey';

const windowGuarded: KeyOperation[] = ['encrypt', 'wrapKey'];

function forbidden(message: string, innerCode: string): HttpError {
  return new HttpError(403, 'Forbidden', message, {}, { error: { code: 'Forbidden', message, innererror: { code: innerCode } } });
}

export function requireUsable(version: KeyVersion, operation: KeyOperation, now: number): void {
  if (!version.enabled) throw forbidden(`Operation ${operation} is not allowed on a disabled key.`, 'KeyDisabled');
  if (!version.keyOps.includes(operation)) throw forbidden(`Operation ${operation} is not permitted on this key.`, 'KeyOperationForbidden');
  if (!windowGuarded.includes(operation)) return;
  if (version.nbf !== undefined && now < version.nbf) {
    throw forbidden(`Operation ${operation} is not allowed before the key's activation time (nbf ${new Date(version.nbf * 1000).toISOString()}).`, 'KeyNotYetValid');
  }
  if (version.exp !== undefined && now >= version.exp) {
    throw forbidden(`Operation ${operation} is not allowed on an expired key (exp ${new Date(version.exp * 1000).toISOString()}).`, 'KeyExpired');
  }
}
