import * as vscode from 'vscode';
import { reportError } from '../../commands/runCommand';
import type { Logger } from '../../services';
import { ReloadSpinner } from '../reloadSpinner';
import { MessageNode, type TreeNode } from '../treeNode';
import type { ConnectionStore } from './connectionStore';
import { ConnectionNode, type SecretServerNodeContext } from './secretServerNodes';
import type { SecretServerModel } from './secretServerModel';

export const secretServerViewId = 'mhsm.secretServer';

export class SecretServerTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly spinner: ReloadSpinner;
  private readonly ctx: SecretServerNodeContext;

  constructor(
    readonly model: SecretServerModel,
    private readonly store: ConnectionStore,
    private readonly log: Logger,
    now: () => Date,
  ) {
    this.ctx = { model, now };
    this.spinner = new ReloadSpinner((node) => this.emitter.fire(node));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return this.spinner.decorate(node, node.treeItem());
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (node) return await vscode.window.withProgress({ location: { viewId: secretServerViewId } }, () => node.children?.() ?? Promise.resolve([]));
      // Empty, so that the view's welcome content (Add connection) shows.
      return this.store.list().map((c) => new ConnectionNode(this.ctx, c));
    } catch (err) {
      reportError(this.log, err, vscode.l10n.t('load the Secret Server view'));
      return [new MessageNode(`${node?.id ?? 'ss'}/failed`, vscode.l10n.t('Could not load; see the output channel'), 'error')];
    }
  }

  /** Drops the node's cache and reloads it with a spinner on the node, or reloads the whole view. */
  refresh(node?: TreeNode): void {
    this.spinner.refresh(node, () => {
      this.model.invalidate();
      this.emitter.fire(undefined);
    });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
