import * as assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import { httpsJson, startSandboxProcess, type SandboxEndpoints, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, appCredential, cryptoClient, keyClient } from '../support/azureClients';
import { RbacTestClient, roleDefinitionIds, type RoleAssignmentWire, type RoleDefinitionWire } from '../support/rbacClient';

// Managed HSM local RBAC in the sandbox, through a challenge-authenticated pipeline built as
// azure-api.md §10.3 prescribes, and its effect on the real @azure/keyvault-keys clients.

type Hsm = SandboxEndpoints['hsms'][number];
type WorldView = { hsms: { name: string; activated: boolean; enablePurgeProtection: boolean; roleAssignments: unknown[] }[] };

const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (err) {
    return err as RestError;
  }
  assert.fail('expected the call to be refused');
}

describe('sandbox: Managed HSM local RBAC', function () {
  let handle: SandboxHandle;
  let ep: SandboxEndpoints;
  let ca: string;
  let active: Hsm;
  let idle: Hsm;
  let adminCred: TokenCredential;
  let appCred: TokenCredential;
  let admin: RbacTestClient;
  let app: RbacTestClient;

  before(async function () {
    handle = await startSandboxProcess();
    ep = handle.endpoints;
    ca = handle.caPem;
    active = ep.hsms.find((h) => h.activated)!;
    idle = ep.hsms.find((h) => !h.activated)!;
    adminCred = adminCredential(ep, ca);
    // The seeded app that Secret Server would use: Crypto User on /keys/secret-server-key only.
    appCred = appCredential(ep, ca, ep.expiringApp.clientId, ep.expiringApp.clientSecret);
    admin = new RbacTestClient(active.uri, adminCred, ca);
    app = new RbacTestClient(active.uri, appCred, ca);
  });

  after(async () => {
    await handle?.stop();
  });

  const world = async () => (await handle.control('GET', '/world')).body as WorldView;
  const assignmentCount = async (hsmName: string) => (await world()).hsms.find((h) => h.name === hsmName)!.roleAssignments.length;

  it('challenges a token-less call before looking at its body, like the real service', async () => {
    const url = `${active.uri}keys/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=7.6`;
    const res = await httpsJson('PUT', url, ca, 'this is not json');
    assert.equal(res.status, 401);
    assert.equal(res.text, '');
    const challenge = String(res.headers['www-authenticate']);
    assert.match(challenge, /^Bearer authorization="[^"]+\/[0-9a-f-]{36}", resource="https:\/\/managedhsm\.azure\.net"$/);
    assert.ok(challenge.includes(ep.tenantId));
  });

  it('lists the built-in role definitions with their real GUIDs, names and full data actions', async () => {
    const res = await admin.listRoleDefinitions('/');
    assert.equal(res.status, 200);
    const roles = (res.body as { value: RoleDefinitionWire[] }).value;
    const user = roles.find((r) => r.id === roleDefinitionIds.cryptoUser);
    assert.ok(user, 'Crypto User is listed under its canonical id');
    assert.equal(user.name, '21dbd100-6940-42c2-9190-5d6cb909625b');
    assert.equal(user.type, 'Microsoft.Authorization/roleDefinitions');
    assert.equal(user.properties.roleName, 'Managed HSM Crypto User');
    assert.equal(user.properties.type, 'AKVBuiltInRole');
    assert.deepEqual(user.properties.assignableScopes, ['/']);
    const dataActions = user.properties.permissions[0].dataActions;
    assert.ok(dataActions.includes('Microsoft.KeyVault/managedHsm/keys/wrap/action'));
    assert.ok(dataActions.includes('Microsoft.KeyVault/managedHsm/keys/unwrap/action'));
    assert.ok(!dataActions.includes('Microsoft.KeyVault/managedHsm/keys/deletedKeys/delete'), 'Crypto User cannot purge');
    const names = roles.map((r) => r.properties.roleName);
    for (const expected of ['Managed HSM Administrator', 'Managed HSM Crypto Officer', 'Managed HSM Crypto Auditor', 'Managed HSM Policy Administrator']) {
      assert.ok(names.includes(expected), `${expected} is listed`);
    }
    assert.ok(roles.find((r) => r.id === roleDefinitionIds.cryptoOfficer)!.properties.permissions[0].dataActions.includes('Microsoft.KeyVault/managedHsm/keys/deletedKeys/delete'));

    const one = await admin.getRoleDefinition('515eb02d-2335-4d2d-92f2-b1cbdf9c3778');
    assert.equal(one.status, 200);
    assert.equal((one.body as RoleDefinitionWire).properties.roleName, 'Managed HSM Crypto Officer');

    const filtered = await admin.listRoleDefinitions('/', "roleName eq 'Managed HSM Crypto Officer'");
    assert.deepEqual((filtered.body as { value: RoleDefinitionWire[] }).value.map((r) => r.name), ['515eb02d-2335-4d2d-92f2-b1cbdf9c3778']);

    const missing = await admin.getRoleDefinition(randomUUID());
    assert.equal(missing.status, 404);
    assert.equal(errorOf(missing.body).code, 'RoleDefinitionNotFound');
    assert.match(errorOf(missing.body).message, /^Requested role definition not found \(Activity ID: [0-9a-f-]{36}\)$/);

    const wrongScope = await admin.listRoleDefinitions('/keys');
    assert.equal(wrongScope.status, 400);
    assert.equal(errorOf(wrongScope.body).code, 'BadParameter');
  });

  it('grants Crypto User on one key: created, read back, listed by atScope() and principalId, effective at once, and revoked at once', async () => {
    const keys = keyClient(active.uri, adminCred, ca);
    const granted = await keys.getKey('bulk-key-0001');
    const other = await keys.getKey('bulk-key-0002');
    const cek = randomBytes(32);
    const wrapAs = (key: typeof granted) => cryptoClient(key, appCred, ca).wrapKey('A256KW', cek);

    const before = await restError(wrapAs(granted));
    assert.equal(before.statusCode, 403);
    assert.equal(before.code, 'AccessDenied');

    const scope = '/keys/bulk-key-0001';
    const name = randomUUID();
    const created = await admin.createRoleAssignment(scope, name, roleDefinitionIds.cryptoUser, ep.expiringApp.objectId);
    assert.equal(created.status, 201);
    const expected: RoleAssignmentWire = {
      id: `/providers/Microsoft.Authorization/roleAssignments/${name}`,
      name,
      type: 'Microsoft.Authorization/roleAssignments',
      properties: { principalId: ep.expiringApp.objectId, roleDefinitionId: roleDefinitionIds.cryptoUser, scope },
    };
    assert.deepEqual(created.body, expected);

    const read = await admin.getRoleAssignment(scope, name);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, expected);

    const atScope = ((await admin.listRoleAssignments(scope, 'atScope()')).body as { value: RoleAssignmentWire[] }).value;
    assert.ok(atScope.some((a) => a.name === name), 'the new assignment is at the scope');
    assert.ok(atScope.some((a) => a.properties.scope === '/' && a.properties.principalId === ep.admin.objectId), 'assignments above the scope are included');
    assert.ok(!atScope.some((a) => a.properties.scope === '/keys/secret-server-key'), 'a sibling key scope is not');

    const byPrincipal = await admin.listRoleAssignments('/', `principalId eq '${ep.expiringApp.objectId}'`);
    assert.equal(byPrincipal.status, 200);
    const principalScopes = (byPrincipal.body as { value: RoleAssignmentWire[] }).value.map((a) => a.properties.scope).sort();
    assert.deepEqual(principalScopes, ['/keys/bulk-key-0001', '/keys/secret-server-key'], 'principalId lists that principal below the scope too');

    const globalOnly = ((await admin.listRoleAssignments('/', 'atScope()')).body as { value: RoleAssignmentWire[] }).value;
    assert.ok(globalOnly.length > 0 && globalOnly.every((a) => a.properties.scope === '/'));

    // Effective immediately, for the key in scope only.
    const wrapped = await wrapAs(granted);
    assert.equal(wrapped.result.length, 40);
    const unwrapped = await cryptoClient(granted, appCred, ca).unwrapKey('A256KW', wrapped.result);
    assert.deepEqual(Buffer.from(unwrapped.result), cek);
    const elsewhere = await restError(wrapAs(other));
    assert.equal(elsewhere.statusCode, 403);
    assert.equal(elsewhere.code, 'AccessDenied');
    assert.match(elsewhere.message, /Not authorized to access Microsoft\.KeyVault\/managedHsm\/keys\/wrap\/action on \/keys\/bulk-key-0002 \(Activity ID: /);

    const deleted = await admin.deleteRoleAssignment(scope, name);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, expected);
    const gone = await admin.getRoleAssignment(scope, name);
    assert.equal(gone.status, 404);
    assert.equal(errorOf(gone.body).code, 'RoleAssignmentNotFound');
    assert.match(errorOf(gone.body).message, /^Requested role assignment not found \(Activity ID: [0-9a-f-]{36}\)$/);
    const again = await admin.deleteRoleAssignment(scope, name);
    assert.equal(again.status, 404);
    assert.equal(errorOf(again.body).code, 'RoleAssignmentNotFound');

    const after = await restError(wrapAs(granted));
    assert.equal(after.statusCode, 403);
    assert.equal(after.code, 'AccessDenied');
  });

  it('accepts the role id with a leading slash, answers it canonically, repeats idempotently and refuses a duplicate grant', async () => {
    const scope = '/keys';
    const name = randomUUID();
    const count = await assignmentCount(active.name);
    const first = await admin.createRoleAssignment(scope, name, `/${roleDefinitionIds.cryptoUser}`, ep.expiringApp.objectId);
    assert.equal(first.status, 201);
    assert.equal((first.body as RoleAssignmentWire).properties.roleDefinitionId, roleDefinitionIds.cryptoUser);

    const repeat = await admin.createRoleAssignment(scope, name, roleDefinitionIds.cryptoUser, ep.expiringApp.objectId.toUpperCase());
    assert.equal(repeat.status, 201);
    assert.deepEqual(repeat.body, first.body);
    assert.equal(await assignmentCount(active.name), count + 1, 'the repeat created nothing new');

    const duplicate = await admin.createRoleAssignment(scope, randomUUID(), roleDefinitionIds.cryptoUser, ep.expiringApp.objectId);
    assert.equal(duplicate.status, 409);
    assert.equal(errorOf(duplicate.body).code, 'RoleAssignmentExists');

    const changed = await admin.createRoleAssignment(scope, name, roleDefinitionIds.cryptoOfficer, ep.expiringApp.objectId);
    assert.equal(changed.status, 409);
    assert.equal(errorOf(changed.body).code, 'RoleAssignmentUpdateNotPermitted');

    // Older SDKs address the scope '/' as '///providers/…'; an assignment at /keys is found from '/'.
    const viaRoot = await admin.send('GET', `///providers/Microsoft.Authorization/roleAssignments/${name}`);
    assert.equal(viaRoot.status, 200);
    assert.equal((viaRoot.body as RoleAssignmentWire).properties.scope, '/keys');
    const viaSibling = await admin.getRoleAssignment('/keys/secret-server-key', name);
    assert.equal(viaSibling.status, 404, 'not from a scope below it');

    assert.equal((await admin.deleteRoleAssignment(scope, name)).status, 200);
    assert.equal(await assignmentCount(active.name), count);
  });

  it('refuses bad scopes, names, role ids, principals, bodies and filters without changing anything', async () => {
    const digest = await handle.digest();
    const body = { properties: { roleDefinitionId: roleDefinitionIds.cryptoUser, principalId: ep.expiringApp.objectId } };
    const put = (path: string, payload: unknown = body) => admin.send('PUT', path, payload);
    const cases: [string, Promise<{ status: number; body: unknown }>, RegExp][] = [
      ['a scope Managed HSM does not have', put(`/secrets/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`), /scope '\/secrets' is not valid/],
      ['a scope below a key', put(`/keys/a/b/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`), /scope '\/keys\/a\/b' is not valid/],
      ['a name that is not a GUID', put('/keys/providers/Microsoft.Authorization/roleAssignments/my-assignment'), /Role assignment name must be a GUID/],
      [
        'an unknown role',
        admin.createRoleAssignment('/keys', randomUUID(), `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${randomUUID()}`, ep.expiringApp.objectId),
        /role definition .* not found/,
      ],
      ['a bare role GUID', admin.createRoleAssignment('/keys', randomUUID(), '21dbd100-6940-42c2-9190-5d6cb909625b', ep.expiringApp.objectId), /role definition ID .* is not valid/],
      ['a principal that is not an object id', admin.createRoleAssignment('/keys', randomUUID(), roleDefinitionIds.cryptoUser, ep.expiringApp.clientId + 'x'), /principal ID .* is not valid/],
      ['a body without properties', put(`/keys/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`, { roleDefinitionId: roleDefinitionIds.cryptoUser }), /'properties'/],
      ['no body at all', admin.send('PUT', `/keys/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`), /body is missing/],
      ['a body that is not an object', put(`/keys/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`, ['properties']), /must be a JSON object/],
      ['an unknown $filter', admin.listRoleAssignments('/', "roleName eq 'x'"), /\$filter .* is not supported/],
    ];
    for (const [what, promise, message] of cases) {
      const res = await promise;
      assert.equal(res.status, 400, what);
      assert.equal(errorOf(res.body).code, 'BadParameter', what);
      assert.match(errorOf(res.body).message, message, what);
    }
    assert.equal(await handle.digest(), digest);
  });

  it('lets a Crypto User neither grant roles nor purge nor recover, and names the missing data action each time', async () => {
    const grant = await app.createRoleAssignment('/keys/secret-server-key', randomUUID(), roleDefinitionIds.cryptoUser, ep.expiringApp.objectId);
    assert.equal(grant.status, 403);
    assert.equal(errorOf(grant.body).code, 'AccessDenied');
    assert.match(errorOf(grant.body).message, /^Not authorized to access Microsoft\.KeyVault\/managedHsm\/roleAssignments\/write\/action on \/keys\/secret-server-key \(Activity ID: [0-9a-f-]{36}\)$/);

    // It may read the assignments at its own key, but not the whole HSM's.
    assert.equal((await app.listRoleAssignments('/keys/secret-server-key')).status, 200);
    const global = await app.listRoleAssignments('/');
    assert.equal(global.status, 403);
    assert.match(errorOf(global.body).message, /roleAssignments\/read\/action on \/ /);

    // Crypto User on a deleted key (the seed's retired-key) still does not allow purge or recover.
    const name = randomUUID();
    assert.equal((await admin.createRoleAssignment('/keys/retired-key', name, roleDefinitionIds.cryptoUser, ep.expiringApp.objectId)).status, 201);
    const keys = keyClient(active.uri, appCred, ca);
    const purge = await restError(keys.purgeDeletedKey('retired-key'));
    assert.equal(purge.statusCode, 403);
    assert.equal(purge.code, 'AccessDenied');
    assert.match(purge.message, /Microsoft\.KeyVault\/managedHsm\/keys\/deletedKeys\/delete on \/keys\/retired-key/);
    const recover = await restError(keys.beginRecoverDeletedKey('retired-key', { intervalInMs: 10 }).then((p) => p.pollUntilDone()));
    assert.equal(recover.statusCode, 403);
    assert.equal(recover.code, 'AccessDenied');
    assert.match(recover.message, /Microsoft\.KeyVault\/managedHsm\/keys\/deletedKeys\/recover\/action on \/keys\/retired-key/);

    // Crypto Officer on the same key: past RBAC. Purge protection on this HSM still stops a purge
    // (that refusal is not an RBAC one), and recovery succeeds.
    const officer = randomUUID();
    assert.equal((await admin.createRoleAssignment('/keys/retired-key', officer, roleDefinitionIds.cryptoOfficer, ep.expiringApp.objectId)).status, 201);
    const protectedPurge = await restError(keys.purgeDeletedKey('retired-key'));
    assert.notEqual(protectedPurge.code, 'AccessDenied');
    assert.match(protectedPurge.message, /purge protection/i);
    const recovered = await (await keys.beginRecoverDeletedKey('retired-key', { intervalInMs: 10 })).pollUntilDone();
    assert.equal(recovered.name, 'retired-key');
    assert.equal((await admin.deleteRoleAssignment('/keys/retired-key', officer)).status, 200);
    assert.equal((await admin.deleteRoleAssignment('/keys/retired-key', name)).status, 200);
  });

  it('refuses role assignment calls on an HSM that is not activated, after the challenge', async () => {
    const idleAdmin = new RbacTestClient(idle.uri, adminCred, ca);
    const res = await idleAdmin.listRoleAssignments('/');
    assert.equal(res.status, 400);
    assert.equal(errorOf(res.body).code, 'HsmNotActivated');
    const put = await idleAdmin.createRoleAssignment('/', randomUUID(), roleDefinitionIds.cryptoUser, ep.expiringApp.objectId);
    assert.equal(put.status, 400);
    assert.equal(errorOf(put.body).code, 'HsmNotActivated');
    const bare = await httpsJson('GET', `${idle.uri}providers/Microsoft.Authorization/roleAssignments?api-version=7.6`, ca);
    assert.equal(bare.status, 401);
  });

  it('requires an api-version, as the service does', async () => {
    const token = await adminCred.getToken('https://managedhsm.azure.net/.default');
    const res = await httpsJson('GET', `${active.uri}providers/Microsoft.Authorization/roleAssignments`, ca, undefined, { authorization: `Bearer ${token!.token}` });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res.body).code, 'BadParameter');
  });
});
