import * as assert from 'node:assert/strict';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, appCredential, keyClient } from '../support/azureClients';
import { ActionableError, type ErrorKind } from '../../src/core/actionableError';
import { toActionableError } from '../../src/azure/azureErrors';

// toActionableError on what the real @azure/keyvault-keys SDK throws for real Managed HSM data-plane
// answers of the sandbox (the key functions themselves belong to the keys module).

async function classified(what: string, action: () => Promise<unknown>, kind: ErrorKind, ...patterns: RegExp[]): Promise<ActionableError> {
  try {
    await action();
  } catch (err) {
    const actionable = toActionableError(err, what);
    assert.equal(actionable.kind, kind, `${actionable.message}\n${actionable.detail}`);
    for (const p of patterns) assert.match(actionable.message, p);
    assert.match(actionable.message, new RegExp(`^Could not ${what}: `));
    return actionable;
  }
  assert.fail(`expected ${what} to fail`);
}

describe('actionable errors from real Managed HSM data-plane answers', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  const hsm = (name: string) => sandbox.endpoints.hsms.find((h) => h.name === name)!.uri;

  before(async () => {
    sandbox = await startSandboxProcess();
  });
  after(async () => {
    await sandbox?.stop();
  });
  afterEach(async () => {
    await sandbox.control('DELETE', '/faults');
  });

  const admin = () => adminCredential(sandbox.endpoints, sandbox.caPem);

  it('an HSM that is not activated', async () => {
    const client = keyClient(hsm('contoso-mhsm-weu'), admin(), sandbox.caPem);
    const err = await classified('list keys of contoso-mhsm-weu', async () => {
      for await (const _ of client.listPropertiesOfKeys()) break;
    }, 'notActivated', /security domain/);
    assert.equal(err.code, 'HsmNotActivated');
  });

  it('data-plane AccessDenied for a principal whose role is on one key only', async () => {
    const ep = sandbox.endpoints;
    const app = appCredential(ep, sandbox.caPem, ep.expiringApp.clientId, ep.expiringApp.clientSecret);
    const client = keyClient(hsm('contoso-mhsm-eus'), app, sandbox.caPem);
    const err = await classified('list keys of contoso-mhsm-eus', async () => {
      for await (const _ of client.listPropertiesOfKeys()) break;
      // The SDK's pager keeps only the code, so the message names the path and scope instead of the data action.
    }, 'accessDenied', /denied access to \/keys/, /Managed HSM Crypto User role at \/keys or above/);
    assert.equal(err.code, 'AccessDenied');
    assert.equal(err.statusCode, 403);
    // The same principal may use the one key its role is scoped to, and no other.
    const key = await client.getKey('secret-server-key');
    assert.equal(key.name, 'secret-server-key');
    const other = await classified('read key rsa-signing-key', () => client.getKey('rsa-signing-key'), 'accessDenied', /does not allow Microsoft\.KeyVault\/managedHsm\/keys\/read\/action on \/keys\/rsa-signing-key/);
    assert.equal(other.code, 'AccessDenied');
  });

  it('a key that does not exist', async () => {
    const client = keyClient(hsm('contoso-mhsm-eus'), admin(), sandbox.caPem);
    const err = await classified('read key no-such-key', () => client.getKey('no-such-key'), 'notFound', /does not exist/);
    assert.equal(err.code, 'KeyNotFound');
  });

  it('a name still held by a soft-deleted key', async () => {
    const client = keyClient(hsm('contoso-mhsm-eus'), admin(), sandbox.caPem);
    await classified('create key retired-key', () => client.createOctKey('retired-key', { hsm: true, keySize: 256 }), 'conflict', /recover/, /purge/);
  });

  it('throttling and unavailability that outlast the SDK retries', async () => {
    const client = keyClient(hsm('contoso-mhsm-eus'), admin(), sandbox.caPem);
    await client.getKey('secret-server-key');
    await sandbox.control('POST', '/faults', { service: 'hsm', method: 'GET', path: '^/keys/secret-server-key$', kind: 'throttle', retryAfterSeconds: 0 });
    await classified('read key secret-server-key', () => client.getKey('secret-server-key'), 'throttled');
    await sandbox.control('DELETE', '/faults');
    await sandbox.control('POST', '/faults', { service: 'hsm', method: 'GET', path: '^/keys/secret-server-key$', kind: 'unavailable', retryAfterSeconds: 0 });
    await classified('read key secret-server-key', () => client.getKey('secret-server-key'), 'unavailable', /503/);
  });
});
