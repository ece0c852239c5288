import { HttpError } from '../http/exchange';
import type { HsmKey, KeyVersion } from '../state/world';
import { decodeBase64Url } from './base64Url';

// Validation of the JSON bodies of key create and update calls. Each function answers 400
// BadParameter (the KeyVaultError shape) for anything the service would refuse, and returns a
// checked value; nothing here touches state.

type Kty = HsmKey['kty'];

export const keyNamePattern = /^[0-9a-zA-Z-]{1,127}$/;

export function requireKeyName(name: string): void {
  if (!keyNamePattern.test(name)) {
    throw badParameter(`The request URI contains an invalid name: ${name}. Key names are 1-127 characters: letters, digits and dashes.`);
  }
}

export function badParameter(message: string): HttpError {
  return new HttpError(400, 'BadParameter', message);
}

export interface KeySpec {
  kty: Kty;
  /** Bits, for oct-HSM and RSA-HSM. */
  keySize?: number;
  curve?: string;
}

const hsmTypes: Kty[] = ['oct-HSM', 'RSA-HSM', 'EC-HSM'];
const softwareTypes = ['oct', 'RSA', 'EC'];
const octSizes = [128, 192, 256];
const rsaSizes = [2048, 3072, 4096];
const curves = ['P-256', 'P-384', 'P-521', 'P-256K'];

/** kty, key_size, crv and public_exponent of a create call. */
export function parseKeySpec(body: Record<string, unknown>): KeySpec {
  const kty = body.kty;
  if (kty === undefined || kty === null) throw badParameter("The 'kty' field is required.");
  if (typeof kty !== 'string') throw badParameter("The 'kty' field must be a string.");
  if (softwareTypes.includes(kty)) {
    throw badParameter(`Key type '${kty}' is not supported by Managed HSM: every key is HSM-protected. Use 'oct-HSM', 'RSA-HSM' or 'EC-HSM'.`);
  }
  if (!hsmTypes.includes(kty as Kty)) throw badParameter(`The key type '${kty}' is not valid. Supported values are 'oct-HSM', 'RSA-HSM', 'EC-HSM'.`);
  return sizedSpec(kty as Kty, body);
}

function sizedSpec(kty: Kty, body: Record<string, unknown>): KeySpec {
  const size = optionalInteger(body.key_size, 'key_size');
  const crv = body.crv ?? undefined;
  if (crv !== undefined && typeof crv !== 'string') throw badParameter("The 'crv' field must be a string.");

  if (kty === 'EC-HSM') {
    if (size !== undefined) throw badParameter("The 'key_size' field does not apply to EC-HSM keys; give 'crv'.");
    const curve = crv ?? 'P-256';
    if (!curves.includes(curve)) throw badParameter(`The curve '${curve}' is not valid. Supported values are ${curves.map((c) => `'${c}'`).join(', ')}.`);
    return { kty, curve };
  }
  if (crv !== undefined) throw badParameter(`The 'crv' field does not apply to ${kty} keys.`);
  if (kty === 'oct-HSM') {
    const keySize = size ?? 256;
    if (!octSizes.includes(keySize)) throw badParameter(`The key size ${keySize} is not valid for oct-HSM keys. Supported sizes are 128, 192 and 256.`);
    return { kty, keySize };
  }
  const keySize = size ?? 2048;
  if (!rsaSizes.includes(keySize)) throw badParameter(`The key size ${keySize} is not valid for RSA-HSM keys. Supported sizes are 2048, 3072 and 4096.`);
  const exponent = optionalInteger(body.public_exponent, 'public_exponent');
  if (exponent !== undefined && exponent !== 65537) throw badParameter('The public exponent must be 65537.');
  return { kty, keySize };
}

/** The operations each key type can carry in key_ops. */
export const supportedKeyOps: Record<Kty, string[]> = {
  'oct-HSM': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  'RSA-HSM': ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'],
  'EC-HSM': ['sign', 'verify'],
};

/** key_ops of a create or update call; absent means every operation the type supports. */
export function parseKeyOps(value: unknown, kty: Kty): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((op) => typeof op !== 'string')) throw badParameter("The 'key_ops' field must be an array of strings.");
  const ops = [...new Set(value as string[])];
  const supported = supportedKeyOps[kty];
  const unsupported = ops.filter((op) => !supported.includes(op));
  if (unsupported.length > 0) {
    throw badParameter(`Unsupported key operation(s): ${unsupported.map((o) => `"${o}"`).join(', ')}. Supported values are ${supported.map((o) => `"${o}"`).join(', ')}.`);
  }
  return ops;
}

export interface AttributeInput {
  enabled?: boolean;
  /** null clears the value (update only). */
  nbf?: number | null;
  exp?: number | null;
  exportable?: boolean;
}

export function parseAttributes(value: unknown): AttributeInput {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badParameter("The 'attributes' field must be an object.");
  const a = value as Record<string, unknown>;
  const out: AttributeInput = {};
  if (a.enabled !== undefined && a.enabled !== null) {
    if (typeof a.enabled !== 'boolean') throw badParameter("The 'attributes.enabled' field must be a boolean.");
    out.enabled = a.enabled;
  }
  if (a.exportable !== undefined && a.exportable !== null) {
    if (typeof a.exportable !== 'boolean') throw badParameter("The 'attributes.exportable' field must be a boolean.");
    out.exportable = a.exportable;
  }
  for (const field of ['nbf', 'exp'] as const) {
    if (!(field in a)) continue;
    const v = a[field];
    if (v === null) out[field] = null;
    else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 253402300799) {
      throw badParameter(`The 'attributes.${field}' field must be a time in whole seconds since 1970-01-01.`);
    } else out[field] = v;
  }
  return out;
}

/** The activation window must be a window: expiry after not-before. */
export function requireValidityWindow(nbf: number | undefined, exp: number | undefined): void {
  if (nbf !== undefined && exp !== undefined && exp <= nbf) throw badParameter("The key's expiry time ('exp') must be later than its activation time ('nbf').");
}

export function parseTags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badParameter("The 'tags' field must be an object of string values.");
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 15) throw badParameter('A key can have at most 15 tags.');
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw badParameter(`The value of tag '${k}' must be a string.`);
    if (k.length === 0 || k.length > 512) throw badParameter('Tag names must be 1-512 characters.');
    if (v.length > 256) throw badParameter(`The value of tag '${k}' is longer than 256 characters.`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

export function parseReleasePolicy(value: unknown): KeyVersion['releasePolicy'] {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badParameter("The 'release_policy' field must be an object.");
  const p = value as Record<string, unknown>;
  const contentType = p.contentType ?? 'application/json; charset=utf-8';
  const immutable = p.immutable ?? false;
  if (typeof contentType !== 'string') throw badParameter("The 'release_policy.contentType' field must be a string.");
  if (typeof immutable !== 'boolean') throw badParameter("The 'release_policy.immutable' field must be a boolean.");
  const data = decodeBase64Url(p.data, 'release_policy.data');
  return { contentType, immutable, data: data.toString('base64url') };
}

function optionalInteger(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badParameter(`The '${field}' field must be an integer.`);
  return value;
}
