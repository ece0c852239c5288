import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import { dayMs } from '../core/expiry/thresholds';
import { canRetireOldVersion } from '../core/expiry/waitingPeriod';
import { renewClientSecret, type ClientSecretRenewalDeps } from '../renewal/clientSecretRenewal';
import { retireOldKeyVersion, startKeyVersionRotation, type KeyVersionDeps, type RetireAction } from '../renewal/keyVersionRotation';
import { RenewalError } from '../renewal/renewalError';
import type { ExpiryLog } from './expiryDeps';
import type { SwitchRecordStore } from './switchRecordStore';

// The VS Code face of the renewal flows: the confirmations (including the seed's maintenance-mode
// checkbox, as a modal), progress, the "remove the old secret?" question and the outcome. The
// composition root implements ExpiryActions.renewClientSecret with renewClientSecretWithUi.

/** The seed's wording for the Secret Server checkbox. */
const maintenanceConfirmation = 'Maintenance Mode will be enabled and a Secret Key Rotation will be triggered.';

export interface RenewalUiDeps {
  /** The flow's deps for the Secret Server connection whose key management uses this app, or undefined. */
  clientSecretDeps(appId: string): Promise<{ deps: ClientSecretRenewalDeps; connectionLabel: string } | undefined>;
  /** Keeps a new secret value (SecretStorage). */
  keepSecret?(appId: string, keyId: string, secretText: string): Promise<void>;
  /** Called after any change, e.g. to reload the watch. */
  afterChange?(): void;
  log?: ExpiryLog;
}

export async function renewClientSecretWithUi(ui: RenewalUiDeps, target: { appId: string; keyId: string }): Promise<void> {
  const resolved = await ui.clientSecretDeps(target.appId);
  if (!resolved) {
    void vscode.window.showErrorMessage(`No connected Secret Server uses app ${target.appId}. Connect the Secret Server that uses it, then renew from there.`);
    return;
  }
  const lifetime = await vscode.window.showQuickPick(
    [
      { label: '180 days', days: 180 },
      { label: '365 days', days: 365 },
      { label: '90 days', days: 90 },
    ],
    { title: 'Renew client secret: how long should the new secret be valid?' },
  );
  if (!lifetime) return;
  const go = 'Renew and rotate';
  const confirmed = await vscode.window.showWarningMessage(
    `Renew the client secret Secret Server ${resolved.connectionLabel} uses?`,
    { modal: true, detail: `${maintenanceConfirmation} The old secret is kept until Secret Server is proven healthy with the new one.` },
    go,
  );
  if (confirmed !== go) return;
  await runWithProgress('Renewing the client secret', ui, async (progress) => {
    const result = await renewClientSecret(resolved.deps, {
      appId: target.appId,
      oldKeyId: target.keyId,
      newSecretExpiresOn: new Date(Date.now() + lifetime.days * dayMs),
      keepNewSecret: ui.keepSecret ? (keyId, secretText) => ui.keepSecret!(target.appId, keyId, secretText) : undefined,
      onProgress: (p) => progress.report({ message: p.message }),
      confirmRemoveOld: async () => {
        const remove = 'Remove old secret';
        const answer = await vscode.window.showInformationMessage(
          'Secret Server uses the new secret and is healthy, and a wrap/unwrap with it works. Remove the old secret now?',
          { modal: true },
          remove,
          'Keep it for now',
        );
        return answer === remove;
      },
    });
    void vscode.window.showInformationMessage(
      `Client secret renewed (new secret ${result.newSecret.hint ?? ''}…, ${result.newSecret.endDateTime ? `expires ${result.newSecret.endDateTime.slice(0, 10)}` : 'no expiry'}). ${result.oldRemoved ? 'The old secret was removed.' : 'The old secret was kept.'}`,
    );
  });
}

export interface KeyRotationUiDeps {
  deps: KeyVersionDeps;
  connectionId: string;
  connectionLabel: string;
  appId: string;
  /** The app's current secret, from SecretStorage or asked for (the Secret Server PUT replaces everything). */
  principalSecret: () => Promise<string>;
  now: () => number;
  minimumWaitDays: number;
  records: SwitchRecordStore;
  afterChange?(): void;
  log?: ExpiryLog;
}

export async function rotateKeyVersionWithUi(k: KeyRotationUiDeps): Promise<void> {
  const go = 'Create version and switch';
  const confirmed = await vscode.window.showWarningMessage(
    `Create a new key version and switch Secret Server ${k.connectionLabel} to it?`,
    { modal: true, detail: `${maintenanceConfirmation} The previous version stays untouched for at least ${k.minimumWaitDays} day(s).` },
    go,
  );
  if (confirmed !== go) return;
  await runWithProgress('Rotating the key version', k, async (progress) => {
    const { record } = await startKeyVersionRotation(k.deps, {
      connectionId: k.connectionId,
      appId: k.appId,
      principalSecret: k.principalSecret,
      now: k.now,
      minimumWaitDays: k.minimumWaitDays,
      onProgress: (p) => progress.report({ message: p.message }),
    });
    await k.records.put(record);
    const until = new Date(record.switchedAtMs + record.minimumWaitDays * dayMs).toISOString().slice(0, 16).replace('T', ' ');
    void vscode.window.showInformationMessage(`Secret Server now uses version ${record.newVersion}. Keep version ${record.oldVersion} untouched until ${until} UTC.`);
  });
}

export async function retireOldVersionWithUi(k: KeyRotationUiDeps, keyId: string, action: RetireAction): Promise<void> {
  const record = k.records.find(keyId, k.connectionId);
  if (!record) {
    void vscode.window.showErrorMessage('There is no recorded switch for this key, so the extension cannot tell the previous version is safe to retire. Rotate the key version through the extension first.');
    return;
  }
  const wait = canRetireOldVersion(record, k.now());
  if (!wait.allowed) {
    void vscode.window.showWarningMessage(wait.reason);
    return;
  }
  const what = action.kind === 'disable' ? `Disable version ${record.oldVersion}` : `Set an expiry on version ${record.oldVersion}`;
  if ((await vscode.window.showWarningMessage(`${what}?`, { modal: true, detail: 'Secret Server\'s health and a wrap/unwrap with the new version are checked first.' }, what)) !== what) return;
  await runWithProgress(what, k, async (progress) => {
    await retireOldKeyVersion(k.deps, { record, action, appId: k.appId, principalSecret: k.principalSecret, now: k.now, onProgress: (p) => progress.report({ message: p.message }) });
    if (action.kind === 'disable') await k.records.remove(record);
    void vscode.window.showInformationMessage(`${what}: done. Secret Server is healthy.`);
  });
}

async function runWithProgress(
  title: string,
  ctx: { afterChange?(): void; log?: ExpiryLog },
  work: (progress: vscode.Progress<{ message?: string }>) => Promise<void>,
): Promise<void> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, work);
  } catch (err) {
    const message = err instanceof ActionableError ? err.message : `${title} failed: ${err instanceof Error ? err.message : String(err)}`;
    ctx.log?.(`${title} failed${err instanceof RenewalError ? ` at step ${err.step}` : ''}: ${err instanceof ActionableError ? err.detail : message}`);
    void vscode.window.showErrorMessage(message);
  } finally {
    ctx.afterChange?.();
  }
}
