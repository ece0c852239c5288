import * as assert from 'node:assert/strict';
import { createPublicKey, randomUUID, verify, type JsonWebKey } from 'node:crypto';
import { ClientSecretCredential, UsernamePasswordCredential } from '@azure/identity';
import { httpsJson, startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, appCredential, armScope, graphScope, hsmScope, userCredential } from '../support/azureClients';

// The sandbox's Entra ID, driven by the real @azure/identity (MSAL underneath) and by plain HTTPS
// where the wire shape itself is the point.

interface Claims {
  aud: string;
  iss: string;
  tid: string;
  oid: string;
  sub: string;
  appid: string;
  azp: string;
  idtyp: string;
  iat: number;
  nbf: number;
  exp: number;
  scp?: string;
  roles?: string[];
  upn?: string;
}

function decode(token: string): { header: { alg: string; kid: string; typ: string }; claims: Claims } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')), claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) };
}

/** Checks the RS256 signature with the key the sandbox publishes at its jwks_uri. */
async function verifiesWithJwks(sandbox: SandboxHandle, token: string): Promise<boolean> {
  const { endpoints: ep, caPem } = sandbox;
  const meta = await httpsJson('GET', `${ep.authorityHost}/${ep.tenantId}/v2.0/.well-known/openid-configuration`, caPem);
  const jwks = await httpsJson('GET', (meta.body as { jwks_uri: string }).jwks_uri, caPem);
  const [h, p, s] = token.split('.');
  const { kid } = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { kid: string };
  const jwk = (jwks.body as { keys: (JsonWebKey & { kid: string })[] }).keys.find((k) => k.kid === kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
}

/** A raw form POST to the token endpoint, the way MSAL sends it. */
async function tokenRequest(sandbox: SandboxHandle, params: Record<string, string>, tenant = sandbox.endpoints.tenantId) {
  const body = new URLSearchParams(params).toString();
  const res = await httpsJson('POST', `${sandbox.endpoints.authorityHost}/${tenant}/oauth2/v2.0/token`, sandbox.caPem, body, {
    'content-type': 'application/x-www-form-urlencoded',
  });
  return { status: res.status, body: res.body as Record<string, unknown> };
}

/** Runs `fn`, expects it to reject, and returns the error. */
async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected the call to fail');
}

function passwordCredential(sandbox: SandboxHandle, username: string, password: string, tenant = sandbox.endpoints.tenantId): UsernamePasswordCredential {
  return new UsernamePasswordCredential(tenant, sandbox.endpoints.publicClientIds.vscode, username, password, {
    authorityHost: sandbox.endpoints.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: sandbox.caPem },
  } as ConstructorParameters<typeof UsernamePasswordCredential>[4]);
}

