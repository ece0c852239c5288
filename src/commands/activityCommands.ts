import * as vscode from 'vscode';
import { activityResults, type ActivityRecord, type ActivityResult } from '../core/activity/activityRecord';
import { activityCsv, activityExportFormat, activityJson } from '../core/activity/activityExport';
import type { ActivityLog } from '../core/activity/activityLog';
import { activityLogLimit, activityStateKey } from '../core/activity/activityLog';
import type { Services } from '../services';
import { activityFilteredContext, ActivityTreeProvider, activityViewId } from '../views/activity/activityTreeProvider';
import { registerCommand } from './runCommand';

// The Activity view and its commands: Filter…, Clear Filter, Export Activity Log…, Clear Activity
// Log. Called once from extension.ts.

/** What extension-host tests read (the view's rows are not reachable from a test). */
export interface ActivityApi {
  readonly log: ActivityLog;
  /** The rows the view shows now (filter applied), newest first. */
  shown(): ActivityRecord[];
  /** The log as kept in globalState, once every change so far is saved. */
  stored(): Promise<unknown>;
}

export function registerActivity(context: vscode.ExtensionContext, services: Services): ActivityApi {
  const log = services.activityLog;
  const provider = new ActivityTreeProvider(log);
  const view = vscode.window.createTreeView(activityViewId, { treeDataProvider: provider });
  const showFilter = () => {
    view.description = provider.description();
    view.message =
      log.entries().length === 0
        ? vscode.l10n.t('No changes recorded yet. Changes the extension makes in Azure and Secret Server appear here.')
        : provider.shown().length === 0
          ? vscode.l10n.t('Nothing matches the filter ({0} recorded).', log.entries().length)
          : undefined;
    void vscode.commands.executeCommand('setContext', activityFilteredContext, provider.description() !== undefined);
  };
  // Reading the stored log (up to 1,000 records) waits until activate() has returned.
  const initial = setTimeout(showFilter, 0);
  context.subscriptions.push(provider, view, provider.onDidChangeTreeData(showFilter), { dispose: () => clearTimeout(initial) });

  const add = (id: string, what: string, handler: (...args: unknown[]) => unknown) => registerCommand(context, services.log, id, what, handler);
  add('mhsm.activity.filter', 'filter the activity log', () => pickFilter(provider));
  add('mhsm.activity.clearFilter', 'clear the activity filter', () => provider.setFilter({}));
  add('mhsm.activity.export', 'export the activity log', (target) => exportLog(provider, target instanceof vscode.Uri ? target : undefined));
  add('mhsm.activity.clear', 'clear the activity log', async () => {
    const clear = vscode.l10n.t('Clear Activity Log');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete all {0} recorded changes?', log.entries().length),
      { modal: true, detail: vscode.l10n.t('The changes themselves stay; only this record of them is removed. Export the log first to keep a copy.') },
      clear,
    );
    if (answer === clear) log.clear();
  });
  return {
    log,
    shown: () => provider.shown(),
    stored: async () => {
      await log.flushed();
      return services.state.get(activityStateKey);
    },
  };
}

// Whole phrases per result, so a translation can inflect the word.
const onlyLabels: Record<ActivityResult, () => string> = {
  succeeded: () => vscode.l10n.t('Only succeeded'),
  failed: () => vscode.l10n.t('Only failed'),
  cancelled: () => vscode.l10n.t('Only cancelled'),
};

async function pickFilter(provider: ActivityTreeProvider): Promise<void> {
  type Choice = vscode.QuickPickItem & { result?: ActivityResult | 'all'; text?: boolean };
  const current = provider.filter;
  const items: Choice[] = [
    { label: `$(list-flat) ${vscode.l10n.t('All results')}`, result: 'all', picked: !current.result },
    ...activityResults.map((r): Choice => ({ label: `$(${r === 'succeeded' ? 'pass' : r === 'failed' ? 'error' : 'circle-slash'}) ${onlyLabels[r]()}`, result: r, picked: current.result === r })),
    { label: `$(search) ${vscode.l10n.t('Containing text…')}`, description: current.text ? vscode.l10n.t('now “{0}”', current.text) : vscode.l10n.t('action, target, account, message or id'), text: true },
  ];
  const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter the activity log'), placeHolder: provider.description() ?? vscode.l10n.t('Show all changes, or only some') });
  if (!choice) return;
  if (choice.text) {
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter the activity log by text'),
      prompt: vscode.l10n.t('Shows changes whose action, target, account, message or ids contain this (empty for all).'),
      value: current.text ?? '',
    });
    if (text === undefined) return;
    provider.setFilter({ ...current, text: text.trim() || undefined });
  } else {
    provider.setFilter({ ...current, result: choice.result === 'all' ? undefined : choice.result });
  }
}

/** Writes the shown records as CSV or JSON (by the file's extension); returns the file written. */
async function exportLog(provider: ActivityTreeProvider, given: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const target =
    given ??
    (await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Activity Log'),
      saveLabel: vscode.l10n.t('Export'),
      defaultUri: vscode.Uri.file(`activity-log-${new Date().toISOString().slice(0, 10)}.csv`),
      filters: { [vscode.l10n.t('CSV (spreadsheets)')]: ['csv'], JSON: ['json'] },
    }));
  if (!target) return undefined;
  const records = provider.shown();
  const text = activityExportFormat(target.path) === 'csv' ? activityCsv(records) : activityJson(records);
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  if (!given) void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} of at most {1} recorded changes to {2}.', records.length, activityLogLimit, target.fsPath || target.toString()));
  return target;
}
