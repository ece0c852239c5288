import { countAt } from './rotationEngine';
import type { SecretServerState } from './state';

/** `RotateSecretKeysStatusModel` (secret-server-api.md §7.2); lastStatus values are the sandbox's choice. */
export function rotationStatusModel(state: SecretServerState): Record<string, unknown> {
  const r = state.rotation;
  const a = r.active;
  if (!a) {
    return {
      lastRequestDate: r.lastRequestDate,
      lastRunDate: r.lastRunDate,
      lastStatus: r.lastStatus,
      message: r.message,
      progressStatus: { isCancelling: false, message: '', secretsProcessed: 0, totalSecretsToProcess: 0 },
    };
  }
  const cancelling = a.phase === 'Cancelling';
  const moved = countAt(state, a.toGeneration);
  const total = cancelling ? (a.rollbackTotal ?? moved) : a.total;
  const processed = cancelling ? total - moved : moved;
  const progressMessage =
    a.phase === 'EnablingMaintenanceMode'
      ? 'Enabling maintenance mode before the rotation starts.'
      : cancelling
        ? `Cancelling: ${processed} of ${total} secret(s) returned to the previous master key.`
        : `Rotating secret keys: ${processed} of ${total} secret(s) re-encrypted.`;
  return {
    lastRequestDate: r.lastRequestDate,
    lastRunDate: r.lastRunDate,
    lastStatus: cancelling ? 'Cancelling' : 'Running',
    message: a.note,
    progressStatus: { isCancelling: cancelling, message: progressMessage, secretsProcessed: processed, totalSecretsToProcess: total },
  };
}
