import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import type { TreeNode } from '../views/treeNode';

// A command run from the palette has no node: walk the user down the same tree with QuickPicks
// until they reach a node the command works on. "Load more…" rows load the next page in place.

export interface NodeSource {
  getChildren(node?: TreeNode): Promise<TreeNode[]>;
}

interface Pick extends vscode.QuickPickItem {
  node: TreeNode;
}

export async function pickNode<T extends TreeNode>(source: NodeSource, title: string, accept: (node: TreeNode) => node is T): Promise<T> {
  let parent: TreeNode | undefined;
  for (;;) {
    const children = (await source.getChildren(parent)).filter((n) => n.children !== undefined || accept(n) || isLoadMore(n));
    if (children.length === 0) throw new ActionableError(vscode.l10n.t('Nothing to choose from for "{0}": the tree has no matching items here.', title), 'notFound');
    const items: Pick[] = children.map((node) => {
      const item = node.treeItem();
      return {
        node,
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? node.id),
        description: typeof item.description === 'string' ? item.description : undefined,
      };
    });
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Choose an item'), matchOnDescription: true });
    if (!picked) throw new vscode.CancellationError();
    if (accept(picked.node)) return picked.node;
    if (isLoadMore(picked.node)) {
      await picked.node.loadMore();
      continue;
    }
    parent = picked.node;
  }
}

function isLoadMore(node: TreeNode): node is TreeNode & { loadMore(): Promise<void> } {
  return typeof (node as { loadMore?: unknown }).loadMore === 'function';
}
