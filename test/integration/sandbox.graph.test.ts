import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { UsernamePasswordCredential, type TokenCredential } from '@azure/identity';
import { httpsJson, startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, appCredential, graphScope, hsmScope, userCredential } from '../support/azureClients';
import { graphClient, graphError, type GraphResponse, type GraphTestClient } from '../support/graphClient';

// The sandbox's Microsoft Graph, driven through the real Azure pipeline with tokens from the real
// @azure/identity, as the administrator's automation app and as the administrator signed in to
// VS Code's public client.

interface ApplicationBody {
  '@odata.context': string;
  id: string;
  appId: string;
  displayName: string;
  signInAudience: string;
  createdDateTime: string;
  passwordCredentials: PasswordCredentialBody[];
  keyCredentials: unknown[];
}

interface PasswordCredentialBody {
  keyId: string;
  displayName: string | null;
  hint: string;
  secretText: string | null;
  startDateTime: string;
  endDateTime: string;
  customKeyIdentifier: null;
}

interface ServicePrincipalBody {
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType: string;
  appOwnerOrganizationId: string;
  servicePrincipalNames: string[];
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected the call to fail');
}

function expectError(res: GraphResponse, status: number, code: string, message?: RegExp | string): void {
  assert.equal(res.status, status, `status of ${JSON.stringify(res.body)}`);
  const error = graphError(res);
  assert.equal(error.code, code);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  const inner = (res.body as { error: { innerError?: Record<string, string> } }).error.innerError;
  assert.ok(inner?.['request-id'] && inner.date, 'Graph errors carry innerError with date and request-id');
}

