import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { delay, throwIfCancelled, toAbortSignal, type Cancellation } from './cancellation';
import { interpretRotation, mapRotationStatus, type RotationProgress, type RotationStatus } from './rotationProgress';
import type { ReplayClass } from './retryRules';
import type { SecretServerSession } from './session';

// Secret key rotation (secret-server-api.md §7): POST starts a background run, GET reports it,
// a separate POST cancels it. Following a run only polls; stopping the follower never stops the
// server's rotation — cancelRotation() does that.

const base = '/api/v1/configuration/security';

export function getRotationStatus(session: SecretServerSession, cancellation?: Cancellation): Promise<RotationStatus> {
  return rotationCall(session, 'GET', 'rotate-secret-keys-status', 'idempotent', l10n.t('Reading the secret key rotation status'), cancellation);
}

/** Requests a run; refused (conflict) while one runs or while maintenance mode is on. Never replayed. */
export function startRotation(session: SecretServerSession, cancellation?: Cancellation): Promise<RotationStatus> {
  return rotationCall(session, 'POST', 'rotate-secret-keys', 'once', l10n.t('Starting a secret key rotation'), cancellation);
}

/** Asks the server to stop the running rotation; harmless when none runs, so it may be retried. */
export function cancelRotation(session: SecretServerSession, cancellation?: Cancellation): Promise<RotationStatus> {
  return rotationCall(session, 'POST', 'cancel-rotate-secret-keys', 'idempotent', l10n.t('Cancelling the secret key rotation'), cancellation);
}

/** Every rotation endpoint answers the same status shape. */
async function rotationCall(
  session: SecretServerSession,
  method: 'GET' | 'POST',
  endpoint: string,
  replay: ReplayClass,
  operation: string,
  cancellation: Cancellation | undefined,
): Promise<RotationStatus> {
  const raw = await session.request({ method, path: `${base}/${endpoint}`, replay, operation, signal: toAbortSignal(cancellation) });
  return mapRotationStatus(raw);
}

export interface FollowRotationOptions {
  /** Time between status reads (default 2 s). */
  pollIntervalMs?: number;
  /** Stops following (not the rotation) — an AbortSignal or a VS Code CancellationToken. */
  cancellation?: Cancellation;
  /**
   * The status read *before* the run was requested (before startRotation or the key management
   * PUT), so the previous run's result is not mistaken for this one's. Without it, whatever is
   * current is reported: if nothing runs, one final progress is yielded.
   */
  since?: RotationStatus;
  /**
   * How long the server may stay unreachable (a restart, a network blip) before following gives
   * up (default 2 minutes). The rotation runs on the server and resumes or rolls back after a
   * restart, so an outage shorter than this is waited out, not reported as the rotation's end.
   */
  outageToleranceMs?: number;
}

/**
 * Yields the rotation's progress at every poll until it is done (succeeded, failed, cancelled,
 * idle or ended). Cancelling the follower rejects with a 'cancelled' ActionableError; breaking
 * out of the loop also stops polling.
 */
export async function* followRotation(session: SecretServerSession, options: FollowRotationOptions = {}): AsyncGenerator<RotationProgress, void> {
  const signal = toAbortSignal(options.cancellation);
  const what = l10n.t('Following the secret key rotation');
  const tolerance = options.outageToleranceMs ?? 120_000;
  let seenActive = false;
  let unreachableSince: number | undefined;
  for (;;) {
    throwIfCancelled(signal, what);
    let status: RotationStatus;
    try {
      status = await getRotationStatus(session, signal);
      unreachableSince = undefined;
    } catch (err) {
      if (!(err instanceof ActionableError) || err.kind !== 'unavailable') throw err;
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince >= tolerance) {
        throw new ActionableError(
          l10n.t('Following the secret key rotation stopped because Secret Server could not be reached for {0} seconds, so whether the rotation finished, resumed or rolled back is not known: {1} When the server answers again, open its key management form to see the rotation\'s result.', Math.round(tolerance / 1000), err.message),
          'unavailable',
          err.detail,
          err.code,
          err.statusCode,
        );
      }
      await delay(options.pollIntervalMs ?? 2000, signal, what);
      continue;
    }
    throwIfCancelled(signal, what);
    const progress = interpretRotation(status, { since: options.since, seenActive });
    if (progress.state === 'running' || progress.state === 'cancelling') seenActive = true;
    // The end of a run this extension asked for (callers pass `since` then) is a change worth a record.
    if (progress.done && options.since && (seenActive || progress.state !== 'idle')) recordRotationEnd(session, progress);
    yield progress;
    if (progress.done) return;
    await delay(options.pollIntervalMs ?? 2000, signal, what);
  }
}

function recordRotationEnd(session: SecretServerSession, progress: RotationProgress): void {
  const result = progress.state === 'failed' || progress.state === 'cancelled' ? progress.state : 'succeeded';
  const message = progress.state === 'succeeded' ? undefined : progress.message ?? `The rotation ended (${progress.state}).`;
  session.record('Secret key rotation finished', result, message, undefined, [], `rotation-end ${JSON.stringify(progress.status)}`);
}
