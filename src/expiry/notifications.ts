import * as vscode from 'vscode';
import { plainMessageText } from '../core/markdownText';
import { muteItem, parseNotificationRecord, planNotifications, snoozeItem, unmuteAll } from '../core/expiry/notificationPolicy';
import { dayMs } from '../core/expiry/thresholds';
import type { Assessment } from '../core/expiry/watchedItem';
import type { ExpiryActions, ExpiryLog, ExpirySettings, ExpirySource, ExpiryStateStore } from './expiryDeps';
import { isRenewable } from './expiryDeps';

// Notifications on start and once a day when something crosses a threshold, with "Renew…",
// "Snooze" and "Don't show for this item". The decisions are pure (notificationPolicy.ts); this
// file shows them and persists the record (paths, severities and timestamps — no secrets).

export const notificationRecordKey = 'mhsm.expiry.notifications';
const checkEveryMs = 60 * 60_000;

export interface ExpiryNotificationDeps {
  source: ExpirySource;
  actions: ExpiryActions;
  state: ExpiryStateStore;
  settings: ExpirySettings;
  now: () => number;
  log?: ExpiryLog;
  /** Sees each notification's text as it is shown (the extension API keeps the last few for tests). */
  onShown?: (text: string) => void;
}

export function registerExpiryNotifications(deps: ExpiryNotificationDeps): vscode.Disposable {
  let running = false;
  const check = async () => {
    if (running || !deps.settings.notificationsEnabled()) return;
    const snapshot = deps.source.snapshot();
    if (snapshot.assessments.length === 0) return;
    running = true;
    try {
      const plan = planNotifications(snapshot.assessments, parseNotificationRecord(deps.state.get(notificationRecordKey)), deps.now());
      await deps.state.update(notificationRecordKey, plan.record);
      // One notification per item would bury the user; the worst one speaks for the rest.
      const [first, ...rest] = plan.notify;
      if (first) void show(deps, first, rest.length);
    } finally {
      running = false;
    }
  };
  // New data (the first load after start, a refresh) and the hourly tick both ask; the policy's
  // once-a-day rule decides whether anything is shown.
  const subscription = deps.source.onDidChange(() => void check());
  // recompute() fires onDidChange, which runs the check (and refreshes decorations and the status bar).
  const timer = setInterval(() => deps.source.recompute(), checkEveryMs);
  void check();
  return vscode.Disposable.from(subscription, new vscode.Disposable(() => clearInterval(timer)));
}

/** "Reset Expiry Notifications": every muted or snoozed item may notify again. */
export async function resetExpiryNotifications(state: ExpiryStateStore): Promise<void> {
  await state.update(notificationRecordKey, unmuteAll(parseNotificationRecord(state.get(notificationRecordKey))));
  void vscode.window.showInformationMessage(vscode.l10n.t('Expiry notifications will show again for every item.'));
}

async function show(deps: ExpiryNotificationDeps, a: Assessment, more: number): Promise<void> {
  // The label holds app and key names chosen elsewhere: no link may form in the message.
  // Whole sentences for one and for several, so a translation can inflect them.
  const text = plainMessageText(
    more === 0 ? `${a.label}.` : more === 1 ? vscode.l10n.t('{0}. 1 more item needs attention.', a.label) : vscode.l10n.t('{0}. {1} more items need attention.', a.label, more),
  );
  const buttons: string[] = [];
  if (isRenewable(a)) buttons.push(vscode.l10n.t('Renew…'));
  else buttons.push(vscode.l10n.t('Show'));
  buttons.push(vscode.l10n.t('Snooze'), vscode.l10n.t('Don\'t show for this item'));
  const severe = a.severity === 'expired' || a.severity === 'critical';
  deps.onShown?.(text);
  const choice = await (severe ? vscode.window.showErrorMessage(text, ...buttons) : vscode.window.showWarningMessage(text, ...buttons));
  const record = () => parseNotificationRecord(deps.state.get(notificationRecordKey));
  if (choice === vscode.l10n.t('Renew…') && a.item.kind === 'clientSecret') await deps.actions.renewClientSecret({ appId: a.item.appId, keyId: a.item.keyId });
  else if (choice === vscode.l10n.t('Show')) await deps.actions.reveal(a.path);
  else if (choice === vscode.l10n.t('Snooze')) await deps.state.update(notificationRecordKey, snoozeItem(record(), a.path, deps.now(), dayMs));
  else if (choice === vscode.l10n.t('Don\'t show for this item')) await deps.state.update(notificationRecordKey, muteItem(record(), a.path, a.severity, deps.now()));
  if (choice) deps.log?.(`Expiry notification for ${a.path}: ${choice}.`);
}
