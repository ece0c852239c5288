import * as l10n from '@vscode/l10n';
import { dayMs, windowSeverity, type ExpiryThresholds } from '../expiry/thresholds';

// How close an expiry date is, in the classes the rules act on: the expiry watch's severities
// (a date exactly at a threshold counts as within it; at `now` it has expired), plus 'never'.

export type ExpiryClass = 'never' | 'ok' | 'warning' | 'critical' | 'expired';

const hourMs = 3_600_000;

export function classifyExpiry(expiresOn: Date | undefined, now: Date, thresholds: ExpiryThresholds): ExpiryClass {
  if (!expiresOn) return 'never';
  // Without a notBefore the window is never 'notYetValid'.
  return windowSeverity({ expiresOn }, now.getTime(), thresholds) as Exclude<ExpiryClass, 'never'>;
}

/** 'in 5 days', 'in 3 hours', '2 days ago'. */
export function describeRemaining(date: Date, now: Date): string {
  const ms = date.getTime() - now.getTime();
  const span = spanText(Math.abs(ms));
  return ms > 0 ? `in ${span}` : `${span} ago`;
}

/** '2025-03-01 14:05 UTC': unambiguous whatever the reader's time zone. */
export function formatUtc(date: Date): string {
  // A service date that did not parse must not turn the whole readiness report into a RangeError.
  if (Number.isNaN(date.getTime())) return l10n.t('an unreadable date');
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function spanText(ms: number): string {
  if (ms >= dayMs) return plural(Math.floor(ms / dayMs), 'day');
  if (ms >= hourMs) return plural(Math.floor(ms / hourMs), 'hour');
  return l10n.t('less than an hour');
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
