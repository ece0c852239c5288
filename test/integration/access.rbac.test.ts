import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { managedHsmRoleIds, roleDefinitionIdFor } from '../../src/core/managedHsmRoles';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { ManagedHsmKeys } from '../../src/azure/keys';
import { ManagedHsmRbac } from '../../src/azure/localRbac';
import { probeKey } from '../../src/azure/keyProbe';
import { servicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { rejectsActionable } from '../support/actionableAssertions';

// Managed HSM local RBAC (src/azure/localRbac.ts on @azure/core-rest-pipeline with the Key Vault
// challenge policy) and the readiness probe (src/azure/keyProbe.ts, a real A256KW wrap/unwrap
// through CryptographyClient as the app registration), against the sandbox.

const rejects = rejectsActionable;

describe('access layer: Managed HSM local RBAC and the readiness probe', function () {
  let sandbox: SandboxHandle;
  let cloud: AzureCloud;
  let admin: TokenCredential;
  let app: TokenCredential;
  let appObjectId: string;
  let appSecret: string;
  let rbac: ManagedHsmRbac;
  let keys: ManagedHsmKeys;
  let eusUri: string;
  let ssKeyId: string;
  let assignmentName: string;
  const scope = '/keys/ss-rbac-key' as const;

  before(async () => {
    sandbox = await startSandboxProcess();
    const ep = sandbox.endpoints;
    cloud = sandboxCloud(ep, sandbox.caPem);
    admin = await servicePrincipalCredential(cloud, ep.tenantId, ep.admin.clientId, ep.admin.clientSecret);
    // The app registration Secret Server will use: the probe signs in with its own secret.
    app = await servicePrincipalCredential(cloud, ep.tenantId, ep.expiringApp.clientId, ep.expiringApp.clientSecret);
    appObjectId = ep.expiringApp.objectId;
    appSecret = ep.expiringApp.clientSecret;
    eusUri = ep.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri;
    rbac = new ManagedHsmRbac(cloud, admin, eusUri, { displayName: 'contoso-mhsm-eus' });
    keys = new ManagedHsmKeys(cloud, admin, eusUri, { displayName: 'contoso-mhsm-eus', pollIntervalMs: 20 });
    ssKeyId = (await keys.createSecretServerKey('ss-rbac-key')).versionlessId;
  });

  after(async () => {
    await sandbox?.stop();
  });

  it('lists the built-in role definitions with their data actions', async () => {
    const defs = await rbac.listRoleDefinitions();
    const cryptoUser = defs.find((d) => d.name === managedHsmRoleIds.cryptoUser);
    assert.ok(cryptoUser, 'Managed HSM Crypto User is listed');
    assert.equal(cryptoUser.roleName, 'Managed HSM Crypto User');
    assert.equal(cryptoUser.roleType, 'AKVBuiltInRole');
    assert.equal(cryptoUser.id, roleDefinitionIdFor(managedHsmRoleIds.cryptoUser));
    assert.ok(cryptoUser.dataActions.includes('Microsoft.KeyVault/managedHsm/keys/wrap/action'));
    assert.ok(cryptoUser.dataActions.includes('Microsoft.KeyVault/managedHsm/keys/unwrap/action'));
    assert.ok(defs.some((d) => d.name === managedHsmRoleIds.administrator));
  });

  it('the probe fails with accessDenied before the app has a role on the key', async () => {
    const result = await probeKey(cloud, app, ssKeyId);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.step, 'wrap');
    assert.equal(result.error.kind, 'accessDenied');
    assert.match(result.error.message, /^Could not wrap a test value with key 'ss-rbac-key' \(A256KW\) as the app registration \(readiness check\): the Managed HSM's local RBAC does not allow Microsoft\.KeyVault\/managedHsm\/keys\/wrap\/action on \/keys\/ss-rbac-key/);
    assert.match(result.error.message, /Managed HSM Crypto User/);
  });

  it('assigns Crypto User at /keys/<name> to the service principal once, however often it is asked', async () => {
    const first = await rbac.createRoleAssignment({ scope, roleDefinitionId: managedHsmRoleIds.cryptoUser, principalId: appObjectId });
    assert.equal(first.created, true);
    assert.equal(first.assignment.scope, scope);
    assert.equal(first.assignment.principalId, appObjectId);
    assert.equal(first.assignment.roleDefinitionId, roleDefinitionIdFor(managedHsmRoleIds.cryptoUser));
    assert.equal(first.assignment.roleName, 'Managed HSM Crypto User');
    assert.match(first.assignment.name, /^[0-9a-f-]{36}$/);
    assignmentName = first.assignment.name;

    // The full role definition id, as the service writes it, is equally accepted.
    const second = await rbac.createRoleAssignment({ scope, roleDefinitionId: roleDefinitionIdFor(managedHsmRoleIds.cryptoUser), principalId: appObjectId.toUpperCase() });
    assert.equal(second.created, false);
    assert.equal(second.assignment.name, assignmentName);

    const atScope = await rbac.listRoleAssignmentsAtScope(scope);
    const mine = atScope.filter((a) => a.principalId === appObjectId);
    assert.equal(mine.length, 1, 'exactly one assignment for the app at the key');
    assert.equal(mine[0].name, assignmentName);
    // atScope() also returns what applies from above: the administrators' assignments at '/'.
    assert.ok(atScope.some((a) => a.scope === '/' && a.principalId === sandbox.endpoints.admin.objectId));
    assert.ok(!atScope.some((a) => a.scope === '/keys/secret-server-key'), 'a sibling key scope does not apply here');
  });

  it('keeps concurrent creates of the same assignment to one', async () => {
    const request = { scope: '/keys/aes128-key' as const, roleDefinitionId: managedHsmRoleIds.cryptoAuditor, principalId: appObjectId };
    const results = await Promise.all([rbac.createRoleAssignment(request), rbac.createRoleAssignment(request), rbac.createRoleAssignment(request)]);
    assert.equal(new Set(results.map((r) => r.assignment.name)).size, 1, 'all callers get the same assignment');
    assert.equal(results.filter((r) => r.created).length, 1, 'exactly one caller created it');
    const atScope = await rbac.listRoleAssignmentsAtScope('/keys/aes128-key');
    assert.equal(atScope.filter((a) => a.principalId === appObjectId).length, 1);
    await rbac.deleteRoleAssignment('/keys/aes128-key', results[0].assignment.name);
  });

  it("lists a principal's assignments wherever they are", async () => {
    const forApp = await rbac.listRoleAssignmentsForPrincipal(appObjectId);
    const scopes = forApp.map((a) => a.scope).sort();
    assert.deepEqual(scopes, ['/keys/secret-server-key', scope].sort(), 'the seeded assignment and the new one');
    assert.ok(forApp.every((a) => a.principalId === appObjectId && a.roleName === 'Managed HSM Crypto User'));
  });

  it('the probe passes with the app registration’s own credential for its key', async () => {
    const result = await probeKey(cloud, app, ssKeyId);
    assert.ok(result.ok, result.ok ? '' : `${result.step}: ${result.error.message}`);
    const current = await keys.getKey('ss-rbac-key');
    assert.equal(result.kid, current.id, 'the versioned kid of the current version');
    assert.ok(result.durationMs >= 0);

    const versioned = await probeKey(cloud, app, current.id);
    assert.ok(versioned.ok);
    assert.equal(versioned.kid, current.id);
  });

  it('the probe fails with accessDenied for a key the app has no role on', async () => {
    const other = (await keys.getKey('expiring-key')).versionlessId;
    const result = await probeKey(cloud, app, other);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.step, 'wrap');
    assert.equal(result.error.kind, 'accessDenied');
    assert.equal(result.error.statusCode, 403);
    assert.match(result.error.message, /on \/keys\/expiring-key/);
  });

  it('the probe names the step: wrap refused for a key of the wrong size, token refused for a wrong secret', async () => {
    const aes128 = (await keys.getKey('aes128-key')).versionlessId;
    const wrongSize = await probeKey(cloud, admin, aes128);
    assert.equal(wrongSize.ok, false);
    if (!wrongSize.ok) {
      assert.equal(wrongSize.step, 'wrap');
      assert.equal(wrongSize.error.kind, 'invalidInput');
      assert.match(wrongSize.error.message, /^Could not wrap a test value with key 'aes128-key' \(A256KW\)/);
      assert.ok(wrongSize.kid?.startsWith(aes128), 'the kid that was tried is reported');
    }

    const ep = sandbox.endpoints;
    const wrongSecret = `${appSecret.slice(0, -4)}XXXX`;
    const badApp = await servicePrincipalCredential(cloud, ep.tenantId, ep.expiringApp.clientId, wrongSecret);
    const noToken = await probeKey(cloud, badApp, ssKeyId);
    assert.equal(noToken.ok, false);
    if (!noToken.ok) {
      assert.equal(noToken.step, 'token');
      assert.equal(noToken.error.kind, 'authentication');
      assert.match(noToken.error.message, /AADSTS7000215/);
      for (const text of [noToken.error.message, noToken.error.detail]) {
        assert.ok(!text.includes(wrongSecret) && !text.includes(appSecret), 'no secret in the error');
      }
    }

    const vault = await probeKey(cloud, app, 'https://contoso.vault.azure.net/keys/ss-rbac-key');
    assert.equal(vault.ok, false);
    if (!vault.ok) {
      assert.equal(vault.step, 'identifier');
      assert.match(vault.error.message, /Key Vault vault, not a Managed HSM/);
    }
  });

  it('after the assignment is deleted the probe fails with accessDenied again', async () => {
    const removed = await rbac.deleteRoleAssignment(scope, assignmentName);
    assert.equal(removed.name, assignmentName);
    assert.equal(removed.scope, scope);
    const atScope = await rbac.listRoleAssignmentsAtScope(scope);
    assert.ok(!atScope.some((a) => a.name === assignmentName));

    const result = await probeKey(cloud, app, ssKeyId);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.kind, 'accessDenied');

    const again = await rejects(rbac.deleteRoleAssignment(scope, assignmentName), 'notFound');
    assert.equal(again.code, 'RoleAssignmentNotFound');
  });

  it('reports RBAC refusals as accessDenied for a caller without role-management rights', async () => {
    const asApp = new ManagedHsmRbac(cloud, app, eusUri, { displayName: 'contoso-mhsm-eus' });
    const err = await rejects(asApp.createRoleAssignment({ scope: '/', roleDefinitionId: managedHsmRoleIds.administrator, principalId: appObjectId }), 'accessDenied');
    assert.match(err.message, /roleAssignments\/read\/action on \//);
    assert.equal(err.code, 'AccessDenied');
  });

  it('refuses bad input locally and reports an HSM that is not activated', async () => {
    await rejects(rbac.createRoleAssignment({ scope, roleDefinitionId: managedHsmRoleIds.cryptoUser, principalId: 'not-a-guid' }), 'invalidInput');
    await rejects(rbac.createRoleAssignment({ scope, roleDefinitionId: 'Managed HSM Crypto User', principalId: appObjectId }), 'invalidInput');
    await rejects(rbac.listRoleAssignmentsAtScope('/secrets' as '/keys'), 'invalidInput');
    await rejects(rbac.deleteRoleAssignment(scope, 'not-a-guid'), 'invalidInput');

    const weuUri = sandbox.endpoints.hsms.find((h) => h.name === 'contoso-mhsm-weu')!.uri;
    const weu = new ManagedHsmRbac(cloud, admin, weuUri, { displayName: 'contoso-mhsm-weu' });
    const err = await rejects(weu.listRoleAssignmentsAtScope('/'), 'notActivated');
    assert.match(err.message, /^Could not list the role assignments at \/ in contoso-mhsm-weu: the Managed HSM is not activated yet/);
  });
});
