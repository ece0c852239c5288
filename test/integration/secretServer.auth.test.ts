import * as assert from 'node:assert/strict';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { login, sandboxNow, ssCall, tokenRequest, totp, typeId, user } from './secretServer.support';

// Secret Server's OAuth2 endpoint and the permission model, driven with plain HTTPS.

describe('sandbox: Secret Server sign-in and permissions', function () {
  let h: SandboxHandle;

  before(async () => {
    h = await startSandboxProcess(['--secrets', '12']);
  });

  after(async () => {
    await h?.stop();
  });

  it('publishes its URL, its Azure region and three seeded users in endpoints.json', () => {
    const ss = h.endpoints.secretServer;
    assert.match(ss.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const activated = h.endpoints.hsms.find((x) => x.activated)!;
    assert.equal(ss.region, 'eastus');
    assert.equal(ss.region, activated.location);
    assert.equal(ss.users.length, 3);
    assert.equal(ss.users.filter((u) => u.canManageKeys).length, 2);
    assert.equal(ss.users.filter((u) => u.otpSecret).length, 1);
    assert.ok(user(h, 'twoFactor').otpSecret!.match(/^[A-Z2-7]{16,}$/));
  });

  it('issues bearer tokens for the password grant and accepts them on /api/v1', async () => {
    const admin = user(h, 'admin');
    const res = await tokenRequest(h, { grant_type: 'password', username: admin.username, password: admin.password });
    assert.equal(res.status, 200);
    const body = res.body as Record<string, unknown>;
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 1199);
    assert.equal(typeof body.access_token, 'string');
    assert.equal(typeof body.refresh_token, 'string');
    const version = await ssCall(h, 'GET', '/api/v1/version', body.access_token as string);
    assert.equal(version.status, 200);
    assert.match((version.body as { model: { version: string } }).model.version, /^11\.\d+\.\d+$/);
    const nodes = await ssCall(h, 'GET', '/api/v1/nodes', body.access_token as string);
    assert.equal(nodes.status, 200);
    assert.equal((nodes.body as { readonlyModeEnabled: boolean }[])[0].readonlyModeEnabled, false);
  });

  it('refuses bad credentials with the token error body, and changes nothing', async () => {
    const admin = user(h, 'admin');
    const before = await h.digest();
    const attempts: Record<string, string>[] = [
      { grant_type: 'password', username: admin.username, password: `${admin.password}x` },
      { grant_type: 'password', username: 'nobody', password: 'whatever' },
      { grant_type: 'password', username: admin.username, password: '' },
      { grant_type: 'password', username: admin.username, password: admin.password, domain: 'CONTOSO' },
    ];
    for (const fields of attempts) {
      const res = await tokenRequest(h, fields);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'Login failed.', message: 'Login failed.' });
    }
    const unsupported = await tokenRequest(h, { grant_type: 'client_credentials' });
    assert.equal(unsupported.status, 400);
    assert.equal((unsupported.body as { error: string }).error, 'unsupported_grant_type');
    assert.equal(await h.digest(), before);
  });

  it('asks a two-factor user for the OTP header and accepts the current code', async () => {
    const officer = user(h, 'twoFactor');
    const creds = { grant_type: 'password', username: officer.username, password: officer.password };
    const missing = await tokenRequest(h, creds);
    assert.equal(missing.status, 400);
    assert.match((missing.body as { message: string }).message, /OTP header/);
    const now = await sandboxNow(h);
    const good = totp(officer.otpSecret!, now);
    const wrong = String((Number(good) + 500_000) % 1_000_000).padStart(6, '0');
    const refused = await tokenRequest(h, creds, { OTP: wrong });
    assert.equal(refused.status, 400);
    assert.match((refused.body as { message: string }).message, /one-time code is not valid/);
    const ok = await tokenRequest(h, creds, { OTP: good });
    assert.equal(ok.status, 200, ok.text);
  });

  it('issues single-use refresh tokens', async () => {
    const { refreshToken } = await login(h, user(h, 'admin'));
    const first = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.equal(first.status, 200, first.text);
    const renewed = first.body as { access_token: string; refresh_token: string };
    assert.notEqual(renewed.refresh_token, refreshToken);
    assert.equal((await ssCall(h, 'GET', '/api/v1/key-management', renewed.access_token)).status, 200);
    const again = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.equal(again.status, 400);
    assert.match((again.body as { message: string }).message, /already been used|not valid/);
  });

  it('answers 401 {message} without a valid token, while the healthcheck stays anonymous', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const res = await ssCall(h, 'GET', '/api/v1/key-management', token);
      assert.equal(res.status, 401);
      assert.deepEqual(Object.keys(res.body as object), ['message']);
    }
    const hc = await ssCall(h, 'GET', '/api/v1/healthcheck');
    assert.equal(hc.status, 200);
    const body = hc.body as { healthy: boolean; readOnlyMode: boolean; utcNow: string };
    assert.equal(body.healthy, true);
    assert.equal(body.readOnlyMode, false);
    assert.ok(Date.parse(body.utcNow));
  });

  it("is subject to the control API's fault rules under the service name 'secretServer'", async () => {
    const rule = await h.control('POST', '/faults', { service: 'secretServer', method: 'GET', path: '^/api/v1/healthcheck$', kind: 'throttle', times: 1, retryAfterSeconds: 2 });
    assert.equal(rule.status, 201);
    const throttled = await ssCall(h, 'GET', '/api/v1/healthcheck');
    assert.equal(throttled.status, 429);
    assert.equal(typeof (throttled.body as { message: string }).message, 'string');
    assert.equal((await ssCall(h, 'GET', '/api/v1/healthcheck')).status, 200);
    await h.control('DELETE', '/faults');
  });

  it('logs out through /api/v1/oauth-expiration: the token and its refresh token stop working', async () => {
    const { accessToken, refreshToken } = await login(h, user(h, 'admin'));
    const out = await ssCall(h, 'POST', '/api/v1/oauth-expiration', accessToken);
    assert.equal(out.status, 200);
    assert.equal(out.body, true);
    assert.equal((await ssCall(h, 'GET', '/api/v1/version', accessToken)).status, 401);
    assert.equal((await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: refreshToken })).status, 400);
  });

  it('lets a user without the key management permission read, and refuses every change with 403', async () => {
    const { accessToken } = await login(h, user(h, 'noPermission'));
    assert.equal((await ssCall(h, 'GET', '/api/v1/key-management', accessToken)).status, 200);
    const none = await typeId(h, accessToken, 'None');
    const before = await h.digest();
    for (const [method, path, body] of [
      ['PUT', '/api/v1/key-management', { keyManagementTypeId: none }],
      ['POST', '/api/v1/configuration/security/rotate-secret-keys', undefined],
      ['POST', '/api/v1/configuration/security/cancel-rotate-secret-keys', undefined],
      ['PATCH', '/api/v1/configuration/read-only-mode', { data: { enabled: { dirty: true, value: true } } }],
    ] as const) {
      const res = await ssCall(h, method, path, accessToken, body);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.match((res.body as { message: string }).message, /Administer Key Management/);
    }
    assert.equal(await h.digest(), before);
  });

  it('expires access tokens after 20 minutes and refresh tokens 15 minutes later (sandbox clock)', async () => {
    const first = await login(h, user(h, 'admin'));
    const second = await login(h, user(h, 'admin'));
    await h.control('POST', '/clock', { advanceSeconds: 1200 });
    const expired = await ssCall(h, 'GET', '/api/v1/version', first.accessToken);
    assert.equal(expired.status, 401);
    assert.match((expired.body as { message: string }).message, /expired/);
    const refreshed = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refreshToken });
    assert.equal(refreshed.status, 200, refreshed.text);
    await h.control('POST', '/clock', { advanceSeconds: 900 });
    const late = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: second.refreshToken });
    assert.equal(late.status, 400);
  });
});
