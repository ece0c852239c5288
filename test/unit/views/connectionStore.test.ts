import * as assert from 'node:assert/strict';
import type { SecretStore } from '../../../src/auth/secretStore';
import { ConnectionStore, passwordKey, type StateStore } from '../../../src/views/secretServer/connectionStore';

// The stored Secret Server connections: the region the user states is kept with the connection
// (not with its password), survives signing in again, and goes with the connection.

function stores(): { state: StateStore & { data: Map<string, unknown> }; secrets: SecretStore & { data: Map<string, string> } } {
  const stateData = new Map<string, unknown>();
  const secretData = new Map<string, string>();
  return {
    state: { data: stateData, get: <T>(k: string) => stateData.get(k) as T | undefined, update: async (k, v) => void stateData.set(k, JSON.parse(JSON.stringify(v))) },
    secrets: { data: secretData, get: async (k) => secretData.get(k), store: async (k, v) => void secretData.set(k, v), delete: async (k) => void secretData.delete(k) },
  };
}

describe('ConnectionStore: Secret Server region', () => {
  it('has no region until one is set, then lists it, and keeps passwords out of the list', async () => {
    const { state, secrets } = stores();
    const store = new ConnectionStore(state, secrets);
    const c = await store.save('https://ss.example.com/', 'Admin', 'pw-1');
    assert.equal(c.region, undefined);
    await store.setRegion(c, 'eastus');
    assert.deepEqual(store.list(), [{ id: c.id, url: 'https://ss.example.com', username: 'Admin', region: 'eastus' }]);
    assert.doesNotMatch(JSON.stringify([...state.data.values()]), /pw-1/);
    assert.equal(secrets.data.get(passwordKey(c.id)), 'pw-1');
  });

  it('keeps the region when the connection is saved again (signing in again)', async () => {
    const { state, secrets } = stores();
    const store = new ConnectionStore(state, secrets);
    const c = await store.save('https://ss.example.com', 'admin', 'pw-1');
    await store.setRegion(c, 'westeurope');
    const again = await store.save('https://ss.example.com', 'admin', 'pw-2');
    assert.equal(again.region, 'westeurope');
    assert.equal(store.list()[0]?.region, 'westeurope');
  });

  it('clears a region, refuses an unknown connection, and drops the region with the connection', async () => {
    const { state, secrets } = stores();
    const store = new ConnectionStore(state, secrets);
    const a = await store.save('https://a.example.com', 'admin', 'pw');
    const b = await store.save('https://b.example.com', 'admin', 'pw');
    await store.setRegion(a, 'eastus');
    await store.setRegion(b, 'uksouth');
    await store.setRegion(a, undefined);
    assert.deepEqual(store.list().map((c) => c.region), [undefined, 'uksouth']);
    await store.remove(b);
    await assert.rejects(store.setRegion(b, 'eastus'), /no Secret Server connection https:\/\/b\.example\.com/);
    assert.deepEqual(store.list().map((c) => c.url), ['https://a.example.com']);
  });
});
