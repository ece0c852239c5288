import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { child, childRows, explorerApi, row, signedIn, type Row } from './explorerApi';
import { sandboxEndpoints } from './sandboxConfig';

// Several tenants in one view: the seeded admin is also a guest of Fabrikam, whose Conditional
// Access requires MFA, so ARM lists the tenant but Entra refuses every token for it (AADSTS50076).
// That tenant shows its error and fix; Contoso keeps working. Also the per-node spinner of Refresh.

describe('Azure view with a tenant that refuses tokens', () => {
  let api: ExtensionApi;

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
  });

  const iconOf = (r: Row | vscode.TreeItem): string | undefined => {
    const icon = ('item' in r ? r.item : r).iconPath;
    return icon instanceof vscode.ThemeIcon ? icon.id : undefined;
  };

  async function until<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await attempt();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('shows the tenant that requires MFA with an error node that names the problem and offers a sign-in to that tenant', async () => {
    const { endpoints } = sandboxEndpoints();
    const mfa = endpoints.mfaTenant;
    assert.ok(mfa, 'the sandbox seeded a tenant that requires MFA');
    const tenant = await child(api.azure, undefined, mfa.name);
    assert.equal(tenant.contextValue, 'mhsm.tenant');
    assert.equal(tenant.description, mfa.defaultDomain);
    const rows = await childRows(api.azure, tenant.node);
    assert.deepEqual(rows.map((r) => r.label), ['Sign in to tenant…']);
    const error = rows[0];
    assert.equal(error.contextValue, 'mhsm.error;authentication');
    assert.match(error.description, new RegExp(`^Multi-factor authentication, Conditional Access or a new sign-in is needed for tenant ${mfa.id}: .*sign in to that tenant again\\.$`));
    assert.equal(iconOf(error), 'error');
    assert.deepEqual(error.item.command && { command: error.item.command.command, arguments: error.item.command.arguments }, { command: 'mhsm.signIn', arguments: [mfa.id] });
  });

  it('keeps the Contoso tenant working next to it, down to its keys', async () => {
    const contoso = await child(api.azure, undefined, 'Contoso (sandbox)');
    const subscription = await child(api.azure, contoso.node, 'Contoso Sandbox Subscription');
    const hsm = await child(api.azure, subscription.node, 'contoso-mhsm-eus');
    const keys = await child(api.azure, hsm.node, 'Keys');
    const first = await childRows(api.azure, keys.node);
    assert.equal(first.length, 26);
  });

  it('shows a spinner on a refreshed node while its children reload, and the rest of the tree stays usable', async () => {
    const contoso = await child(api.azure, undefined, 'Contoso (sandbox)');
    assert.equal(iconOf(contoso), 'organization');
    api.azure.refresh(contoso.node);
    assert.equal(iconOf(api.azure.getTreeItem(contoso.node)), 'loading~spin', 'the spinner shows as soon as the refresh starts');
    // Another tenant answers while Contoso reloads.
    const fabrikam = await child(api.azure, undefined, /^Fabrikam/);
    assert.equal(iconOf(fabrikam), 'organization');
    assert.equal((await childRows(api.azure, fabrikam.node)).length, 1);
    await until('the spinner to end', async () => (iconOf(api.azure.getTreeItem(contoso.node)) === 'organization' ? true : undefined));
    assert.deepEqual((await childRows(api.azure, contoso.node)).map((r) => r.label), ['Contoso Sandbox Subscription']);
  });

  it('replaces the spinner with the error node when the reload fails', async () => {
    const fabrikam = await child(api.azure, undefined, /^Fabrikam/);
    api.azure.refresh(fabrikam.node);
    assert.equal(iconOf(api.azure.getTreeItem(fabrikam.node)), 'loading~spin');
    await until('the spinner to end', async () => (iconOf(api.azure.getTreeItem(fabrikam.node)) === 'organization' ? true : undefined));
    const rows = (await api.azure.getChildren(fabrikam.node)).map(row);
    assert.deepEqual(rows.map((r) => [r.label, r.contextValue]), [['Sign in to tenant…', 'mhsm.error;authentication']]);
  });
});
