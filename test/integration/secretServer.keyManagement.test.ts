import * as assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyClient } from '@azure/keyvault-keys';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, keyClient } from '../support/azureClients';
import {
  activeHsmUri,
  assertPasswordsUnchanged,
  fastRotation,
  health,
  hsmBody,
  login,
  readAllPasswords,
  rotationStatus,
  seededSettings,
  ssCall,
  typeId,
  user,
  waitForRotation,
  type HsmSettings,
  type KeyManagementModel,
  type RotationStatus,
} from './secretServer.support';

// GET/stub/PUT key management with every refusal, the switch None → HSM key A → key B (a new
// version) → None with rotation progress observed, read-only mode, cancellation and the audit.

interface BadRequest {
  message: string;
  messageDetail: string;
  errorCode: string;
  modelState: Record<string, string[]> | null;
}

describe('sandbox: Secret Server key management', function () {
  let h: SandboxHandle;
  let token: string;
  let hsmId: number;
  let noneId: number;
  let keys: KeyClient;
  let hsm: string;
  let original: Map<number, string>;

  before(async () => {
    h = await startSandboxProcess(['--secrets', '60', ...fastRotation]);
    token = (await login(h, user(h, 'admin'))).accessToken;
    hsmId = await typeId(h, token, 'AzureManagedHsm');
    noneId = await typeId(h, token, 'None');
    hsm = activeHsmUri(h);
    keys = keyClient(hsm, adminCredential(h.endpoints, h.caPem), h.caPem);
    original = await readAllPasswords(h, token);
  });

  after(async () => {
    await h?.stop();
  });

  const put = (body: unknown) => ssCall(h, 'PUT', '/api/v1/key-management', token, body);
  const current = async () => (await ssCall(h, 'GET', '/api/v1/key-management', token)).body as KeyManagementModel;
  const adminSettings = (keyUrl: string): HsmSettings => ({ tenantId: h.endpoints.tenantId, clientId: h.endpoints.admin.clientId, clientSecret: h.endpoints.admin.clientSecret, keyUrl });

  it('starts with key management None; the stub is the None default and both publish the type table', async () => {
    const cfg = await current();
    assert.equal(cfg.keyManagementTypeName, 'None');
    assert.equal(cfg.keyManagementTypeId, noneId);
    const stub = (await ssCall(h, 'GET', '/api/v1/key-management/stub', token)).body as KeyManagementModel;
    assert.equal(stub.keyManagementTypeName, 'None');
    assert.equal(stub.azureManagedHsmKeyUrl, '');
    assert.deepEqual(
      stub.keyManagementTypes.map((t) => t.name),
      ['None', 'AwsKms', 'AzureKeyVault', 'AzureManagedHsm'],
    );
    assert.deepEqual(cfg.keyManagementTypes, stub.keyManagementTypes);
    assert.equal(original.size, 60);
  });

  it('refuses malformed settings with 400 and modelState, before calling anyone', async () => {
    const before = await h.digest();
    const s = seededSettings(h);
    const cases: [unknown, string][] = [
      [{}, 'args.keyManagementTypeId'],
      [{ keyManagementTypeId: String(hsmId) }, 'args.keyManagementTypeId'],
      [{ keyManagementTypeId: 1.5 }, 'args.keyManagementTypeId'],
      [{ keyManagementTypeId: 4242 }, 'args.keyManagementTypeId'],
      [{ ...hsmBody(hsmId, s), azureManagedHsmKeyUrl: undefined }, 'args.azureManagedHsmKeyUrl'],
      [{ ...hsmBody(hsmId, s), azureManagedHsmPrincipalSecret: '' }, 'args.azureManagedHsmPrincipalSecret'],
      [{ ...hsmBody(hsmId, s), azureManagedHsmTenantId: 'contoso.onmicrosoft.com' }, 'args.azureManagedHsmTenantId'],
      [{ ...hsmBody(hsmId, s), azureManagedHsmPrincipalId: 'not-a-guid' }, 'args.azureManagedHsmPrincipalId'],
      [{ ...hsmBody(hsmId, s), azureManagedHsmKeyUrl: 42 }, 'args.azureManagedHsmKeyUrl'],
    ];
    for (const [body, field] of cases) {
      const res = await put(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      const err = res.body as BadRequest;
      assert.deepEqual(Object.keys(err).sort(), ['errorCode', 'message', 'messageDetail', 'modelState']);
      assert.ok(err.modelState && field in err.modelState, `${field} in ${JSON.stringify(err.modelState)}`);
    }
    const aws = await put({ keyManagementTypeId: await typeId(h, token, 'AwsKms'), awsKmsAccessKeyId: 'AKIA0000', awsKmsSecretAccessKey: 'x', awsKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/abc' });
    assert.equal(aws.status, 400);
    assert.match((aws.body as BadRequest).message, /AWS KMS/);
    const vault = await put({ keyManagementTypeId: await typeId(h, token, 'AzureKeyVault'), azureKeyVaultBaseUrl: 'https://v.vault.azure.net' });
    assert.equal(vault.status, 400);
    assert.match((vault.body as BadRequest).message, /Azure Key Vault is not supported/);
    assert.equal(await h.digest(), before);
  });

  it('validates Azure Managed HSM settings for real and names each cause of failure', async () => {
    const opsOnly = await keys.createKey('encrypt-only-key', 'oct-HSM', { keySize: 256, keyOps: ['encrypt', 'decrypt'] });
    assert.ok(opsOnly.properties.version);
    const before = await h.digest();
    const s = seededSettings(h);
    const idle = h.endpoints.hsms.find((x) => !x.activated)!;
    const port = new URL(hsm).port;
    const cases: [HsmSettings, string, RegExp][] = [
      [{ ...s, tenantId: randomUUID() }, 'API_AzureTenantNotFound', /tenant .* was not found \(AADSTS90002\)/],
      [{ ...s, clientSecret: `${s.clientSecret}wrong` }, 'API_AzureClientSecretInvalid', /AADSTS7000215/],
      [{ ...s, clientId: randomUUID() }, 'API_AzureApplicationNotFound', /AADSTS700016/],
      [adminSettings(`${hsm}keys/no-such-key`), 'API_ManagedHsmKeyNotFound', /'no-such-key'.*not found/],
      [{ ...s, keyUrl: `${hsm}keys/secret-server-key/${randomBytes(16).toString('hex')}` }, 'API_ManagedHsmKeyNotFound', /not found/],
      [adminSettings(`${hsm}keys/rsa-signing-key`), 'API_ManagedHsmKeyTypeNotSupported', /RSA-HSM.*oct-HSM.*256/],
      [adminSettings(`${hsm}keys/aes128-key`), 'API_ManagedHsmKeyTypeNotSupported', /256/],
      [adminSettings(`${hsm}keys/encrypt-only-key`), 'API_ManagedHsmKeyOperationsMissing', /wrapKey and unwrapKey/],
      [adminSettings(`${hsm}keys/disabled-key`), 'API_ManagedHsmKeyDisabled', /disabled/],
      [{ ...s, keyUrl: `${hsm}keys/bulk-key-0001` }, 'API_ManagedHsmAccessDenied', /^.*AccessDenied: application '.*' may not read/],
      [adminSettings(`${idle.uri}keys/secret-server-key`), 'API_ManagedHsmNotActivated', /not activated/],
      [{ ...s, keyUrl: 'https://contoso-kv.vault.azure.net/keys/secret-server-key' }, 'API_ManagedHsmUrlInvalid', /Azure Key Vault vault/],
      [{ ...s, keyUrl: `http://127.0.0.1:${port}/keys/secret-server-key` }, 'API_ManagedHsmUrlInvalid', /uses http, not https/],
      [{ ...s, keyUrl: `${hsm}secrets/secret-server-key` }, 'API_ManagedHsmUrlInvalid', /not \/keys\/\{key-name\}/],
      [{ ...s, keyUrl: `${hsm}keys/secret-server-key/not-a-version` }, 'API_ManagedHsmUrlInvalid', /not a key version/],
      [{ ...s, keyUrl: 'https://example.com/keys/secret-server-key' }, 'API_ManagedHsmUrlInvalid', /not a Managed HSM host/],
      [{ ...s, keyUrl: `${hsm}keys/secret-server-key?api-version=7.4` }, 'API_ManagedHsmUrlInvalid', /query/],
      [{ ...s, keyUrl: 'https://nowhere-hsm.managedhsm.azure.net/keys/secret-server-key' }, 'API_ManagedHsmUnreachable', /could not be reached/],
    ];
    for (const [settings, code, message] of cases) {
      const res = await put(hsmBody(hsmId, settings));
      assert.equal(res.status, 400, `${settings.keyUrl}: ${res.text}`);
      const err = res.body as BadRequest;
      assert.equal(err.errorCode, code, err.message);
      assert.match(err.message, message);
      assert.ok(!res.text.includes(settings.clientSecret), 'the principal secret is never echoed');
    }
    assert.equal(await h.digest(), before, 'a refused change leaves the server as it was');
    assert.equal((await current()).keyManagementTypeName, 'None');
  });

  let versionA: string;
  let versionB: string;

  it('switches None → Azure Managed HSM key A (versionless public URL): maintenance mode, rotation progress, success', async () => {
    versionA = (await keys.getKey('secret-server-key')).properties.version!;
    // The public host name of the seeded HSM reaches its sandbox listener.
    const settings = seededSettings(h, 'https://contoso-mhsm-eus.managedhsm.azure.net/keys/secret-server-key');
    const res = await put(hsmBody(hsmId, settings));
    assert.equal(res.status, 200, res.text);
    const saved = res.body as KeyManagementModel;
    assert.equal(saved.keyManagementTypeId, hsmId);
    assert.equal(saved.keyManagementTypeName, 'AzureManagedHsm');
    assert.equal(saved.azureManagedHsmKeyUrl, settings.keyUrl);
    assert.equal(saved.azureManagedHsmPrincipalId, settings.clientId);
    assert.equal(saved.azureManagedHsmTenantId, settings.tenantId);
    assert.equal(saved.azureManagedHsmPrincipalSecret, '');
    assert.ok(!res.text.includes(settings.clientSecret));

    // While it runs: maintenance mode everywhere, and every change refused.
    assert.deepEqual((await ssCall(h, 'GET', '/api/v1/configuration/read-only-mode', token)).body, { enabled: true });
    assert.equal((await health(h)).readOnlyMode, true);
    const node = ((await ssCall(h, 'GET', '/api/v1/nodes', token)).body as { readonlyModeEnabled: boolean }[])[0];
    assert.equal(node.readonlyModeEnabled, true);
    const again = await put(hsmBody(hsmId, settings));
    assert.equal(again.status, 400);
    assert.equal((again.body as BadRequest).errorCode, 'API_SecretKeyRotationInProgress');
    const second = await ssCall(h, 'POST', '/api/v1/configuration/security/rotate-secret-keys', token);
    assert.equal(second.status, 400);
    const release = await ssCall(h, 'PATCH', '/api/v1/configuration/read-only-mode', token, { data: { enabled: { dirty: true, value: false } } });
    assert.equal(release.status, 400);
    assert.match((release.body as BadRequest).message, /held by the running secret key rotation/);

    const seen = await waitForRotation(h, token);
    const midway = seen.filter((s) => s.progressStatus.secretsProcessed > 0 && s.progressStatus.secretsProcessed < s.progressStatus.totalSecretsToProcess);
    assert.ok(midway.length > 0, `progress was observed between polls: ${seen.map((s) => s.progressStatus.secretsProcessed).join(',')}`);
    const counts = seen.filter((s) => s.lastStatus === 'Running').map((s) => s.progressStatus.secretsProcessed);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'progress only goes forward');
    assert.equal(seen.find((s) => s.lastStatus === 'Running')!.progressStatus.totalSecretsToProcess, 60);
    const done = seen[seen.length - 1];
    assert.equal(done.lastStatus, 'Success');
    assert.ok(done.lastRunDate && done.lastRequestDate);
    assert.match(done.message, new RegExp(`secret-server-key version ${versionA}`));
    assert.deepEqual((await ssCall(h, 'GET', '/api/v1/configuration/read-only-mode', token)).body, { enabled: false });
    const after = await health(h);
    assert.equal(after.healthy, true);
    assert.equal(after.readOnlyMode, false);
    await assertPasswordsUnchanged(h, token, original);
    const world = await h.control('GET', '/world');
    assert.ok(!JSON.stringify(world.body).includes(settings.clientSecret), 'the principal secret is sealed at rest');
  });

  it('switches to key B, a new version named explicitly; version A can then be disabled without harm', async () => {
    const created = await keys.createKey('secret-server-key', 'oct-HSM', { keySize: 256, keyOps: ['wrapKey', 'unwrapKey'] });
    versionB = created.properties.version!;
    assert.notEqual(versionB, versionA);
    const res = await put(hsmBody(hsmId, seededSettings(h, `${hsm}keys/secret-server-key/${versionB}`)));
    assert.equal(res.status, 200, res.text);
    const seen = await waitForRotation(h, token);
    const done = seen[seen.length - 1];
    assert.equal(done.lastStatus, 'Success', done.message);
    assert.match(done.message, new RegExp(`version ${versionB}`));
    await keys.updateKeyProperties('secret-server-key', versionA, { enabled: false });
    assert.equal((await health(h)).healthy, true);
    await assertPasswordsUnchanged(h, token, original);
  });

  it('switches back to None: the master key is local again and the HSM key no longer matters', async () => {
    const res = await put({ keyManagementTypeId: noneId });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body as KeyManagementModel).keyManagementTypeName, 'None');
    assert.equal((res.body as KeyManagementModel).azureManagedHsmKeyUrl, '');
    const done = (await waitForRotation(h, token)).pop()!;
    assert.equal(done.lastStatus, 'Success');
    assert.match(done.message, /stored locally/);
    await keys.updateKeyProperties('secret-server-key', versionB, { enabled: false });
    assert.equal((await health(h)).healthy, true);
    await assertPasswordsUnchanged(h, token, original);
    await keys.updateKeyProperties('secret-server-key', versionB, { enabled: true });
    await keys.updateKeyProperties('secret-server-key', versionA, { enabled: true });
  });

  it('refuses changes while read-only mode is switched on by hand, until it is switched off', async () => {
    const patch = (body: unknown) => ssCall(h, 'PATCH', '/api/v1/configuration/read-only-mode', token, body);
    assert.deepEqual((await patch({ data: { enabled: { dirty: true, value: true } } })).body, { enabled: true });
    assert.equal((await health(h)).readOnlyMode, true);
    const refused = await put(hsmBody(hsmId, seededSettings(h)));
    assert.equal(refused.status, 400);
    assert.equal((refused.body as BadRequest).errorCode, 'API_ReadOnlyModeEnabled');
    const rotate = await ssCall(h, 'POST', '/api/v1/configuration/security/rotate-secret-keys', token);
    assert.equal((rotate.body as BadRequest).errorCode, 'API_ReadOnlyModeEnabled');
    assert.deepEqual((await patch({ data: { enabled: { dirty: false, value: false } } })).body, { enabled: true }, 'not dirty: not applied');
    assert.deepEqual((await patch({ data: { enabled: { dirty: true, value: false } } })).body, { enabled: false });
    assert.ok((await ssCall(h, 'GET', '/api/v1/secrets/1/fields/password', token)).body === original.get(1), 'secret 1 still reads back unchanged');
  });

  it('cancels a rotation mid-run: secrets go back to the previous key and the previous configuration stays', async () => {
    const idleCancel = await ssCall(h, 'POST', '/api/v1/configuration/security/cancel-rotate-secret-keys', token);
    assert.equal(idleCancel.status, 200);
    assert.equal((idleCancel.body as RotationStatus).progressStatus.isCancelling, false);

    const res = await put(hsmBody(hsmId, seededSettings(h)));
    assert.equal(res.status, 200, res.text);
    let status = await rotationStatus(h, token);
    while (status.progressStatus.secretsProcessed === 0) status = await rotationStatus(h, token);
    const cancel = await ssCall(h, 'POST', '/api/v1/configuration/security/cancel-rotate-secret-keys', token);
    assert.equal(cancel.status, 200);
    const cancelling = cancel.body as RotationStatus;
    assert.equal(cancelling.lastStatus, 'Cancelling');
    assert.equal(cancelling.progressStatus.isCancelling, true);
    const done = (await waitForRotation(h, token)).pop()!;
    assert.equal(done.lastStatus, 'Cancelled');
    assert.match(done.message, /cancelled/);
    assert.equal((await current()).keyManagementTypeName, 'None');
    assert.equal((await health(h)).readOnlyMode, false);
    await assertPasswordsUnchanged(h, token, original);
  });

  it('runs a plain "Rotate Secret Keys" on request', async () => {
    const res = await ssCall(h, 'POST', '/api/v1/configuration/security/rotate-secret-keys', token);
    assert.equal(res.status, 200);
    assert.equal((res.body as RotationStatus).lastStatus, 'Running');
    const done = (await waitForRotation(h, token)).pop()!;
    assert.equal(done.lastStatus, 'Success');
    await assertPasswordsUnchanged(h, token, original);
  });

  it('keeps a paged, searchable key management audit', async () => {
    const audit = (q: string) => ssCall(h, 'GET', `/api/v1/key-management/config/audit${q}`, token);
    const all = (await audit('?take=100')).body as { total: number; records: { action: string; displayName: string; notes: string; dateRecorded: string }[] };
    assert.ok(all.total >= 8, `audit total ${all.total}`);
    assert.equal(all.records[0].action, 'Secret Key Rotation Completed', 'newest first');
    const first = (await audit('?take=2')).body as Record<string, unknown>;
    assert.equal((first.records as unknown[]).length, 2);
    assert.equal(first.hasNext, true);
    assert.equal(first.hasPrev, false);
    assert.equal(first.nextSkip, 2);
    assert.equal(first.success, true);
    assert.equal(first.total, all.total);
    const second = (await audit('?take=2&skip=2')).body as Record<string, unknown>;
    assert.equal(second.hasPrev, true);
    assert.equal(second.currentPage, 2);
    const cancelled = (await audit('?filter.searchText=cancelled')).body as { records: { action: string }[] };
    assert.ok(cancelled.records.some((r) => r.action === 'Secret Key Rotation Cancelled'));
    const updated = (await audit('?filter.searchText=Key%20Management%20Updated&sortBy[0].name=dateRecorded&sortBy[0].direction=Asc')).body as { records: { displayName: string; notes: string }[] };
    assert.equal(updated.records.length, 4);
    assert.equal(updated.records[0].displayName, 'Secret Server Administrator');
    assert.match(updated.records[0].notes, /from None to Azure Managed HSM/);
    assert.ok(!JSON.stringify(all).includes(h.endpoints.expiringApp.clientSecret));
    assert.equal((await audit('?skip=-1')).status, 400);
    assert.equal((await audit('?sortBy[0].direction=Sideways')).status, 400);
  });
});
