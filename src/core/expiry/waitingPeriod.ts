import * as l10n from '@vscode/l10n';
import { describeDuration } from './expiryDescription';
import { dayMs, instantMs } from './thresholds';

// The seed's safe key rotation: after switching Secret Server to a new key version, keep the old
// version untouched for at least a day (setting, default 1) and only then set an expiry on it or
// disable it. The extension records the switch; this file decides when retiring is allowed.

export interface KeyVersionSwitchRecord {
  schema: 1;
  /** The versionless key identifier. */
  keyId: string;
  /** The Secret Server connection that was switched. */
  connectionId: string;
  switchedAtMs: number;
  oldVersion: string;
  newVersion: string;
  minimumWaitDays: number;
}

export const defaultMinimumWaitDays = 1;

const versionPattern = /^[0-9a-f]{32}$/i;

export function newSwitchRecord(fields: Omit<KeyVersionSwitchRecord, 'schema' | 'minimumWaitDays'> & { minimumWaitDays?: number }): KeyVersionSwitchRecord {
  const wait = fields.minimumWaitDays;
  return {
    schema: 1,
    keyId: fields.keyId,
    connectionId: fields.connectionId,
    switchedAtMs: fields.switchedAtMs,
    oldVersion: fields.oldVersion.toLowerCase(),
    newVersion: fields.newVersion.toLowerCase(),
    // Shorter than a day is never allowed by the setting's floor; zero would defeat the point.
    minimumWaitDays: typeof wait === 'number' && Number.isFinite(wait) && wait >= 1 ? wait : defaultMinimumWaitDays,
  };
}

/** Reads a record back from globalState; undefined when it is not a well-formed record. */
export function parseSwitchRecord(raw: unknown): KeyVersionSwitchRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.keyId !== 'string' || typeof r.connectionId !== 'string') return undefined;
  if (typeof r.oldVersion !== 'string' || !versionPattern.test(r.oldVersion)) return undefined;
  if (typeof r.newVersion !== 'string' || !versionPattern.test(r.newVersion)) return undefined;
  const at = instantMs(typeof r.switchedAtMs === 'number' ? r.switchedAtMs : undefined);
  if (at === undefined) return undefined;
  return newSwitchRecord({
    keyId: r.keyId,
    connectionId: r.connectionId,
    switchedAtMs: at,
    oldVersion: r.oldVersion,
    newVersion: r.newVersion,
    minimumWaitDays: typeof r.minimumWaitDays === 'number' ? r.minimumWaitDays : undefined,
  });
}

export function waitingPeriodEndsAt(record: KeyVersionSwitchRecord): number {
  return record.switchedAtMs + record.minimumWaitDays * dayMs;
}

export interface RetireDecision {
  allowed: boolean;
  /** Milliseconds until allowed (0 when allowed). */
  remainingMs: number;
  /** One sentence for the tree or a refusal. */
  reason: string;
}

/** Whether the waiting period after the switch has passed at `nowMs` (exactly at its end counts). */
export function canRetireOldVersion(record: KeyVersionSwitchRecord, nowMs: number): RetireDecision {
  const remainingMs = Math.max(0, waitingPeriodEndsAt(record) - nowMs);
  if (remainingMs > 0) {
    return {
      allowed: false,
      remainingMs,
      reason: l10n.t('Secret Server was switched to version {0} {1} ago; keep version {2} untouched for {3} more, until the rotation has proven itself.', record.newVersion, describeDuration(nowMs - record.switchedAtMs), record.oldVersion, describeDuration(remainingMs)),
    };
  }
  return { allowed: true, remainingMs: 0, reason: l10n.t('The waiting period after switching to version {0} is over.', record.newVersion) };
}

/** "waiting period: 20 hours left" for the tree. */
export function describeWaitingPeriod(record: KeyVersionSwitchRecord, nowMs: number): string {
  const d = canRetireOldVersion(record, nowMs);
  return d.allowed ? l10n.t('waiting period over — old version can be retired') : l10n.t('waiting period: {0} left', describeDuration(d.remainingMs));
}

/**
 * Why `version` of the key must not be disabled or given an expiry while Secret Server's key URL
 * is `configuredKeyUrl`, or undefined when nothing in the configuration uses it. A versionless URL
 * refuses every version: Secret Server keeps its master key wrapped by whichever version was
 * current when it was configured, which the extension cannot see.
 */
export function versionInUseProblem(configuredKeyUrl: string | undefined, keyId: string, version: string): string | undefined {
  if (!configuredKeyUrl) return undefined;
  const configured = splitKeyUrl(configuredKeyUrl);
  const target = splitKeyUrl(keyId);
  if (!configured || !target || configured.base !== target.base) return undefined;
  if (configured.version === undefined) {
    return l10n.t('Secret Server uses the versionless URL of this key, so it may hold its master key wrapped by version {0}; switch Secret Server to a versioned URL of the new version first.', version.toLowerCase());
  }
  if (configured.version === version.toLowerCase()) return l10n.t('Secret Server uses version {0} of this key; disabling it or letting it expire would lock Secret Server out of its secrets.', configured.version);
  return undefined;
}

function splitKeyUrl(url: string): { base: string; version?: string } | undefined {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return undefined;
  }
  const segs = u.pathname.replace(/\/+$/, '').split('/');
  if (segs[1]?.toLowerCase() !== 'keys' || !segs[2]) return undefined;
  return { base: `${u.origin.toLowerCase()}/keys/${segs[2].toLowerCase()}`, version: segs[3]?.toLowerCase() };
}
