import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { servicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { createGraphClient } from '../../src/azure/graph/graphClient';
import { createApplication } from '../../src/azure/graph/applications';
import { ensureServicePrincipal } from '../../src/azure/graph/servicePrincipals';
import { addClientSecret, listClientSecrets } from '../../src/azure/graph/clientSecrets';
import { listManagedHsms } from '../../src/azure/managedHsms';
import { ManagedHsmKeys } from '../../src/azure/keys';
import { ManagedHsmRbac } from '../../src/azure/localRbac';
import { probeKey } from '../../src/azure/keyProbe';
import { keyScope, managedHsmRoleIds } from '../../src/core/managedHsmRoles';
import { SecretServerSession } from '../../src/secretServer/session';
import { getKeyManagement, listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { followRotation, getRotationStatus } from '../../src/secretServer/rotation';
import { getHealth } from '../../src/secretServer/health';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';

// The seed procedure's Tasks 1–3 through the public functions of src/auth, src/azure and
// src/secretServer only, with the sandbox CA trusted the way the extension trusts it (from the
// cloud). Each step uses what the previous one produced, as an administrator would.

describe('access layer: the seed procedure end to end (Task 1, Task 2, Task 3)', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandboxProcess(['--secrets', '60', '--rotation-rate', '150', '--maintenance-delay', '200']);
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('sets up Azure, proves it with the app\'s own credentials, then configures Secret Server and follows the rotation', async () => {
    const ep = sandbox.endpoints;
    const cloud: AzureCloud = sandboxCloud(ep, sandbox.caPem);
    const admin: TokenCredential = await servicePrincipalCredential(cloud, ep.tenantId, ep.admin.clientId, ep.admin.clientSecret);

    // Task 1, steps 1–10: app registration, service principal, client secret (value returned once).
    const graph = await createGraphClient(cloud, admin);
    const app = await createApplication(graph, 'Secret Server key management (e2e)');
    const { servicePrincipal } = await ensureServicePrincipal(graph, app.appId);
    const secret = await addClientSecret(graph, app.id, {
      displayName: 'Secret Server',
      expiresOn: new Date(Date.now() + 365 * 86_400_000),
    });
    const listed = await listClientSecrets(graph, app.id);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].keyId, secret.keyId);

    // Step 12: an activated HSM in the Secret Server's region.
    const hsms = await listManagedHsms(cloud, admin, ep.subscriptions[0].id);
    const hsm = hsms.find((h) => h.activated && h.location === (ep.secretServer as { region: string }).region);
    assert.ok(hsm, 'an activated HSM in the Secret Server region');

    // Steps 13–18: the key, exactly as Secret Server needs it.
    const keys = new ManagedHsmKeys(cloud, admin, hsm.hsmUri, { pollIntervalMs: 20 });
    const key = await keys.createSecretServerKey('ss-e2e-key');
    assert.equal(key.keyType, 'oct-HSM');

    // Before the role assignment, the app's own probe fails at the wrap step with access denied.
    const asApp = await servicePrincipalCredential(cloud, ep.tenantId, app.appId, secret.secretText);
    const before = await probeKey(cloud, asApp, key.versionlessId);
    assert.equal(before.ok, false);
    assert.ok(!before.ok && before.error.kind === 'accessDenied', JSON.stringify(!before.ok && before.error.message));

    // Steps 19–24: Managed HSM Crypto User, single-key scope, the service principal's object id.
    const rbac = new ManagedHsmRbac(cloud, admin, hsm.hsmUri);
    const grant = { scope: keyScope('ss-e2e-key'), roleDefinitionId: managedHsmRoleIds.cryptoUser, principalId: servicePrincipal.id };
    const first = await rbac.createRoleAssignment(grant);
    const again = await rbac.createRoleAssignment(grant);
    assert.equal(first.created, true);
    assert.equal(again.created, false, 'granting twice finds the first assignment');
    assert.equal(again.assignment.name, first.assignment.name);

    // The decisive check: a live wrap and unwrap with the app's own credentials.
    const probe = await probeKey(cloud, await servicePrincipalCredential(cloud, ep.tenantId, app.appId, secret.secretText), key.versionlessId);
    assert.ok(probe.ok, JSON.stringify(!probe.ok && probe.error.message));

    // Task 2: Secret Server's key management form, with the values Task 1 produced.
    const ss = ep.secretServer as { url: string; users: { username: string; password: string; canManageKeys: boolean; otpSecret?: string }[] };
    const user = ss.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    const session = new SecretServerSession({ url: ss.url, username: user.username, caPem: cloud.caPem, credentials: { getPassword: async () => user.password } });
    const types = await listKeyManagementTypes(session);
    const hsmType = findKeyManagementType(types, 'azureManagedHsm');
    assert.ok(hsmType);
    const since = await getRotationStatus(session);
    await updateKeyManagement(session, {
      type: hsmType,
      azureManagedHsm: { tenantId: ep.tenantId, principalId: app.appId, principalSecret: secret.secretText, keyUrl: key.versionlessId },
    });

    // Task 3: the secret key rotation, followed to the end.
    const seen: number[] = [];
    let last;
    for await (const progress of followRotation(session, { since, pollIntervalMs: 100 })) {
      if (progress.percent !== undefined) seen.push(progress.percent);
      last = progress;
    }
    assert.equal(last?.state, 'succeeded', JSON.stringify(last?.status));
    assert.ok(seen.length >= 2, `progress observed between polls: ${seen.join(', ')}`);

    const config = await getKeyManagement(session);
    assert.equal(config.azureManagedHsm?.keyUrl, key.versionlessId);
    assert.equal(config.azureManagedHsm?.principalId, app.appId);
    assert.ok(!JSON.stringify(config).includes(secret.secretText), 'the principal secret is never returned');
    const health = await getHealth(session);
    assert.equal(health.healthy, true);
    assert.equal(health.readOnlyMode, false);
  });
});
