import { randomBytes, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { TokenCredential } from '@azure/core-auth';
import type { KeyVaultKey } from '@azure/keyvault-keys' with { 'resolution-mode': 'import' };
import { ActionableError } from '../core/actionableError';
import { parseKeyIdentifier } from '../core/keyIdentifier';
import { secretServerKeySpec } from '../core/secretServerKey';
import { tlsOptionsFor, type AzureCloud } from './cloud';
import { serviceDateClientOptions } from './serviceDatePolicy';
import { toActionableError } from './azureErrors';

// The readiness probe does what Secret Server will do with its master key — wrap and unwrap a
// 256-bit value with A256KW — using the app registration's own credential, so that a missing
// role, a wrong scope, an expired secret or a disabled key shows up here and not in production.

export type ProbeStep = 'identifier' | 'token' | 'getKey' | 'wrap' | 'unwrap' | 'compare';

export type ProbeResult =
  | { ok: true; kid: string; durationMs: number }
  | { ok: false; step: ProbeStep; error: ActionableError; kid?: string; durationMs: number };

export interface ProbeOptions {
  abortSignal?: AbortSignal;
  /** Milliseconds from an arbitrary origin; a seam for tests. */
  now?: () => number;
}

/**
 * Wraps a random 32-byte value with the key and unwraps it again, as `credential`. `keyId` may be
 * versioned (that version is probed) or versionless (the current version is).
 */
export async function probeKey(cloud: AzureCloud, credential: TokenCredential, keyId: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const elapsed = () => Math.round(now() - started);
  let kid: string | undefined;
  const failed = (step: ProbeStep, err: unknown, what: string): ProbeResult => ({
    ok: false,
    step,
    error: toActionableError(err, what),
    kid,
    durationMs: elapsed(),
  });

  const parsed = parseKeyIdentifier(keyId, { dnsSuffix: cloud.managedHsmDnsSuffix, origins: cloud.managedHsmOrigins });
  if (!parsed.ok) {
    const error = new ActionableError(`Readiness check: the key identifier is not usable. ${parsed.reason}`, 'invalidInput');
    return { ok: false, step: 'identifier', error, durationMs: elapsed() };
  }
  const { name, version, hsmUri } = parsed.value;
  const subject = `key '${name}'`;

  try {
    const token = await credential.getToken(cloud.managedHsmScope, { abortSignal: options.abortSignal });
    if (!token) throw new Error('The credential returned no token.');
  } catch (err) {
    return failed('token', err, 'sign in to the Managed HSM as the app registration (readiness check)');
  }

  let keys: Awaited<typeof import('@azure/keyvault-keys', { with: { 'resolution-mode': 'import' } })>;
  try {
    // Loaded on first use, not at activation.
    keys = await import('@azure/keyvault-keys');
  } catch (err) {
    return failed('getKey', err, 'load the Key Vault client (readiness check)');
  }
  const clientOptions = { ...tlsOptionsFor(cloud), disableChallengeResourceVerification: cloud.disableChallengeResourceVerification, ...serviceDateClientOptions(cloud) };

  let key: KeyVaultKey;
  try {
    key = await new keys.KeyClient(hsmUri, credential, clientOptions).getKey(name, { version, abortSignal: options.abortSignal });
    kid = key.id;
  } catch (err) {
    return failed('getKey', err, `read ${subject} as the app registration (readiness check)`);
  }

  // Built from the key just read, the client goes straight to wrap (no second read).
  const crypto = new keys.CryptographyClient(key, credential, clientOptions);
  const secret = randomBytes(32);
  let wrapped: Uint8Array;
  try {
    const result = await crypto.wrapKey(secretServerKeySpec.wrapAlgorithm, secret, { abortSignal: options.abortSignal });
    wrapped = result.result;
    kid = result.keyID ?? kid;
  } catch (err) {
    return failed('wrap', err, `wrap a test value with ${subject} (${secretServerKeySpec.wrapAlgorithm}) as the app registration (readiness check)`);
  }

  let unwrapped: Uint8Array;
  try {
    unwrapped = (await crypto.unwrapKey(secretServerKeySpec.wrapAlgorithm, wrapped, { abortSignal: options.abortSignal })).result;
  } catch (err) {
    return failed('unwrap', err, `unwrap the test value with ${subject} as the app registration (readiness check)`);
  }

  if (unwrapped.length !== secret.length || !timingSafeEqual(Buffer.from(unwrapped), secret)) {
    const error = new ActionableError(
      `Readiness check: ${subject} unwrapped a different value than it wrapped. Do not configure Secret Server with this key; contact Azure support.`,
      'unexpected',
      `Wrapped 32 bytes with ${kid ?? name} and got ${unwrapped.length} different bytes back.`,
    );
    return { ok: false, step: 'compare', error, kid, durationMs: elapsed() };
  }
  return { ok: true, kid: kid ?? parsed.value.id, durationMs: elapsed() };
}
