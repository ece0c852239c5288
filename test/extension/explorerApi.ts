import * as vscode from 'vscode';
import manifest from '../../package.json';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/treeNode';
import { signInThroughAccountsMenu } from './accountsMenu';

// Reads the explorer's trees the way VS Code does (getChildren, getTreeItem) through the API the
// extension returns from activate(). Nodes are the extension's own objects, so they can be handed
// to its commands exactly as a context menu would.

export const extensionId = `${manifest.publisher}.${manifest.name}`;

export async function explorerApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded`);
  return extension.activate();
}

/** Signs in the way a person does from the Accounts menu, then reloads the Azure view. */
export async function signedIn(api: ExtensionApi): Promise<void> {
  await signInThroughAccountsMenu('microsoft', extensionId, ['https://management.azure.com/.default']);
  api.azure.refresh();
}

export interface Row {
  node: TreeNode;
  label: string;
  description: string;
  contextValue: string;
  tooltip: string;
  item: vscode.TreeItem;
}

export function row(node: TreeNode): Row {
  const item = node.treeItem();
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
  return { node, label, description: typeof item.description === 'string' ? item.description : '', contextValue: item.contextValue ?? '', tooltip, item };
}

/** The children as a user sees them once settled: key rows show before their details are read. */
export async function childRows(provider: vscode.TreeDataProvider<TreeNode>, node?: TreeNode): Promise<Row[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const rows = ((await provider.getChildren(node)) ?? []).map(row);
    if (!rows.some((r) => r.description.includes('reading details…')) || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The child with this label; fails with the labels that were there. */
export async function child(provider: vscode.TreeDataProvider<TreeNode>, node: TreeNode | undefined, label: string | RegExp): Promise<Row> {
  const rows = await childRows(provider, node);
  const found = rows.find((r) => (typeof label === 'string' ? r.label === label : label.test(r.label)));
  if (!found) throw new Error(`no child ${String(label)} under ${node?.id ?? 'the root'}; found: ${rows.map((r) => r.label).join(', ')}`);
  return found;
}
