import * as assert from 'node:assert/strict';
import { startSandboxProcess, httpsJson, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, armScope, graphScope, hsmScope } from '../support/azureClients';

// Bad requests generated across every emulated service. Each must be answered with a 4xx in the
// service's own error shape, and none may change the world: the state digest is compared at the end.

interface BadRequest {
  label: string;
  method: string;
  url: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** The error shape the service uses. */
  shape: 'oauth' | 'arm' | 'graph' | 'keyvault' | 'control';
}

const wrongTypes: unknown[] = [null, 0, -1, 1.5, true, 'x', '', [], {}, ['a'], { a: 1 }];
const badNames = ['a b', 'a_b', 'a.b', '<script>alert(1)</script>', 'é', 'x'.repeat(128), "'; DROP TABLE keys; --", '%00', '..'];
const badJson = ['{', '[', '{"kty":', 'nul', '{"a":1}}', '\u0000\u0001', '{"kty":"oct-HSM",}', '"just a string"', '123', 'null', '[]', '{'.repeat(5000)];
const badBase64url = ['!!!!', '====', 'a', 'ab+/', '%%%%', ' '];

function shapeOk(shape: BadRequest['shape'], body: unknown): boolean {
  const b = body as Record<string, unknown> | undefined;
  if (!b || typeof b !== 'object') return false;
  switch (shape) {
    case 'oauth':
      return typeof b.error === 'string' && typeof b.error_description === 'string';
    case 'arm':
    case 'control': {
      const e = b.error as Record<string, unknown> | undefined;
      return typeof e?.code === 'string' && typeof e?.message === 'string';
    }
    case 'graph': {
      const e = b.error as Record<string, unknown> | undefined;
      return typeof e?.code === 'string' && typeof e?.message === 'string' && typeof e?.innerError === 'object';
    }
    case 'keyvault': {
      const e = b.error as Record<string, unknown> | undefined;
      return typeof e?.code === 'string' && typeof e?.message === 'string';
    }
  }
}

