import * as assert from 'node:assert/strict';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, armKeyVault, cryptoClient, keyClient } from '../support/azureClients';
import type { FaultRule } from '../../sandbox/faults';

// The fault controls are only useful if the real SDKs experience them as they would the real
// service: these tests set faults and check both that they fired and that the SDK's own retry
// policy carried the call through.

describe('sandbox fault injection, seen through the real SDKs', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandboxProcess();
  });
  after(async () => {
    await sandbox?.stop();
  });
  afterEach(async () => {
    await sandbox.control('DELETE', '/faults');
  });

  const addFault = async (rule: Record<string, unknown>): Promise<FaultRule> => {
    const res = await sandbox.control('POST', '/faults', rule);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as FaultRule;
  };
  const fired = async (id: string): Promise<number> => {
    const list = (await sandbox.control('GET', '/faults')).body as { value: FaultRule[] };
    return list.value.find((r) => r.id === id)?.fired ?? -1;
  };

  it('KeyClient survives 429 with Retry-After on reads', async () => {
    const rule = await addFault({ service: 'hsm', method: 'GET', path: '^/keys/secret-server-key$', kind: 'throttle', times: 2, retryAfterSeconds: 1 });
    const client = keyClient(sandbox.endpoints.hsms[0].uri, adminCredential(sandbox.endpoints, sandbox.caPem), sandbox.caPem);
    const key = await client.getKey('secret-server-key');
    assert.equal(key.keyType, 'oct-HSM');
    assert.equal(await fired(rule.id), 2);
  });

  it('CryptographyClient survives intermittent 503 on wrap and unwrap', async () => {
    const rule = await addFault({ service: 'hsm', method: 'POST', path: '/(wrapkey|unwrapkey)$', kind: 'unavailable', probability: 0.5, seed: 11, retryAfterSeconds: 0 });
    const credential = adminCredential(sandbox.endpoints, sandbox.caPem);
    const key = await keyClient(sandbox.endpoints.hsms[0].uri, credential, sandbox.caPem).getKey('secret-server-key');
    const crypto = cryptoClient(key, credential, sandbox.caPem);
    const cek = Buffer.alloc(32, 9);
    for (let i = 0; i < 4; i++) {
      const wrapped = await crypto.wrapKey('A256KW', cek);
      const unwrapped = await crypto.unwrapKey('A256KW', wrapped.result);
      assert.deepEqual(Buffer.from(unwrapped.result), cek);
    }
    assert.ok((await fired(rule.id)) > 0, 'the 503 rule fired');
  });

  it('KeyClient retries a connection dropped before the response', async () => {
    const drop = await addFault({ service: 'hsm', method: 'GET', path: '^/keys$', kind: 'drop', times: 1 });
    const client = keyClient(sandbox.endpoints.hsms[0].uri, adminCredential(sandbox.endpoints, sandbox.caPem), sandbox.caPem);
    const names: string[] = [];
    for await (const p of client.listPropertiesOfKeys()) names.push(p.name);
    assert.ok(names.includes('secret-server-key'));
    assert.equal(await fired(drop.id), 1);
  });

  it('a response cut mid-body fails that call promptly (the SDK does not retry it), and the next call works', async () => {
    // This is the SDK's real behaviour: the status arrived, so its retry policy does not apply.
    // Callers that must survive it (issue: reliability) retry idempotent reads themselves.
    const cut = await addFault({ service: 'hsm', method: 'GET', path: '^/keys/expiring-key/versions$', kind: 'truncate', times: 1 });
    const client = keyClient(sandbox.endpoints.hsms[0].uri, adminCredential(sandbox.endpoints, sandbox.caPem), sandbox.caPem);
    const list = async () => {
      const versions: string[] = [];
      for await (const v of client.listPropertiesOfKeyVersions('expiring-key')) versions.push(v.version ?? '');
      return versions;
    };
    await assert.rejects(list(), /aborted|socket hang up|ECONNRESET/);
    assert.equal((await list()).length, 2);
    assert.equal(await fired(cut.id), 1);
  });

  it('ARM clients survive 429 and 503 on listing', async () => {
    const throttle = await addFault({ service: 'arm', path: '/managedHSMs$', kind: 'throttle', times: 1, retryAfterSeconds: 1 });
    const unavailable = await addFault({ service: 'arm', path: '/managedHSMs$', kind: 'unavailable', times: 1, retryAfterSeconds: 0 });
    const ep = sandbox.endpoints;
    const arm = armKeyVault(ep, sandbox.caPem, adminCredential(ep, sandbox.caPem), ep.subscriptions[0].id);
    const hsms: string[] = [];
    for await (const h of arm.managedHsms.listBySubscription()) hsms.push(h.name ?? '');
    assert.deepEqual(hsms.sort(), ep.hsms.map((h) => h.name).sort());
    assert.equal(await fired(throttle.id), 1);
    assert.equal(await fired(unavailable.id), 1);
  });

  it('adds latency only where asked', async () => {
    const rule = await addFault({ service: 'hsm', path: '^/keys/aes128-key$', kind: 'latency', latencyMs: 300 });
    const client = keyClient(sandbox.endpoints.hsms[0].uri, adminCredential(sandbox.endpoints, sandbox.caPem), sandbox.caPem);
    await client.getKey('secret-server-key');
    assert.equal(await fired(rule.id), 0);
    await client.getKey('aes128-key');
    assert.equal(await fired(rule.id), 1);
  });

  it('gives up with the service error once retries are exhausted', async () => {
    await addFault({ service: 'hsm', method: 'GET', path: '^/keys/rsa-signing-key$', kind: 'unavailable', retryAfterSeconds: 0 });
    const client = keyClient(sandbox.endpoints.hsms[0].uri, adminCredential(sandbox.endpoints, sandbox.caPem), sandbox.caPem);
    await assert.rejects(client.getKey('rsa-signing-key', { requestOptions: {} }), (err: { statusCode?: number }) => err.statusCode === 503);
  });
});
