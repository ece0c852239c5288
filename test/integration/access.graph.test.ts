import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { sandboxAuthentication } from '../support/sandboxAuthentication';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { servicePrincipalCredential, storedServicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { clientSecretKey, type SecretStore } from '../../src/auth/secretStore';
import { VscodeSessionCredential } from '../../src/auth/vscodeSessionCredential';
import { jwtClaim } from '../../src/auth/accessTokenExpiry';
import { createGraphClient, type GraphClient } from '../../src/azure/graph/graphClient';
import { createApplication, deleteApplication, findApplicationsByDisplayName, getApplicationByAppId, type AppRegistration } from '../../src/azure/graph/applications';
import { ensureServicePrincipal, getServicePrincipalByAppId, resolveServicePrincipalObjectId } from '../../src/azure/graph/servicePrincipals';
import { addClientSecret, listClientSecrets, removeClientSecret, type NewClientSecret } from '../../src/azure/graph/clientSecrets';
import { rejectsActionable } from '../support/actionableAssertions';

// The Graph half of the access layer — app registration, service principal, client secret — and
// the app's own sign-in, through the public functions, against the sandbox over HTTPS.

const rejectsWith = rejectsActionable;

/** SecretStorage as the extension gets it: an in-memory map stands in for the OS keychain. */
function memorySecretStore(): SecretStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (k) => map.get(k),
    store: async (k, v) => void map.set(k, v),
    delete: async (k) => void map.delete(k),
  };
}

