import * as assert from 'node:assert/strict';
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsernamePasswordCredential } from '@azure/identity';
import type { RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { ManagedHsm } from '@azure/arm-keyvault';
import { httpsJson, startSandboxProcess, type SandboxEndpoints, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, appCredential, armKeyVault, armScope, hsmScope, subscriptionClient, userCredential } from '../support/azureClients';

// The sandbox's Azure Resource Manager, driven by the real @azure/arm-resources-subscriptions and
// @azure/arm-keyvault clients, plus raw requests for what the SDKs never send.

const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (err) {
    return err as RestError;
  }
  assert.fail('expected the call to be refused');
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('sandbox: Azure Resource Manager', function () {
  let handle: SandboxHandle;
  let ep: SandboxEndpoints;
  let ca: string;
  let subscriptionId: string;

  before(async function () {
    handle = await startSandboxProcess();
    ep = handle.endpoints;
    ca = handle.caPem;
    subscriptionId = ep.subscriptions[0].id;
  });

  after(async () => {
    await handle?.stop();
  });

  const bearer = async (credential: TokenCredential, scope = armScope) => ({ authorization: `Bearer ${(await credential.getToken(scope))!.token}` });
  const arm = (path: string) => `${ep.armEndpoint}${path}`;

  for (const who of ['the admin app', 'the admin user'] as const) {
    describe(`as ${who}`, () => {
      let credential: TokenCredential;
      before(() => {
        credential = who === 'the admin app' ? adminCredential(ep, ca) : userCredential(ep, ca);
      });

      it('lists and gets the subscription and lists the tenant through SubscriptionClient', async () => {
        const client = subscriptionClient(ep, ca, credential);
        const subscriptions = await all(client.subscriptions.list());
        assert.deepEqual(
          subscriptions.map((s) => [s.subscriptionId, s.displayName, s.tenantId, s.state]),
          ep.subscriptions.map((s) => [s.id, s.name, ep.tenantId, 'Enabled']),
        );
        assert.equal(subscriptions[0].id, `/subscriptions/${subscriptionId}`);
        assert.equal(subscriptions[0].authorizationSource, 'RoleBased');

        const one = await client.subscriptions.get(subscriptionId);
        assert.equal(one.displayName, ep.subscriptions[0].name);
        assert.equal(one.subscriptionPolicies?.spendingLimit, 'Off');

        // The user is also a guest of the tenant that requires MFA: ARM lists it all the same.
        const tenants = (await all(client.tenants.list())).sort((a, b) => Number(b.tenantId === ep.tenantId) - Number(a.tenantId === ep.tenantId));
        assert.deepEqual(
          tenants.map((t) => t.tenantId),
          who === 'the admin app' ? [ep.tenantId] : [ep.tenantId, ep.mfaTenant?.id],
        );
        assert.equal(tenants[0].id, `/tenants/${ep.tenantId}`);
        assert.equal(tenants[0].tenantId, ep.tenantId);
        assert.equal(tenants[0].tenantCategory, 'Home');
        assert.equal(tenants[0].defaultDomain, 'contoso.onmicrosoft.com');
        assert.deepEqual(tenants[0].domains, ['contoso.onmicrosoft.com']);
      });

      it('lists Managed HSMs by subscription and resource group and gets each one, in the ARM shape', async () => {
        const client = armKeyVault(ep, ca, credential, subscriptionId);
        const bySubscription = await all(client.managedHsms.listBySubscription());
        assert.deepEqual(bySubscription.map((h) => h.name).sort(), ep.hsms.map((h) => h.name).sort());

        for (const expected of ep.hsms) {
          const inGroup = await all(client.managedHsms.listByResourceGroup(expected.resourceGroup));
          assert.deepEqual(inGroup.map((h) => h.name), [expected.name]);

          const hsm: ManagedHsm = await client.managedHsms.get(expected.resourceGroup, expected.name);
          assert.equal(hsm.id, `/subscriptions/${subscriptionId}/resourceGroups/${expected.resourceGroup}/providers/Microsoft.KeyVault/managedHSMs/${expected.name}`);
          assert.equal(hsm.type, 'Microsoft.KeyVault/managedHSMs');
          assert.equal(hsm.location, expected.location);
          assert.deepEqual(hsm.sku, { family: 'B', name: 'Standard_B1' });
          assert.equal(hsm.properties?.hsmUri, expected.uri);
          assert.equal(hsm.properties?.tenantId, ep.tenantId);
          assert.equal(hsm.properties?.provisioningState, 'Succeeded');
          assert.equal(hsm.properties?.statusMessage, 'The Managed HSM is provisioned and ready to use.');
          assert.equal(hsm.properties?.enableSoftDelete, true);
          assert.equal(hsm.properties?.securityDomainProperties?.activationStatus, expected.activated ? 'Active' : 'NotActivated');
          assert.ok(hsm.properties?.securityDomainProperties?.activationStatusMessage);
          assert.ok(hsm.properties?.initialAdminObjectIds?.includes(ep.admin.objectId));
          assert.ok(hsm.systemData?.createdAt instanceof Date && !Number.isNaN(hsm.systemData.createdAt.getTime()));
        }
        const active = ep.hsms.find((h) => h.activated)!;
        assert.equal((await client.managedHsms.get(active.resourceGroup, active.name)).properties?.enablePurgeProtection, true);
      });

      it('pages Managed HSMs one at a time with $top and an absolute nextLink on the ARM origin', async () => {
        const client = armKeyVault(ep, ca, credential, subscriptionId);
        const pages: ManagedHsm[][] = [];
        for await (const page of client.managedHsms.listBySubscription({ top: 1 }).byPage()) pages.push(page);
        assert.equal(pages.length, 2);
        assert.deepEqual(pages.map((p) => p.length), [1, 1]);
        assert.deepEqual(pages.flat().map((h) => h.name).sort(), ep.hsms.map((h) => h.name).sort());

        const first = await httpsJson('GET', arm(`/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/managedHSMs?api-version=2026-02-01&$top=1`), ca, undefined, await bearer(credential));
        const nextLink = (first.body as { nextLink: string }).nextLink;
        assert.ok(nextLink.startsWith(`${ep.armEndpoint}/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/managedHSMs?`), nextLink);
        assert.match(nextLink, /[?&]\$skiptoken=[^&]+/);
        const second = await httpsJson('GET', nextLink, ca, undefined, await bearer(credential));
        assert.equal(second.status, 200);
        assert.equal((second.body as { nextLink?: string }).nextLink, undefined);
      });
    });
  }

  it('lists and gets resource groups, with paths matched without regard to case', async () => {
    const headers = await bearer(adminCredential(ep, ca));
    const list = await httpsJson('GET', arm(`/subscriptions/${subscriptionId}/resourcegroups?api-version=2021-04-01`), ca, undefined, headers);
    assert.equal(list.status, 200);
    const groups = (list.body as { value: { id: string; name: string; type: string; location: string }[] }).value;
    assert.deepEqual(groups.map((g) => g.name).sort(), [...new Set(ep.hsms.map((h) => h.resourceGroup))].sort());
    assert.equal(groups[0].type, 'Microsoft.Resources/resourceGroups');

    const hsm = ep.hsms[0];
    const group = await httpsJson('GET', arm(`/subscriptions/${subscriptionId}/resourceGroups/${hsm.resourceGroup.toUpperCase()}?api-version=2021-04-01`), ca, undefined, headers);
    assert.equal(group.status, 200);
    assert.equal((group.body as { id: string }).id, `/subscriptions/${subscriptionId}/resourceGroups/${hsm.resourceGroup}`);

    const shouted = await httpsJson(
      'GET',
      arm(`/SUBSCRIPTIONS/${subscriptionId}/RESOURCEGROUPS/${hsm.resourceGroup.toUpperCase()}/providers/microsoft.keyvault/managedhsms/${hsm.name.toUpperCase()}?api-version=2026-02-01`),
      ca,
      undefined,
      headers,
    );
    assert.equal(shouted.status, 200);
    assert.equal((shouted.body as { name: string }).name, hsm.name);
  });

  it('answers unknown subscriptions, resource groups and HSMs with ARM 404s that the SDK surfaces as RestError', async () => {
    const credential = adminCredential(ep, ca);
    const keyVault = armKeyVault(ep, ca, credential, subscriptionId);
    const hsm = ep.hsms[0];

    const noGroup = await restError(keyVault.managedHsms.get('rg-does-not-exist', hsm.name));
    assert.equal(noGroup.statusCode, 404);
    assert.equal(noGroup.code, 'ResourceGroupNotFound');
    assert.match(noGroup.message, /Resource group 'rg-does-not-exist' could not be found\./);

    const noHsm = await restError(keyVault.managedHsms.get(hsm.resourceGroup, 'no-such-hsm'));
    assert.equal(noHsm.statusCode, 404);
    assert.equal(noHsm.code, 'ResourceNotFound');
    assert.match(noHsm.message, new RegExp(`The Resource 'Microsoft.KeyVault/managedHSMs/no-such-hsm' under resource group '${hsm.resourceGroup}' was not found`));

    const missingSubscription = randomUUID();
    const noSubscription = await restError(armKeyVault(ep, ca, credential, missingSubscription).managedHsms.get(hsm.resourceGroup, hsm.name));
    assert.equal(noSubscription.statusCode, 404);
    assert.equal(noSubscription.code, 'SubscriptionNotFound');
    const noSubscriptionGet = await restError(subscriptionClient(ep, ca, credential).subscriptions.get(missingSubscription));
    assert.equal(noSubscriptionGet.statusCode, 404);
    assert.equal(noSubscriptionGet.code, 'SubscriptionNotFound');
    assert.match(noSubscriptionGet.message, new RegExp(`The subscription '${missingSubscription}' could not be found\\.`));

    const malformed = await httpsJson('GET', arm('/subscriptions/not-a-guid/resourcegroups?api-version=2021-04-01'), ca, undefined, await bearer(credential));
    assert.equal(malformed.status, 400);
    assert.equal(errorOf(malformed.body).code, 'InvalidSubscriptionId');
  });

  it('refuses a principal with no role on the subscription with 403 AuthorizationFailed and hides the subscription', async () => {
    const outsider = appCredential(ep, ca, ep.expiringApp.clientId, ep.expiringApp.clientSecret);
    const denied = await restError(all(armKeyVault(ep, ca, outsider, subscriptionId).managedHsms.listBySubscription()));
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.code, 'AuthorizationFailed');
    // The list pager words its own message; the ARM one is on the wire and in get()'s RestError.
    const raw = await httpsJson('GET', arm(`/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/managedHSMs?api-version=2026-02-01`), ca, undefined, await bearer(outsider));
    assert.equal(raw.status, 403);
    assert.deepEqual(errorOf(raw.body), {
      code: 'AuthorizationFailed',
      message: `The client '${ep.expiringApp.objectId}' with object id '${ep.expiringApp.objectId}' does not have authorization to perform action 'Microsoft.KeyVault/managedHSMs/read' over scope '/subscriptions/${subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    });
    const hsm = ep.hsms[0];
    const deniedGet = await restError(armKeyVault(ep, ca, outsider, subscriptionId).managedHsms.get(hsm.resourceGroup, hsm.name));
    assert.equal(deniedGet.statusCode, 403);
    assert.equal(deniedGet.code, 'AuthorizationFailed');
    assert.match(deniedGet.message, new RegExp(`over scope '/subscriptions/${subscriptionId}/resourceGroups/${hsm.resourceGroup}/providers/Microsoft.KeyVault/managedHSMs/${hsm.name}'`));

    const subscriptions = subscriptionClient(ep, ca, outsider);
    assert.deepEqual(await all(subscriptions.subscriptions.list()), []);
    const hidden = await restError(subscriptions.subscriptions.get(subscriptionId));
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.code, 'SubscriptionNotFound');
  });

  it('requires api-version and a management token, with the ARM codes, messages and challenge', async () => {
    const admin = adminCredential(ep, ca);
    const noVersion = await httpsJson('GET', arm('/subscriptions'), ca, undefined, await bearer(admin));
    assert.equal(noVersion.status, 400);
    assert.deepEqual(noVersion.body, { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });

    const noToken = await httpsJson('GET', arm('/subscriptions?api-version=2022-12-01'), ca);
    assert.equal(noToken.status, 401);
    assert.deepEqual(noToken.body, { error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." } });
    assert.equal(
      noToken.headers['www-authenticate'],
      `Bearer authorization_uri="${ep.authorityHost}/", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`,
    );

    const basic = await httpsJson('GET', arm('/subscriptions?api-version=2022-12-01'), ca, undefined, { authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(errorOf(basic.body).code, 'AuthenticationFailed');

    const garbage = await httpsJson('GET', arm('/subscriptions?api-version=2022-12-01'), ca, undefined, { authorization: 'Bearer not.a.jwt' });
    assert.equal(garbage.status, 401);
    assert.equal(errorOf(garbage.body).code, 'InvalidAuthenticationToken');

    const hsmToken = await httpsJson('GET', arm('/subscriptions?api-version=2022-12-01'), ca, undefined, await bearer(admin, hsmScope));
    assert.equal(hsmToken.status, 401);
    assert.equal(errorOf(hsmToken.body).code, 'InvalidAuthenticationTokenAudience');
    assert.match(errorOf(hsmToken.body).message, /^The access token has been obtained for wrong audience or resource 'https:\/\/managedhsm\.azure\.net'\. It should exactly match with one of the allowed audiences 'https:\/\/management\.core\.windows\.net\/'/);
  });

  it('refuses an expired management token with ExpiredAuthenticationToken', async () => {
    // Access-token lifetimes run on the real clock (sandbox/entra/tokens.ts), so moving the sandbox
    // clock does not expire one. An expired token is made by re-signing a real one, with the
    // sandbox's own signing key, two hours in the past.
    const real = (await adminCredential(ep, ca).getToken(armScope))!.token;
    const [header, payload] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, number>;
    const now = Math.floor(Date.now() / 1000);
    Object.assign(claims, { iat: now - 7200, nbf: now - 7200, exp: now - 3601 });
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const key = createPrivateKey(fs.readFileSync(path.join(handle.stateDir, 'tls', 'token-signing.key'), 'utf8'));
    const expiredToken = `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;

    const url = arm(`/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/managedHSMs?api-version=2026-02-01`);
    const expired = await httpsJson('GET', url, ca, undefined, { authorization: `Bearer ${expiredToken}` });
    assert.equal(expired.status, 401);
    assert.equal(errorOf(expired.body).code, 'ExpiredAuthenticationToken');
    const expiry = new Date((now - 3601) * 1000);
    assert.match(errorOf(expired.body).message, /^The access token expiry UTC time '\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M' is earlier than current UTC time '.+'\.$/);
    assert.ok(errorOf(expired.body).message.includes(`${expiry.getUTCMonth() + 1}/${expiry.getUTCDate()}/${expiry.getUTCFullYear()} `));
    assert.match(String(expired.headers['www-authenticate']), /error="invalid_token", error_description="The access token has expired\."/);

    // Moving the sandbox clock forward does not make ARM refuse a fresh token.
    const fresh = await bearer(adminCredential(ep, ca));
    assert.equal((await handle.control('POST', '/clock', { advanceSeconds: 7200 })).status, 200);
    assert.equal((await httpsJson('GET', url, ca, undefined, fresh)).status, 200);
  });

  it('refuses a signed-in user with no role on the subscription, naming the user', async () => {
    const operator = ep.operator as { username: string; password: string; objectId: string };
    const credential = new UsernamePasswordCredential(ep.tenantId, ep.publicClientIds.vscode, operator.username, operator.password, {
      authorityHost: ep.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca },
    } as ConstructorParameters<typeof UsernamePasswordCredential>[4]);
    const hsm = ep.hsms[0];
    const denied = await restError(armKeyVault(ep, ca, credential, subscriptionId).managedHsms.get(hsm.resourceGroup, hsm.name));
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.code, 'AuthorizationFailed');
    assert.match(denied.message, new RegExp(`^The client '${operator.username}' with object id '${operator.objectId}' does not have authorization`));
  });
});
