import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { KeyClient } from '@azure/keyvault-keys';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, keyClient } from '../support/azureClients';
import { RbacTestClient, roleDefinitionIds, type RoleAssignmentWire } from '../support/rbacClient';
import { activeHsmUri, assertPasswordsUnchanged, fastRotation, health, hsmBody, login, readAllPasswords, seededSettings, ssCall, typeId, user, waitForRotation } from './secretServer.support';

// What the seed warns about, for real: once the HSM key is disabled or deleted, the role
// assignment removed or the client secret expired, Secret Server cannot unwrap its master key.
// Restoring access brings it back with every secret intact.

describe('sandbox: Secret Server depends on its Managed HSM key', function () {
  let h: SandboxHandle;
  let token: string;
  let keys: KeyClient;
  let rbac: RbacTestClient;
  let original: Map<number, string>;
  let hsmId: number;
  let noneId: number;

  before(async () => {
    h = await startSandboxProcess(['--secrets', '40', ...fastRotation]);
    token = (await login(h, user(h, 'admin'))).accessToken;
    hsmId = await typeId(h, token, 'AzureManagedHsm');
    noneId = await typeId(h, token, 'None');
    const credential = adminCredential(h.endpoints, h.caPem);
    keys = keyClient(activeHsmUri(h), credential, h.caPem);
    rbac = new RbacTestClient(activeHsmUri(h), credential, h.caPem);
    original = await readAllPasswords(h, token);
    const res = await ssCall(h, 'PUT', '/api/v1/key-management', token, hsmBody(hsmId, seededSettings(h)));
    assert.equal(res.status, 200, res.text);
    assert.equal((await waitForRotation(h, token)).pop()!.lastStatus, 'Success');
  });

  after(async () => {
    await h?.stop();
  });

  async function expectLost(cause: RegExp): Promise<void> {
    const hc = await health(h);
    assert.equal(hc.healthy, false);
    assert.equal(hc.keyManagementHealthy, false);
    assert.match(hc.keyManagementError ?? '', cause);
    const read = await ssCall(h, 'GET', '/api/v1/secrets/7/fields/password', token);
    assert.equal(read.status, 500);
    const body = read.body as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['exceptionMessage', 'exceptionType', 'message', 'stackTrace']);
    assert.match(body.exceptionMessage, cause);
    const before = await h.digest();
    const change = await ssCall(h, 'PUT', '/api/v1/key-management', token, { keyManagementTypeId: noneId });
    assert.equal(change.status, 400);
    const err = change.body as { errorCode: string; message: string };
    assert.equal(err.errorCode, 'API_CurrentKeyManagementUnavailable');
    assert.match(err.message, /can no longer unwrap the master key/);
    assert.match(err.message, cause);
    const rotate = await ssCall(h, 'POST', '/api/v1/configuration/security/rotate-secret-keys', token);
    assert.equal(rotate.status, 400);
    assert.equal(await h.digest(), before, 'a refused change changes nothing');
    assert.equal(((await ssCall(h, 'GET', '/api/v1/key-management', token)).body as { keyManagementTypeId: number }).keyManagementTypeId, hsmId);
  }

  async function expectBack(): Promise<void> {
    const hc = await health(h);
    assert.equal(hc.healthy, true, hc.keyManagementError ?? '');
    await assertPasswordsUnchanged(h, token, original);
  }

  it('a disabled key version: unhealthy, reads fail, changes refused — until it is enabled again', async () => {
    const version = (await keys.getKey('secret-server-key')).properties.version!;
    await keys.updateKeyProperties('secret-server-key', version, { enabled: false });
    await expectLost(/disabled/);
    await keys.updateKeyProperties('secret-server-key', version, { enabled: true });
    await expectBack();
  });

  it('a removed role assignment: AccessDenied — until the Crypto User role is assigned again', async () => {
    const appId = h.endpoints.expiringApp.objectId;
    const list = await rbac.listRoleAssignments('/keys/secret-server-key', `principalId eq '${appId}'`);
    assert.equal(list.status, 200);
    const assignment = (list.body as { value: RoleAssignmentWire[] }).value.find((a) => a.properties.scope === '/keys/secret-server-key' && a.properties.principalId === appId);
    assert.ok(assignment, 'the seeded key-scoped assignment exists');
    assert.equal((await rbac.deleteRoleAssignment('/keys/secret-server-key', assignment.name)).status, 200);
    await expectLost(/AccessDenied/);
    const created = await rbac.createRoleAssignment('/keys/secret-server-key', randomUUID(), roleDefinitionIds.cryptoUser, appId);
    assert.equal(created.status, 201);
    await expectBack();
  });

  it('a deleted key: not found — until it is recovered from the deleted keys', async () => {
    await (await keys.beginDeleteKey('secret-server-key', { intervalInMs: 10 })).pollUntilDone();
    await expectLost(/not found/);
    await (await keys.beginRecoverDeletedKey('secret-server-key', { intervalInMs: 10 })).pollUntilDone();
    await expectBack();
  });

  it('an expired client secret: AADSTS7000222 — until Secret Server is given working credentials for the same key', async () => {
    await h.control('POST', '/clock', { advanceDays: 6 });
    token = (await login(h, user(h, 'admin'))).accessToken;
    await expectLost(/AADSTS7000222/);
    // The expired secret itself is refused as new settings, naming the cause.
    const stale = await ssCall(h, 'PUT', '/api/v1/key-management', token, hsmBody(hsmId, seededSettings(h)));
    assert.equal(stale.status, 400);
    assert.equal((stale.body as { errorCode: string }).errorCode, 'API_AzureClientSecretExpired');
    assert.match((stale.body as { message: string }).message, /expired \(AADSTS7000222\)/);
    // Another key cannot be switched to while the current one is lost.
    const ep = h.endpoints;
    const adminSettings = { tenantId: ep.tenantId, clientId: ep.admin.clientId, clientSecret: ep.admin.clientSecret };
    const elsewhere = await ssCall(h, 'PUT', '/api/v1/key-management', token, hsmBody(hsmId, { ...adminSettings, keyUrl: `${activeHsmUri(h)}keys/bulk-key-0002` }));
    assert.equal(elsewhere.status, 400);
    assert.equal((elsewhere.body as { errorCode: string }).errorCode, 'API_CurrentKeyManagementUnavailable');
    // Working credentials for the same key restore access, through the usual rotation.
    const restore = await ssCall(h, 'PUT', '/api/v1/key-management', token, hsmBody(hsmId, { ...adminSettings, keyUrl: `${activeHsmUri(h)}keys/secret-server-key` }));
    assert.equal(restore.status, 200, restore.text);
    assert.equal((await waitForRotation(h, token)).pop()!.lastStatus, 'Success');
    await expectBack();
  });
});
