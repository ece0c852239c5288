import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/treeNode';
import { child, childRows, type Row } from './explorerApi';

// Finding the nodes the setup suites run commands on, the way a user reaches them in the view.

export async function hsmRow(api: ExtensionApi, name: string): Promise<Row> {
  const tenant = await child(api.azure, undefined, 'Contoso (sandbox)');
  const subscription = await child(api.azure, tenant.node, 'Contoso Sandbox Subscription');
  return child(api.azure, subscription.node, name);
}

/** The key's node, loading more pages of keys until it shows up. */
export async function keyRow(api: ExtensionApi, hsmName: string, keyName: string): Promise<Row> {
  api.azure.refresh();
  const hsm = await hsmRow(api, hsmName);
  const keys = await child(api.azure, hsm.node, 'Keys');
  for (let i = 0; i < 20; i++) {
    const rows = await childRows(api.azure, keys.node);
    const found = rows.find((r) => r.label === keyName);
    if (found) return found;
    const more = rows.find((r) => r.contextValue === 'mhsm.loadMore');
    if (!more) break;
    await (more.node as TreeNode & { loadMore(): Promise<void> }).loadMore();
  }
  throw new Error(`no key ${keyName} in ${hsmName}`);
}

export async function versionRows(api: ExtensionApi, key: Row): Promise<Row[]> {
  const versions = await child(api.azure, key.node, 'Versions');
  return childRows(api.azure, versions.node);
}

export async function keyRoleAssignmentRows(api: ExtensionApi, key: Row): Promise<Row[]> {
  const folder = await child(api.azure, key.node, 'Role assignments');
  return childRows(api.azure, folder.node);
}
