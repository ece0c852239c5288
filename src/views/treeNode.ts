import * as vscode from 'vscode';
import type { ActionableError } from '../core/actionableError';

// The shape every node of both trees has, and the two leaf kinds they share: an error that names
// its fix, and a plain message. Nodes render; models load.

export interface TreeNode {
  /** Stable across refreshes, so that expansion survives them. */
  readonly id: string;
  treeItem(): vscode.TreeItem;
  children?(): Promise<TreeNode[]>;
  /** Drops what this node has cached (and everything below it) before it is shown again. */
  invalidate?(): void;
}

/** The command an error node runs when clicked: the fix it names. */
export interface ErrorAction {
  title: string;
  command: string;
  arguments?: unknown[];
}

export class ErrorNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly error: ActionableError,
    private readonly action?: ErrorAction,
  ) {}

  treeItem(): vscode.TreeItem {
    const label = this.action ? this.action.title : this.error.message;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.action ? this.error.message : undefined;
    item.tooltip = this.error.message;
    item.iconPath = new vscode.ThemeIcon(this.error.kind === 'notActivated' ? 'warning' : 'error', new vscode.ThemeColor(this.error.kind === 'notActivated' ? 'list.warningForeground' : 'list.errorForeground'));
    item.contextValue = `mhsm.error;${this.error.kind}`;
    if (this.action) item.command = { title: this.action.title, command: this.action.command, arguments: this.action.arguments };
    return item;
  }
}

export class MessageNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon = 'info',
    private readonly command?: vscode.Command,
    private readonly contextValue = 'mhsm.message',
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = this.contextValue;
    item.command = this.command;
    return item;
  }
}

/** Identifiers a node offers to the copy commands. */
export interface NodeIds {
  tenantId?: string;
  clientId?: string;
  keyId?: string;
  versionlessKeyId?: string;
  keyName?: string;
  /** A client secret's Graph keyId (its row in the Secret Server view). */
  secretKeyId?: string;
}

/** A label/value row under a node (key management type, rotation state…). */
export class DetailNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly value: string,
    private readonly icon: string,
    private readonly extra: { tooltip?: string; contextValue?: string; iconColor?: string; childNodes?: TreeNode[]; ids?: NodeIds } = {},
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, this.extra.childNodes?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.value;
    item.tooltip = this.extra.tooltip ?? `${this.label}: ${this.value}`;
    item.iconPath = new vscode.ThemeIcon(this.icon, this.extra.iconColor ? new vscode.ThemeColor(this.extra.iconColor) : undefined);
    item.contextValue = this.extra.contextValue ?? 'mhsm.detail';
    return item;
  }

  get ids(): NodeIds {
    return this.extra.ids ?? {};
  }

  async children(): Promise<TreeNode[]> {
    return this.extra.childNodes ?? [];
  }
}
