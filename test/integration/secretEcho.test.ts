import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { servicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { ActionableError } from '../../src/core/actionableError';
import { buildReadinessReport, renderReadinessMarkdown } from '../../src/core/readiness/report';
import { evaluateReadiness } from '../../src/core/readiness/rules';
import { gatherFacts } from '../../src/readiness/gatherFacts';
import { listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { SecretServerSession } from '../../src/secretServer/session';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';

// Services echo what they were sent ("Invalid value '…'"). Here Entra ID and Secret Server answer
// with an error that quotes the client secret or the password (the sandbox's error-replies
// control), and what the product makes of it — the sentence a user reads and the detail it logs,
// and the readiness report — must not hold the secret in any form the body could carry it.

/** A secret with the characters JSON and form encoding change, so an encoded echo is tested too. */
const passwordMarker = 'MHSM-PW-MARKER"q\\b/p+s&x%y é';
const secretMarker = 'MHSM-CS-MARKER~q"\\/+&%é';

function everyForm(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
}

function assertNoSecret(where: string, text: string | undefined, secret: string): void {
  for (const form of everyForm(secret)) assert.ok(!(text ?? '').includes(form), `${where} holds the secret (${JSON.stringify(form)}):\n${text}`);
  // Enough of the echo must be left to show the masking, not an empty answer, did the work.
  assert.ok((text ?? '').length > 0, `${where} is empty`);
}

describe('errors that echo a secret are masked (Entra ID and Secret Server)', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let cloud: AzureCloud;
  let admin: TokenCredential;

  before(async () => {
    sandbox = await startSandboxProcess(['--keys', '0']);
    cloud = sandboxCloud(sandbox.endpoints, sandbox.caPem);
    admin = await servicePrincipalCredential(cloud, sandbox.endpoints.tenantId, sandbox.endpoints.admin.clientId, sandbox.endpoints.admin.clientSecret);
  });
  after(async () => {
    await sandbox?.stop();
  });
  afterEach(async () => {
    await sandbox.control('DELETE', '/error-replies');
  });

  const ssUser = () => sandbox.endpoints.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;

  async function echo(rule: Record<string, unknown>): Promise<void> {
    const res = await sandbox.control('POST', '/error-replies', rule);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }

  async function firedCount(): Promise<number> {
    const list = (await sandbox.control('GET', '/error-replies')).body as { value: { fired: number }[] };
    return list.value.reduce((n, r) => n + r.fired, 0);
  }

  it('Secret Server sign-in: a token error quoting the password', async () => {
    await echo({ service: 'secretServer', method: 'POST', path: '^/oauth2/token$', status: 400, code: 'invalid_grant', message: "Login failed for '{request:username}' with password '{request:password}'." });
    const session = new SecretServerSession({ url: sandbox.endpoints.secretServer.url, username: ssUser().username, caPem: sandbox.caPem, maxRetries: 0, credentials: { getPassword: async () => passwordMarker } });
    const err = await session.signIn().then(
      () => assert.fail('the sign-in succeeded'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ActionableError, String(err));
    assert.ok(await firedCount() >= 1, 'the echoing error was never sent');
    assertNoSecret('the message', err.message, passwordMarker);
    assertNoSecret('the logged detail', err.detail, passwordMarker);
    assert.ok(!(err.code ?? '').includes('MARKER'));
  });

  it('Secret Server key management: a 400 quoting the principal secret', async () => {
    const user = ssUser();
    const session = new SecretServerSession({ url: sandbox.endpoints.secretServer.url, username: user.username, caPem: sandbox.caPem, maxRetries: 0, credentials: { getPassword: async () => user.password } });
    const type = findKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm')!;
    await echo({ service: 'secretServer', method: 'PUT', path: '^/api/v1/key-management$', status: 400, code: 'API_ValidationFailed', message: "The principal secret '{request:azureManagedHsmPrincipalSecret}' is not valid for {request:azureManagedHsmPrincipalId}." });
    const hsm = sandbox.endpoints.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri;
    const err = await updateKeyManagement(session, {
      type,
      azureManagedHsm: { tenantId: sandbox.endpoints.tenantId, principalId: sandbox.endpoints.expiringApp.clientId, principalSecret: secretMarker, keyUrl: `${hsm}keys/secret-server-key` },
    }).then(
      () => assert.fail('the save succeeded'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ActionableError, String(err));
    assert.equal(await firedCount(), 1);
    assertNoSecret('the message', err.message, secretMarker);
    assertNoSecret('the logged detail', err.detail, secretMarker);
    // The rest of the echo is kept: the user still learns which principal was refused.
    assert.match(err.detail ?? '', new RegExp(sandbox.endpoints.expiringApp.clientId));
  });

  it('readiness: Entra ID refusing the app with an error that quotes its client secret', async () => {
    const app = sandbox.endpoints.expiringApp;
    // Only the app's own token request (it carries its client id), not the administrator's.
    await echo({ service: 'entra', method: 'POST', path: '/oauth2/v2.0/token$', status: 401, code: 'invalid_client', bodyContains: app.clientId, message: "AADSTS7000215: Invalid client secret provided: '{request:client_secret}' is not a secret of app '{request:client_id}'." });
    const hsm = sandbox.endpoints.hsms.find((h) => h.name === 'contoso-mhsm-eus')!;
    const { facts } = await gatherFacts({
      cloud,
      credential: admin,
      tenantId: sandbox.endpoints.tenantId,
      keyId: `${hsm.uri}keys/secret-server-key`,
      hsm: { subscriptionId: hsm.subscriptionId, resourceGroup: hsm.resourceGroup, name: hsm.name },
      app: { appId: app.clientId, getSecret: async () => secretMarker },
      secretServerRegion: sandbox.endpoints.secretServer.region,
    });
    assert.ok(await firedCount() >= 1, 'the echoing error was never sent');
    // The probe ran and was refused at its token step; what it says about the refusal is masked.
    assert.equal(facts.probe.state, 'known', JSON.stringify(facts.probe));
    const probe = facts.probe.state === 'known' ? (facts.probe.value as unknown as { ok: boolean; step?: string; error?: { message?: string; detail?: string } }) : undefined;
    assert.equal(probe?.ok, false);
    assert.equal(probe?.step, 'token');
    assertNoSecret('the probe error message', probe?.error?.message, secretMarker);
    assertNoSecret('the probe error detail', probe?.error?.detail, secretMarker);
    assert.match(probe?.error?.detail ?? '', /AADSTS7000215: Invalid client secret provided: '\*\*\*'/);
    assertNoSecret('all facts', JSON.stringify(facts), secretMarker);
    const report = buildReadinessReport(facts.target, evaluateReadiness(facts, new Date()), new Date());
    assertNoSecret('the readiness report', renderReadinessMarkdown(report), secretMarker);
  });
});
