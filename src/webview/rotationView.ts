import * as l10n from '@vscode/l10n';
import type { KeyManagementAuditEntry } from '../secretServer/keyManagement';
import type { RotationProgress } from '../secretServer/rotationProgress';
import type { AuditView, RotationView } from '../protocol/keyManagementForm';

// How a secret key rotation reads in the form and in the progress notification. Pure, so the
// wording is tested without VS Code.

export function rotationView(p: RotationProgress, maintenanceMode?: boolean): RotationView {
  return {
    state: p.state,
    done: p.done,
    secretsProcessed: p.secretsProcessed,
    totalSecrets: p.totalSecrets,
    percent: p.percent,
    message: p.message,
    lastRunDate: p.status.lastRunDate,
    maintenanceMode,
  };
}

export function auditView(entry: KeyManagementAuditEntry | undefined): AuditView | undefined {
  if (!entry) return undefined;
  return { action: entry.action, dateRecorded: entry.dateRecorded, displayName: entry.displayName, notes: entry.notes };
}

const stateWords: Record<RotationView['state'], string> = {
  idle: l10n.t('No secret key rotation has run'),
  pending: l10n.t('Waiting for maintenance mode before the rotation starts'),
  running: l10n.t('Rotating secret keys'),
  cancelling: l10n.t('Cancelling the rotation'),
  succeeded: l10n.t('Secret key rotation completed'),
  failed: l10n.t('Secret key rotation failed'),
  cancelled: l10n.t('Secret key rotation cancelled'),
  ended: l10n.t('Secret key rotation ended'),
};

/** One line: state, "n of m secrets" and the server's own message when it adds something. */
export function describeRotation(v: RotationView): string {
  const parts = [stateWords[v.state]];
  if (v.totalSecrets !== undefined && v.totalSecrets > 0) {
    parts.push(l10n.t('{0} of {1} secrets processed{2}', v.secretsProcessed ?? 0, v.totalSecrets, v.percent !== undefined ? ` (${v.percent} %)` : ''));
  }
  if (v.message && !parts.some((p) => p.toLowerCase() === v.message?.toLowerCase())) parts.push(v.message);
  if (v.done && v.maintenanceMode) parts.push(l10n.t('maintenance mode is still on'));
  return parts.join(' — ');
}

export function describeAudit(a: AuditView | undefined): string | undefined {
  if (!a?.action) return undefined;
  const who = a.displayName ? ` by ${a.displayName}` : '';
  const when = a.dateRecorded ? ` on ${a.dateRecorded}` : '';
  return `${a.action}${who}${when}${a.notes ? `: ${a.notes}` : ''}`;
}
