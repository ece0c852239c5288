import * as assert from 'node:assert/strict';
import { applyFilter, describeFilter } from '../../../src/core/activity/activityFilter';
import { ActivityLog, activityLogLimit, activityStateKey, type ActivityStore } from '../../../src/core/activity/activityLog';
import type { ActivityInput } from '../../../src/core/activity/activityRecord';
import { azureChange } from '../../../src/core/activity/azureChanges';
import { secretServerChange } from '../../../src/core/activity/secretServerChanges';
import { accountFromAuthorization } from '../../../src/core/activity/tokenAccount';

class MemoryStore implements ActivityStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
}

function clock(start = Date.parse('2025-03-01T10:00:00Z')) {
  let t = start;
  let n = 0;
  return { now: () => new Date((t += 1000)), newId: () => `id-${++n}` };
}

const change = (over: Partial<ActivityInput> = {}): ActivityInput => ({ service: 'Azure', account: 'admin@contoso.com', target: 'https://hsm/keys/k', action: 'Create key', result: 'succeeded', ...over });

describe('activity log', () => {
  it('keeps records newest first and survives a reload from the store', async () => {
    const store = new MemoryStore();
    const log = new ActivityLog(store, clock());
    log.add(change({ action: 'first' }));
    log.add(change({ action: 'second', result: 'failed', message: 'HTTP 403' }));
    await log.flushed();
    assert.deepEqual(log.entries().map((r) => r.action), ['second', 'first']);
    const reloaded = new ActivityLog(store, clock());
    assert.deepEqual(reloaded.entries(), log.entries());
    assert.equal(reloaded.entries()[0].message, 'HTTP 403');
  });

  it(`is bounded at ${activityLogLimit} records, dropping the oldest`, async () => {
    const store = new MemoryStore();
    const log = new ActivityLog(store, clock());
    for (let i = 0; i < activityLogLimit + 25; i++) log.add(change({ action: `change ${i}` }));
    await log.flushed();
    assert.equal(log.entries().length, activityLogLimit);
    assert.equal(log.entries()[0].action, `change ${activityLogLimit + 24}`);
    assert.equal(log.entries().at(-1)!.action, 'change 25');
    assert.equal((store.get<unknown[]>(activityStateKey) ?? []).length, activityLogLimit);
  });

  it('masks secrets before anything is stored, and drops malformed stored entries', async () => {
    const store = new MemoryStore();
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';
    store.values.set(activityStateKey, [{ id: 'x', time: 'not a date' }, 'junk', { id: 'ok', time: '2025-01-01T00:00:00Z', service: 'Azure', result: 'failed', action: 'a', target: 't', account: 'u', message: `Bearer ${jwt}` }]);
    const log = new ActivityLog(store, clock());
    assert.equal(log.entries().length, 1);
    assert.equal(log.entries()[0].message, 'Bearer ***');
    log.add(change({ message: 'refused the value Sup3r~Secret and {"password":"hunter2"}' }), ['Sup3r~Secret']);
    await log.flushed();
    const stored = JSON.stringify(store.get(activityStateKey));
    assert.ok(!stored.includes('Sup3r~Secret') && !stored.includes('hunter2') && !stored.includes(jwt), stored);
  });

  it('clears', async () => {
    const store = new MemoryStore();
    const log = new ActivityLog(store, clock());
    let changes = 0;
    log.onDidChange(() => changes++);
    log.add(change());
    log.clear();
    await log.flushed();
    assert.equal(log.entries().length, 0);
    assert.deepEqual(store.get(activityStateKey), []);
    assert.equal(changes, 2);
  });

  it('filters by result and by text, and says so', () => {
    const log = new ActivityLog(new MemoryStore(), clock());
    log.add(change({ action: 'Create key' }));
    log.add(change({ action: 'Create role assignment', result: 'failed', message: 'Forbidden' }));
    log.add(change({ service: 'Secret Server', action: 'Save key management', result: 'cancelled', account: 'ss-admin' }));
    assert.deepEqual(applyFilter(log.entries(), { result: 'failed' }).map((r) => r.action), ['Create role assignment']);
    assert.deepEqual(applyFilter(log.entries(), { text: 'SS-ADMIN' }).map((r) => r.action), ['Save key management']);
    assert.deepEqual(applyFilter(log.entries(), { text: 'create', result: 'succeeded' }).map((r) => r.action), ['Create key']);
    assert.equal(applyFilter(log.entries(), {}).length, 3);
    assert.equal(describeFilter({}), undefined);
    assert.equal(describeFilter({ result: 'failed', text: ' key ' }), 'Filtered: failed, “key”');
  });
});

