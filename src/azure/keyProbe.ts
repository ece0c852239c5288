import { randomBytes, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { TokenCredential } from '@azure/core-auth';
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { parseKeyIdentifier } from '../core/keyIdentifier';
import { secretServerKeySpec } from '../core/secretServerKey';
import type { AzureCloud } from './cloud';
import { toActionableError } from './azureErrors';
import { sendJson, type JsonTransport } from './jsonExchange';
import { keyVaultTransport } from './keyVaultTransport';

// The readiness probe does what Secret Server will do with its master key — wrap and unwrap a
// 256-bit value with A256KW — using the app registration's own credential, so that a missing
// role, a wrong scope, an expired secret or a disabled key shows up here and not in production.

export type ProbeStep = 'identifier' | 'token' | 'wrap' | 'unwrap' | 'compare';

/** The Key Vault data-plane version the probe speaks (as src/azure/localRbac.ts). */
const apiVersion = '7.6';

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
    const error = new ActionableError(l10n.t('Readiness check: the key identifier is not usable. {0}', parsed.reason), 'invalidInput');
    return { ok: false, step: 'identifier', error, durationMs: elapsed() };
  }
  const { name, version, hsmUri } = parsed.value;
  const subject = `key '${name}'`;
  // What was tried, until the service names the exact version.
  kid = parsed.value.id;

  try {
    const token = await credential.getToken(cloud.managedHsmScope, { abortSignal: options.abortSignal });
    if (!token) throw new Error('The credential returned no token.');
  } catch (err) {
    return failed('token', err, l10n.t('sign in to the Managed HSM as the app registration (readiness check)'));
  }

  let transport: JsonTransport;
  try {
    transport = await keyVaultTransport(cloud, credential);
  } catch (err) {
    return failed('wrap', err, l10n.t('load the Key Vault client (readiness check)'));
  }

  // Straight to wrap, as Secret Server does: no read of the key first (one call fewer on the
  // probe's critical path, and a read permission the app does not need is not tested).
  const secret = randomBytes(32);
  const alg = secretServerKeySpec.wrapAlgorithm;
  const base = `${hsmUri.replace(/\/+$/, '')}/keys/${encodeURIComponent(name)}/${version ?? ''}`;
  let wrapped: string;
  let wrappedVersion: string;
  try {
    const body = (await sendJson(transport, 'POST', `${base}/wrapkey?api-version=${apiVersion}`, options, { alg, value: secret.toString('base64url') })).body as { kid?: unknown; value?: unknown };
    if (typeof body.value !== 'string' || typeof body.kid !== 'string') throw new Error('The wrapkey response has no kid or value.');
    const by = parseKeyIdentifier(body.kid, { dnsSuffix: cloud.managedHsmDnsSuffix, origins: cloud.managedHsmOrigins });
    // The unwrap goes to the version that wrapped, on this HSM only: the app's token never follows a URL from a response.
    if (!by.ok || !by.value.version || by.value.hsmUri !== hsmUri || by.value.name !== name) throw new Error(`The wrapkey response names another key (${body.kid}).`);
    wrapped = body.value;
    kid = by.value.id;
    wrappedVersion = by.value.version;
  } catch (err) {
    return failed('wrap', err, l10n.t('wrap a test value with {0} ({1}) as the app registration (readiness check)', subject, alg));
  }

  let unwrapped: Buffer;
  try {
    // The version that wrapped: a versionless probe cannot straddle a rotation.
    const body = (await sendJson(transport, 'POST', `${hsmUri.replace(/\/+$/, '')}/keys/${encodeURIComponent(name)}/${wrappedVersion}/unwrapkey?api-version=${apiVersion}`, options, { alg, value: wrapped })).body as { value?: unknown };
    if (typeof body.value !== 'string') throw new Error('The unwrapkey response has no value.');
    unwrapped = Buffer.from(body.value, 'base64url');
  } catch (err) {
    return failed('unwrap', err, l10n.t('unwrap the test value with {0} as the app registration (readiness check)', subject));
  }

  if (unwrapped.length !== secret.length || !timingSafeEqual(unwrapped, secret)) {
    const error = new ActionableError(
      l10n.t('Readiness check: {0} unwrapped a different value than it wrapped. Do not configure Secret Server with this key; contact Azure support.', subject),
      'unexpected',
      `Wrapped 32 bytes with ${kid ?? name} and got ${unwrapped.length} different bytes back.`,
    );
    return { ok: false, step: 'compare', error, kid, durationMs: elapsed() };
  }
  return { ok: true, kid: kid ?? parsed.value.id, durationMs: elapsed() };
}