function generate(sb: SandboxHandle): BadRequest[] {
  const ep = sb.endpoints;
  const hsm = ep.hsms[0].uri.replace(/\/$/, '');
  const sub = ep.subscriptions[0].id;
  const rg = ep.hsms[0].resourceGroup;
  const kv = '?api-version=7.6';
  const arm = '?api-version=2026-02-01';
  const out: BadRequest[] = [];
  const add = (r: BadRequest) => out.push(r);

  // Managed HSM: key creation with malformed bodies, wrong types for each field, bad names and enums.
  for (const text of badJson) add({ label: `create key, body ${JSON.stringify(text).slice(0, 20)}`, method: 'POST', url: `${hsm}/keys/fuzz-key/create${kv}`, body: text, shape: 'keyvault' });
  for (const field of ['kty', 'key_size', 'key_ops', 'attributes', 'tags']) {
    for (const value of wrongTypes) {
      // JSON null means "not given" for optional fields; only the key type is required.
      if (value === null && field !== 'kty') continue;
      if (field === 'tags' && (value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0))) continue;
      if (field === 'attributes' && value !== null && typeof value === 'object' && !Array.isArray(value)) continue;
      if (field === 'key_ops' && Array.isArray(value) && value.length === 0) continue;
      const body = { kty: 'oct-HSM', key_size: 256, [field]: value };
      add({ label: `create key, ${field}=${JSON.stringify(value)}`, method: 'POST', url: `${hsm}/keys/fuzz-key/create${kv}`, body: JSON.stringify(body), shape: 'keyvault' });
    }
  }
  for (const kty of ['AES', 'oct', 'RSA-HSM-X', 'oct-HSM ']) add({ label: `kty ${kty}`, method: 'POST', url: `${hsm}/keys/fuzz-key/create${kv}`, body: JSON.stringify({ kty, key_size: 256 }), shape: 'keyvault' });
  for (const size of [0, 64, 255, 257, 512, 2048]) add({ label: `oct size ${size}`, method: 'POST', url: `${hsm}/keys/fuzz-key/create${kv}`, body: JSON.stringify({ kty: 'oct-HSM', key_size: size }), shape: 'keyvault' });
  for (const name of badNames) add({ label: `key name ${name.slice(0, 12)}`, method: 'POST', url: `${hsm}/keys/${encodeURIComponent(name)}/create${kv}`, body: JSON.stringify({ kty: 'oct-HSM', key_size: 256 }), shape: 'keyvault' });
  add({ label: 'create key, oversized body', method: 'POST', url: `${hsm}/keys/fuzz-key/create${kv}`, body: JSON.stringify({ kty: 'oct-HSM', key_size: 256, tags: { big: 'x'.repeat(2 * 1024 * 1024) } }), shape: 'keyvault' });
  add({ label: 'create key without api-version', method: 'POST', url: `${hsm}/keys/fuzz-key/create`, body: JSON.stringify({ kty: 'oct-HSM', key_size: 256 }), shape: 'keyvault' });

  // Wrap / unwrap: unknown algorithms, bad base64url, wrong types, unknown keys.
  for (const alg of ['A256KWPAD', 'RSA-OAEP', 'a256kw', '', 'A256GCM']) add({ label: `wrap alg ${alg}`, method: 'POST', url: `${hsm}/keys/secret-server-key/wrapkey${kv}`, body: JSON.stringify({ alg, value: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), shape: 'keyvault' });
  for (const value of badBase64url) add({ label: `unwrap value ${value}`, method: 'POST', url: `${hsm}/keys/secret-server-key/unwrapkey${kv}`, body: JSON.stringify({ alg: 'A256KW', value }), shape: 'keyvault' });
  add({ label: 'unwrap of a value that was never wrapped', method: 'POST', url: `${hsm}/keys/secret-server-key/unwrapkey${kv}`, body: JSON.stringify({ alg: 'A256KW', value: Buffer.alloc(40, 7).toString('base64url') }), shape: 'keyvault' });
  for (const value of wrongTypes) add({ label: `wrap value=${JSON.stringify(value)}`, method: 'POST', url: `${hsm}/keys/secret-server-key/wrapkey${kv}`, body: JSON.stringify({ alg: 'A256KW', value }), shape: 'keyvault' });
  add({ label: 'wrap with unknown key', method: 'POST', url: `${hsm}/keys/no-such-key/wrapkey${kv}`, body: JSON.stringify({ alg: 'A256KW', value: 'AAAA' }), shape: 'keyvault' });
  add({ label: 'wrap with unknown version', method: 'POST', url: `${hsm}/keys/secret-server-key/00000000000000000000000000000000/wrapkey${kv}`, body: JSON.stringify({ alg: 'A256KW', value: 'AAAA' }), shape: 'keyvault' });

  // Updates, rotation policy, list paging and random bytes.
  for (const value of wrongTypes.slice(1, 8)) add({ label: `update enabled=${JSON.stringify(value)}`, method: 'PATCH', url: `${hsm}/keys/secret-server-key/${kv}`, body: JSON.stringify({ attributes: { enabled: value === true ? 'yes' : value } }), shape: 'keyvault' });
  for (const exp of ['tomorrow', -5, 1.5e20]) add({ label: `update exp=${exp}`, method: 'PATCH', url: `${hsm}/keys/secret-server-key/${kv}`, body: JSON.stringify({ attributes: { exp } }), shape: 'keyvault' });
  for (const policy of [{ lifetimeActions: 'rotate' }, { lifetimeActions: [{ trigger: { timeAfterCreate: 'soon' }, action: { type: 'Rotate' } }] }, { lifetimeActions: [{ trigger: {}, action: { type: 'Explode' } }] }, { attributes: { expiryTime: 'P2Q' } }]) {
    add({ label: `rotation policy ${JSON.stringify(policy).slice(0, 30)}`, method: 'PUT', url: `${hsm}/keys/secret-server-key/rotationpolicy${kv}`, body: JSON.stringify(policy), shape: 'keyvault' });
  }
  for (const n of ['0', '26', '-1', 'many', '1.5']) add({ label: `list maxresults=${n}`, method: 'GET', url: `${hsm}/keys${kv}&maxresults=${n}`, shape: 'keyvault' });
  for (const count of [0, 129, -1, 'ten', null]) add({ label: `rng count=${count}`, method: 'POST', url: `${hsm}/rng${kv}`, body: JSON.stringify({ count }), shape: 'keyvault' });
  add({ label: 'recover a key that is not deleted', method: 'POST', url: `${hsm}/deletedkeys/secret-server-key/recover${kv}`, shape: 'keyvault' });
  add({ label: 'purge on a purge-protected HSM', method: 'DELETE', url: `${hsm}/deletedkeys/retired-key${kv}`, shape: 'keyvault' });
  add({ label: 'create over a soft-deleted name', method: 'POST', url: `${hsm}/keys/retired-key/create${kv}`, body: JSON.stringify({ kty: 'oct-HSM', key_size: 256 }), shape: 'keyvault' });

  // Local RBAC: bad scopes, names, role ids and principals.
  const ra = (scope: string, name: string) => `${hsm}${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}${kv}`;
  const cryptoUser = 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/21dbd100-6940-42c2-9190-5d6cb909625b';
  for (const body of [
    {},
    { properties: {} },
    { properties: { roleDefinitionId: cryptoUser } },
    { properties: { principalId: ep.admin.objectId } },
    { properties: { roleDefinitionId: 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-0000-0000-000000000000', principalId: ep.admin.objectId } },
    { properties: { roleDefinitionId: 42, principalId: ep.admin.objectId } },
    { properties: { roleDefinitionId: cryptoUser, principalId: 'not-a-guid' } },
    { properties: { roleDefinitionId: cryptoUser, principalId: ['x'] } },
  ]) add({ label: `role assignment ${JSON.stringify(body).slice(0, 40)}`, method: 'PUT', url: ra('/keys/secret-server-key', '7f8c3a3e-1b2d-4c5e-8f90-0a1b2c3d4e5f'), body: JSON.stringify(body), shape: 'keyvault' });
  for (const text of badJson.slice(0, 6)) add({ label: `role assignment body ${JSON.stringify(text).slice(0, 12)}`, method: 'PUT', url: ra('/', '7f8c3a3e-1b2d-4c5e-8f90-0a1b2c3d4e5f'), body: text, shape: 'keyvault' });
  add({ label: 'role assignment name not a GUID', method: 'PUT', url: ra('/', 'my-assignment'), body: JSON.stringify({ properties: { roleDefinitionId: cryptoUser, principalId: ep.admin.objectId } }), shape: 'keyvault' });
  for (const scope of ['/secrets', '/keys/secret-server-key/versions', '/keys/a/b']) add({ label: `role assignment scope ${scope}`, method: 'PUT', url: ra(scope, '7f8c3a3e-1b2d-4c5e-8f90-0a1b2c3d4e5f'), body: JSON.stringify({ properties: { roleDefinitionId: cryptoUser, principalId: ep.admin.objectId } }), shape: 'keyvault' });
  add({ label: 'delete an unknown role assignment', method: 'DELETE', url: ra('/', '7f8c3a3e-1b2d-4c5e-8f90-0a1b2c3d4e5f'), shape: 'keyvault' });

  // Azure Resource Manager.
  add({ label: 'ARM without api-version', method: 'GET', url: `${ep.armEndpoint}/subscriptions/${sub}/providers/Microsoft.KeyVault/managedHSMs`, shape: 'arm' });
  add({ label: 'ARM unknown subscription', method: 'GET', url: `${ep.armEndpoint}/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.KeyVault/managedHSMs${arm}`, shape: 'arm' });
  add({ label: 'ARM malformed subscription id', method: 'GET', url: `${ep.armEndpoint}/subscriptions/%3Cscript%3E/providers/Microsoft.KeyVault/managedHSMs${arm}`, shape: 'arm' });
  add({ label: 'ARM unknown resource group', method: 'GET', url: `${ep.armEndpoint}/subscriptions/${sub}/resourceGroups/rg-nope/providers/Microsoft.KeyVault/managedHSMs${arm}`, shape: 'arm' });
  add({ label: 'ARM unknown HSM', method: 'GET', url: `${ep.armEndpoint}/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.KeyVault/managedHSMs/nope${arm}`, shape: 'arm' });
  for (const top of ['0', '-3', 'lots']) add({ label: `ARM $top=${top}`, method: 'GET', url: `${ep.armEndpoint}/subscriptions/${sub}/providers/Microsoft.KeyVault/managedHSMs${arm}&$top=${top}`, shape: 'arm' });
  add({ label: 'ARM garbage $skiptoken', method: 'GET', url: `${ep.armEndpoint}/subscriptions/${sub}/providers/Microsoft.KeyVault/managedHSMs${arm}&$top=1&$skiptoken=%7B%7B%7B`, shape: 'arm' });

  // Microsoft Graph.
  for (const text of badJson.slice(0, 8)) add({ label: `Graph create app body ${JSON.stringify(text).slice(0, 12)}`, method: 'POST', url: `${ep.graphEndpoint}/v1.0/applications`, body: text, shape: 'graph' });
  for (const value of [null, 0, true, [], {}, '']) add({ label: `Graph displayName=${JSON.stringify(value)}`, method: 'POST', url: `${ep.graphEndpoint}/v1.0/applications`, body: JSON.stringify({ displayName: value }), shape: 'graph' });
  add({ label: 'Graph unknown application', method: 'GET', url: `${ep.graphEndpoint}/v1.0/applications/00000000-0000-0000-0000-000000000000`, shape: 'graph' });
  add({ label: 'Graph addPassword on unknown app', method: 'POST', url: `${ep.graphEndpoint}/v1.0/applications/00000000-0000-0000-0000-000000000000/addPassword`, body: JSON.stringify({ passwordCredential: { displayName: 'x' } }), shape: 'graph' });
  for (const pc of [{ passwordCredential: 'x' }, { passwordCredential: { endDateTime: 'never' } }, { passwordCredential: { displayName: 5 } }, { passwordCredential: { startDateTime: '2030-01-01T00:00:00Z', endDateTime: '2029-01-01T00:00:00Z' } }]) {
    add({ label: `Graph addPassword ${JSON.stringify(pc).slice(0, 30)}`, method: 'POST', url: `${ep.graphEndpoint}/v1.0/applications(appId='${ep.expiringApp.clientId}')/addPassword`, body: JSON.stringify(pc), shape: 'graph' });
  }
  for (const keyId of ['not-a-guid', '00000000-0000-0000-0000-000000000000', 5]) add({ label: `Graph removePassword ${keyId}`, method: 'POST', url: `${ep.graphEndpoint}/v1.0/applications(appId='${ep.expiringApp.clientId}')/removePassword`, body: JSON.stringify({ keyId }), shape: 'graph' });
  for (const appId of ['', 'not-a-guid', '00000000-0000-0000-0000-000000000000', 7]) add({ label: `Graph create SP appId=${appId}`, method: 'POST', url: `${ep.graphEndpoint}/v1.0/servicePrincipals`, body: JSON.stringify({ appId }), shape: 'graph' });
  add({ label: 'Graph SP that already exists', method: 'POST', url: `${ep.graphEndpoint}/v1.0/servicePrincipals`, body: JSON.stringify({ appId: ep.expiringApp.clientId }), shape: 'graph' });
  add({ label: 'Graph unparseable $filter', method: 'GET', url: `${ep.graphEndpoint}/v1.0/applications?$filter=${encodeURIComponent("appId eq 'x' or 1=1; --")}`, shape: 'graph' });

  // Entra ID token endpoint.
  const token = `${ep.authorityHost}/${ep.tenantId}/oauth2/v2.0/token`;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
  const cc = { grant_type: 'client_credentials', client_id: ep.admin.clientId, client_secret: ep.admin.clientSecret, scope: hsmScope };
  const variants: Record<string, string>[] = [
    {},
    { ...cc, grant_type: '' },
    { ...cc, grant_type: 'magic' },
    { ...cc, client_id: '' },
    { ...cc, client_secret: '' },
    { ...cc, client_secret: 'wrong' },
    { ...cc, scope: '' },
    { ...cc, scope: 'https://managedhsm.azure.net' },
    { ...cc, scope: 'https://unknown.example/.default' },
    { ...cc, scope: `${hsmScope} ${armScope}` },
    { ...cc, client_id: '00000000-0000-0000-0000-000000000000' },
    { grant_type: 'password', client_id: ep.publicClientIds.vscode, username: ep.admin.username, password: 'wrong', scope: armScope },
    { grant_type: 'password', client_id: ep.publicClientIds.vscode, username: 'nobody@contoso.onmicrosoft.com', password: 'x', scope: armScope },
    { grant_type: 'refresh_token', client_id: ep.publicClientIds.vscode, refresh_token: 'forged', scope: armScope },
  ];
  for (const v of variants) add({ label: `token ${JSON.stringify(v).slice(0, 40)}`, method: 'POST', url: token, body: form(v), headers: formHeaders, shape: 'oauth' });
  add({ label: 'token, unknown tenant', method: 'POST', url: `${ep.authorityHost}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token`, body: form(cc), headers: formHeaders, shape: 'oauth' });
  add({ label: 'token, binary body', method: 'POST', url: token, body: Buffer.from([0, 255, 1, 254, 61, 38]), headers: formHeaders, shape: 'oauth' });
  add({ label: 'signing keys of an unknown tenant', method: 'GET', url: `${ep.authorityHost}/nowhere.example/discovery/v2.0/keys`, shape: 'oauth' });

  // The control API refuses nonsense too.
  for (const body of ['{', '[]', JSON.stringify({ kind: 'meteor' }), JSON.stringify({ kind: 'latency', latencyMs: -1 }), JSON.stringify({ kind: 'throttle', path: '([' })]) {
    add({ label: `fault rule ${body.slice(0, 20)}`, method: 'POST', url: `${ep.control}/faults`, body, shape: 'control' });
  }
  for (const body of ['{', JSON.stringify({ advanceSeconds: -1 }), JSON.stringify({ advanceDays: 'x' })]) add({ label: `clock ${body}`, method: 'POST', url: `${ep.control}/clock`, body, shape: 'control' });
  return out;
}

describe('sandbox: malformed and hostile input', function () {
  this.timeout(180_000);
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandboxProcess();
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('answers at least 200 generated bad requests with a 4xx in the service\'s shape, and changes nothing', async () => {
    const ep = sandbox.endpoints;
    const credential = adminCredential(ep, sandbox.caPem);
    const tokens = {
      hsm: (await credential.getToken(hsmScope))!.token,
      arm: (await credential.getToken(armScope))!.token,
      graph: (await credential.getToken(graphScope))!.token,
    };
    const requests = generate(sandbox);
    assert.ok(requests.length >= 200, `generated ${requests.length} requests`);

    const before = await sandbox.digest();
    const failures: string[] = [];
    for (const r of requests) {
      const auth = r.shape === 'keyvault' ? tokens.hsm : r.shape === 'arm' ? tokens.arm : r.shape === 'graph' ? tokens.graph : undefined;
      const headers = { ...(r.headers ?? {}), ...(auth ? { authorization: `Bearer ${auth}` } : {}) };
      const res = await httpsJson(r.method, r.url, sandbox.caPem, r.body, headers);
      if (res.status < 400 || res.status > 499) failures.push(`${r.label}: status ${res.status} ${res.text.slice(0, 120)}`);
      else if (!shapeOk(r.shape, res.body)) failures.push(`${r.label}: ${res.status} without the service's error shape: ${res.text.slice(0, 120)}`);
    }
    assert.deepEqual(failures, [], `${failures.length} of ${requests.length} bad requests were not refused properly`);
    assert.equal(await sandbox.digest(), before, 'the world changed');
    // The sandbox is still healthy afterwards.
    assert.equal((await sandbox.control('GET', '/clock')).status, 200);
    console.log(`      ${requests.length} bad requests refused, state digest unchanged`);
  });
});
