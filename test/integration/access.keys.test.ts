import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { ActionableError } from '../../src/core/actionableError';
import { parseKeyIdentifier } from '../../src/core/keyIdentifier';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { ManagedHsmKeys, ManagedHsmKeysByUri } from '../../src/azure/keys';
import { servicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { rejectsActionable } from '../support/actionableAssertions';

// Keys through the product's own access layer (src/azure/keys.ts) and the real
// @azure/keyvault-keys package, against the sandbox over HTTPS with its CA trusted per client.

const rejects = rejectsActionable;

describe('access layer: Managed HSM keys', function () {
  let sandbox: SandboxHandle;
  let cloud: AzureCloud;
  let admin: TokenCredential;
  let keys: ManagedHsmKeys;
  let eusUri: string;
  let weuUri: string;

  before(async () => {
    sandbox = await startSandboxProcess(['--keys', '300']);
    const ep = sandbox.endpoints;
    cloud = sandboxCloud(ep, sandbox.caPem);
    admin = await servicePrincipalCredential(cloud, ep.tenantId, ep.admin.clientId, ep.admin.clientSecret);
    eusUri = ep.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri;
    weuUri = ep.hsms.find((h) => h.name === 'contoso-mhsm-weu')!.uri;
    keys = new ManagedHsmKeys(cloud, admin, eusUri, { displayName: 'contoso-mhsm-eus', pollIntervalMs: 20 });
  });

  after(async () => {
    await sandbox?.stop();
  });

  it('pages through 300+ keys with continuation tokens, each name exactly once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await keys.listKeysPage({ continuationToken: token, maxPageSize: 25 });
      assert.ok(page.items.length <= 25, `page ${pages} has ${page.items.length} items`);
      assert.ok(page.items.length > 0 || token === undefined, 'a continued page is never empty');
      seen.push(...page.items.map((k) => k.name));
      token = page.continuationToken;
      pages++;
      assert.ok(pages < 50, 'paging did not end');
    } while (token);

    assert.equal(new Set(seen).size, seen.length, 'a key was listed twice');
    assert.equal(seen.length, 305, 'the 5 named keys and the 300 bulk keys');
    assert.equal(pages, Math.ceil(305 / 25));
    for (const name of ['secret-server-key', 'expiring-key', 'bulk-key-0001', 'bulk-key-0300']) assert.ok(seen.includes(name), name);
    assert.ok(!seen.includes('retired-key'), 'a soft-deleted key is not listed');
  });

  it('lets a different client (a later tree refresh) continue from a token, and small pages work', async () => {
    const first = await keys.listKeysPage({ maxPageSize: 3 });
    assert.equal(first.items.length, 3);
    assert.ok(first.continuationToken, 'more pages follow');
    const elsewhere = new ManagedHsmKeysByUri(cloud, admin).forHsm(eusUri);
    assert.notEqual(elsewhere, keys);
    const second = await elsewhere.listKeysPage({ continuationToken: first.continuationToken });
    assert.equal(second.items.length, 3, 'the page size travels in the token');
    const firstNames = first.items.map((k) => k.name);
    for (const k of second.items) assert.ok(!firstNames.includes(k.name), `${k.name} repeated`);
    // List entries describe the current version with a versionless id.
    assert.equal(second.items[0].version, undefined);
    assert.equal(second.items[0].id, second.items[0].versionlessId);
  });

  it('keeps the tokens of concurrent listings on one client apart', async () => {
    const a1 = await keys.listKeysPage({ maxPageSize: 4 });
    const b1 = await keys.listKeysPage({ maxPageSize: 7 });
    const [a2, b2, a2again] = await Promise.all([
      keys.listKeysPage({ continuationToken: a1.continuationToken }),
      keys.listKeysPage({ continuationToken: b1.continuationToken }),
      keys.listKeysPage({ continuationToken: a1.continuationToken }),
    ]);
    assert.deepEqual(a2.items.map((k) => k.name), a2again.items.map((k) => k.name));
    assert.equal(a2.continuationToken, a2again.continuationToken);
    assert.notEqual(a2.continuationToken, b2.continuationToken);
    const a3 = await keys.listKeysPage({ continuationToken: a2.continuationToken });
    const b3 = await keys.listKeysPage({ continuationToken: b2.continuationToken });
    assert.equal(a3.items.length, 4);
    assert.equal(b3.items.length, 7);
    const all = (await keys.listKeysPage({ maxPageSize: 25 })).items.map((k) => k.name);
    assert.deepEqual([...a1.items, ...a2.items, ...a3.items].map((k) => k.name), all.slice(0, 12));
    assert.deepEqual([...b1.items, ...b2.items, ...b3.items].map((k) => k.name), all.slice(0, 21));
  });

  it('refuses a continuation token that points at another host, before sending anything', async () => {
    const err = await rejects(keys.listKeysPage({ continuationToken: 'https://attacker.example/keys?$skiptoken=x' }), 'invalidInput');
    assert.match(err.message, /page token does not belong to contoso-mhsm-eus/);
  });

  it('caches one client per HSM', () => {
    const byUri = new ManagedHsmKeysByUri(cloud, admin);
    assert.equal(byUri.forHsm(eusUri), byUri.forHsm(eusUri.replace(/\/$/, '')));
    assert.notEqual(byUri.forHsm(eusUri), byUri.forHsm(weuUri));
    assert.throws(() => byUri.forHsm('https://contoso.vault.azure.net/'), (e: unknown) => e instanceof ActionableError && e.kind === 'invalidInput');
  });

  let firstVersion = '';

  it("creates Secret Server's key: oct-HSM, 256 bits, wrapKey and unwrapKey only, not exportable", async () => {
    const expiresOn = new Date(Math.floor(Date.now() / 1000 + 365 * 86_400) * 1000);
    const key = await keys.createSecretServerKey('ss-master-key', { expiresOn, tags: { purpose: 'secret-server' } });
    assert.equal(key.name, 'ss-master-key');
    assert.equal(key.keyType, 'oct-HSM');
    assert.deepEqual([...(key.keyOps ?? [])].sort(), ['unwrapKey', 'wrapKey']);
    assert.equal(key.exportable, false);
    assert.equal(key.enabled, true);
    assert.equal(key.expiresOn?.getTime(), expiresOn.getTime());
    assert.deepEqual(key.tags, { purpose: 'secret-server' });
    assert.equal(key.recoveryLevel, 'Recoverable', 'the HSM has purge protection');
    assert.match(key.version ?? '', /^[0-9a-f]{32}$/);

    const parsed = parseKeyIdentifier(key.id, { origins: cloud.managedHsmOrigins });
    assert.ok(parsed.ok, 'the kid is a valid key identifier of this cloud');
    assert.equal(parsed.value.name, 'ss-master-key');
    assert.equal(parsed.value.version, key.version);
    assert.equal(key.versionlessId, parsed.value.versionlessId);
    firstVersion = key.version!;

    const read = await keys.getKey('ss-master-key');
    assert.equal(read.id, key.id);
  });

  it('adds a version by creating again and by rotating; versions page like keys', async () => {
    const second = await keys.createSecretServerKey('ss-master-key');
    assert.notEqual(second.version, firstVersion);
    const rotated = await keys.rotateKey('ss-master-key');
    assert.notEqual(rotated.version, second.version);
    assert.equal(rotated.keyType, 'oct-HSM');
    assert.deepEqual([...(rotated.keyOps ?? [])].sort(), ['unwrapKey', 'wrapKey'], 'rotation keeps the operations');

    const versions: string[] = [];
    let token: string | undefined;
    do {
      const page = await keys.listVersionsPage('ss-master-key', { continuationToken: token, maxPageSize: 2 });
      versions.push(...page.items.map((v) => v.version ?? ''));
      token = page.continuationToken;
    } while (token);
    assert.deepEqual(new Set(versions), new Set([firstVersion, second.version, rotated.version]));

    const current = await keys.getKey('ss-master-key');
    assert.equal(current.version, rotated.version, 'the latest version is current');
    const old = await keys.getKey('ss-master-key', firstVersion);
    assert.equal(old.version, firstVersion);
  });

  it('updates one version (disable) and the current one (dates) without touching the others', async () => {
    const disabled = await keys.updateKey('ss-master-key', firstVersion, { enabled: false });
    assert.equal(disabled.enabled, false);
    assert.equal(disabled.version, firstVersion);
    assert.equal((await keys.getKey('ss-master-key')).enabled, true, 'the current version stays enabled');

    const notBefore = new Date(Math.floor(Date.now() / 1000 - 60) * 1000);
    const expiresOn = new Date(Math.floor(Date.now() / 1000 + 30 * 86_400) * 1000);
    const updated = await keys.updateKey('ss-master-key', undefined, { notBefore, expiresOn, tags: { owner: 'pki' } });
    assert.equal(updated.notBefore?.getTime(), notBefore.getTime());
    assert.equal(updated.expiresOn?.getTime(), expiresOn.getTime());
    assert.deepEqual(updated.tags, { owner: 'pki' });
    assert.equal((await keys.getKey('ss-master-key', firstVersion)).enabled, false);

    const err = await rejects(keys.updateKey('ss-master-key', undefined, { notBefore: expiresOn, expiresOn: notBefore }), 'invalidInput');
    assert.match(err.message, /^Could not update key 'ss-master-key' in contoso-mhsm-eus: the service rejected the request \(BadParameter\)/);
  });

  it('reads and replaces the rotation policy, and refuses an invalid one with the service reason', async () => {
    const policy = await keys.updateRotationPolicy('ss-master-key', {
      expiresIn: 'P2Y',
      lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P18M' }],
    });
    assert.equal(policy.expiresIn, 'P2Y');
    assert.deepEqual(policy.lifetimeActions, [{ action: 'Rotate', timeAfterCreate: 'P18M', timeBeforeExpiry: undefined }]);
    const read = await keys.getRotationPolicy('ss-master-key');
    assert.equal(read.expiresIn, 'P2Y');
    assert.equal(read.lifetimeActions[0].timeAfterCreate, 'P18M');
    assert.ok(read.id?.endsWith('/keys/ss-master-key/rotationpolicy'));

    const err = await rejects(keys.updateRotationPolicy('ss-master-key', { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P1D' }] }), 'invalidInput');
    assert.match(err.message, /at least 7 days/);
  });

  it('creates other key types through the generic create', async () => {
    const rsa = await keys.createKey('rsa-test-key', { keyType: 'RSA-HSM', keySize: 3072, keyOps: ['sign', 'verify'] });
    assert.equal(rsa.keyType, 'RSA-HSM');
    assert.equal(rsa.keySize, 3072);
    const ec = await keys.createKey('ec-test-key', { keyType: 'EC-HSM', curve: 'P-384' });
    assert.equal(ec.keyType, 'EC-HSM');
    assert.equal(ec.keySize, 384);
    const err = await rejects(keys.createKey('bad-size-key', { keyType: 'oct-HSM', keySize: 512 }), 'invalidInput');
    assert.match(err.message, /key size 512 is not valid/);
  });

  it('soft-deletes and recovers a key with all its versions; purge is refused under purge protection', async () => {
    const deleted = await keys.deleteKey('ss-master-key');
    assert.equal(deleted.name, 'ss-master-key');
    assert.ok(deleted.recoveryId?.endsWith('/deletedkeys/ss-master-key'));
    assert.ok(deleted.deletedOn instanceof Date);
    assert.ok(deleted.scheduledPurgeDate && deleted.deletedOn && deleted.scheduledPurgeDate > deleted.deletedOn);

    await rejects(keys.getKey('ss-master-key'), 'notFound');
    const gone = await keys.getDeletedKey('ss-master-key');
    assert.equal(gone.recoveryId, deleted.recoveryId);
    const deletedNames: string[] = [];
    let token: string | undefined;
    do {
      const page = await keys.listDeletedKeysPage({ continuationToken: token });
      deletedNames.push(...page.items.map((k) => k.name));
      token = page.continuationToken;
    } while (token);
    assert.deepEqual(deletedNames.sort(), ['retired-key', 'ss-master-key']);

    const recovered = await keys.recoverKey('ss-master-key');
    assert.equal(recovered.name, 'ss-master-key');
    assert.equal((await keys.getKey('ss-master-key', firstVersion)).version, firstVersion, 'old versions come back too');

    await keys.deleteKey('ss-master-key');
    const err = await rejects(keys.purgeDeletedKey('ss-master-key'), 'conflict');
    assert.equal(err.statusCode, 403);
    assert.match(err.message, /^Could not purge deleted key 'ss-master-key' in contoso-mhsm-eus: the Managed HSM has purge protection/);
    assert.ok(await keys.getDeletedKey('ss-master-key'), 'the deleted key is still there');
    await keys.recoverKey('ss-master-key');
  });

  it('answers a create over a soft-deleted name (409) with a conflict that says what to do', async () => {
    const err = await rejects(keys.createSecretServerKey('retired-key'), 'conflict');
    assert.equal(err.statusCode, 409);
    assert.match(err.message, /^Could not create key 'retired-key' in contoso-mhsm-eus: a deleted key with that name is still kept for recovery/);
    assert.match(err.message, /recover the deleted key/);
  });

  it('reports a missing key as notFound (KeyNotFound)', async () => {
    const err = await rejects(keys.getKey('no-such-key'), 'notFound');
    assert.equal(err.code, 'KeyNotFound');
    assert.equal(err.statusCode, 404);
    assert.match(err.message, /^Could not read key 'no-such-key' in contoso-mhsm-eus: the key does not exist/);
    await rejects(keys.getDeletedKey('no-such-key'), 'notFound');
    await rejects(keys.rotateKey('no-such-key'), 'notFound');
  });

  it('reports an HSM that is not activated as notActivated', async () => {
    const weu = new ManagedHsmKeys(cloud, admin, weuUri, { displayName: 'contoso-mhsm-weu' });
    const err = await rejects(weu.listKeysPage(), 'notActivated');
    assert.match(err.message, /^Could not list the keys of contoso-mhsm-weu: the Managed HSM is not activated yet/);
    await rejects(weu.createSecretServerKey('ss-master-key'), 'notActivated');
  });

  it('refuses invalid names and foreign HSM URIs before calling the service', async () => {
    const err = await rejects(keys.createSecretServerKey('bad_name'), 'invalidInput');
    assert.match(err.message, /letters, digits and hyphens/);
    await rejects(keys.getKey('x'.repeat(128)), 'invalidInput');
    assert.throws(
      () => new ManagedHsmKeys(cloud, admin, 'https://contoso.managedhsm.azure.net/'),
      (e: unknown) => e instanceof ActionableError && e.kind === 'invalidInput' && /not one of the Managed HSMs/.test(e.message),
    );
  });
});
