import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import { getRotationStatus, startRotation } from '../secretServer/rotation';
import { interpretRotation } from '../secretServer/rotationProgress';
import type { KeyManagementFormDeps } from '../webview/keyManagementFormDeps';
import type { RotationFollowers } from '../webview/rotationFollowers';

// Task 3 of the seed: Rotate Secret Keys. The same follower as the form's save shows maintenance
// mode and "n of m secrets" in a progress notification with Cancel; a rotation that already runs
// is followed instead of starting another.

export interface RotateSecretKeysDeps extends KeyManagementFormDeps {
  readonly followers: RotationFollowers;
}

async function chooseConnection(connections: readonly { id: string; label: string }[]): Promise<{ id: string; label: string }> {
  if (connections.length === 0) {
    throw new ActionableError(vscode.l10n.t('Rotating secret keys failed because there is no Secret Server connection; add one with "Add Secret Server Connection…".'), 'notFound');
  }
  if (connections.length === 1) return connections[0];
  const picked = await vscode.window.showQuickPick(
    connections.map((c) => ({ label: c.label, id: c.id })),
    { title: vscode.l10n.t('Rotate Secret Keys'), placeHolder: vscode.l10n.t('Choose the Secret Server'), ignoreFocusOut: true },
  );
  if (!picked) throw new ActionableError(vscode.l10n.t('Rotating secret keys was cancelled.'), 'cancelled');
  return { id: picked.id, label: picked.label };
}

export async function rotateSecretKeys(deps: RotateSecretKeysDeps, connectionId?: string): Promise<void> {
  const connections = await deps.listConnections();
  const connection = connectionId ? connections.find((c) => c.id === connectionId) : await chooseConnection(connections);
  if (!connection) throw new ActionableError(vscode.l10n.t('Rotating secret keys failed because the connection is no longer in the list; refresh the Secret Server view.'), 'notFound');
  const session = await deps.getSession(connection.id);

  const before = await getRotationStatus(session);
  const current = interpretRotation(before);
  if (!current.done || deps.followers.isFollowing(connection.id)) {
    deps.log.info(`Rotate Secret Keys on ${connection.id}: a rotation is already running; following it.`);
    await deps.followers.follow(connection.id, connection.label, session);
    return;
  }

  const go = vscode.l10n.t('Rotate Secret Keys');
  const message = vscode.l10n.t('Rotate the secret keys of {0}?', connection.label);
  const detail = vscode.l10n.t('Secret Server enables maintenance mode (this takes about 5 minutes) and then gives every secret a new key and re-encrypts it. Secrets cannot be changed until it finishes. You can cancel from the progress notification.');
  const answer = deps.confirm ? await deps.confirm(message, detail, [go]) : await vscode.window.showWarningMessage(message, { modal: true, detail }, go);
  if (answer !== go) throw new ActionableError(vscode.l10n.t('Rotating secret keys was cancelled.'), 'cancelled');

  await startRotation(session);
  deps.log.info(`Rotate Secret Keys on ${connection.id}: requested.`);
  deps.refreshConnection?.(connection.id);
  await deps.followers.follow(connection.id, connection.label, session, before);
}
