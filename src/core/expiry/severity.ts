// How close something is to breaking Secret Server. The order matters: parents, the status bar
// and notifications all show the worst severity below them.

export type Severity = 'ok' | 'notYetValid' | 'warning' | 'critical' | 'expired';

// 'notYetValid' ranks above 'ok' but below 'warning': a version that is not valid yet is normal
// right after creating it with a future nbf, and only matters once Secret Server is switched to it
// (the in-use guard in waitingPeriod.ts refuses that case separately).
const rank: Record<Severity, number> = { ok: 0, notYetValid: 1, warning: 2, critical: 3, expired: 4 };

export function severityRank(severity: Severity): number {
  return rank[severity];
}

export function isWorse(a: Severity, b: Severity): boolean {
  return rank[a] > rank[b];
}

export function worstSeverity(severities: Iterable<Severity>): Severity {
  let worst: Severity = 'ok';
  for (const s of severities) if (rank[s] > rank[worst]) worst = s;
  return worst;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(rank, value);
}
