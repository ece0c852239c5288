import * as vscode from 'vscode';
import { reportError } from '../../commands/runCommand';
import type { ActionableError } from '../../core/actionableError';
import type { Logger } from '../../services';
import { ReloadSpinner } from '../reloadSpinner';
import { MessageNode, type TreeNode } from '../treeNode';
import { errorNode, TenantNode, type AzureNodeContext } from './azureNodes';
import type { AzureTreeModel } from './azureTreeModel';

// The Azure view's TreeDataProvider: signed out it is empty, so the viewsWelcome sign-in button
// shows (context key mhsm.azure.signedIn); signed in its roots are the tenants.

export const azureViewId = 'mhsm.azure';

export class AzureTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly spinner: ReloadSpinner;
  private readonly ctx: AzureNodeContext;

  constructor(
    readonly model: AzureTreeModel,
    private readonly log: Logger,
    mediaRoot: vscode.Uri,
    /** Why the configured cloud cannot be used (bad settings, sandbox not running), if it cannot. */
    private readonly cloudProblem: () => ActionableError | undefined = () => undefined,
    keySwitch?: AzureNodeContext['keySwitch'],
  ) {
    this.ctx = { model, mediaRoot, changed: (node) => this.emitter.fire(node), keySwitch };
    this.spinner = new ReloadSpinner((node) => this.emitter.fire(node));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return this.spinner.decorate(node, node.treeItem());
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      return await vscode.window.withProgress({ location: { viewId: azureViewId } }, () => (node ? (node.children?.() ?? Promise.resolve([])) : this.roots()));
    } catch (err) {
      // Nodes turn expected failures into error nodes; this catches the unexpected rest.
      reportError(this.log, err, vscode.l10n.t('load the Azure view'));
      return [new MessageNode(`${node?.id ?? 'root'}/failed`, vscode.l10n.t('Could not load; see the output channel'), 'error')];
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

  private async roots(): Promise<TreeNode[]> {
    const problem = this.cloudProblem();
    if (problem) return [errorNode('cloud/error', problem, {})];
    const account = await this.model.signedInAccount();
    await vscode.commands.executeCommand('setContext', 'mhsm.azure.signedIn', account !== undefined);
    if (account === undefined) return [];
    const tenants = await this.model.tenants();
    if (!tenants.ok) return [errorNode('tenants/error', tenants.error, {})];
    if (tenants.value.length === 0) return [new MessageNode('tenants/empty', vscode.l10n.t('No tenants (or none selected)'), 'info', { title: vscode.l10n.t('Select tenants…'), command: 'mhsm.selectTenant' })];
    return tenants.value.map((t) => new TenantNode(this.ctx, t, account));
  }
}
