import * as vscode from 'vscode';
import type { Assessment } from '../core/expiry/watchedItem';
import type { ExpiryActions, ExpirySource } from './expiryDeps';
import type { ExpirySnapshot } from './expiryWatch';
import { isRenewable } from './expiryDeps';
import { expiryCommandIds } from './expiryCommandIds';
import { severityIcon } from './severityStyle';

// The worst current state in the status bar; a click lists what needs attention. Hidden while
// nothing is watched, so the extension does not claim space before it knows anything.

// Its click command (expiryCommandIds.showItems → showExpiryItems) is registered by
// registerExpiryWatch at activation, apart from the item, which may come later.
export function registerExpiryStatusBar(source: ExpirySource): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mhsm.expiry', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Managed HSM expiry');
  item.command = expiryCommandIds.showItems;
  const render = () => {
    const content = statusBarContent(source.snapshot());
    if (!content) {
      item.hide();
      return;
    }
    item.text = content.text;
    item.tooltip = content.tooltip;
    item.backgroundColor = content.background ? new vscode.ThemeColor(content.background) : undefined;
    item.show();
  };
  render();
  const subscription = source.onDidChange(render);
  return vscode.Disposable.from(item, subscription);
}

/** What the status bar shows for a snapshot; undefined while nothing is watched (hidden). */
export function statusBarContent(snapshot: ExpirySnapshot): { text: string; tooltip: string; background?: string } | undefined {
  const { overall, assessments } = snapshot;
  if (assessments.length === 0) return undefined;
  const n = overall.attention.length;
  const worst = overall.attention[0];
  return {
    text: n === 0 ? vscode.l10n.t('{0} Secret Server keys', severityIcon('ok')) : `${severityIcon(overall.severity)} ${n} expiry ${n === 1 ? 'warning' : 'warnings'}`,
    tooltip: worst ? vscode.l10n.t('{0}{1}. Click for details.', worst.label, n > 1 ? ` (+${n - 1} more)` : '') : vscode.l10n.t('No client secret or key version needs attention.'),
    background:
      overall.severity === 'expired' || overall.severity === 'critical'
        ? 'statusBarItem.errorBackground'
        : overall.severity === 'warning'
          ? 'statusBarItem.warningBackground'
          : undefined,
  };
}

interface ItemPick extends vscode.QuickPickItem {
  assessment: Assessment;
}

export async function showExpiryItems(source: ExpirySource, actions: ExpiryActions): Promise<void> {
  const { overall } = source.snapshot();
  if (overall.attention.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No client secret or key version needs attention.'));
    return;
  }
  const picks: ItemPick[] = overall.attention.map((a) => ({ label: `${severityIcon(a.severity)} ${a.description}`, detail: a.label, assessment: a }));
  const picked = await vscode.window.showQuickPick(picks, { title: vscode.l10n.t('Expiry warnings'), placeHolder: vscode.l10n.t('Pick an item to renew it or show it in the explorer'), matchOnDetail: true });
  if (!picked) return;
  const a = picked.assessment;
  if (isRenewable(a) && a.item.kind === 'clientSecret') {
    const choice = await vscode.window.showQuickPick([vscode.l10n.t('Renew client secret…'), vscode.l10n.t('Show in explorer')], { title: a.label });
    if (choice === vscode.l10n.t('Renew client secret…')) return void (await actions.renewClientSecret({ appId: a.item.appId, keyId: a.item.keyId }));
    if (!choice) return;
  }
  await actions.reveal(a.path);
}
