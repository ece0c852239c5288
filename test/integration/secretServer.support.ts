import * as assert from 'node:assert/strict';
import { httpsJson, type SandboxEndpoints, type SandboxHandle } from '../support/sandboxProcess';
import { oneTimeCode } from '../support/oneTimeCode';

// Plain HTTPS calls to the emulated Secret Server, as a third-party client would make them: form
// posts to /oauth2/token, JSON with a bearer token to /api/v1. Shared by the secretServer.* suites.

export type SsUser = SandboxEndpoints['secretServer']['users'][number];

export interface SsReply {
  status: number;
  body: unknown;
  text: string;
}

/** Fast rotation for tests: progress is still visible between polls. */
export const fastRotation = ['--rotation-rate', '150', '--maintenance-delay', '150'];

export function ssUrl(h: SandboxHandle, path: string): string {
  return `${h.endpoints.secretServer.url}${path}`;
}

export async function ssCall(h: SandboxHandle, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<SsReply> {
  const res = await httpsJson(method, ssUrl(h, path), h.caPem, body, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers });
  return { status: res.status, body: res.body, text: res.text };
}

export async function tokenRequest(h: SandboxHandle, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<SsReply> {
  return ssCall(h, 'POST', '/oauth2/token', undefined, new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
}

export function user(h: SandboxHandle, which: 'admin' | 'twoFactor' | 'noPermission'): SsUser {
  const users = h.endpoints.secretServer.users;
  const found =
    which === 'admin'
      ? users.find((u) => u.canManageKeys && !u.otpSecret)
      : which === 'twoFactor'
        ? users.find((u) => u.canManageKeys && u.otpSecret)
        : users.find((u) => !u.canManageKeys);
  assert.ok(found, `endpoints.json lists a ${which} Secret Server user`);
  return found;
}

/** What an authenticator app shows at the sandbox's time (RFC 6238). */
export function totp(base32: string, nowSeconds: number): string {
  return oneTimeCode(base32, nowSeconds * 1000);
}

export async function sandboxNow(h: SandboxHandle): Promise<number> {
  return ((await h.control('GET', '/clock')).body as { nowSeconds: number }).nowSeconds;
}

export async function login(h: SandboxHandle, who: SsUser): Promise<{ accessToken: string; refreshToken: string }> {
  const headers = who.otpSecret ? { OTP: totp(who.otpSecret, await sandboxNow(h)) } : undefined;
  const res = await tokenRequest(h, { grant_type: 'password', username: who.username, password: who.password }, headers);
  assert.equal(res.status, 200, res.text);
  const body = res.body as { access_token: string; refresh_token: string };
  return { accessToken: body.access_token, refreshToken: body.refresh_token };
}

export interface KeyManagementModel {
  keyManagementConfigId: number;
  keyManagementTypeId: number;
  keyManagementTypeName: string;
  azureManagedHsmTenantId: string;
  azureManagedHsmPrincipalId: string;
  azureManagedHsmPrincipalSecret: string;
  azureManagedHsmKeyUrl: string;
  keyManagementTypes: { id: number; name: string }[];
}

/** Looks the provider id up by name, as clients must: the ids are the sandbox's own. */
export async function typeId(h: SandboxHandle, token: string, name: 'None' | 'AzureManagedHsm' | 'AwsKms' | 'AzureKeyVault'): Promise<number> {
  const stub = (await ssCall(h, 'GET', '/api/v1/key-management/stub', token)).body as KeyManagementModel;
  const found = stub.keyManagementTypes.find((t) => t.name === name);
  assert.ok(found, `stub lists ${name}`);
  return found.id;
}

export interface HsmSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  keyUrl: string;
}

export function hsmBody(id: number, s: HsmSettings): Record<string, unknown> {
  return { keyManagementTypeId: id, azureManagedHsmTenantId: s.tenantId, azureManagedHsmPrincipalId: s.clientId, azureManagedHsmPrincipalSecret: s.clientSecret, azureManagedHsmKeyUrl: s.keyUrl };
}

export function activeHsmUri(h: SandboxHandle): string {
  const hsm = h.endpoints.hsms.find((x) => x.name === 'contoso-mhsm-eus');
  assert.ok(hsm);
  return hsm.uri;
}

/** The seeded app Secret Server is meant to use, on the seeded key. */
export function seededSettings(h: SandboxHandle, keyUrl = `${activeHsmUri(h)}keys/secret-server-key`): HsmSettings {
  const ep = h.endpoints;
  return { tenantId: ep.tenantId, clientId: ep.expiringApp.clientId, clientSecret: ep.expiringApp.clientSecret, keyUrl };
}

export interface RotationStatus {
  lastRequestDate: string | null;
  lastRunDate: string | null;
  lastStatus: string;
  message: string;
  progressStatus: { isCancelling: boolean; message: string; secretsProcessed: number; totalSecretsToProcess: number };
}

export async function rotationStatus(h: SandboxHandle, token: string): Promise<RotationStatus> {
  const res = await ssCall(h, 'GET', '/api/v1/configuration/security/rotate-secret-keys-status', token);
  assert.equal(res.status, 200, res.text);
  return res.body as RotationStatus;
}

/** Polls until no rotation runs; returns every status seen on the way. */
export async function waitForRotation(h: SandboxHandle, token: string, timeoutMs = 20_000): Promise<RotationStatus[]> {
  const seen: RotationStatus[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await rotationStatus(h, token);
    seen.push(status);
    if (status.lastStatus !== 'Running' && status.lastStatus !== 'Cancelling') return seen;
    if (Date.now() > deadline) assert.fail(`rotation still running: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

export async function health(h: SandboxHandle): Promise<{ healthy: boolean; readOnlyMode: boolean; keyManagementHealthy: boolean; keyManagementError: string | null }> {
  const res = await ssCall(h, 'GET', '/api/v1/healthcheck');
  assert.equal(res.status, 200, res.text);
  return res.body as { healthy: boolean; readOnlyMode: boolean; keyManagementHealthy: boolean; keyManagementError: string | null };
}

/**
 * Every secret still reads back as `original`. Names only the secret ids that differ: a failure
 * must not print the seeded passwords into the test output.
 */
export async function assertPasswordsUnchanged(h: SandboxHandle, token: string, original: Map<number, string>): Promise<void> {
  const now = await readAllPasswords(h, token);
  const ids = new Set([...original.keys(), ...now.keys()]);
  const differing = [...ids].filter((id) => original.get(id) !== now.get(id));
  assert.deepEqual(differing, [], `secrets whose password changed or went missing: ${differing.join(', ')}`);
}

/** Every secret's password, read through the API (each read unwraps the master key). */
export async function readAllPasswords(h: SandboxHandle, token: string): Promise<Map<number, string>> {
  const list = await ssCall(h, 'GET', '/api/v1/secrets?take=1000', token);
  assert.equal(list.status, 200, list.text);
  const ids = (list.body as { records: { id: number }[] }).records.map((r) => r.id);
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 4) {
    await Promise.all(
      ids.slice(i, i + 4).map(async (id) => {
        const res = await ssCall(h, 'GET', `/api/v1/secrets/${id}/fields/password`, token);
        assert.equal(res.status, 200, `secret ${id}: ${res.text}`);
        out.set(id, res.body as string);
      }),
    );
  }
  return out;
}
