import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isRestError, type RestError } from '@azure/core-rest-pipeline';
import type { KeyClient, KeyVaultKey } from '@azure/keyvault-keys';
import { startSandboxProcess, httpsJson, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, appCredential, cryptoClient, hsmScope, keyClient } from '../support/azureClients';

// The Managed HSM key data plane of the sandbox, driven by the real @azure/keyvault-keys
// KeyClient and CryptographyClient: what Secret Server's key management relies on (an oct-HSM
// key that wraps and unwraps), versions, soft delete, local RBAC and the service's refusals.

const day = 86_400_000;

/** Runs `action` and returns the RestError it must fail with. */
async function restError(action: () => Promise<unknown>): Promise<RestError> {
  try {
    await action();
  } catch (err) {
    if (isRestError(err)) return err;
    throw err;
  }
  assert.fail('expected the service to refuse the call');
}

describe('sandbox: Managed HSM keys', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let hsmUri: string;
  let keys: KeyClient;
  const credential = () => adminCredential(sandbox.endpoints, sandbox.caPem);
  const crypto = (key: KeyVaultKey | string) => cryptoClient(key, credential(), sandbox.caPem);

  before(async () => {
    sandbox = await startSandboxProcess();
    hsmUri = sandbox.endpoints.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri;
    keys = keyClient(hsmUri, credential(), sandbox.caPem);
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('creates an oct-HSM 256 key and wraps/unwraps with A256KW, from the KeyVaultKey and from its kid', async () => {
    const key = await keys.createKey('ss-master-key', 'oct-HSM', { keySize: 256, keyOps: ['wrapKey', 'unwrapKey'], tags: { app: 'secretserver' } });
    assert.equal(key.keyType, 'oct-HSM');
    assert.deepEqual(key.keyOperations, ['wrapKey', 'unwrapKey']);
    assert.match(key.id!, new RegExp(`^${hsmUri}keys/ss-master-key/[0-9a-f]{32}$`));
    assert.equal(key.key?.k, undefined, 'no key material leaves the HSM');
    assert.deepEqual(key.properties.tags, { app: 'secretserver' });
    assert.equal(key.properties.recoveryLevel, 'Recoverable', 'the seeded HSM has purge protection and 90 days retention');
    assert.equal(key.properties.recoverableDays, 90);

    const secret = randomBytes(32);
    const wrapped = await crypto(key).wrapKey('A256KW', secret);
    assert.equal(wrapped.result.length, 40, 'RFC 3394 adds 8 bytes');
    assert.equal(wrapped.keyID, key.id);
    const unwrapped = await crypto(key.id!).unwrapKey('A256KW', wrapped.result);
    assert.deepEqual(Buffer.from(unwrapped.result), secret);

    // Another key cannot unwrap it: the AES-KW integrity check fails.
    const other = await restError(() => crypto(`${hsmUri}keys/secret-server-key`).unwrapKey('A256KW', wrapped.result));
    assert.equal(other.statusCode, 400);
    assert.equal(other.code, 'BadParameter');
  });

  it('adds versions with createKey and rotateKey, lists them, and reads the latest or a named one', async () => {
    const v1 = await keys.createKey('versioned-key', 'oct-HSM', { keySize: 256 });
    const v2 = await keys.createKey('versioned-key', 'oct-HSM', { keySize: 256, keyOps: ['wrapKey', 'unwrapKey'] });
    const v3 = await keys.rotateKey('versioned-key');
    assert.equal(new Set([v1, v2, v3].map((k) => k.properties.version)).size, 3);
    assert.deepEqual(v3.keyOperations, ['wrapKey', 'unwrapKey'], 'rotation keeps the operations of the current version');
    assert.equal(v3.keyType, 'oct-HSM');
    assert.deepEqual(v1.keyOperations, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], 'without key_ops a key gets every operation of its type');

    const listed: string[] = [];
    for await (const p of keys.listPropertiesOfKeyVersions('versioned-key')) {
      assert.equal(p.id, `${hsmUri}keys/versioned-key/${p.version}`);
      listed.push(p.version!);
    }
    assert.deepEqual(listed, [v1, v2, v3].map((k) => k.properties.version), 'oldest first');

    assert.equal((await keys.getKey('versioned-key')).properties.version, v3.properties.version);
    assert.equal((await keys.getKey('versioned-key', { version: v1.properties.version })).properties.version, v1.properties.version);

    // Each version is its own key: what v1 wrapped, v1 unwraps and the latest cannot.
    const secret = randomBytes(32);
    const wrapped = await crypto(v1.id!).wrapKey('A256KW', secret);
    assert.deepEqual(Buffer.from((await crypto(v1.id!).unwrapKey('A256KW', wrapped.result)).result), secret);
    assert.equal((await restError(() => crypto(`${hsmUri}keys/versioned-key`).unwrapKey('A256KW', wrapped.result))).statusCode, 400);

    const missing = await restError(() => keys.getKey('versioned-key', { version: '0123456789abcdef0123456789abcdef' }));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'KeyNotFound');
    assert.match(missing.message, /A key with \(name\/id\) versioned-key\/0123456789abcdef0123456789abcdef was not found in this key vault/);
  });

  it('refuses a disabled version, refuses wrapping with an expired one, and still unwraps with it', async () => {
    const key = await keys.createKey('lifecycle-key', 'oct-HSM', { keySize: 256 });
    const secret = randomBytes(32);
    const wrapped = await crypto(key).wrapKey('A256KW', secret);

    const disabled = await keys.updateKeyProperties('lifecycle-key', key.properties.version!, { enabled: false });
    assert.equal(disabled.properties.enabled, false);
    // `key` was read before the change, so the SDK's own checks pass and the service must refuse.
    for (const call of [() => crypto(key).wrapKey('A256KW', secret), () => crypto(key).unwrapKey('A256KW', wrapped.result)]) {
      const err = await restError(call);
      assert.equal(err.statusCode, 403);
      assert.equal(err.code, 'Forbidden');
      assert.match(err.message, /^Operation (wrapKey|unwrapKey) is not allowed on a disabled key\.$/);
    }

    const expiresOn = new Date(Date.now() - 60_000);
    const expired = await keys.updateKeyProperties('lifecycle-key', key.properties.version!, { enabled: true, expiresOn });
    assert.equal(expired.properties.expiresOn?.getTime(), Math.floor(expiresOn.getTime() / 1000) * 1000);
    const refused = await restError(() => crypto(key).wrapKey('A256KW', secret));
    assert.equal(refused.statusCode, 403);
    assert.match(refused.message, /^Operation wrapKey is not allowed on an expired key/);
    // Data protected before expiry stays readable.
    assert.deepEqual(Buffer.from((await crypto(key).unwrapKey('A256KW', wrapped.result)).result), secret);
  });

  it('refuses an algorithm of the wrong size and an operation missing from key_ops', async () => {
    const sized = await restError(() => crypto(`${hsmUri}keys/secret-server-key`).wrapKey('A128KW', randomBytes(32)));
    assert.equal(sized.statusCode, 400);
    assert.equal(sized.code, 'BadParameter');
    assert.match(sized.message, /A128KW.*128-bit key.*256-bit/);

    // The 128-bit seeded key takes A128KW (and the padded PKCS#11 variant takes any length).
    const aes128 = crypto(`${hsmUri}keys/aes128-key`);
    const w128 = await aes128.wrapKey('A128KW', Buffer.alloc(16, 1));
    assert.deepEqual(Buffer.from((await aes128.unwrapKey('A128KW', w128.result)).result), Buffer.alloc(16, 1));
    const wPad = await aes128.wrapKey('CKM_AES_KEY_WRAP_PAD', Buffer.from('odd length!'));
    assert.equal((await aes128.unwrapKey('CKM_AES_KEY_WRAP_PAD', wPad.result)).result.toString(), 'odd length!');

    const key = await keys.createKey('ops-key', 'oct-HSM', { keySize: 256, keyOps: ['wrapKey', 'unwrapKey'] });
    await keys.updateKeyProperties('ops-key', key.properties.version!, { keyOps: ['encrypt', 'decrypt'] });
    const notPermitted = await restError(() => crypto(key).wrapKey('A256KW', randomBytes(32)));
    assert.equal(notPermitted.statusCode, 403);
    assert.equal(notPermitted.code, 'Forbidden');
    assert.equal(notPermitted.message, 'Operation wrapKey is not permitted on this key.');

    const badOps = await restError(() => keys.createKey('ec-wrap-key', 'EC-HSM', { curve: 'P-256', keyOps: ['wrapKey'] }));
    assert.equal(badOps.statusCode, 400);
    assert.match(badOps.message, /Unsupported key operation\(s\): "wrapKey"\. Supported values are "sign", "verify"\./);
  });

  it('encrypts and decrypts with AES-GCM on an oct-HSM key', async () => {
    const key = await keys.createKey('gcm-key', 'oct-HSM', { keySize: 256, keyOps: ['encrypt', 'decrypt'] });
    const aad = Buffer.from('secret-server');
    const encrypted = await crypto(key).encrypt({ algorithm: 'A256GCM', plaintext: Buffer.from('hello'), additionalAuthenticatedData: aad });
    assert.equal(encrypted.iv?.length, 12);
    assert.equal(encrypted.authenticationTag?.length, 16);
    const decrypted = await crypto(key).decrypt({ algorithm: 'A256GCM', ciphertext: encrypted.result, iv: encrypted.iv!, authenticationTag: encrypted.authenticationTag!, additionalAuthenticatedData: aad });
    assert.equal(Buffer.from(decrypted.result).toString(), 'hello');
  });

  it('creates an RSA-HSM key with only its public half visible and round-trips RSA-OAEP, RSA-OAEP-256 and RSA1_5', async () => {
    const key = await keys.createRsaKey('rsa-test-key', { hsm: true, keySize: 2048 });
    assert.equal(key.keyType, 'RSA-HSM');
    assert.equal(key.key?.n?.length, 256);
    assert.deepEqual(Buffer.from(key.key!.e!), Buffer.from([1, 0, 1]));
    assert.equal(key.key?.d, undefined);
    assert.equal(key.key?.p, undefined);

    const message = Buffer.from('a 32-byte content encryption key');
    for (const algorithm of ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const) {
      // From the KeyVaultKey the SDK encrypts locally with n and e; the HSM must decrypt that.
      const encrypted = await crypto(key).encrypt({ algorithm, plaintext: message });
      const decrypted = await crypto(key.id!).decrypt({ algorithm, ciphertext: encrypted.result });
      assert.deepEqual(Buffer.from(decrypted.result), message, algorithm);
    }
    const wrapped = await crypto(key).wrapKey('RSA-OAEP', message);
    assert.deepEqual(Buffer.from((await crypto(key.id!).unwrapKey('RSA-OAEP', wrapped.result)).result), message);

    const ec = await keys.createEcKey('ec-test-key', { hsm: true, curve: 'P-384' });
    assert.equal(ec.keyType, 'EC-HSM');
    assert.equal(ec.key?.crv, 'P-384');
    assert.equal(ec.key?.x?.length, 48);
    assert.equal(ec.key?.d, undefined);
  });

  it('soft-deletes a key, shows it as deleted, keeps its name reserved, and recovers it working', async () => {
    const key = await keys.createKey('recoverable-key', 'oct-HSM', { keySize: 256 });
    const secret = randomBytes(32);
    const wrapped = await crypto(key).wrapKey('A256KW', secret);

    const deleted = await (await keys.beginDeleteKey('recoverable-key', { intervalInMs: 10 })).pollUntilDone();
    assert.equal(deleted.properties.recoveryId, `${hsmUri}deletedkeys/recoverable-key`);
    assert.equal(deleted.properties.scheduledPurgeDate!.getTime() - deleted.properties.deletedOn!.getTime(), 90 * day);
    assert.equal((await restError(() => keys.getKey('recoverable-key'))).code, 'KeyNotFound');
    assert.equal((await keys.getDeletedKey('recoverable-key')).name, 'recoverable-key');

    const names: string[] = [];
    for await (const d of keys.listDeletedKeys()) names.push(d.name);
    assert.ok(names.includes('recoverable-key') && names.includes('retired-key'), names.join(','));

    const conflict = await restError(() => keys.createKey('recoverable-key', 'oct-HSM', { keySize: 256 }));
    assert.equal(conflict.statusCode, 409);
    assert.equal(conflict.code, 'Conflict');
    assert.match(conflict.message, /^Key recoverable-key is currently in a deleted but recoverable state, and its name cannot be reused/);

    const recovered = await (await keys.beginRecoverDeletedKey('recoverable-key', { intervalInMs: 10 })).pollUntilDone();
    assert.equal(recovered.properties.version, key.properties.version);
    assert.deepEqual(Buffer.from((await crypto(recovered.id!).unwrapKey('A256KW', wrapped.result)).result), secret);
    assert.equal((await restError(() => keys.getDeletedKey('recoverable-key'))).statusCode, 404);
  });

  it('refuses to purge on the purge-protected HSM and to reuse the seeded soft-deleted name', async () => {
    await keys.createKey('purge-me', 'oct-HSM', { keySize: 128 });
    await (await keys.beginDeleteKey('purge-me', { intervalInMs: 10 })).pollUntilDone();
    const refused = await restError(() => keys.purgeDeletedKey('purge-me'));
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.code, 'Forbidden');
    assert.match(refused.message, /purge protection is enabled/);
    assert.equal((await keys.getDeletedKey('purge-me')).name, 'purge-me', 'still recoverable');

    const reuse = await restError(() => keys.createKey('retired-key', 'oct-HSM', { keySize: 256 }));
    assert.equal(reuse.statusCode, 409);
    assert.equal((reuse.details as { error?: { innerError?: { code?: string } } })?.error?.innerError?.code, 'ObjectIsDeletedButRecoverable');
  });

  it('keeps and applies a rotation policy', async () => {
    await keys.createKey('policy-key', 'oct-HSM', { keySize: 256 });
    const initial = await keys.getKeyRotationPolicy('policy-key');
    assert.equal(initial.id, `${hsmUri}keys/policy-key/rotationpolicy`);
    assert.deepEqual(initial.lifetimeActions, []);

    const set = await keys.updateKeyRotationPolicy('policy-key', { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P90D' }], expiresIn: 'P1Y' });
    assert.deepEqual(set.lifetimeActions, [{ action: 'Rotate', timeAfterCreate: 'P90D', timeBeforeExpiry: undefined }]);
    assert.equal((await keys.getKeyRotationPolicy('policy-key')).expiresIn, 'P1Y');
    const rotated = await keys.rotateKey('policy-key');
    assert.equal(rotated.properties.expiresOn!.getTime() - rotated.properties.createdOn!.getTime(), 365 * day, "the new version expires after the policy's expiryTime");

    const tooShort = await restError(() => keys.updateKeyRotationPolicy('policy-key', { lifetimeActions: [], expiresIn: 'P1D' }));
    assert.equal(tooShort.statusCode, 400);
    assert.equal(tooShort.code, 'BadParameter');
  });

  it('returns random bytes from the HSM', async () => {
    const a = await keys.getRandomBytes(32);
    const b = await keys.getRandomBytes(32);
    assert.equal(a.length, 32);
    assert.notDeepEqual(Buffer.from(a), Buffer.from(b));
    assert.equal((await restError(() => keys.getRandomBytes(129))).statusCode, 400);
  });

  it('answers a call without a token with the bare Managed HSM challenge, before reading the body', async () => {
    const ep = sandbox.endpoints;
    const expected = `Bearer authorization="${ep.authorityHost}/${ep.tenantId}", resource="https://managedhsm.azure.net"`;
    const get = await httpsJson('GET', `${hsmUri}keys/secret-server-key?api-version=7.6`, sandbox.caPem);
    assert.equal(get.status, 401);
    assert.equal(get.headers['www-authenticate'], expected);
    assert.equal(get.text, '');
    const post = await httpsJson('POST', `${hsmUri}keys/secret-server-key/wrapkey?api-version=7.6`, sandbox.caPem, '{ not json');
    assert.equal(post.status, 401);
    assert.equal(post.headers['www-authenticate'], expected);
  });

  it('refuses key operations on the HSM that is not activated', async () => {
    const idle = sandbox.endpoints.hsms.find((h) => h.name === 'contoso-mhsm-weu')!;
    assert.equal(idle.activated, false);
    const err = await restError(() => keyClient(idle.uri, credential(), sandbox.caPem).createKey('any-key', 'oct-HSM', { keySize: 256 }));
    assert.equal(err.statusCode, 400);
    assert.equal(err.code, 'HsmNotActivated');
    assert.match(err.message, /contoso-mhsm-weu' is not activated/);
  });

  it('applies local RBAC: a Crypto User on one key wraps with it and is denied the others', async () => {
    const ep = sandbox.endpoints;
    const app = appCredential(ep, sandbox.caPem, ep.expiringApp.clientId, ep.expiringApp.clientSecret);
    const own = cryptoClient(`${hsmUri}keys/secret-server-key`, app, sandbox.caPem);
    const secret = randomBytes(32);
    const wrapped = await own.wrapKey('A256KW', secret);
    assert.deepEqual(Buffer.from((await own.unwrapKey('A256KW', wrapped.result)).result), secret);

    const denied = await restError(() => cryptoClient(`${hsmUri}keys/aes128-key`, app, sandbox.caPem).wrapKey('A128KW', randomBytes(16)));
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.code, 'AccessDenied');
    assert.match(denied.message, /^Not authorized to access Microsoft\.KeyVault\/managedHsm\/keys\/wrap\/action on \/keys\/aes128-key \(Activity ID: [0-9a-f-]{36}\)$/);

    const list = await restError(async () => {
      for await (const _ of keyClient(hsmUri, app, sandbox.caPem).listPropertiesOfKeys()) break;
    });
    assert.equal(list.statusCode, 403, 'listing needs keys/read/action at /keys');
    assert.equal(list.code, 'AccessDenied');
  });

  it('refuses malformed calls with BadParameter and leaves the state unchanged', async () => {
    const token = (await credential().getToken(hsmScope))!.token;
    const auth = { authorization: `Bearer ${token}` };
    const base = hsmUri.replace(/\/$/, '');
    const before = await sandbox.digest();
    const calls: [string, string, unknown, number, RegExp][] = [
      ['POST', '/keys/secret-server-key/wrapkey', { alg: 'A256KW', value: 'not base64url!' }, 400, /not valid base64url/],
      ['POST', '/keys/secret-server-key/unwrapkey', { alg: 'A256KW', value: randomBytes(30).toString('base64url') }, 400, /multiples of 8/],
      ['POST', '/keys/secret-server-key/wrapkey', { alg: 'A256KW', value: randomBytes(12).toString('base64url') }, 400, /at least 16 bytes/],
      ['POST', '/keys/bad_name/create', { kty: 'oct-HSM', key_size: 256 }, 400, /invalid name/],
      ['POST', '/keys/new-key/create', { kty: 'oct', key_size: 256 }, 400, /HSM-protected/],
      ['POST', '/keys/new-key/create', { kty: 'RSA-HSM', key_size: 1024 }, 400, /key size 1024/],
      ['POST', '/keys/new-key/create', { kty: 'oct-HSM', attributes: { exportable: true } }, 400, /release policy/],
      ['POST', '/keys/new-key/create', { kty: 'oct-HSM', attributes: { nbf: 2000000000, exp: 1900000000 } }, 400, /later than its activation/],
      ['PATCH', '/keys/secret-server-key/', { key_ops: ['sign'] }, 400, /Unsupported key operation/],
      ['GET', '/keys?maxresults=26', undefined, 400, /maxresults/],
      ['GET', '/keys?$skiptoken=garbage', undefined, 400, /skiptoken/],
      ['POST', '/keys/no-such-key/wrapkey', { alg: 'A256KW', value: randomBytes(32).toString('base64url') }, 404, /A key with \(name\/id\) no-such-key was not found/],
    ];
    for (const [method, route, body, status, message] of calls) {
      const sep = route.includes('?') ? '&' : '?';
      const res = await httpsJson(method, `${base}${route}${sep}api-version=7.6`, sandbox.caPem, body, auth);
      const error = (res.body as { error?: { code?: string; message?: string } }).error;
      assert.equal(res.status, status, `${method} ${route}: ${res.text}`);
      assert.equal(error?.code, status === 404 ? 'KeyNotFound' : 'BadParameter', `${method} ${route}`);
      assert.match(error?.message ?? '', message, `${method} ${route}`);
    }
    const noVersion = await httpsJson('GET', `${base}/keys/secret-server-key`, sandbox.caPem, undefined, auth);
    assert.equal(noVersion.status, 400);
    assert.match(noVersion.text, /api-version/);
    assert.equal(await sandbox.digest(), before);
  });
});

