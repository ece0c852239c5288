import * as vscode from 'vscode';
import type { TreeNode } from './treeNode';

// Per-node progress for "Refresh" on a node: the node shows a spinner until its children are
// loaded again, while the rest of the tree stays usable (other nodes never wait on this load).

const spinner = new vscode.ThemeIcon('loading~spin');

export class ReloadSpinner {
  /** The latest reload of each node, by node id: an older reload that ends late must not stop the spinner. */
  private readonly reloads = new Map<string, symbol>();

  constructor(private readonly changed: (node: TreeNode) => void) {}

  /** The node's item, with the spinner in place of its icon while it reloads. */
  decorate(node: TreeNode, item: vscode.TreeItem): vscode.TreeItem {
    if (this.reloads.has(node.id)) item.iconPath = spinner;
    return item;
  }

  /** Drops the node's cache and reloads it with the spinner; a node without a cache of its own reloads the whole view (`whole`). */
  refresh(node: TreeNode | undefined, whole: () => void): void {
    if (!node?.invalidate) return whole();
    node.invalidate();
    void this.reload(node);
  }

  /**
   * Shows the spinner and loads the node's children now rather than when VS Code asks, so the
   * spinner also ends in a hidden view. The nodes' models cache loads by path, so VS Code's own
   * getChildren shares this load instead of starting another. Failures become error nodes in
   * the models; anything else is left to getChildren to report.
   */
  reload(node: TreeNode): Promise<void> {
    const token = Symbol(node.id);
    this.reloads.set(node.id, token);
    this.changed(node);
    return Promise.resolve()
      .then(() => node.children?.())
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        if (this.reloads.get(node.id) !== token) return;
        this.reloads.delete(node.id);
        this.changed(node);
      });
  }
}
