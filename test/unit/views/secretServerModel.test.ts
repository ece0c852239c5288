import * as assert from 'node:assert/strict';
import { ActionableError } from '../../../src/core/actionableError';
import type { KeyManagementConfig } from '../../../src/secretServer/keyManagement';
import { ConnectionStore, type StateStore } from '../../../src/views/secretServer/connectionStore';
import { SecretServerModel, type SecretServerLoaders } from '../../../src/views/secretServer/secretServerModel';

const connection = { id: 'https://ss.example.com admin', url: 'https://ss.example.com', username: 'admin' };

function hsmConfig(): KeyManagementConfig {
  return {
    typeName: 'Azure Managed HSM',
    provider: 'azureManagedHsm',
    azureManagedHsm: { tenantId: 't1', principalId: 'client-1', keyUrl: 'https://contoso.managedhsm.azure.net/keys/ss' },
    awsKms: {},
    availableTypes: [],
  };
}

function loaders(overrides: Partial<SecretServerLoaders> = {}): { loaders: SecretServerLoaders; calls: string[] } {
  const calls: string[] = [];
  const base: SecretServerLoaders = {
    keyManagement: async () => (calls.push('km'), hsmConfig()),
    rotation: async () => (calls.push('rotation'), { state: 'idle', done: true, status: {} }),
    readOnlyMode: async () => (calls.push('readOnly'), false),
    health: async () => (calls.push('health'), { healthy: false, reason: 'The client secret has expired.' }),
    resolveKey: async () => {
      calls.push('key');
      return { host: 'contoso.managedhsm.azure.net', name: 'ss', pinned: false, key: { name: 'ss', id: 'https://contoso.managedhsm.azure.net/keys/ss/' + 'a'.repeat(32), versionlessId: 'x', version: 'a'.repeat(32), enabled: true, tags: {} } };
    },
    appRegistration: async () => (calls.push('app'), { displayName: 'SS app', appId: 'client-1', objectId: 'o1', secrets: [] }),
  };
  return { loaders: { ...base, ...overrides }, calls };
}

describe('SecretServerModel', () => {
  it('loads the key management state once and again after invalidate', async () => {
    const { loaders: l, calls } = loaders();
    const model = new SecretServerModel(l);
    const state = await model.keyManagement(connection);
    assert.ok(state.ok);
    assert.ok(state.value.key?.ok && state.value.app?.ok);
    await model.keyManagement(connection);
    assert.equal(calls.filter((c) => c === 'km').length, 1);
    model.invalidate(connection.id);
    await model.keyManagement(connection);
    assert.equal(calls.filter((c) => c === 'km').length, 2);
  });

  it('keeps a Graph refusal to the app registration: the key, rotation and maintenance still show', async () => {
    const { loaders: l } = loaders({ appRegistration: async () => Promise.reject(new ActionableError('Graph refused (Authorization_RequestDenied).', 'forbidden')) });
    const state = await new SecretServerModel(l).keyManagement(connection);
    assert.ok(state.ok);
    assert.equal(state.value.app?.ok, false);
    assert.ok(state.value.key?.ok);
    assert.ok(state.value.rotation.ok && state.value.readOnly.ok);
  });

  it('carries Secret Server\'s health with its reason, and a failed healthcheck as an error beside the rest', async () => {
    const unhealthy = await new SecretServerModel(loaders().loaders).keyManagement(connection);
    assert.ok(unhealthy.ok);
    assert.deepEqual(unhealthy.value.health, { ok: true, value: { healthy: false, reason: 'The client secret has expired.' } });
    const failed = await new SecretServerModel(loaders({ health: async () => Promise.reject(new Error('socket hang up')) }).loaders).keyManagement(connection);
    assert.ok(failed.ok && !failed.value.health.ok);
    assert.match(failed.value.health.error.message, /Could not read Secret Server's health: socket hang up/);
    assert.ok(failed.value.rotation.ok && failed.value.key?.ok);
  });

  it('does not look for a key or an app when the type is not Azure Managed HSM', async () => {
    const { loaders: l, calls } = loaders({ keyManagement: async () => ({ ...hsmConfig(), provider: 'none', typeName: 'None' }) });
    const state = await new SecretServerModel(l).keyManagement(connection);
    assert.ok(state.ok);
    assert.equal(state.value.key, undefined);
    assert.equal(state.value.app, undefined);
    assert.ok(!calls.includes('key') && !calls.includes('app'));
  });

  it('reports a failed sign-in as the connection\'s error', async () => {
    const { loaders: l } = loaders({ keyManagement: async () => Promise.reject(new ActionableError('You are signed out of https://ss.example.com as admin; sign in again.', 'authentication')) });
    const state = await new SecretServerModel(l).keyManagement(connection);
    assert.equal(state.ok, false);
    assert.equal(!state.ok && state.error.kind, 'authentication');
  });
});

describe('ConnectionStore', () => {
  function stores() {
    const state = new Map<string, unknown>();
    const secrets = new Map<string, string>();
    const stateStore: StateStore = { get: <T>(k: string) => state.get(k) as T | undefined, update: async (k, v) => void state.set(k, v) };
    const store = new ConnectionStore(stateStore, { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v), delete: async (k) => void secrets.delete(k) });
    return { store, state, secrets };
  }

  it('keeps the password in the secret store only, and URL and user name in state', async () => {
    const { store, state, secrets } = stores();
    const c = await store.save('https://ss.example.com/', 'admin', 'P@ssw0rd-value');
    assert.deepEqual(store.list(), [{ id: c.id, url: 'https://ss.example.com', username: 'admin' }]);
    assert.doesNotMatch(JSON.stringify([...state.values()]), /P@ssw0rd-value/);
    assert.equal(await store.password(c), 'P@ssw0rd-value');
    assert.equal(secrets.size, 1);
  });

  it('replaces a connection saved again, and removes it with its password', async () => {
    const { store, secrets } = stores();
    await store.save('https://ss.example.com', 'admin', 'one');
    const c = await store.save('https://SS.example.com/', 'Admin', 'two');
    assert.equal(store.list().length, 1);
    assert.equal(await store.password(c), 'two');
    await store.remove(c);
    assert.deepEqual(store.list(), []);
    assert.equal(secrets.size, 0);
  });
});