describe('sandbox: Microsoft Graph', function () {
  let sandbox: SandboxHandle;
  let asAdminApp: GraphTestClient;
  let asAdminUser: GraphTestClient;

  before(async function () {
    sandbox = await startSandboxProcess();
    asAdminApp = graphClient(sandbox.endpoints, sandbox.caPem, adminCredential(sandbox.endpoints, sandbox.caPem));
    asAdminUser = graphClient(sandbox.endpoints, sandbox.caPem, userCredential(sandbox.endpoints, sandbox.caPem));
  });

  after(async function () {
    await sandbox?.stop();
  });

  const clientFor = (credential: TokenCredential) => graphClient(sandbox.endpoints, sandbox.caPem, credential);

  describe('authentication', function () {
    it('answers missing, malformed, forged and wrong-audience tokens with 401 InvalidAuthenticationToken', async function () {
      const url = `${sandbox.endpoints.graphEndpoint}/v1.0/applications`;
      const call = (authorization?: string) => httpsJson('GET', url, sandbox.caPem, undefined, authorization ? { authorization } : {});
      const asGraph = (res: Awaited<ReturnType<typeof call>>): GraphResponse => ({ status: res.status, body: res.body, headers: {} });

      const missing = await call();
      expectError(asGraph(missing), 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      assert.match(String(missing.headers['www-authenticate']), /^Bearer realm="", authorization_uri="https:\/\/.+\/common\/oauth2\/authorize", client_id="00000003-0000-0000-c000-000000000000"$/);
      expectError(asGraph(await call('Bearer not-a-jwt')), 401, 'InvalidAuthenticationToken', /^CompactToken parsing failed/);

      const hsmToken = (await adminCredential(sandbox.endpoints, sandbox.caPem).getToken(hsmScope)).token;
      expectError(asGraph(await call(`Bearer ${hsmToken}`)), 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');

      const graphToken = (await adminCredential(sandbox.endpoints, sandbox.caPem).getToken(graphScope)).token;
      const [h, p] = graphToken.split('.');
      const forged = `${h}.${p}.${Buffer.from('forged-signature').toString('base64url')}`;
      expectError(asGraph(await call(`Bearer ${forged}`)), 401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    });

    it('serves /me to user tokens and refuses it to app-only tokens with 400 BadRequest', async function () {
      const ep = sandbox.endpoints;
      const me = await asAdminUser.send('GET', '/v1.0/me');
      assert.equal(me.status, 200);
      const user = me.body as Record<string, unknown>;
      assert.equal(user.id, ep.admin.userObjectId);
      assert.equal(user.userPrincipalName, ep.admin.username);
      assert.match(String(user['@odata.context']), /\/v1\.0\/\$metadata#users\/\$entity$/);

      expectError(await asAdminApp.send('GET', '/v1.0/me'), 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    });

    it('serves /organization with the tenant and its default domain', async function () {
      const res = await asAdminApp.send('GET', '/v1.0/organization');
      assert.equal(res.status, 200);
      const [org] = (res.body as { value: Record<string, unknown>[] }).value;
      assert.equal(org.id, sandbox.endpoints.tenantId);
      assert.deepEqual((org.verifiedDomains as { name: string; isDefault: boolean }[]).map((d) => [d.name, d.isDefault]), [['contoso.onmicrosoft.com', true]]);
    });
  });

  describe('app registration as the administrator automation app (client credentials)', function () {
    let app: ApplicationBody;
    let password: PasswordCredentialBody;
    let sp: ServicePrincipalBody;
    const displayName = `secret-server-${randomUUID().slice(0, 8)}`;

    it('creates an application owned by the caller', async function () {
      const res = await asAdminApp.send('POST', '/v1.0/applications', { displayName, signInAudience: 'AzureADMyOrg' });
      assert.equal(res.status, 201);
      app = res.body as ApplicationBody;
      assert.match(app.id, guid);
      assert.match(app.appId, guid);
      assert.notEqual(app.id, app.appId);
      assert.equal(app.displayName, displayName);
      assert.equal(app.signInAudience, 'AzureADMyOrg');
      assert.ok(Date.parse(app.createdDateTime) > 0);
      assert.deepEqual(app.passwordCredentials, []);
      assert.deepEqual(app.keyCredentials, []);
      assert.match(app['@odata.context'], /\/v1\.0\/\$metadata#applications\/\$entity$/);

      const owners = await asAdminApp.send('GET', `/v1.0/applications/${app.id}/owners`);
      assert.equal(owners.status, 200);
      assert.deepEqual((owners.body as { value: { id: string }[] }).value.map((o) => o.id), [sandbox.endpoints.admin.objectId]);
    });

    it('reads it back by object id and by appId', async function () {
      const byId = await asAdminApp.send('GET', `/v1.0/applications/${app.id}`);
      assert.equal(byId.status, 200);
      assert.equal((byId.body as ApplicationBody).appId, app.appId);
      const byAppId = await asAdminApp.send('GET', `/v1.0/applications(appId='${app.appId}')`);
      assert.equal(byAppId.status, 200);
      assert.equal((byAppId.body as ApplicationBody).id, app.id);
    });

    it('adds a password whose secret text is returned once, valid for two years by default', async function () {
      const res = await asAdminApp.send('POST', `/v1.0/applications/${app.id}/addPassword`, { passwordCredential: { displayName: 'secret-server' } });
      assert.equal(res.status, 200);
      password = res.body as PasswordCredentialBody;
      assert.match(password.keyId, guid);
      assert.equal(password.displayName, 'secret-server');
      assert.equal(typeof password.secretText, 'string');
      assert.ok(password.secretText!.length >= 16);
      assert.equal(password.hint, password.secretText!.slice(0, 3));
      assert.equal(password.customKeyIdentifier, null);
      const start = new Date(password.startDateTime);
      const end = new Date(password.endDateTime);
      const expectedEnd = new Date(start);
      expectedEnd.setUTCFullYear(expectedEnd.getUTCFullYear() + 2);
      assert.equal(end.getTime(), expectedEnd.getTime());

      const read = (await asAdminApp.send('GET', `/v1.0/applications/${app.id}?$select=id,passwordCredentials`)).body as Record<string, unknown>;
      assert.deepEqual(Object.keys(read).filter((k) => !k.startsWith('@')), ['id', 'passwordCredentials']);
      const [stored] = read.passwordCredentials as PasswordCredentialBody[];
      assert.equal(stored.keyId, password.keyId);
      assert.equal(stored.hint, password.hint);
      assert.equal(stored.secretText, null, 'the secret is never shown again');
      assert.equal(stored.endDateTime, password.endDateTime);
    });

    it('has no service principal until one is created; then resolves it by appId', async function () {
      expectError(await asAdminApp.send('GET', `/v1.0/servicePrincipals(appId='${app.appId}')`), 404, 'Request_ResourceNotFound', /does not exist or one of its queried reference-property objects are not present/);
      const tokenless = await rejection(() => appCredential(sandbox.endpoints, sandbox.caPem, app.appId, password.secretText!).getToken(hsmScope));
      assert.match(tokenless.message, /AADSTS7000229/);

      const created = await asAdminApp.send('POST', '/v1.0/servicePrincipals', { appId: app.appId });
      assert.equal(created.status, 201);
      sp = created.body as ServicePrincipalBody;
      assert.match(sp.id, guid);
      assert.notEqual(sp.id, app.id);
      assert.equal(sp.appId, app.appId);
      assert.equal(sp.displayName, displayName);
      assert.equal(sp.servicePrincipalType, 'Application');
      assert.equal(sp.appOwnerOrganizationId, sandbox.endpoints.tenantId);
      assert.deepEqual(sp.servicePrincipalNames, [app.appId]);

      const byAppId = await asAdminApp.send('GET', `/v1.0/servicePrincipals(appId='${app.appId}')`);
      assert.equal((byAppId.body as ServicePrincipalBody).id, sp.id);
      const byId = await asAdminApp.send('GET', `/v1.0/servicePrincipals/${sp.id}`);
      assert.equal((byId.body as ServicePrincipalBody).appId, app.appId);
      const filtered = await asAdminApp.send('GET', `/v1.0/servicePrincipals?$filter=appId eq '${app.appId}'`);
      assert.deepEqual((filtered.body as { value: ServicePrincipalBody[] }).value.map((s) => s.id), [sp.id]);
      const byName = await asAdminApp.send('GET', `/v1.0/servicePrincipals?$filter=servicePrincipalNames/any(c:c eq '${app.appId}')`);
      assert.deepEqual((byName.body as { value: ServicePrincipalBody[] }).value.map((s) => s.id), [sp.id]);
    });

    it('lets the new secret sign in at once; its token names the service principal and has no Graph rights', async function () {
      const credential = appCredential(sandbox.endpoints, sandbox.caPem, app.appId, password.secretText!);
      const token = await credential.getToken(graphScope);
      const claims = claimsOf(token.token);
      assert.equal(claims.oid, sp.id);
      assert.equal(claims.appid, app.appId);
      assert.equal(claims.roles, undefined);
      expectError(await clientFor(credential).send('GET', '/v1.0/applications'), 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    });

    it('refuses a second service principal for the same app (409) and one for an unknown appId (400)', async function () {
      const before = await sandbox.digest();
      expectError(
        await asAdminApp.send('POST', '/v1.0/servicePrincipals', { appId: app.appId }),
        409,
        'Request_MultipleObjectsWithSameKeyValue',
        `The service principal cannot be created, updated, or restored because the service principal name ${app.appId} is already in use.`,
      );
      const unknown = randomUUID();
      expectError(
        await asAdminApp.send('POST', '/v1.0/servicePrincipals', { appId: unknown }),
        400,
        'Request_BadRequest',
        `The appId '${unknown}' of the service principal does not reference a valid application object.`,
      );
      assert.equal(await sandbox.digest(), before);
    });

    it('filters, selects and pages the application list', async function () {
      const byAppId = await asAdminApp.send('GET', `/v1.0/applications?$filter=appId eq '${app.appId}'`);
      assert.deepEqual((byAppId.body as { value: ApplicationBody[] }).value.map((a) => a.id), [app.id]);
      const byName = await asAdminApp.send('GET', `/v1.0/applications?$filter=displayName eq '${displayName}'&$select=id,appId`);
      const [selected] = (byName.body as { value: Record<string, unknown>[] }).value;
      assert.deepEqual(selected, { id: app.id, appId: app.appId });
      assert.match(String((byName.body as Record<string, unknown>)['@odata.context']), /#applications\(id,appId\)$/);
      const prefix = await asAdminApp.send('GET', `/v1.0/applications?$filter=startswith(displayName,'secret-server-')`);
      assert.ok((prefix.body as { value: ApplicationBody[] }).value.some((a) => a.id === app.id));
      const none = await asAdminApp.send('GET', `/v1.0/applications?$filter=appId eq '${randomUUID()}'`);
      assert.deepEqual((none.body as { value: unknown[] }).value, []);

      const all = ((await asAdminApp.send('GET', '/v1.0/applications')).body as { value: ApplicationBody[] }).value;
      assert.ok(all.length >= 3);
      assert.ok(!all.some((a) => a.appId === sandbox.endpoints.publicClientIds.vscode), "Microsoft's first-party apps are not the tenant's registrations");
      const seen: string[] = [];
      let next: string | undefined = '/v1.0/applications?$top=1&$select=id';
      let pages = 0;
      while (next) {
        const res = await asAdminApp.send('GET', next);
        assert.equal(res.status, 200);
        const body = res.body as { value: { id: string }[]; '@odata.nextLink'?: string };
        assert.ok(body.value.length <= 1);
        seen.push(...body.value.map((a) => a.id));
        next = body['@odata.nextLink'];
        if (next) assert.match(next, /\$skiptoken=/);
        pages++;
      }
      assert.equal(pages, all.length);
      assert.deepEqual(seen, all.map((a) => a.id));
    });

    it('removes the password: its secret is refused with AADSTS7000215 and a second removal fails', async function () {
      const res = await asAdminApp.send('POST', `/v1.0/applications(appId='${app.appId}')/removePassword`, { keyId: password.keyId });
      assert.equal(res.status, 204);
      const err = await rejection(() => appCredential(sandbox.endpoints, sandbox.caPem, app.appId, password.secretText!).getToken(hsmScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, /AADSTS7000215/);
      const again = await asAdminApp.send('POST', `/v1.0/applications/${app.id}/removePassword`, { keyId: password.keyId });
      expectError(again, 400, 'Request_BadRequest', `No password credential found with keyId ${password.keyId}.`);
    });

    it('deletes the application together with its service principal', async function () {
      const fresh = (await asAdminApp.send('POST', `/v1.0/applications/${app.id}/addPassword`, {})).body as PasswordCredentialBody;
      assert.equal((await asAdminApp.send('DELETE', `/v1.0/applications/${app.id}`)).status, 204);
      expectError(await asAdminApp.send('GET', `/v1.0/applications/${app.id}`), 404, 'Request_ResourceNotFound', `Resource '${app.id}' does not exist or one of its queried reference-property objects are not present.`);
      expectError(await asAdminApp.send('GET', `/v1.0/servicePrincipals/${sp.id}`), 404, 'Request_ResourceNotFound');
      const err = await rejection(() => appCredential(sandbox.endpoints, sandbox.caPem, app.appId, fresh.secretText!).getToken(hsmScope));
      assert.match(err.message, /AADSTS700016/);
    });
  });

  describe('app registration as the administrator signed in to VS Code (password grant)', function () {
    it('creates an app, a time-boxed password and a service principal, owned by the user', async function () {
      const ep = sandbox.endpoints;
      const created = await asAdminUser.send('POST', '/v1.0/applications', { displayName: 'user-made-app' });
      assert.equal(created.status, 201);
      const app = created.body as ApplicationBody;
      assert.equal(app.signInAudience, 'AzureADMyOrg', 'the default audience');
      const owners = (await asAdminUser.send('GET', `/v1.0/applications(appId='${app.appId}')/owners`)).body as { value: { id: string; '@odata.type': string }[] };
      assert.deepEqual(owners.value.map((o) => [o.id, o['@odata.type']]), [[ep.admin.userObjectId, '#microsoft.graph.user']]);

      const clock = (await sandbox.control('GET', '/clock')).body as { nowSeconds: number };
      const end = new Date((clock.nowSeconds + 30 * 86_400) * 1000).toISOString();
      const added = await asAdminUser.send('POST', `/v1.0/applications(appId='${app.appId}')/addPassword`, { passwordCredential: { displayName: 'thirty days', endDateTime: end } });
      assert.equal(added.status, 200);
      const password = added.body as PasswordCredentialBody;
      assert.equal(Date.parse(password.endDateTime), Date.parse(end));

      const sp = await asAdminUser.send('POST', '/v1.0/servicePrincipals', { appId: app.appId });
      assert.equal(sp.status, 201);
      const token = await appCredential(ep, sandbox.caPem, app.appId, password.secretText!).getToken(hsmScope);
      assert.equal(claimsOf(token.token).oid, (sp.body as ServicePrincipalBody).id);
    });
  });

  describe('authorisation', function () {
    it('refuses app creation to a principal without Graph application permissions (403), changing nothing', async function () {
      const ep = sandbox.endpoints;
      const before = await sandbox.digest();
      const expiring = clientFor(appCredential(ep, sandbox.caPem, ep.expiringApp.clientId, ep.expiringApp.clientSecret));
      expectError(await expiring.send('POST', '/v1.0/applications', { displayName: 'not allowed' }), 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      expectError(await expiring.send('GET', `/v1.0/servicePrincipals(appId='${ep.admin.clientId}')`), 403, 'Authorization_RequestDenied');
      assert.equal(await sandbox.digest(), before);
    });

    it('refuses writes to a user token that carries only User.Read', async function () {
      const ep = sandbox.endpoints;
      const credential = userCredential(ep, sandbox.caPem);
      const narrow = graphClientWithScope(credential, 'https://graph.microsoft.com/User.Read');
      assert.equal((await narrow.send('GET', '/v1.0/me')).status, 200);
      expectError(await narrow.send('POST', '/v1.0/applications', { displayName: 'needs Application.ReadWrite.All' }), 403, 'Authorization_RequestDenied');
      expectError(await narrow.send('GET', '/v1.0/applications'), 403, 'Authorization_RequestDenied');
    });

    it('cannot even get a Graph token for a user who never consented (AADSTS65001 consent_required)', async function () {
      const ep = sandbox.endpoints;
      const operator = new UsernamePasswordCredential(ep.tenantId, ep.publicClientIds.vscode, ep.operator.username, ep.operator.password, {
        authorityHost: ep.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: sandbox.caPem },
      } as ConstructorParameters<typeof UsernamePasswordCredential>[4]);
      const err = await rejection(() => clientFor(operator).send('POST', '/v1.0/applications', { displayName: 'never' }));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, /AADSTS65001/);
    });

    function graphClientWithScope(credential: TokenCredential, scope: string): GraphTestClient {
      const scoped: TokenCredential = { getToken: (_scopes, options) => credential.getToken(scope, options) };
      return clientFor(scoped);
    }
  });

  describe('input validation (400s that change nothing)', function () {
    it('refuses bad application bodies and addresses with Graph error codes', async function () {
      const before = await sandbox.digest();
      expectError(await asAdminApp.send('POST', '/v1.0/applications', {}), 400, 'Request_BadRequest', "A value is required for property 'displayName' of resource 'Application'.");
      expectError(await asAdminApp.send('POST', '/v1.0/applications', { displayName: 42 }), 400, 'BadRequest', /Cannot convert a primitive value to the expected type 'Edm.String'/);
      expectError(await asAdminApp.send('POST', '/v1.0/applications', '{"displayName": "x"'), 400, 'BadRequest', /^Unable to read JSON request payload/);
      expectError(await asAdminApp.send('POST', '/v1.0/applications', '[]'), 400, 'BadRequest', /^Unable to read JSON request payload/);
      expectError(await asAdminApp.send('POST', '/v1.0/applications', { displayName: 'x', colour: 'blue' }), 400, 'BadRequest', /The property 'colour' does not exist on type 'microsoft.graph.application'/);
      expectError(await asAdminApp.send('POST', '/v1.0/applications', { displayName: 'x', signInAudience: 'Everyone' }), 400, 'Request_BadRequest', "Invalid value specified for property 'signInAudience' of resource 'Application'.");
      expectError(await asAdminApp.send('POST', '/v1.0/applications', { displayName: 'x', appId: randomUUID() }), 400, 'Request_BadRequest', "Property 'appId' is read-only and cannot be set.");
      expectError(await asAdminApp.send('GET', '/v1.0/applications/not-a-guid'), 400, 'Request_BadRequest', "Invalid object identifier 'not-a-guid'.");
      expectError(await asAdminApp.send('GET', `/v1.0/applications/${randomUUID()}`), 404, 'Request_ResourceNotFound');
      expectError(await asAdminApp.send('GET', '/v1.0/applications?$filter=notes eq \'x\''), 400, 'Request_UnsupportedQuery', "Unsupported or invalid query filter clause specified for property 'notes' of resource 'Application'.");
      expectError(await asAdminApp.send('GET', '/v1.0/applications?$filter=colour eq \'x\''), 400, 'BadRequest', /Could not find a property named 'colour'/);
      expectError(await asAdminApp.send('GET', '/v1.0/applications?$filter=appId eq'), 400, 'BadRequest', /^Invalid filter clause: Syntax error/);
      expectError(await asAdminApp.send('GET', '/v1.0/applications?$top=1000'), 400, 'Request_BadRequest', /Must be between 1 and 999 inclusive/);
      expectError(await asAdminApp.send('GET', '/v1.0/applications?$select=id,colour'), 400, 'BadRequest', /Could not find a property named 'colour' on type 'microsoft.graph.application'/);
      expectError(await asAdminApp.send('GET', '/v1.0/applications?$skiptoken=garbage'), 400, 'Request_BadRequest');
      assert.equal(await sandbox.digest(), before);
    });

    it('refuses bad addPassword and removePassword payloads', async function () {
      const ep = sandbox.endpoints;
      const target = `/v1.0/applications(appId='${ep.expiringApp.clientId}')`;
      const before = await sandbox.digest();
      expectError(
        await asAdminApp.send('POST', `${target}/addPassword`, { passwordCredential: { startDateTime: '2030-01-02T00:00:00Z', endDateTime: '2030-01-01T00:00:00Z' } }),
        400,
        'Request_BadRequest',
        "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.",
      );
      expectError(await asAdminApp.send('POST', `${target}/addPassword`, { passwordCredential: { endDateTime: 'next tuesday' } }), 400, 'BadRequest', /Edm.DateTimeOffset/);
      expectError(await asAdminApp.send('POST', `${target}/addPassword`, { password: {} }), 400, 'BadRequest', "The parameter 'password' in the request payload is not a valid parameter for the operation 'addPassword'.");
      expectError(await asAdminApp.send('POST', `${target}/addPassword`, { passwordCredential: 'x' }), 400, 'BadRequest');
      expectError(await asAdminApp.send('POST', `${target}/removePassword`, { keyId: 'abc' }), 400, 'BadRequest', "Cannot convert the literal 'abc' to the expected type 'Edm.Guid'.");
      expectError(await asAdminApp.send('POST', `${target}/removePassword`, {}), 400, 'BadRequest');
      const unknownKey = randomUUID();
      expectError(await asAdminApp.send('POST', `${target}/removePassword`, { keyId: unknownKey }), 400, 'Request_BadRequest', `No password credential found with keyId ${unknownKey}.`);
      expectError(await asAdminApp.send('POST', `/v1.0/applications(appId='${randomUUID()}')/addPassword`, {}), 404, 'Request_ResourceNotFound');
      assert.equal(await sandbox.digest(), before);
    });
  });

  describe('expiry on the sandbox clock', function () {
    it('a password added through Graph stops working when it expires', async function () {
      const ep = sandbox.endpoints;
      const created = (await asAdminApp.send('POST', '/v1.0/applications', { displayName: 'short-lived' })).body as ApplicationBody;
      const clock = (await sandbox.control('GET', '/clock')).body as { nowSeconds: number };
      const end = new Date((clock.nowSeconds + 86_400) * 1000).toISOString();
      const password = (await asAdminApp.send('POST', `/v1.0/applications/${created.id}/addPassword`, { passwordCredential: { endDateTime: end } })).body as PasswordCredentialBody;
      assert.equal((await asAdminApp.send('POST', '/v1.0/servicePrincipals', { appId: created.appId })).status, 201);
      assert.ok((await appCredential(ep, sandbox.caPem, created.appId, password.secretText!).getToken(hsmScope)).token);

      assert.equal((await sandbox.control('POST', '/clock', { advanceDays: 2 })).status, 200);

      const err = await rejection(() => appCredential(ep, sandbox.caPem, created.appId, password.secretText!).getToken(hsmScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, new RegExp(`AADSTS7000222: The provided client secret keys for app '${created.appId}' are expired`));

      // Graph itself keeps working: access-token lifetimes run on the real clock.
      assert.equal((await asAdminApp.send('GET', `/v1.0/applications/${created.id}`)).status, 200);
    });
  });
});