describe('which requests are changes', () => {
  const hsm = 'https://contoso.managedhsm.azure.net';
  it('names Managed HSM data-plane changes and ignores reads and crypto operations', () => {
    assert.deepEqual(azureChange({ method: 'POST', url: `${hsm}/keys/ss/create?api-version=7.5` }), { action: 'Create key', target: `${hsm}/keys/ss` });
    assert.deepEqual(azureChange({ method: 'POST', url: `${hsm}/keys/ss/rotate?api-version=7.5` }), { action: 'Rotate key (new version)', target: `${hsm}/keys/ss` });
    assert.equal(azureChange({ method: 'PATCH', url: `${hsm}/keys/ss/abc123`, requestBody: '{"attributes":{"enabled":false,"exp":1767225600}}' })?.action, 'Update key version (disable, expiry 2026-01-01T00:00:00.000Z)');
    assert.equal(azureChange({ method: 'POST', url: `${hsm}/securitydomain/download` })?.action, 'Activate Managed HSM (download security domain)');
    assert.equal(azureChange({ method: 'PUT', url: `${hsm}/keys/providers/Microsoft.Authorization/roleAssignments/r1`, requestBody: '{"properties":{"roleDefinitionId":"/providers/Microsoft.Authorization/roleDefinitions/21dbd100","principalId":"p-1"}}' })?.action, 'Create role assignment (role 21dbd100, principal p-1)');
    assert.equal(azureChange({ method: 'DELETE', url: `${hsm}/keys/providers/Microsoft.Authorization/roleAssignments/r1` })?.action, 'Delete role assignment');
    for (const op of ['wrapkey', 'unwrapkey', 'sign', 'encrypt']) assert.equal(azureChange({ method: 'POST', url: `${hsm}/keys/ss/v1/${op}` }), undefined, op);
    assert.equal(azureChange({ method: 'GET', url: `${hsm}/keys/ss` }), undefined);
  });

  it('names ARM and Graph changes, taking only ids from bodies that hold a secret', () => {
    const arm = 'https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/managedHSMs/h';
    assert.equal(azureChange({ method: 'PUT', url: `${arm}?api-version=2023-07-01` })?.action, 'Create Managed HSM');
    const graph = 'https://graph.microsoft.com/v1.0';
    const added = azureChange({ method: 'POST', url: `${graph}/applications/o1/addPassword`, responseBody: '{"keyId":"k-1","hint":"abc","secretText":"abc8Q~TopSecretValue"}' });
    assert.deepEqual(added, { action: 'Add client secret', target: `${graph}/applications/o1 (secret k-1, hint abc)` });
    assert.ok(!JSON.stringify(added).includes('TopSecret'));
    assert.equal(azureChange({ method: 'POST', url: `${graph}/applications/o1/removePassword`, requestBody: '{"keyId":"k-1"}' })?.target, `${graph}/applications/o1 (secret k-1)`);
    assert.equal(azureChange({ method: 'POST', url: `${graph}/applications`, responseBody: '{"appId":"a-1","displayName":"SS"}' })?.target, `${graph}/applications(appId=a-1) (“SS”)`);
    assert.equal(azureChange({ method: 'POST', url: `${graph}/servicePrincipals`, requestBody: '{"appId":"a-1"}' })?.action, 'Create service principal');
  });

  it('names Secret Server changes without reading the principal secret', () => {
    const action = secretServerChange({ method: 'PUT', path: '/api/v1/key-management', operation: 'Saving the Secret Server key management configuration (Azure Managed HSM)', body: { azureManagedHsmKeyUrl: 'https://h/keys/k', azureManagedHsmPrincipalSecret: 'Sup3r' } });
    assert.equal(action, 'Save key management (Azure Managed HSM, key https://h/keys/k)');
    assert.equal(secretServerChange({ method: 'POST', path: '/api/v1/configuration/security/rotate-secret-keys', operation: '' }), 'Start secret key rotation');
    assert.equal(secretServerChange({ method: 'POST', path: '/api/v1/configuration/security/cancel-rotate-secret-keys', operation: '' }), 'Cancel secret key rotation');
    assert.equal(secretServerChange({ method: 'GET', path: '/api/v1/key-management', operation: '' }), undefined);
  });

  it('reads the account from a bearer token claim only', () => {
    const token = (claims: object) => `Bearer x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.y`;
    assert.equal(accountFromAuthorization(token({ upn: 'admin@contoso.com', oid: 'o' })), 'admin@contoso.com');
    assert.equal(accountFromAuthorization(token({ appid: 'a-1' })), 'app a-1');
    assert.equal(accountFromAuthorization('Basic abc'), undefined);
    assert.equal(accountFromAuthorization(undefined), undefined);
  });
});
