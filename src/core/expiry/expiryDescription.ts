import * as l10n from '@vscode/l10n';
import { dayMs } from './thresholds';

// Short, deterministic phrases for tree descriptions and hovers ("expires in 5 days"). Whole days
// are rounded, because a secret created "for 5 days" a few seconds ago should still read 5 days.

const hourMs = 3_600_000;
const minuteMs = 60_000;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "5 days", "36 hours", "12 minutes", "less than a minute" for a non-negative duration. */
export function describeDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 2 * dayMs) return plural(Math.round(abs / dayMs), 'day');
  if (abs >= 90 * minuteMs) return plural(Math.round(abs / hourMs), 'hour');
  if (abs >= minuteMs) return plural(Math.round(abs / minuteMs), 'minute');
  return l10n.t('less than a minute');
}

/** "expires in 5 days", "expired 2 hours ago", "expired just now", "never expires". */
export function describeExpiry(expiresMs: number | undefined, nowMs: number): string {
  if (expiresMs === undefined) return l10n.t('never expires');
  const remaining = expiresMs - nowMs;
  if (remaining > 0) return l10n.t('expires in {0}', describeDuration(remaining));
  if (remaining > -minuteMs) return l10n.t('expired just now');
  return l10n.t('expired {0} ago', describeDuration(remaining));
}

/** "valid in 3 days" for an item whose nbf is still ahead. */
export function describeNotBefore(notBeforeMs: number, nowMs: number): string {
  return l10n.t('valid in {0}', describeDuration(notBeforeMs - nowMs));
}
