import { asObject, booleanField, numberField, stringField } from './jsonFields';

// How far a secret key rotation has got, read from RotateSecretKeysStatusModel
// (secret-server-api.md §7.2). The spec types `lastStatus` as a free string and does not say when
// `lastRunDate` is written, so the state is inferred conservatively: live progress counts and a
// running-like status mean "active"; a finished-like status only counts as the end of *this*
// run once something changed since the status read before the run was requested.

export interface RotationStatus {
  lastRequestDate?: string;
  lastRunDate?: string;
  lastStatus?: string;
  message?: string;
  progress?: {
    isCancelling: boolean;
    message?: string;
    secretsProcessed?: number;
    totalSecretsToProcess?: number;
  };
}

/** 'ended': finished with a `lastStatus` this client cannot read; the message says more. */
export type RotationState = 'idle' | 'pending' | 'running' | 'cancelling' | 'succeeded' | 'failed' | 'cancelled' | 'ended';

export interface RotationProgress {
  state: RotationState;
  /** True for idle, succeeded, failed, cancelled and ended: nothing more will happen without a new request. */
  done: boolean;
  secretsProcessed?: number;
  totalSecrets?: number;
  /** 0..100, when the server reports a total. */
  percent?: number;
  /** The server's own wording: the progress message while active, the run's message after. */
  message?: string;
  status: RotationStatus;
}

export function mapRotationStatus(raw: unknown): RotationStatus {
  const obj = asObject(raw);
  const p = asObject(obj?.progressStatus);
  return {
    lastRequestDate: stringField(obj, 'lastRequestDate'),
    lastRunDate: stringField(obj, 'lastRunDate'),
    lastStatus: stringField(obj, 'lastStatus'),
    message: stringField(obj, 'message'),
    progress: p
      ? {
          isCancelling: booleanField(p, 'isCancelling') ?? false,
          message: stringField(p, 'message'),
          secretsProcessed: numberField(p, 'secretsProcessed'),
          totalSecretsToProcess: numberField(p, 'totalSecretsToProcess'),
        }
      : undefined,
  };
}

type StatusWord = RotationState | 'unknown';

/** Reads `lastStatus` in whatever spelling a server uses ("Running", "InProgress", "Completed", "Cancelled"...). */
export function classifyLastStatus(lastStatus: string | undefined): StatusWord {
  const s = (lastStatus ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (s === '' || s === 'neverrun' || s === 'none' || s === 'idle') return 'idle';
  if (/cancell?ing/.test(s)) return 'cancelling';
  if (/cancel|abort/.test(s)) return 'cancelled';
  if (/fail|error|rolledback/.test(s)) return 'failed';
  if (/success|succeed|complete|done|finished/.test(s)) return 'succeeded';
  if (/running|inprogress|started|rotating|processing/.test(s)) return 'running';
  if (/pending|request|queued|waiting|enabling|starting|maintenance|scheduled/.test(s)) return 'pending';
  return 'unknown';
}

export interface InterpretOptions {
  /** Status read before the run was requested; absent = report whatever is current. */
  since?: RotationStatus;
  /** Whether an earlier poll already saw this run active. */
  seenActive?: boolean;
}

export function interpretRotation(status: RotationStatus, options: InterpretOptions = {}): RotationProgress {
  const p = status.progress;
  const processed = p?.secretsProcessed;
  const total = p?.totalSecretsToProcess;
  const percent = total !== undefined && total > 0 && processed !== undefined ? Math.max(0, Math.min(100, Math.floor((processed * 100) / total))) : undefined;
  const counts = { secretsProcessed: processed, totalSecrets: total, percent };
  const word = classifyLastStatus(status.lastStatus);
  const active = (state: RotationState): RotationProgress => ({ state, done: false, ...counts, message: p?.message ?? status.message, status });

  if (p?.isCancelling || word === 'cancelling') return active('cancelling');
  if (word === 'running' || word === 'pending') return active(word);

  const since = options.since;
  // Only the status fields tell that a new result was written; having seen the run active does not
  // make a stale `lastStatus` the new result.
  const resultIsNew = since === undefined || status.lastRunDate !== since.lastRunDate || status.lastStatus !== since.lastStatus;
  const knownEnd = word === 'succeeded' || word === 'failed' || word === 'cancelled';
  const incomplete = total !== undefined && total > 0 && (processed ?? 0) < total;
  // During a run `lastStatus` may still describe the previous run, so live counts win over it
  // unless the end is known to belong to this run.
  if (incomplete && !(since !== undefined && resultIsNew && knownEnd)) return active('running');
  if (!resultIsNew && !options.seenActive) return active('pending');

  const state: RotationState = knownEnd || word === 'idle' ? (word as RotationState) : 'ended';
  return { state, done: true, ...counts, message: status.message ?? p?.message, status };
}
