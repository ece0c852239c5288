import * as assert from 'node:assert/strict';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { servicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { listSubscriptions, listTenants } from '../../src/azure/subscriptions';
import { getManagedHsm, listManagedHsms } from '../../src/azure/managedHsms';
import { VscodeSessionCredential } from '../../src/auth/vscodeSessionCredential';
import { sandboxAuthentication } from '../support/sandboxAuthentication';
import { rejectsActionable } from '../support/actionableAssertions';

// The ARM half of the access layer, through its public functions, against the sandbox over HTTPS
// with the CA trusted per client as the extension does it (cloud.caPem → tlsOptions).

const rejectsWith = rejectsActionable;

describe('access layer: tenants, subscriptions and Managed HSMs through ARM', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let cloud: AzureCloud;
  let admin: TokenCredential;
  let subscriptionId: string;

  before(async () => {
    sandbox = await startSandboxProcess();
    cloud = sandboxCloud(sandbox.endpoints, sandbox.caPem);
    const ep = sandbox.endpoints;
    admin = await servicePrincipalCredential(cloud, ep.tenantId, ep.admin.clientId, ep.admin.clientSecret);
    subscriptionId = ep.subscriptions[0].id;
  });
  after(async () => {
    await sandbox?.stop();
  });
  afterEach(async () => {
    await sandbox.control('DELETE', '/faults');
  });

  it('lists the tenants and subscriptions the admin can reach', async () => {
    const tenants = await listTenants(cloud, admin);
    assert.deepEqual(
      tenants.map((t) => t.tenantId),
      [sandbox.endpoints.tenantId],
    );
    const subs = await listSubscriptions(cloud, admin);
    assert.deepEqual(subs.failures, []);
    assert.equal(subs.items.length, 1);
    assert.equal(subs.items[0].subscriptionId, subscriptionId);
    assert.equal(subs.items[0].displayName, sandbox.endpoints.subscriptions[0].name);
    assert.equal(subs.items[0].tenantId, sandbox.endpoints.tenantId);
    assert.equal(subs.items[0].state, 'Enabled');
  });

  it('skips a tenant that fails and still lists the others', async () => {
    const ep = sandbox.endpoints;
    // One credential per tenant, as VS Code's VSCODE_TENANT sessions would be.
    const perTenant: TokenCredential = {
      async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
        const credential = await servicePrincipalCredential(cloud, options?.tenantId ?? ep.tenantId, ep.admin.clientId, ep.admin.clientSecret);
        return credential.getToken(scopes, { ...options, tenantId: undefined });
      },
    };
    const unknownTenant = '00000000-1111-2222-3333-444444444444';
    const subs = await listSubscriptions(cloud, perTenant, { tenantIds: [unknownTenant, ep.tenantId] });
    assert.deepEqual(
      subs.items.map((s) => s.subscriptionId),
      [subscriptionId],
    );
    assert.equal(subs.failures.length, 1);
    assert.equal(subs.failures[0].scope, unknownTenant);
    assert.equal(subs.failures[0].error.kind, 'authentication');
    assert.equal(subs.failures[0].error.code, 'AADSTS90002');
    assert.match(subs.failures[0].error.message, /tenant was not found/);
  });

  it('lists the HSMs of the subscription and of a resource group, with activation and protection', async () => {
    const hsms = await listManagedHsms(cloud, admin, subscriptionId);
    assert.deepEqual(
      hsms.map((h) => h.name),
      ['contoso-mhsm-eus', 'contoso-mhsm-weu'],
    );
    const [eus, weu] = hsms;
    const seeded = sandbox.endpoints.hsms.find((h) => h.name === 'contoso-mhsm-eus')!;
    assert.equal(eus.activated, true);
    assert.equal(eus.purgeProtection, true);
    assert.equal(eus.softDelete, true);
    assert.equal(eus.retention, 90);
    assert.equal(eus.location, 'eastus');
    assert.equal(eus.resourceGroup, 'rg-secretserver-eastus');
    assert.equal(eus.subscriptionId, subscriptionId);
    assert.equal(eus.tenantId, sandbox.endpoints.tenantId);
    assert.equal(new URL(eus.hsmUri).origin, new URL(seeded.uri).origin);
    assert.match(eus.id, /\/resourceGroups\/rg-secretserver-eastus\/providers\/Microsoft\.KeyVault\/managedHSMs\/contoso-mhsm-eus$/i);
    assert.equal(eus.provisioningState, 'Succeeded');
    assert.equal(weu.activated, false);
    assert.equal(weu.purgeProtection, false);

    const inGroup = await listManagedHsms(cloud, admin, subscriptionId, { resourceGroup: 'rg-hsm-westeurope' });
    assert.deepEqual(
      inGroup.map((h) => h.name),
      ['contoso-mhsm-weu'],
    );
  });

  it('gets one HSM, activated or not', async () => {
    const eus = await getManagedHsm(cloud, admin, subscriptionId, 'rg-secretserver-eastus', 'contoso-mhsm-eus');
    assert.equal(eus.activated, true);
    assert.equal(eus.activationStatus, 'Active');
    const weu = await getManagedHsm(cloud, admin, subscriptionId, 'rg-hsm-westeurope', 'contoso-mhsm-weu');
    assert.equal(weu.activated, false);
    assert.notEqual(weu.activationStatus, 'Active');
  });

  it('reports a missing HSM as notFound', async () => {
    const err = await rejectsWith(getManagedHsm(cloud, admin, subscriptionId, 'rg-secretserver-eastus', 'no-such-hsm'), 'notFound', /^Could not read the Managed HSM no-such-hsm/);
    assert.equal(err.code, 'ResourceNotFound');
    assert.equal(err.statusCode, 404);
  });

  it('reports a principal without an Azure role as forbidden (control plane), naming action and scope', async () => {
    const ep = sandbox.endpoints;
    const app = await servicePrincipalCredential(cloud, ep.tenantId, ep.expiringApp.clientId, ep.expiringApp.clientSecret);
    const subs = await listSubscriptions(cloud, app);
    assert.deepEqual(subs.items, []);
    // The paged listing of @azure/arm-keyvault 5 keeps only the code, not ARM's message: the path stands in.
    const listed = await rejectsWith(listManagedHsms(cloud, app, subscriptionId), 'forbidden', new RegExp(`/subscriptions/${subscriptionId}`), /subscription owner/);
    assert.equal(listed.code, 'AuthorizationFailed');
    assert.equal(listed.statusCode, 403);
    const read = await rejectsWith(
      getManagedHsm(cloud, app, subscriptionId, 'rg-secretserver-eastus', 'contoso-mhsm-eus'),
      'forbidden',
      /does not allow action Microsoft\.KeyVault\/managedHSMs\/read on \/subscriptions\/.*contoso-mhsm-eus/,
    );
    assert.equal(read.code, 'AuthorizationFailed');
  });

  it('reports throttling that outlasts the retries', async () => {
    await sandbox.control('POST', '/faults', { service: 'arm', method: 'GET', path: 'managedHSMs$', kind: 'throttle', retryAfterSeconds: 0 });
    const err = await rejectsWith(listManagedHsms(cloud, admin, subscriptionId), 'throttled', /429/);
    assert.equal(err.statusCode, 429);
  });

  it('reports a tenant whose subscription listing is unavailable as a failure, not as an exception', async () => {
    await sandbox.control('POST', '/faults', { service: 'arm', method: 'GET', path: '^/subscriptions$', kind: 'unavailable', retryAfterSeconds: 0 });
    const subs = await listSubscriptions(cloud, admin, { tenantIds: [sandbox.endpoints.tenantId] });
    assert.deepEqual(subs.items, []);
    assert.equal(subs.failures.length, 1);
    assert.equal(subs.failures[0].error.kind, 'unavailable');
    assert.equal(subs.failures[0].error.statusCode, 503);
  });

  it('reports a wrong client secret as authentication (AADSTS7000215) without echoing it', async () => {
    const ep = sandbox.endpoints;
    const wrongSecret = 'Wr0ng~secret-value-that-is-long-enough';
    const app = await servicePrincipalCredential(cloud, ep.tenantId, ep.expiringApp.clientId, wrongSecret);
    const err = await rejectsWith(listManagedHsms(cloud, app, subscriptionId), 'authentication', /client secret/, /AADSTS7000215/);
    assert.equal(err.code, 'AADSTS7000215');
    assert.ok(!err.message.includes(wrongSecret) && !err.detail.includes(wrongSecret));
  });

  it('works as the signed-in user through the VS Code credential, which asks for the ARM scope and tenant only', async () => {
    const auth = sandboxAuthentication(sandbox.endpoints, sandbox.caPem);
    const user = new VscodeSessionCredential(auth, cloud, { allowInteraction: false, tenantId: sandbox.endpoints.tenantId });
    const subs = await listSubscriptions(cloud, user);
    assert.deepEqual(
      subs.items.map((s) => s.subscriptionId),
      [subscriptionId],
    );
    // The admin is also a guest of the tenant whose Conditional Access requires MFA: listed by
    // ARM, refused a token by Entra, reported as that tenant's failure only.
    const mfaTenant = sandbox.endpoints.mfaTenant!.id;
    assert.deepEqual(
      subs.failures.map((f) => [f.scope, f.error.kind, f.error.code]),
      [[mfaTenant, 'authentication', 'AADSTS50076']],
    );
    assert.match(subs.failures[0].error.message, /Conditional Access or MFA policy blocked the sign-in/);
    const hsms = await listManagedHsms(cloud, user, subscriptionId);
    assert.equal(hsms.length, 2);
    assert.ok(auth.requests.length > 0);
    for (const r of auth.requests) {
      assert.equal(r.providerId, 'microsoft');
      assert.equal(r.scopes[0], cloud.armScope);
      assert.ok([`VSCODE_TENANT:${sandbox.endpoints.tenantId}`, `VSCODE_TENANT:${mfaTenant}`].includes(r.scopes[1]), r.scopes.join(' '));
      assert.equal(r.scopes.length, 2);
      assert.deepEqual(r.options, { silent: true });
    }
  });
});