describe('sandbox: Managed HSM key listing with many keys', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandboxProcess(['--keys', '230']);
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('pages through more than 230 keys in pages of at most 25, each key once', async () => {
    const hsmUri = sandbox.endpoints.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri;
    const client = keyClient(hsmUri, adminCredential(sandbox.endpoints, sandbox.caPem), sandbox.caPem);
    const names: string[] = [];
    let pages = 0;
    for await (const page of client.listPropertiesOfKeys().byPage({ maxPageSize: 25 })) {
      pages++;
      assert.ok(page.length <= 25, `page of ${page.length}`);
      for (const p of page) {
        assert.equal(p.version, undefined, 'list entries name the key, not a version');
        names.push(p.name);
      }
    }
    assert.ok(names.length > 230, `${names.length} keys`);
    assert.equal(new Set(names).size, names.length, 'no key listed twice');
    assert.ok(pages >= 10, `${pages} pages`);
    for (const seeded of ['secret-server-key', 'bulk-key-0001', 'bulk-key-0230']) assert.ok(names.includes(seeded), seeded);
    assert.ok(!names.includes('retired-key'), 'deleted keys are not listed');
  });
});

describe('sandbox: Managed HSM key expiry as the sandbox clock moves', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandboxProcess();
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('refuses to wrap with expiring-key once its expiry has passed, and still unwraps what it wrapped', async () => {
    const ep = sandbox.endpoints;
    const kid = `${ep.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri}keys/expiring-key`;
    const secret = randomBytes(32);
    const wrapped = await cryptoClient(kid, adminCredential(ep, sandbox.caPem), sandbox.caPem).wrapKey('A256KW', secret);

    assert.equal((await sandbox.control('POST', '/clock', { advanceDays: 11 })).status, 200);
    // A new credential: tokens cached by the old one were issued before the jump and have expired.
    const later = cryptoClient(kid, adminCredential(ep, sandbox.caPem), sandbox.caPem);
    const refused = await restError(() => later.wrapKey('A256KW', secret));
    assert.equal(refused.statusCode, 403);
    assert.match(refused.message, /not allowed on an expired key/);
    assert.deepEqual(Buffer.from((await later.unwrapKey('A256KW', wrapped.result)).result), secret);
  });
});

