import type { Severity } from './severity';

// The warning and critical thresholds come from settings; these are only the defaults the issue
// names. Callers pass them in so the model never reads configuration.

export interface ExpiryThresholds {
  warningDays: number;
  criticalDays: number;
}

export const defaultThresholds: ExpiryThresholds = { warningDays: 30, criticalDays: 7 };

export const dayMs = 86_400_000;

/**
 * Settings as the user typed them, made usable: non-finite or negative values fall back to the
 * defaults, and a critical threshold above the warning threshold is lowered to it, so that
 * "critical" is never reached before "warning".
 */
export function normaliseThresholds(raw: Partial<Record<keyof ExpiryThresholds, unknown>>): ExpiryThresholds {
  const pick = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback);
  const warningDays = pick(raw.warningDays, defaultThresholds.warningDays);
  const criticalDays = Math.min(pick(raw.criticalDays, defaultThresholds.criticalDays), warningDays);
  return { warningDays, criticalDays };
}

/** Anything a service hands back as a point in time. */
export type Instant = string | number | Date;

/** Milliseconds since the epoch, or undefined when absent or unparseable. */
export function instantMs(value: Instant | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The severity of a validity window at `nowMs`. At exactly `exp` the item is expired (Azure refuses
 * operations from that instant); exactly `criticalDays` or `warningDays` before it counts as inside
 * that threshold. Before `nbf` the item is not valid yet, unless it has also expired.
 */
export function windowSeverity(window: { notBefore?: Instant; expiresOn?: Instant }, nowMs: number, thresholds: ExpiryThresholds): Severity {
  const exp = instantMs(window.expiresOn);
  const nbf = instantMs(window.notBefore);
  if (exp !== undefined && nowMs >= exp) return 'expired';
  if (nbf !== undefined && nowMs < nbf) return 'notYetValid';
  if (exp === undefined) return 'ok';
  const remaining = exp - nowMs;
  if (remaining <= thresholds.criticalDays * dayMs) return 'critical';
  if (remaining <= thresholds.warningDays * dayMs) return 'warning';
  return 'ok';
}
