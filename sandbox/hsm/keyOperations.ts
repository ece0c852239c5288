import type { KeyVersion } from '../state/world';
import { describeVersion, privateKeyOf, secretKeyOf } from './keyDescription';
import { badParameter } from './keyValidation';
import { isRsaAlgorithm, rsaDecrypt, rsaEncrypt } from './rsaCipher';
import { aesUnwrap, aesWrap } from './aesKeyWrap';
import { aesDecrypt, aesEncrypt, type AesInput, type AesMode, type AesResult } from './aesCipher';
import type { KeyOperation } from './keyUsage';

// Which algorithm each key type accepts for each operation, and the dispatch to the primitive.
// An algorithm that names a key size (A128KW, A256GCM…) must match the version's size.

const aesWrapAlgorithms: Record<string, { bits?: number; padded: boolean }> = {
  A128KW: { bits: 128, padded: false },
  A192KW: { bits: 192, padded: false },
  A256KW: { bits: 256, padded: false },
  CKM_AES_KEY_WRAP: { padded: false },
  CKM_AES_KEY_WRAP_PAD: { padded: true },
};

const aesCipherAlgorithm = /^A(128|192|256)(GCM|CBC|CBCPAD)$/;

export function runKeyOperation(operation: KeyOperation, version: KeyVersion, alg: string, input: AesInput): AesResult {
  const description = describeVersion(version);
  const refuse = () => badParameter(`The algorithm '${alg}' is not supported for ${operation} with ${describeKey(version)}.`);

  if (description.kty === 'RSA-HSM') {
    if (!isRsaAlgorithm(alg)) throw refuse();
    const key = privateKeyOf(version);
    const encrypting = operation === 'encrypt' || operation === 'wrapKey';
    return { value: encrypting ? rsaEncrypt(key, alg, input.value) : rsaDecrypt(key, alg, input.value) };
  }
  if (description.kty !== 'oct-HSM') throw refuse();

  const key = secretKeyOf(version);
  if (operation === 'wrapKey' || operation === 'unwrapKey') {
    const wrap = aesWrapAlgorithms[alg];
    if (!wrap) throw refuse();
    requireSize(alg, wrap.bits, description.keySize);
    return { value: operation === 'wrapKey' ? aesWrap(key, wrap.padded, input.value) : aesUnwrap(key, wrap.padded, input.value) };
  }
  const m = aesCipherAlgorithm.exec(alg);
  if (!m) throw refuse();
  requireSize(alg, Number(m[1]), description.keySize);
  const mode = m[2] as AesMode;
  return operation === 'encrypt' ? aesEncrypt(key, mode, input) : aesDecrypt(key, mode, input);
}

function requireSize(alg: string, bits: number | undefined, keySize: number): void {
  if (bits !== undefined && bits !== keySize) throw badParameter(`The algorithm '${alg}' needs a ${bits}-bit key, but this key version is ${keySize}-bit.`);
}

function describeKey(version: KeyVersion): string {
  const d = describeVersion(version);
  return d.kty === 'EC-HSM' ? `an EC-HSM ${d.curve} key` : `a ${d.keySize}-bit ${d.kty} key`;
}