describe('sandbox: Managed HSM purge without purge protection', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let stateDir: string;
  before(async () => {
    // The seeded activated HSM has purge protection; turn it off (and shorten retention) in the
    // persisted world between two runs, as an HSM created that way would be.
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-keys-purge-'));
    await (await startSandboxProcess([], stateDir)).stop();
    const file = path.join(stateDir, 'world.json');
    const world = JSON.parse(fs.readFileSync(file, 'utf8')) as { hsms: { name: string; enablePurgeProtection: boolean; softDeleteRetentionInDays: number }[] };
    const hsm = world.hsms.find((h) => h.name === 'contoso-mhsm-eus')!;
    hsm.enablePurgeProtection = false;
    hsm.softDeleteRetentionInDays = 7;
    fs.writeFileSync(file, JSON.stringify(world));
    sandbox = await startSandboxProcess([], stateDir);
  });
  after(async () => {
    await sandbox?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('purges a deleted key for good, after which its name is free again', async () => {
    const hsmUri = sandbox.endpoints.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri;
    const client = keyClient(hsmUri, adminCredential(sandbox.endpoints, sandbox.caPem), sandbox.caPem);
    const first = await client.createKey('short-lived', 'oct-HSM', { keySize: 256 });
    assert.equal(first.properties.recoveryLevel, 'CustomizedRecoverable+Purgeable');
    assert.equal(first.properties.recoverableDays, 7);
    const deleted = await (await client.beginDeleteKey('short-lived', { intervalInMs: 10 })).pollUntilDone();
    assert.equal(deleted.properties.scheduledPurgeDate!.getTime() - deleted.properties.deletedOn!.getTime(), 7 * day);

    await client.purgeDeletedKey('short-lived');
    assert.equal((await restError(() => client.getDeletedKey('short-lived'))).statusCode, 404);
    const again = await client.createKey('short-lived', 'oct-HSM', { keySize: 256 });
    assert.notEqual(again.properties.version, first.properties.version);
    const versions: string[] = [];
    for await (const v of client.listPropertiesOfKeyVersions('short-lived')) versions.push(v.version!);
    assert.deepEqual(versions, [again.properties.version], 'the purged versions are gone');
  });
});
