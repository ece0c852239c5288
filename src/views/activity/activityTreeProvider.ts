import * as vscode from 'vscode';
import { applyFilter, describeFilter, type ActivityFilter } from '../../core/activity/activityFilter';
import type { ActivityLog } from '../../core/activity/activityLog';
import { activityResultLabel, type ActivityRecord, type ActivityResult } from '../../core/activity/activityRecord';

// The Activity view: the log's records, newest first, through the current filter. Rows only
// render; the log (core/activity/activityLog.ts) owns the records. Service messages are untrusted
// text, so the tooltip is plain text, never markdown.

export const activityViewId = 'mhsm.activity';
export const activityFilteredContext = 'mhsm.activity.filtered';

const resultIcons: Record<ActivityResult, vscode.ThemeIcon> = {
  succeeded: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
};

export class ActivityTreeProvider implements vscode.TreeDataProvider<ActivityRecord>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private currentFilter: ActivityFilter = {};
  private readonly logListener: { dispose(): void };

  constructor(private readonly log: ActivityLog) {
    this.logListener = log.onDidChange(() => this.changed.fire());
  }

  get filter(): ActivityFilter {
    return this.currentFilter;
  }

  setFilter(filter: ActivityFilter): void {
    this.currentFilter = filter;
    this.changed.fire();
  }

  /** What the view shows now, newest first. */
  shown(): ActivityRecord[] {
    return applyFilter(this.log.entries(), this.currentFilter);
  }

  /** For the view's description: the active filter, or undefined. */
  description(): string | undefined {
    return describeFilter(this.currentFilter);
  }

  getChildren(element?: ActivityRecord): ActivityRecord[] {
    return element ? [] : this.shown();
  }

  getTreeItem(record: ActivityRecord): vscode.TreeItem {
    const item = new vscode.TreeItem(record.action, vscode.TreeItemCollapsibleState.None);
    item.id = record.id;
    item.description = `${record.target} · ${new Date(record.time).toLocaleString()}`;
    item.iconPath = resultIcons[record.result];
    item.tooltip = activityTooltip(record);
    item.contextValue = `activity.${record.result}`;
    item.accessibilityInformation = { label: `${record.action}, ${activityResultLabel(record.result)}, ${record.target}, ${record.time}` };
    return item;
  }

  dispose(): void {
    this.logListener.dispose();
    this.changed.dispose();
  }
}

/** Every field, one per line, as plain text. */
export function activityTooltip(r: ActivityRecord): string {
  return [
    `${r.action} — ${activityResultLabel(r.result)}`,
    vscode.l10n.t('Time: {0}', r.time),
    vscode.l10n.t('Service: {0}', r.service),
    vscode.l10n.t('Account: {0}', r.account),
    vscode.l10n.t('Target: {0}', r.target),
    r.message ? vscode.l10n.t('Message: {0}', r.message) : undefined,
    r.correlationId ? vscode.l10n.t('Correlation ID: {0}', r.correlationId) : undefined,
    r.clientRequestId ? vscode.l10n.t('Client request ID: {0}', r.clientRequestId) : undefined,
  ]
    .filter((l): l is string => l !== undefined)
    .join('\n');
}
