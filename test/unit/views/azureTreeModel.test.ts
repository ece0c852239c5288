import * as assert from 'node:assert/strict';
import { ActionableError } from '../../../src/core/actionableError';
import type { KeyInfo, Page } from '../../../src/azure/keys';
import type { ManagedHsmInfo } from '../../../src/azure/managedHsms';
import type { SubscriptionInfo } from '../../../src/azure/subscriptions';
import { AzureTreeModel, modelPath, type AzureLoaders } from '../../../src/views/azure/azureTreeModel';

// The model is driven through its loader seam: a small in-memory Azure that counts calls.

const origin = 'https://contoso.managedhsm.azure.net';

function hsm(name: string, activated = true, subscriptionId = 'sub-1'): ManagedHsmInfo {
  return { name, id: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.KeyVault/managedHSMs/${name}`, resourceGroup: 'rg', subscriptionId, location: 'eastus', hsmUri: `https://${name}.managedhsm.azure.net/`, tenantId: 't1', activated, softDelete: true, purgeProtection: false };
}

function key(name: string, extra: Partial<KeyInfo> = {}): KeyInfo {
  return { name, id: `${origin}/keys/${name}`, versionlessId: `${origin}/keys/${name}`, enabled: true, tags: {}, ...extra };
}

function sub(id: string, tenantId: string): SubscriptionInfo {
  return { subscriptionId: id, displayName: `Subscription ${id}`, tenantId };
}

interface FakeAzure {
  loaders: AzureLoaders;
  calls: Record<string, number>;
}

function fakeAzure(options: { keyCount?: number; failingTenant?: string; failingKey?: string; graphFails?: boolean; failPageToken?: string; inherited?: boolean } = {}): FakeAzure {
  const calls: Record<string, number> = {};
  const count = (what: string) => (calls[what] = (calls[what] ?? 0) + 1);
  const allKeys = Array.from({ length: options.keyCount ?? 60 }, (_, i) => key(`key-${String(i).padStart(3, '0')}`));
  const loaders: AzureLoaders = {
    signedInAccount: async () => 'admin@contoso.example',
    listTenants: async () => {
      count('tenants');
      return [
        { tenantId: 't2', displayName: 'Fabrikam' },
        { tenantId: 't1', displayName: 'Contoso' },
      ];
    },
    listSubscriptions: async (tenantId) => {
      count(`subs:${tenantId}`);
      if (tenantId === options.failingTenant) throw new ActionableError(`Could not list the subscriptions of tenant ${tenantId}: sign in again.`, 'authentication');
      return [sub(`${tenantId}-b`, tenantId), sub(`${tenantId}-a`, tenantId)];
    },
    listHsms: async (s) => {
      count(`hsms:${s.subscriptionId}`);
      return [hsm('contoso-mhsm-eus', true, s.subscriptionId), hsm('contoso-mhsm-weu', false, s.subscriptionId)];
    },
    listKeysPage: async (_h, token): Promise<Page<KeyInfo>> => {
      count('keysPage');
      if (token && token === options.failPageToken) throw new ActionableError('Could not list the keys: the service is unavailable.', 'unavailable');
      const start = token ? Number(new URL(token).searchParams.get('skip')) : 0;
      const items = allKeys.slice(start, start + 25);
      const next = start + 25 < allKeys.length ? `${origin}/keys?skip=${start + 25}` : undefined;
      return { items, continuationToken: next };
    },
    getKey: async (_h, name) => {
      count('getKey');
      if (name === options.failingKey) throw new ActionableError(`Could not read key '${name}': forbidden.`, 'forbidden');
      return key(name, { keyType: 'oct-HSM', keyOps: ['wrapKey', 'unwrapKey'], id: `${origin}/keys/${name}/0123456789abcdef0123456789abcdef` });
    },
    listVersions: async (_h, name) => {
      count('versions');
      return [
        key(name, { version: 'a'.repeat(32), createdOn: new Date('2026-01-01T00:00:00Z') }),
        key(name, { version: 'c'.repeat(32), createdOn: new Date('2026-03-01T00:00:00Z') }),
        key(name, { version: 'b'.repeat(32), createdOn: new Date('2026-02-01T00:00:00Z') }),
      ];
    },
    listRoleAssignments: async (_h, scope) => {
      count(`rbac:${scope}`);
      const fromRoot = options.inherited && scope !== '/' ? [{ name: 'ra-0', id: 'ra-0', scope: '/', principalId: 'p-admin', roleDefinitionId: 'x/515eb02d-2335-4d2d-92f2-b1cbdf9c3778', roleName: 'Managed HSM Crypto Officer' }] : [];
      return [
        ...fromRoot,
        { name: 'ra-1', id: 'ra-1', scope, principalId: 'p-app', roleDefinitionId: 'x/21dbd100-6940-42c2-9190-5d6cb909625b', roleName: 'Managed HSM Crypto User' },
        { name: 'ra-2', id: 'ra-2', scope, principalId: 'p-unknown', roleDefinitionId: 'x/a290e904-7015-4bba-90c8-60543313cdb4', roleName: 'Managed HSM Administrator' },
      ];
    },
    describePrincipals: async () => {
      count('graph');
      if (options.graphFails) throw new ActionableError('Graph refused: Authorization_RequestDenied', 'forbidden');
      return new Map([['p-app', { displayName: 'Secret Server key management', type: 'ServicePrincipal (Application)' }]]);
    },
  };
  return { loaders, calls };
}

describe('AzureTreeModel', () => {
  it('lists tenants sorted by name and caches them until refreshed', async () => {
    const azure = fakeAzure();
    const model = new AzureTreeModel(azure.loaders);
    const first = await model.tenants();
    assert.ok(first.ok);
    assert.deepEqual(first.value.map((t) => t.displayName), ['Contoso', 'Fabrikam']);
    await model.tenants();
    assert.equal(azure.calls.tenants, 1);
    model.invalidate(modelPath.tenants());
    await model.tenants();
    assert.equal(azure.calls.tenants, 2);
  });

  it('keeps a failing tenant to itself: the other tenant still lists its subscriptions', async () => {
    const model = new AzureTreeModel(fakeAzure({ failingTenant: 't2' }).loaders);
    const failing = await model.subscriptions('t2');
    const working = await model.subscriptions('t1');
    assert.equal(failing.ok, false);
    assert.match(!failing.ok ? failing.error.message : '', /tenant t2/);
    assert.equal(!failing.ok && failing.error.kind, 'authentication');
    assert.ok(working.ok);
    assert.deepEqual(working.value.map((s) => s.subscriptionId), ['t1-a', 't1-b']);
  });

  it('applies the tenant and subscription filters', async () => {
    const model = new AzureTreeModel(fakeAzure().loaders, { tenants: () => ['t1'], subscriptions: () => ['T1/t1-b'] });
    const tenants = await model.tenants();
    assert.deepEqual(tenants.ok && tenants.value.map((t) => t.tenantId), ['t1']);
    const subs = await model.subscriptions('t1');
    assert.deepEqual(subs.ok && subs.value.map((s) => s.subscriptionId), ['t1-b']);
  });

  it('pages keys 25 at a time and appends each "Load more" page until the token runs out', async () => {
    const azure = fakeAzure({ keyCount: 60 });
    const model = new AzureTreeModel(azure.loaders);
    const h = hsm('contoso-mhsm-eus');
    const first = await model.keys(h);
    assert.ok(first.ok);
    assert.equal(first.value.rows.length, 25);
    assert.ok(first.value.continuationToken);
    await model.loadMoreKeys(h);
    const third = await model.loadMoreKeys(h);
    assert.ok(third.ok);
    assert.equal(third.value.rows.length, 60);
    assert.equal(third.value.continuationToken, undefined);
    assert.equal(new Set(third.value.rows.map((r) => r.key.name)).size, 60, 'no key appears twice');
    // Once the last page is in, "Load more" asks nothing.
    await model.loadMoreKeys(h);
    assert.equal(azure.calls.keysPage, 3);
    // Reading the keys again uses the cache, with the pages loaded so far.
    const again = await model.keys(h);
    assert.equal(again.ok && again.value.rows.length, 60);
    assert.equal(azure.calls.keysPage, 3);
  });

  it('reads each key on its own for type and operations, and a key that fails does not hide the others', async () => {
    const model = new AzureTreeModel(fakeAzure({ keyCount: 3, failingKey: 'key-001' }).loaders);
    const h = hsm('contoso-mhsm-eus');
    const keys = await model.keys(h);
    assert.ok(keys.ok);
    // The rows come with the listing; their details follow.
    await model.keyDetailsRead(h);
    const [k0, k1, k2] = keys.value.rows;
    assert.ok(k0.details?.ok && k0.details.value.keyType === 'oct-HSM');
    assert.equal(k1.details?.ok, false);
    assert.equal(k1.details && !k1.details.ok && k1.details.error.kind, 'forbidden');
    assert.ok(k2.details?.ok);
  });

  it('shows the listed rows before their details are read', async () => {
    const azure = fakeAzure({ keyCount: 3 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const model = new AzureTreeModel({ ...azure.loaders, getKey: async (h, name) => (await gate, azure.loaders.getKey(h, name)) });
    const h = hsm('contoso-mhsm-eus');
    const keys = await model.keys(h);
    assert.ok(keys.ok);
    assert.equal(keys.value.rows.length, 3);
    assert.ok(keys.value.rows.every((r) => r.details === undefined), 'no row waits for its details');
    release();
    await model.keyDetailsRead(h);
    assert.ok(keys.value.rows.every((r) => r.details?.ok));
  });

  it('reads no key details while a "Load more" page is being read, and reads them after it', async () => {
    const azure = fakeAzure({ keyCount: 60 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const detailsDuringPage: string[] = [];
    let pageOpen = false;
    const model = new AzureTreeModel({
      ...azure.loaders,
      listKeysPage: async (h, token) => {
        if (token) {
          pageOpen = true;
          await gate;
          pageOpen = false;
        }
        return azure.loaders.listKeysPage(h, token);
      },
      getKey: async (h, name) => {
        if (pageOpen) detailsDuringPage.push(name);
        return azure.loaders.getKey(h, name);
      },
    });
    const h = hsm('contoso-mhsm-eus');
    await model.keys(h);
    const more = model.loadMoreKeys(h);
    // The first page's readers start on the next turn; give them several while the page is open.
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    assert.equal(azure.calls.getKey ?? 0, 0, 'details wait for the page the user asked for');
    release();
    const after = await more;
    assert.equal(after.ok && after.value.rows.length, 50);
    await model.keyDetailsRead(h);
    assert.deepEqual(detailsDuringPage, []);
    assert.equal(azure.calls.getKey, 50, 'every listed row is read once, after the page');
    assert.ok(after.ok && after.value.rows.every((r) => r.details?.ok));
  });

  it('stops reading the details of a listing that a refresh replaced', async () => {
    const azure = fakeAzure({ keyCount: 60 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const model = new AzureTreeModel({ ...azure.loaders, getKey: async (h, name) => (started++, await gate, azure.loaders.getKey(h, name)) });
    const h = hsm('contoso-mhsm-eus');
    await model.loadMoreKeys(h);
    await model.loadMoreKeys(h);
    const old = model.keyDetailsRead(h);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(started, 8, 'eight readers at work, the other rows waiting');
    model.invalidate(modelPath.keys(h));
    release();
    await old;
    assert.equal(started, 8, 'no row of the replaced listing is read after the refresh');
  });

  it('keeps the rows when "Load more" fails, and records the failure for an error node', async () => {
    const model = new AzureTreeModel(fakeAzure({ keyCount: 60, failPageToken: `${origin}/keys?skip=25` }).loaders);
    const h = hsm('contoso-mhsm-eus');
    await model.keys(h);
    const after = await model.loadMoreKeys(h);
    assert.ok(after.ok);
    assert.equal(after.value.rows.length, 25);
    assert.equal(after.value.moreError?.kind, 'unavailable');
    assert.ok(after.value.continuationToken, 'the user can try again');
  });

  it('does not call a not-activated HSM and says what to do', async () => {
    const azure = fakeAzure();
    const model = new AzureTreeModel(azure.loaders);
    const keys = await model.keys(hsm('contoso-mhsm-weu', false));
    const rbac = await model.roleAssignments(hsm('contoso-mhsm-weu', false));
    assert.equal(keys.ok, false);
    assert.equal(!keys.ok && keys.error.kind, 'notActivated');
    assert.match(!keys.ok ? keys.error.message : '', /not activated.*security domain/);
    assert.equal(rbac.ok, false);
    assert.equal(azure.calls.keysPage, undefined);
  });

  it('lists versions newest first', async () => {
    const model = new AzureTreeModel(fakeAzure().loaders);
    const versions = await model.versions(hsm('contoso-mhsm-eus'), 'key-000');
    assert.ok(versions.ok);
    assert.deepEqual(versions.value.map((v) => v.version?.[0]), ['c', 'b', 'a']);
  });

  it('names principals through Graph where it can, and still lists the assignments when Graph fails', async () => {
    const named = await new AzureTreeModel(fakeAzure().loaders).roleAssignments(hsm('contoso-mhsm-eus'), 'key-000');
    assert.ok(named.ok);
    const byPrincipal = new Map(named.value.map((r) => [r.assignment.principalId, r]));
    assert.equal(byPrincipal.get('p-app')?.assignment.scope, '/keys/key-000');
    assert.equal(byPrincipal.get('p-app')?.principal?.displayName, 'Secret Server key management');
    assert.equal(byPrincipal.get('p-unknown')?.principal, undefined);
    assert.ok(named.value.every((r) => !r.inherited), 'both were made at the key');

    const unnamed = await new AzureTreeModel(fakeAzure({ graphFails: true }).loaders).roleAssignments(hsm('contoso-mhsm-eus'));
    assert.ok(unnamed.ok);
    assert.equal(unnamed.value.length, 2);
    assert.ok(unnamed.value.every((r) => r.assignment.scope === '/'));
    assert.ok(unnamed.value.every((r) => r.principal === undefined));
  });

  it('puts assignments made at the key first and marks those inherited from the HSM', async () => {
    const rows = await new AzureTreeModel(fakeAzure({ inherited: true }).loaders).roleAssignments(hsm('contoso-mhsm-eus'), 'key-000');
    assert.ok(rows.ok);
    assert.deepEqual(
      rows.value.map((r) => [r.assignment.roleName, r.assignment.scope, r.inherited]),
      [
        ['Managed HSM Administrator', '/keys/key-000', false],
        ['Managed HSM Crypto User', '/keys/key-000', false],
        ['Managed HSM Crypto Officer', '/', true],
      ],
    );
  });

  it('refreshing a node drops its cache and everything below it, not its siblings', async () => {
    const azure = fakeAzure();
    const model = new AzureTreeModel(azure.loaders);
    const h = hsm('contoso-mhsm-eus', true, 't1-a');
    await model.subscriptions('t1');
    await model.subscriptions('t2');
    await model.keys(h);
    await model.versions(h, 'key-000');
    model.invalidate(modelPath.tenant('t1'));
    await model.subscriptions('t1');
    await model.subscriptions('t2');
    await model.keys(h);
    await model.versions(h, 'key-000');
    assert.equal(azure.calls['subs:t1'], 2);
    assert.equal(azure.calls['subs:t2'], 1);
    assert.equal(azure.calls.keysPage, 2, 'the HSM below the tenant was reloaded');
    assert.equal(azure.calls.versions, 2);

    model.invalidate(`${modelPath.key(h, 'key-000')}/versions`);
    await model.keys(h);
    await model.versions(h, 'key-000');
    assert.equal(azure.calls.keysPage, 2, 'the key list above is kept');
    assert.equal(azure.calls.versions, 3);
  });

  it('caches a failure until refresh instead of asking again on every expand', async () => {
    const azure = fakeAzure({ failingTenant: 't2' });
    const model = new AzureTreeModel(azure.loaders);
    await model.subscriptions('t2');
    await model.subscriptions('t2');
    assert.equal(azure.calls['subs:t2'], 1);
    model.invalidate(modelPath.tenant('t2'));
    await model.subscriptions('t2');
    assert.equal(azure.calls['subs:t2'], 2);
  });
});