describe('access layer: app registrations, service principals and client secrets through Graph', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let cloud: AzureCloud;
  let admin: TokenCredential;
  let graph: GraphClient;
  let tenantId: string;

  before(async () => {
    sandbox = await startSandboxProcess();
    cloud = sandboxCloud(sandbox.endpoints, sandbox.caPem);
    tenantId = sandbox.endpoints.tenantId;
    admin = await servicePrincipalCredential(cloud, tenantId, sandbox.endpoints.admin.clientId, sandbox.endpoints.admin.clientSecret);
    graph = await createGraphClient(cloud, admin);
  });
  after(async () => {
    await sandbox?.stop();
  });

  describe('the Secret Server app, from creation to deletion', () => {
    const displayName = `Secret Server key access ${randomUUID().slice(0, 8)}`;
    let app: AppRegistration;
    let spObjectId: string;
    let secret: NewClientSecret;

    it('creates an app registration and finds it by name and by client id', async () => {
      app = await createApplication(graph, displayName);
      assert.match(app.id, /^[0-9a-f-]{36}$/);
      assert.match(app.appId, /^[0-9a-f-]{36}$/);
      assert.notEqual(app.id, app.appId);
      assert.equal(app.displayName, displayName);
      assert.equal(app.signInAudience, 'AzureADMyOrg');

      const byName = await findApplicationsByDisplayName(graph, displayName);
      assert.deepEqual(
        byName.map((a) => a.appId),
        [app.appId],
      );
      assert.equal((await getApplicationByAppId(graph, app.appId))?.id, app.id);
      assert.equal(await getApplicationByAppId(graph, randomUUID()), undefined);
    });

    it('finds names with quotes without breaking the OData filter', async () => {
      const quoted = `O'Brien's app ${randomUUID().slice(0, 8)}`;
      const created = await createApplication(graph, quoted);
      try {
        assert.deepEqual(
          (await findApplicationsByDisplayName(graph, quoted)).map((a) => a.id),
          [created.id],
        );
      } finally {
        await deleteApplication(graph, created.id);
      }
    });

    it('creates the service principal once and resolves the appId to its object id', async () => {
      assert.equal(await getServicePrincipalByAppId(graph, app.appId), undefined);
      await rejectsWith(resolveServicePrincipalObjectId(graph, app.appId), 'notFound', /no service principal/);
      const first = await ensureServicePrincipal(graph, app.appId);
      assert.equal(first.created, true);
      assert.equal(first.servicePrincipal.appId, app.appId);
      const again = await ensureServicePrincipal(graph, app.appId);
      assert.equal(again.created, false);
      assert.equal(again.servicePrincipal.id, first.servicePrincipal.id);
      spObjectId = await resolveServicePrincipalObjectId(graph, app.appId);
      assert.equal(spObjectId, first.servicePrincipal.id);
      assert.notEqual(spObjectId, app.appId);
      assert.notEqual(spObjectId, app.id);
    });

    it('resolves a seeded app to the object id its tokens carry', async () => {
      const ep = sandbox.endpoints;
      assert.equal(await resolveServicePrincipalObjectId(graph, ep.expiringApp.clientId), ep.expiringApp.objectId);
    });

    it('adds a client secret with description and expiry, and lists it with its hint but never its value', async () => {
      const expiresOn = new Date(Date.now() + 30 * 86_400_000);
      expiresOn.setUTCMilliseconds(0);
      secret = await addClientSecret(graph, app.id, { displayName: 'Secret Server', expiresOn });
      assert.match(secret.keyId, /^[0-9a-f-]{36}$/);
      assert.ok(secret.secretText.length >= 16);
      assert.equal(secret.hint, secret.secretText.slice(0, 3));
      assert.equal(secret.displayName, 'Secret Server');
      assert.equal(Date.parse(secret.endDateTime!), expiresOn.getTime());

      const listed = await listClientSecrets(graph, app.id);
      assert.equal(listed.length, 1);
      assert.deepEqual(listed[0], {
        keyId: secret.keyId,
        displayName: 'Secret Server',
        hint: secret.hint,
        startDateTime: listed[0].startDateTime,
        endDateTime: secret.endDateTime,
      });
      assert.ok(!JSON.stringify(listed).includes(secret.secretText));
    });

    it('signs in as the app with the new secret kept in SecretStorage, and the token names its service principal', async () => {
      const store = memorySecretStore();
      const ref = { tenantId, clientId: app.appId, keyId: secret.keyId };
      await store.store(clientSecretKey(ref), secret.secretText);
      assert.deepEqual([...store.map.keys()], [`mhsm.clientSecret/${tenantId}/${app.appId}/${secret.keyId}`]);
      const asApp = await storedServicePrincipalCredential(cloud, store, ref);
      const token = await asApp.getToken(cloud.managedHsmScope);
      assert.ok(token);
      assert.equal(jwtClaim(token.token, 'oid'), spObjectId);
      assert.equal(jwtClaim(token.token, 'aud'), cloud.managedHsmResource);
      assert.ok(token.expiresOnTimestamp > Date.now());
    });

    it('asks for the secret when SecretStorage has none', async () => {
      await rejectsWith(
        storedServicePrincipalCredential(cloud, memorySecretStore(), { tenantId, clientId: app.appId, keyId: secret.keyId }),
        'authentication',
        /not stored/,
      );
    });

    it('removes the secret, after which it no longer signs in (AADSTS7000215)', async () => {
      await removeClientSecret(graph, app.id, secret.keyId);
      assert.deepEqual(await listClientSecrets(graph, app.id), []);
      const stale = await servicePrincipalCredential(cloud, tenantId, app.appId, secret.secretText);
      const err = await rejectsWith(stale.getToken(cloud.managedHsmScope), 'authentication', /client secret of app/, /AADSTS7000215/);
      assert.equal(err.code, 'AADSTS7000215');
      assert.ok(!err.message.includes(secret.secretText) && !err.detail.includes(secret.secretText));
    });

    it('deletes the app registration', async () => {
      await deleteApplication(graph, app.id);
      assert.equal(await getApplicationByAppId(graph, app.appId), undefined);
      assert.equal(await getServicePrincipalByAppId(graph, app.appId), undefined);
    });
  });

  // Declared after the lifecycle so that mocha runs it after (the clock test moves time forward).
  describe('failures and the user credential', () => {
    it('works as the signed-in user through the VS Code credential, which asks for the Graph scope only', async () => {
      const auth = sandboxAuthentication(sandbox.endpoints, sandbox.caPem);
      const user = new VscodeSessionCredential(auth, cloud, { allowInteraction: false, tenantId });
      const userGraph = await createGraphClient(cloud, user);
      const app = await createApplication(userGraph, `Created by the user ${randomUUID().slice(0, 8)}`);
      await deleteApplication(userGraph, app.id);
      assert.ok(auth.requests.length > 0);
      for (const r of auth.requests) assert.deepEqual(r.scopes, [cloud.graphScope, `VSCODE_TENANT:${tenantId}`]);
    });

    it('reports Graph 403 Authorization_RequestDenied for a principal without Graph permissions as consentRequired', async () => {
      const ep = sandbox.endpoints;
      const noGraph = await createGraphClient(cloud, await servicePrincipalCredential(cloud, tenantId, ep.expiringApp.clientId, ep.expiringApp.clientSecret));
      const err = await rejectsWith(createApplication(noGraph, 'Not allowed'), 'consentRequired', /^Could not create the app registration "Not allowed"/, /administrator/);
      assert.equal(err.code, 'Authorization_RequestDenied');
      assert.equal(err.statusCode, 403);
    });

    it('reports a deleted or unknown object as notFound', async () => {
      await rejectsWith(listClientSecrets(graph, randomUUID()), 'notFound');
      await rejectsWith(listClientSecrets(graph, 'not-a-guid'), 'invalidInput', /not a GUID/);
    });

    it('reports an unknown client id (AADSTS700016) and an unknown tenant (AADSTS90002)', async () => {
      const unknownApp = await servicePrincipalCredential(cloud, tenantId, randomUUID(), 'Some~secret-value-1234567890');
      const a = await rejectsWith(unknownApp.getToken(cloud.graphScope), 'authentication', /application .* was not found/);
      assert.equal(a.code, 'AADSTS700016');
      const unknownTenant = await servicePrincipalCredential(cloud, randomUUID(), sandbox.endpoints.admin.clientId, sandbox.endpoints.admin.clientSecret);
      const t = await rejectsWith(unknownTenant.getToken(cloud.graphScope), 'authentication', /tenant was not found/);
      assert.equal(t.code, 'AADSTS90002');
    });

    it('reports an expired client secret (AADSTS7000222) once the sandbox clock passes its end date', async () => {
      const ep = sandbox.endpoints;
      const before = await servicePrincipalCredential(cloud, tenantId, ep.expiringApp.clientId, ep.expiringApp.clientSecret);
      assert.ok(await before.getToken(cloud.managedHsmScope));
      const moved = await sandbox.control('POST', '/clock', { advanceDays: 6 });
      assert.equal(moved.status, 200);
      const after = await servicePrincipalCredential(cloud, tenantId, ep.expiringApp.clientId, ep.expiringApp.clientSecret);
      const err = await rejectsWith(after.getToken(cloud.managedHsmScope), 'authentication', /has expired/, /new client secret/);
      assert.equal(err.code, 'AADSTS7000222');
      assert.ok(!err.message.includes(ep.expiringApp.clientSecret) && !err.detail.includes(ep.expiringApp.clientSecret));
    });
  });
});
