import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { child, childRows, explorerApi, signedIn, type Row } from './explorerApi';
import { sandboxEndpoints } from './sandboxConfig';

// The Azure view against the sandbox's seeded world: the Contoso tenant with one subscription, an
// activated HSM with 35 keys and a second HSM that was never activated (and a second tenant that
// requires MFA, see tree.tenants.test.ts).

describe('Azure view in a real extension host', () => {
  let api: ExtensionApi;
  let eus: Row;

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
  });

  it('shows the tenant after sign-in, and its subscription', async () => {
    const { endpoints } = sandboxEndpoints();
    const roots = await childRows(api.azure);
    // The second tenant (a guest tenant that requires MFA) has its own suite: tree.tenants.test.ts.
    assert.deepEqual(roots.map((r) => `${r.label}${r.description ? ` — ${r.description}` : ''}`), [
      'Contoso (sandbox) — contoso.onmicrosoft.com',
      'Fabrikam (sandbox, MFA required) — fabrikam.onmicrosoft.com',
    ]);
    assert.equal(roots[0].contextValue, 'mhsm.tenant');
    assert.equal(roots[0].description, 'contoso.onmicrosoft.com');
    assert.match(roots[0].tooltip, new RegExp(endpoints.tenantId));
    const subscriptions = await childRows(api.azure, roots[0].node);
    assert.deepEqual(subscriptions.map((r) => r.label), ['Contoso Sandbox Subscription']);
  });

  it('lists both Managed HSMs with region and activation state', async () => {
    const tenant = await child(api.azure, undefined, 'Contoso (sandbox)');
    const subscription = await child(api.azure, tenant.node, 'Contoso Sandbox Subscription');
    const hsms = await childRows(api.azure, subscription.node);
    assert.deepEqual(hsms.map((h) => [h.label, h.description]), [
      ['contoso-mhsm-eus', 'eastus'],
      ['contoso-mhsm-weu', 'westeurope · not activated'],
    ]);
    assert.match(hsms[0].tooltip, /Purge protection: on/);
    assert.match(hsms[0].tooltip, /Soft delete: on \(90 days retention\)/);
    assert.equal(hsms[1].contextValue, 'mhsm.hsm;notActivated');
    eus = hsms[0];
  });

  it('shows the not-activated HSM as an error node with its fix, without hiding its sibling', async () => {
    const tenant = await child(api.azure, undefined, 'Contoso (sandbox)');
    const subscription = await child(api.azure, tenant.node, 'Contoso Sandbox Subscription');
    const weu = await child(api.azure, subscription.node, 'contoso-mhsm-weu');
    const rows = await childRows(api.azure, weu.node);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].label, 'HSM not activated');
    assert.equal(rows[0].contextValue, 'mhsm.error;notActivated');
    assert.match(rows[0].description, /contoso-mhsm-weu is not activated: download its security domain/);
    assert.equal(rows[0].item.command?.command, 'vscode.open');
    assert.deepEqual((await childRows(api.azure, eus.node)).map((r) => r.label), ['Keys', 'Role assignments']);
  });

  it('pages the keys 25 at a time and loads the rest with "Load more…"', async () => {
    const keysFolder = await child(api.azure, eus.node, 'Keys');
    const first = await childRows(api.azure, keysFolder.node);
    assert.equal(first.length, 26, 'a first page of 25 keys and the Load more row');
    const loadMore = first[25];
    assert.equal(loadMore.label, 'Load more…');
    assert.equal(loadMore.contextValue, 'mhsm.loadMore');
    await vscode.commands.executeCommand('mhsm.loadMore', loadMore.node);
    const all = await childRows(api.azure, keysFolder.node);
    assert.equal(all.length, 35);
    assert.ok(all.every((r) => r.contextValue.startsWith('mhsm.key')), 'no Load more row after the last page');
    assert.equal(new Set(all.map((r) => r.label)).size, 35);
  });

  it('marks the oct-HSM wrap/unwrap keys as Secret Server compatible and describes the others', async () => {
    const keysFolder = await child(api.azure, eus.node, 'Keys');
    const ss = await child(api.azure, keysFolder.node, 'secret-server-key');
    assert.match(ss.description, /^✓ Secret Server compatible · oct-HSM/);
    assert.equal(ss.contextValue, 'mhsm.key;secretServerCompatible;enabled');
    assert.match(ss.tooltip, /Operations: wrapKey, unwrapKey/);
    const rsa = await child(api.azure, keysFolder.node, 'rsa-signing-key');
    assert.equal(rsa.description, 'RSA-HSM 2048');
    const disabled = await child(api.azure, keysFolder.node, 'disabled-key');
    assert.match(disabled.description, /disabled/);
    assert.equal(disabled.contextValue, 'mhsm.key;disabled');
  });

  it('lists a key\'s versions newest first with enabled, created and expiry', async () => {
    const keysFolder = await child(api.azure, eus.node, 'Keys');
    const expiring = await child(api.azure, keysFolder.node, 'expiring-key');
    assert.match(expiring.description, /expires \d{4}-\d{2}-\d{2}/);
    const versionsFolder = await child(api.azure, expiring.node, 'Versions');
    const versions = await childRows(api.azure, versionsFolder.node);
    assert.equal(versions.length, 2);
    assert.ok(versions.every((v) => /^[0-9a-f]{32}$/.test(v.label)));
    assert.match(versions[0].description, /^newest · enabled · created \d{4}-\d{2}-\d{2} · expires \d{4}-\d{2}-\d{2}$/);
    assert.match(versions[1].description, /^enabled · created /);
    const created = versions.map((v) => /created (\S+)/.exec(v.description)?.[1] ?? '');
    assert.ok(created[0] > created[1], `newest first: ${created.join(' > ')}`);
  });

  it('lists role assignments of a key (scope /keys/<name>) with principal names from Graph', async () => {
    const keysFolder = await child(api.azure, eus.node, 'Keys');
    const ss = await child(api.azure, keysFolder.node, 'secret-server-key');
    const rbac = await child(api.azure, ss.node, 'Role assignments');
    assert.equal(rbac.description, '/keys/secret-server-key');
    const rows = await childRows(api.azure, rbac.node);
    assert.equal(rows[0].label, 'Managed HSM Crypto User');
    assert.match(rows[0].description, /^Secret Server key management \(ServicePrincipal \(Application\)\) · \/keys\/secret-server-key$/);
    assert.equal(rows[0].contextValue, 'mhsm.roleAssignment');
    // The HSM-wide assignments apply to the key too, and say where they come from.
    assert.ok(rows.length > 1);
    assert.ok(rows.slice(1).every((r) => r.description.endsWith(' · / (inherited)') && r.contextValue === 'mhsm.roleAssignment;inherited'), rows.map((r) => r.description).join('; '));
  });

  it('lists role assignments of the whole HSM (scope /)', async () => {
    const rbac = await child(api.azure, eus.node, 'Role assignments');
    const rows = await childRows(api.azure, rbac.node);
    const roles = new Set(rows.map((r) => r.label));
    for (const role of ['Managed HSM Administrator', 'Managed HSM Crypto Officer', 'Managed HSM Crypto User']) assert.ok(roles.has(role), `${role} is listed`);
    assert.ok(rows.every((r) => r.description.endsWith(' · /')), 'all at scope /');
    assert.ok(rows.some((r) => r.description.startsWith('Sandbox administrator automation (ServicePrincipal')), 'the automation app is named');
  });

  it('copies the versioned and versionless key identifiers to the clipboard', async () => {
    const keysFolder = await child(api.azure, eus.node, 'Keys');
    const ss = await child(api.azure, keysFolder.node, 'secret-server-key');
    const hsmUri = sandboxEndpoints().endpoints.hsms.find((h) => h.name === 'contoso-mhsm-eus')?.uri.replace(/\/$/, '');
    await vscode.commands.executeCommand('mhsm.copyKeyId', ss.node);
    assert.match(await vscode.env.clipboard.readText(), new RegExp(`^${hsmUri}/keys/secret-server-key/[0-9a-f]{32}$`));
    await vscode.commands.executeCommand('mhsm.copyVersionlessKeyId', ss.node);
    assert.equal(await vscode.env.clipboard.readText(), `${hsmUri}/keys/secret-server-key`);
    await vscode.commands.executeCommand('mhsm.copyKeyName', ss.node);
    assert.equal(await vscode.env.clipboard.readText(), 'secret-server-key');
    await vscode.commands.executeCommand('mhsm.copyTenantId', eus.node);
    assert.equal(await vscode.env.clipboard.readText(), sandboxEndpoints().endpoints.tenantId);
  });

  it('refreshes a node and keeps showing the same keys', async () => {
    const keysFolder = await child(api.azure, eus.node, 'Keys');
    await vscode.commands.executeCommand('mhsm.refresh', keysFolder.node);
    const again = await childRows(api.azure, keysFolder.node);
    assert.equal(again.length, 26, 'back to the first page and Load more');
  });

  it('keeps a key that cannot be read and a failing Microsoft Graph to themselves', async () => {
    await fault({ service: 'hsm', method: 'GET', path: '^/keys/aes128-key/?$', kind: 'unavailable', retryAfterSeconds: 0 });
    await fault({ service: 'graph', method: 'GET', path: '^/v1\\.0/(servicePrincipals|users|groups)/', kind: 'unavailable', retryAfterSeconds: 0 });
    try {
      const keysFolder = await child(api.azure, eus.node, 'Keys');
      await vscode.commands.executeCommand('mhsm.refresh', keysFolder.node);
      const broken = await child(api.azure, keysFolder.node, 'aes128-key');
      assert.equal(broken.description, 'details unavailable');
      assert.match(broken.tooltip, /Could not read key 'aes128-key'/);
      const sibling = await child(api.azure, keysFolder.node, 'bulk-key-0001');
      assert.match(sibling.description, /^✓ Secret Server compatible/);

      const rbac = await child(api.azure, eus.node, 'Role assignments');
      await vscode.commands.executeCommand('mhsm.refresh', rbac.node);
      const rows = await childRows(api.azure, rbac.node);
      assert.ok(rows.length >= 3, 'the assignments are still listed');
      assert.ok(rows.every((r) => /^[0-9a-f-]{36} · \/$/.test(r.description)), rows.map((r) => r.description).join('; '));
    } finally {
      await control('DELETE', '/faults');
    }
  });
});

/** Calls the sandbox's control API (endpoints.json's `control` is its /_sandbox base), trusting only its CA. */
function control(method: string, route: string, body?: unknown): Promise<number> {
  const { caPem } = sandboxEndpoints();
  const file = JSON.parse(fs.readFileSync(vscode.workspace.getConfiguration('mhsm.sandbox').get<string>('endpointsFile') || process.env.MHSM_SANDBOX_ENDPOINTS || '', 'utf8')) as { control: string };
  return new Promise((resolve, reject) => {
    const req = https.request(`${file.control}${route}`, { method, ca: caPem, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function fault(rule: Record<string, unknown>): Promise<void> {
  assert.equal(await control('POST', '/faults', rule), 201);
}