describe('sandbox: Entra ID token endpoint', function () {
  let sandbox: SandboxHandle;

  before(async function () {
    sandbox = await startSandboxProcess();
  });

  after(async function () {
    await sandbox?.stop();
  });

  describe('discovery', function () {
    it('serves OIDC metadata whose endpoints point at the sandbox', async function () {
      const { endpoints: ep, caPem } = sandbox;
      const res = await httpsJson('GET', `${ep.authorityHost}/${ep.tenantId}/v2.0/.well-known/openid-configuration`, caPem);
      assert.equal(res.status, 200);
      const meta = res.body as Record<string, string>;
      assert.equal(meta.token_endpoint, `${ep.authorityHost}/${ep.tenantId}/oauth2/v2.0/token`);
      assert.equal(meta.jwks_uri, `${ep.authorityHost}/${ep.tenantId}/discovery/v2.0/keys`);
      assert.equal(meta.issuer, `${ep.authorityHost}/${ep.tenantId}/v2.0`);
      assert.equal(meta.authorization_endpoint, `${ep.authorityHost}/${ep.tenantId}/oauth2/v2.0/authorize`);

      const organizations = await httpsJson('GET', `${ep.authorityHost}/organizations/v2.0/.well-known/openid-configuration`, caPem);
      assert.equal((organizations.body as Record<string, string>).issuer, `${ep.authorityHost}/{tenantid}/v2.0`);
    });

    it('publishes RSA signing keys as a JWKS', async function () {
      const { endpoints: ep, caPem } = sandbox;
      const res = await httpsJson('GET', `${ep.authorityHost}/${ep.tenantId}/discovery/v2.0/keys`, caPem);
      assert.equal(res.status, 200);
      const keys = (res.body as { keys: Record<string, string>[] }).keys;
      assert.ok(keys.length >= 1);
      assert.equal(keys[0].kty, 'RSA');
      assert.equal(keys[0].use, 'sig');
      assert.ok(keys[0].kid && keys[0].n && keys[0].e);
    });
  });

  describe('client credentials (ClientSecretCredential)', function () {
    it('issues an RS256 JWT for Graph, verifiable with the JWKS, with the app roles of the service principal', async function () {
      const ep = sandbox.endpoints;
      const token = await adminCredential(ep, sandbox.caPem).getToken(graphScope);
      const { header, claims } = decode(token.token);
      assert.equal(header.alg, 'RS256');
      assert.equal(header.typ, 'JWT');
      assert.equal(await verifiesWithJwks(sandbox, token.token), true);
      assert.equal(claims.aud, 'https://graph.microsoft.com');
      assert.equal(claims.tid, ep.tenantId);
      assert.equal(claims.oid, ep.admin.objectId, 'oid is the service principal object id');
      assert.equal(claims.appid, ep.admin.clientId);
      assert.equal(claims.azp, ep.admin.clientId);
      assert.equal(claims.idtyp, 'app');
      assert.ok(claims.roles?.includes('Application.ReadWrite.All'));
      assert.equal(claims.scp, undefined, 'app-only tokens carry no delegated scopes');
      assert.equal(claims.nbf, claims.iat);
      assert.equal(claims.exp - claims.iat, 3599);
      assert.ok(Math.abs(token.expiresOnTimestamp - claims.exp * 1000) < 2000, 'the SDK read expires_in consistently with exp');
    });

    it('rejects a token whose payload was altered when checked against the JWKS', async function () {
      const token = (await adminCredential(sandbox.endpoints, sandbox.caPem).getToken(graphScope)).token;
      const [h, p, s] = token.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Claims;
      claims.roles = ['Directory.ReadWrite.All'];
      const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
      assert.equal(await verifiesWithJwks(sandbox, forged), false);
    });

    it('gives a Managed HSM token the HSM audience and no Graph roles', async function () {
      const ep = sandbox.endpoints;
      const token = await appCredential(ep, sandbox.caPem, ep.expiringApp.clientId, ep.expiringApp.clientSecret).getToken(hsmScope);
      const { claims } = decode(token.token);
      assert.equal(claims.aud, 'https://managedhsm.azure.net');
      assert.equal(claims.oid, ep.expiringApp.objectId);
      assert.equal(claims.roles, undefined);
      assert.equal(await verifiesWithJwks(sandbox, token.token), true);
    });

    it('answers an unknown tenant with AADSTS90002 (400 invalid_request), surfaced by the SDK', async function () {
      const ep = sandbox.endpoints;
      const tenant = randomUUID();
      const err = await rejection(() => appCredential(ep, sandbox.caPem, ep.admin.clientId, ep.admin.clientSecret, tenant).getToken(graphScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, /AADSTS90002: Tenant '[0-9a-f-]+' not found/);

      const raw = await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: ep.admin.clientId, client_secret: ep.admin.clientSecret, scope: graphScope }, tenant);
      assert.equal(raw.status, 400);
      assert.equal(raw.body.error, 'invalid_request');
      assert.deepEqual(raw.body.error_codes, [90002]);
      const jwks = await httpsJson('GET', `${ep.authorityHost}/${tenant}/discovery/v2.0/keys`, sandbox.caPem);
      assert.equal(jwks.status, 400);
      assert.equal((jwks.body as Record<string, unknown>).error, 'invalid_tenant');
    });

    it('answers an unknown client id with AADSTS700016 (400 unauthorized_client)', async function () {
      const ep = sandbox.endpoints;
      const clientId = randomUUID();
      const err = await rejection(() => appCredential(ep, sandbox.caPem, clientId, ep.admin.clientSecret).getToken(graphScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, new RegExp(`AADSTS700016: Application with identifier '${clientId}' was not found`));
      const raw = await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: clientId, client_secret: 'x', scope: graphScope });
      assert.equal(raw.status, 400);
      assert.equal(raw.body.error, 'unauthorized_client');
      assert.equal(raw.body.error_uri, 'https://login.microsoftonline.com/error?code=700016');
    });

    it('answers a wrong client secret with AADSTS7000215 (401 invalid_client)', async function () {
      const ep = sandbox.endpoints;
      const err = await rejection(() => appCredential(ep, sandbox.caPem, ep.admin.clientId, `${ep.admin.clientSecret}x`).getToken(graphScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, /AADSTS7000215: Invalid client secret provided/);
      const raw = await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: ep.admin.clientId, client_secret: 'wrong', scope: graphScope });
      assert.equal(raw.status, 401);
      assert.equal(raw.body.error, 'invalid_client');
      assert.deepEqual(raw.body.error_codes, [7000215]);
      assert.match(String(raw.body.error_description), /\r\nTrace ID: [0-9a-f-]+\r\nCorrelation ID: [0-9a-f-]+\r\nTimestamp: /);
    });

    it('answers an unknown resource with AADSTS500011 and a non-.default client-credentials scope with AADSTS1002012', async function () {
      const ep = sandbox.endpoints;
      const err = await rejection(() => adminCredential(ep, sandbox.caPem).getToken('https://storage.azure.com/.default'));
      assert.match(err.message, /AADSTS500011: The resource principal named https:\/\/storage\.azure\.com was not found/);
      const raw = await tokenRequest(sandbox, {
        grant_type: 'client_credentials',
        client_id: ep.admin.clientId,
        client_secret: ep.admin.clientSecret,
        scope: 'https://graph.microsoft.com/User.Read',
      });
      assert.equal(raw.status, 400);
      assert.equal(raw.body.error, 'invalid_scope');
      assert.deepEqual(raw.body.error_codes, [1002012]);
    });

    it('refuses malformed token requests without changing any state', async function () {
      const before = await sandbox.digest();
      const noGrant = await tokenRequest(sandbox, { client_id: sandbox.endpoints.admin.clientId });
      assert.equal(noGrant.status, 400);
      assert.match(String(noGrant.body.error_description), /AADSTS900144: .*'grant_type'/);
      const odd = await tokenRequest(sandbox, { grant_type: 'urn:weird', client_id: sandbox.endpoints.admin.clientId });
      assert.equal(odd.body.error, 'unsupported_grant_type');
      const garbage = await httpsJson('POST', `${sandbox.endpoints.authorityHost}/${sandbox.endpoints.tenantId}/oauth2/v2.0/token`, sandbox.caPem, '\u0000%%%&&==', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      assert.equal(garbage.status, 400);
      assert.equal(await sandbox.digest(), before);
    });
  });

  describe('users (password and refresh_token grants, VS Code public client)', function () {
    it('signs the administrator in and issues a delegated Graph token verifiable with the JWKS', async function () {
      const ep = sandbox.endpoints;
      const token = await userCredential(ep, sandbox.caPem).getToken(graphScope);
      const { claims } = decode(token.token);
      assert.equal(await verifiesWithJwks(sandbox, token.token), true);
      assert.equal(claims.aud, 'https://graph.microsoft.com');
      assert.equal(claims.oid, ep.admin.userObjectId);
      assert.equal(claims.tid, ep.tenantId);
      assert.equal(claims.appid, ep.publicClientIds.vscode);
      assert.equal(claims.azp, ep.publicClientIds.vscode);
      assert.equal(claims.idtyp, 'user');
      assert.equal(claims.upn, ep.admin.username);
      assert.ok(claims.scp?.split(' ').includes('Application.ReadWrite.All'));
      assert.equal(claims.roles, undefined);
    });

    it('serves a second resource from the same sign-in (ARM), also through the organizations authority', async function () {
      const ep = sandbox.endpoints;
      const credential = passwordCredential(sandbox, ep.admin.username, ep.admin.password, 'organizations');
      const graph = decode((await credential.getToken(graphScope)).token).claims;
      const arm = decode((await credential.getToken(armScope)).token).claims;
      assert.equal(graph.aud, 'https://graph.microsoft.com');
      assert.equal(arm.aud, 'https://management.azure.com/');
      assert.equal(arm.scp, 'user_impersonation');
      assert.equal(arm.tid, ep.tenantId);
      assert.equal(arm.oid, ep.admin.userObjectId);
    });

    it('returns refresh tokens that redeem for any resource, bound to the client that got them', async function () {
      const ep = sandbox.endpoints;
      const vscode = ep.publicClientIds.vscode;
      const signIn = await tokenRequest(sandbox, {
        grant_type: 'password',
        client_id: vscode,
        username: ep.admin.username,
        password: ep.admin.password,
        scope: 'https://graph.microsoft.com/.default openid profile offline_access',
        client_info: '1',
      });
      assert.equal(signIn.status, 200);
      assert.equal(typeof signIn.body.refresh_token, 'string');
      assert.equal(typeof signIn.body.id_token, 'string');
      const clientInfo = JSON.parse(Buffer.from(String(signIn.body.client_info), 'base64url').toString('utf8')) as { uid: string; utid: string };
      assert.deepEqual(clientInfo, { uid: ep.admin.userObjectId, utid: ep.tenantId });

      const refreshed = await tokenRequest(sandbox, {
        grant_type: 'refresh_token',
        client_id: vscode,
        refresh_token: String(signIn.body.refresh_token),
        scope: 'https://management.core.windows.net//.default offline_access',
      });
      assert.equal(refreshed.status, 200);
      assert.equal(decode(String(refreshed.body.access_token)).claims.aud, 'https://management.core.windows.net/');
      assert.equal(typeof refreshed.body.refresh_token, 'string');

      const otherClient = await tokenRequest(sandbox, {
        grant_type: 'refresh_token',
        client_id: ep.publicClientIds.azureCli,
        refresh_token: String(signIn.body.refresh_token),
        scope: graphScope,
      });
      assert.equal(otherClient.status, 400);
      assert.equal(otherClient.body.error, 'invalid_grant');
      const bogus = await tokenRequest(sandbox, { grant_type: 'refresh_token', client_id: vscode, refresh_token: 'not-a-token', scope: graphScope });
      assert.equal(bogus.status, 400);
      assert.deepEqual(bogus.body.error_codes, [9002313]);
    });

    it('answers a wrong password with AADSTS50126 (400 invalid_grant), surfaced by the SDK', async function () {
      const ep = sandbox.endpoints;
      const err = await rejection(() => passwordCredential(sandbox, ep.admin.username, `${ep.admin.password}!`).getToken(graphScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, /AADSTS50126: Error validating credentials due to invalid username or password/);
      const raw = await tokenRequest(sandbox, { grant_type: 'password', client_id: ep.publicClientIds.vscode, username: ep.admin.username, password: 'nope', scope: graphScope });
      assert.equal(raw.status, 400);
      assert.equal(raw.body.error, 'invalid_grant');
    });

    it('answers two resources in one request with AADSTS28000', async function () {
      const ep = sandbox.endpoints;
      const err = await rejection(() => userCredential(ep, sandbox.caPem).getToken(['https://graph.microsoft.com/User.Read', 'https://management.azure.com/user_impersonation']));
      assert.match(err.message, /AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource/);
      const raw = await tokenRequest(sandbox, {
        grant_type: 'password',
        client_id: ep.publicClientIds.vscode,
        username: ep.admin.username,
        password: ep.admin.password,
        scope: 'https://graph.microsoft.com/User.Read https://managedhsm.azure.net/user_impersonation openid',
      });
      assert.equal(raw.status, 400);
      assert.deepEqual(raw.body.error_codes, [28000]);
    });

    it('answers a Graph permission the user never consented to with AADSTS65001 consent_required, while ARM still works', async function () {
      const ep = sandbox.endpoints;
      const operator = passwordCredential(sandbox, ep.operator.username, ep.operator.password);
      const err = await rejection(() => operator.getToken(graphScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, /AADSTS65001: The user or administrator has not consented to use the application/);
      const arm = decode((await operator.getToken(armScope)).token).claims;
      assert.equal(arm.oid, ep.operator.objectId);

      const raw = await tokenRequest(sandbox, {
        grant_type: 'password',
        client_id: ep.publicClientIds.vscode,
        username: ep.operator.username,
        password: ep.operator.password,
        scope: 'https://graph.microsoft.com/Application.ReadWrite.All openid profile offline_access',
      });
      assert.equal(raw.status, 400);
      assert.equal(raw.body.error, 'invalid_grant');
      assert.equal(raw.body.suberror, 'consent_required');
      assert.deepEqual(raw.body.error_codes, [65001]);
    });
    it("answers the admin's sign-in to the guest tenant whose Conditional Access requires MFA with AADSTS50076, while the home tenant still works", async function () {
      const ep = sandbox.endpoints;
      const mfa = ep.mfaTenant;
      assert.ok(mfa, 'the seeded world has a tenant that requires MFA');
      const err = await rejection(() => passwordCredential(sandbox, ep.admin.username, ep.admin.password, mfa.id).getToken(armScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, /AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication/);

      const raw = await tokenRequest(
        sandbox,
        { grant_type: 'password', client_id: ep.publicClientIds.vscode, username: ep.admin.username, password: ep.admin.password, scope: `${armScope} openid profile offline_access` },
        mfa.id,
      );
      assert.equal(raw.status, 400);
      assert.equal(raw.body.error, 'invalid_grant');
      assert.equal(raw.body.suberror, 'basic_action');
      assert.deepEqual(raw.body.error_codes, [50076]);
      assert.equal(raw.body.error_uri, 'https://login.microsoftonline.com/error?code=50076');
      assert.match(String(raw.body.error_description), /^AADSTS50076: .*\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: /s);
      assert.ok(typeof raw.body.trace_id === 'string' && typeof raw.body.correlation_id === 'string' && typeof raw.body.timestamp === 'string');
      const claims = JSON.parse(String(raw.body.claims)) as { access_token: { capolids: { essential: boolean; values: string[] } } };
      assert.equal(claims.access_token.capolids.essential, true);
      assert.equal(claims.access_token.capolids.values.length, 1);
      assert.equal(raw.body.access_token, undefined);

      // A user who is not a guest there does not exist in that directory at all.
      const stranger = await rejection(() => passwordCredential(sandbox, ep.operator.username, ep.operator.password, mfa.id).getToken(armScope));
      assert.match(stranger.message, /AADSTS50034/);
      const home = decode((await passwordCredential(sandbox, ep.admin.username, ep.admin.password).getToken(armScope)).token).claims;
      assert.equal(home.tid, ep.tenantId);
    });
  });

  describe('expiry on the sandbox clock', function () {
    it('accepts the expiring app secret until it expires, then answers AADSTS7000222 (401)', async function () {
      const ep = sandbox.endpoints;
      const app = ep.expiringApp;
      const before = await new ClientSecretCredential(ep.tenantId, app.clientId, app.clientSecret, {
        authorityHost: ep.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: sandbox.caPem },
      } as ConstructorParameters<typeof ClientSecretCredential>[3]).getToken(hsmScope);
      assert.ok(before.token);

      const moved = await sandbox.control('POST', '/clock', { advanceDays: 6 });
      assert.equal(moved.status, 200);

      const err = await rejection(() => appCredential(ep, sandbox.caPem, app.clientId, app.clientSecret).getToken(hsmScope));
      assert.equal(err.name, 'AuthenticationRequiredError');
      assert.match(err.message, new RegExp(`AADSTS7000222: The provided client secret keys for app '${app.clientId}' are expired`));
      const raw = await tokenRequest(sandbox, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret, scope: hsmScope });
      assert.equal(raw.status, 401);
      assert.equal(raw.body.error, 'invalid_client');
      assert.deepEqual(raw.body.error_codes, [7000222]);

      // The administrator's one-year secret is unaffected.
      const admin = decode((await adminCredential(ep, sandbox.caPem).getToken(graphScope)).token).claims;
      assert.equal(admin.oid, ep.admin.objectId);
    });
  });
});
