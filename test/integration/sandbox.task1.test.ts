import * as assert from 'node:assert/strict';
import { randomUUID, randomBytes } from 'node:crypto';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, appCredential, armKeyVault, cryptoClient, hsmScope, keyClient, subscriptionClient } from '../support/azureClients';
import { graphClient, graphError } from '../support/graphClient';
import { RbacTestClient, roleDefinitionIds } from '../support/rbacClient';

// The seed procedure's Task 1, end to end, through the real packages only: app registration and
// client secret (Graph), the HSM found through ARM, an oct-HSM 256-bit key with wrapKey/unwrapKey,
// a Managed HSM Crypto User assignment scoped to that one key for the app's service principal, and
// the decisive check — a wrap/unwrap with the app's own credentials.

describe('sandbox conformance: the seed procedure\'s Task 1 through the real @azure packages', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandboxProcess();
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('creates app, secret, service principal, key and key-scoped role, then wraps and unwraps as the app', async () => {
    const ep = sandbox.endpoints;
    const admin = adminCredential(ep, sandbox.caPem);

    // Find the activated HSM through ARM, as a user of the portal would.
    const subscriptions = [];
    for await (const s of subscriptionClient(ep, sandbox.caPem, admin).subscriptions.list()) subscriptions.push(s);
    assert.equal(subscriptions.length, 1);
    const arm = armKeyVault(ep, sandbox.caPem, admin, subscriptions[0].subscriptionId!);
    const hsms = [];
    for await (const h of arm.managedHsms.listBySubscription()) hsms.push(h);
    const hsm = hsms.find((h) => h.properties?.securityDomainProperties?.activationStatus === 'Active');
    assert.ok(hsm?.properties?.hsmUri, 'an activated HSM with a URI');
    assert.equal(hsm.properties.enablePurgeProtection, true);
    const hsmUri = hsm.properties.hsmUri;

    // Steps 1–10: the app registration, its client secret (value shown once) and its service principal.
    const graph = graphClient(ep, sandbox.caPem, admin);
    const displayName = `secret-server-${randomUUID().slice(0, 8)}`;
    const app = await graph.send('POST', '/v1.0/applications', { displayName, signInAudience: 'AzureADMyOrg' });
    assert.equal(app.status, 201, JSON.stringify(graphError(app)));
    const { id: appObjectId, appId } = app.body as { id: string; appId: string };
    const end = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const password = await graph.send('POST', `/v1.0/applications/${appObjectId}/addPassword`, { passwordCredential: { displayName: 'Secret Server', endDateTime: end } });
    assert.equal(password.status, 200);
    const { secretText, keyId, hint } = password.body as { secretText: string; keyId: string; hint: string };
    assert.ok(secretText.length >= 16 && secretText.startsWith(hint));
    const reread = await graph.send('GET', `/v1.0/applications/${appObjectId}`);
    const stored = (reread.body as { passwordCredentials: { keyId: string; secretText: string | null }[] }).passwordCredentials;
    assert.deepEqual(stored.map((c) => [c.keyId, c.secretText]), [[keyId, null]], 'the secret value is never returned again');
    const sp = await graph.send('POST', '/v1.0/servicePrincipals', { appId });
    assert.equal(sp.status, 201);
    const spObjectId = (sp.body as { id: string }).id;
    assert.notEqual(spObjectId, appId);
    assert.notEqual(spObjectId, appObjectId);

    // Steps 13–18: the key, exactly as Secret Server needs it.
    const keys = keyClient(hsmUri, admin, sandbox.caPem);
    const keyName = `ss-key-${randomUUID().slice(0, 8)}`;
    const key = await keys.createKey(keyName, 'oct-HSM', { keySize: 256, keyOps: ['wrapKey', 'unwrapKey'] });
    assert.equal(key.keyType, 'oct-HSM');
    assert.deepEqual([...(key.keyOperations ?? [])].sort(), ['unwrapKey', 'wrapKey']);
    assert.match(key.id!, new RegExp(`^${hsmUri.replace(/\/$/, '')}/keys/${keyName}/[0-9a-f]{32}$`));

    // Before the role assignment the app is refused on the data plane.
    const appCred = appCredential(ep, sandbox.caPem, appId, secretText);
    const asApp = cryptoClient(key.id!, appCred, sandbox.caPem);
    await assert.rejects(asApp.wrapKey('A256KW', randomBytes(32)), (e: { statusCode?: number; code?: string }) => e.statusCode === 403 && e.code === 'AccessDenied');

    // Steps 19–24: Managed HSM Crypto User, scope the single key, principal = the service principal's object id.
    const rbac = new RbacTestClient(hsmUri, admin, sandbox.caPem);
    const assignmentName = randomUUID();
    const created = await rbac.createRoleAssignment(`/keys/${keyName}`, assignmentName, roleDefinitionIds.cryptoUser, spObjectId);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const atKey = await rbac.listRoleAssignments(`/keys/${keyName}`, `principalId eq '${spObjectId}'`);
    const assignments = (atKey.body as { value: { properties: { scope: string; roleDefinitionId: string } }[] }).value;
    assert.deepEqual(assignments.map((a) => [a.properties.scope, a.properties.roleDefinitionId]), [[`/keys/${keyName}`, roleDefinitionIds.cryptoUser]]);

    // The decisive check: the app's own credentials wrap and unwrap with the key...
    const cek = randomBytes(32);
    const wrapped = await cryptoClient(key.id!, appCredential(ep, sandbox.caPem, appId, secretText), sandbox.caPem).wrapKey('A256KW', cek);
    const unwrapped = await cryptoClient(key.id!, appCredential(ep, sandbox.caPem, appId, secretText), sandbox.caPem).unwrapKey('A256KW', wrapped.result);
    assert.deepEqual(Buffer.from(unwrapped.result), cek);
    // ...through the versionless URL too (Secret Server accepts both)...
    const versionless = `${hsmUri.replace(/\/$/, '')}/keys/${keyName}`;
    const viaVersionless = await cryptoClient(versionless, appCredential(ep, sandbox.caPem, appId, secretText), sandbox.caPem).unwrapKey('A256KW', wrapped.result);
    assert.deepEqual(Buffer.from(viaVersionless.result), cek);
    // ...and with no other key: the role is scoped to this one.
    const other = await keys.getKey('secret-server-key');
    await assert.rejects(
      cryptoClient(other, appCredential(ep, sandbox.caPem, appId, secretText), sandbox.caPem).wrapKey('A256KW', cek),
      (e: { statusCode?: number; code?: string; message?: string }) => e.statusCode === 403 && e.code === 'AccessDenied' && /keys\/wrap\/action on \/keys\/secret-server-key/.test(e.message ?? ''),
    );
    // The app's token is an app token for the HSM audience, with the service principal as oid.
    const token = await appCredential(ep, sandbox.caPem, appId, secretText).getToken(hsmScope);
    const claims = JSON.parse(Buffer.from(token!.token.split('.')[1], 'base64url').toString('utf8')) as { oid: string; appid: string; aud: string; tid: string };
    assert.deepEqual([claims.oid, claims.appid, claims.aud, claims.tid], [spObjectId, appId, 'https://managedhsm.azure.net', ep.tenantId]);
  });
});
