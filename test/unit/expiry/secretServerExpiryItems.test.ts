import * as assert from 'node:assert/strict';
import { appPath, keyVersionPath, secretServerPath } from '../../../src/core/expiry/expiryPath';
import { dayMs, defaultThresholds } from '../../../src/core/expiry/thresholds';
import { ExpiryWatch } from '../../../src/expiry/expiryWatch';
import { secretServerExpiryItems } from '../../../src/expiry/secretServerExpiryItems';
import type { KeyManagementState } from '../../../src/views/secretServer/secretServerModel';

const now = Date.parse('2026-11-30T12:00:00Z');
const appId = '11111111-2222-3333-4444-555555555555';
const hsm = 'https://contoso.managedhsm.azure.net';
const version = 'c'.repeat(32);

function state(overrides: Partial<KeyManagementState> = {}): KeyManagementState {
  return {
    config: { provider: 'azureManagedHsm', azureManagedHsm: { tenantId: 't', principalId: appId, keyUrl: `${hsm}/keys/ss-key` }, awsKms: {}, availableTypes: [] } as unknown as KeyManagementState['config'],
    rotation: { ok: true, value: { state: 'succeeded', done: true } } as unknown as KeyManagementState['rotation'],
    readOnly: { ok: true, value: false },
    health: { ok: true, value: { healthy: true } },
    app: { ok: true, value: { appId, objectId: 'obj', displayName: 'Secret Server', secrets: [{ keyId: 'k1', hint: 'abc', endDateTime: new Date(now + 5 * dayMs).toISOString() }] } },
    key: {
      ok: true,
      value: { host: 'contoso.managedhsm.azure.net', name: 'ss-key', pinned: false, key: { name: 'ss-key', id: `${hsm}/keys/ss-key/${version}`, versionlessId: `${hsm}/keys/ss-key`, version, enabled: true, tags: {} } },
    },
    ...overrides,
  };
}

describe('expiry items of a Secret Server connection', () => {
  it('watches the app secret and the key version it uses, both linked to the connection', () => {
    const items = secretServerExpiryItems('ss1', state());
    assert.deepEqual(items.map((i) => i.kind), ['clientSecret', 'key', 'keyVersion']);
    assert.ok(items.every((i) => i.usedBySecretServer.includes('ss1')));
  });

  it('makes the connection critical when the secret it signs in with expires in 5 days', () => {
    const watch = new ExpiryWatch({ now: () => now, thresholds: () => defaultThresholds });
    watch.setItems('secretServer:ss1', secretServerExpiryItems('ss1', state()));
    const snapshot = watch.snapshot();
    assert.equal(snapshot.states.get(secretServerPath('ss1'))?.severity, 'critical');
    assert.equal(snapshot.states.get(appPath(appId))?.severity, 'critical');
    assert.equal(snapshot.states.get(keyVersionPath(hsm, 'ss-key', version))?.severity, 'ok');
    assert.ok(snapshot.clientIds.has(appId));
  });

  it('watches nothing for parts that could not be loaded', () => {
    const failed = { ok: false as const, error: new Error('no') as never };
    assert.deepEqual(secretServerExpiryItems('ss1', state({ app: failed, key: failed })), []);
  });
});
