import type { Assessment } from './watchedItem';
import { isWorse, severityRank, worstSeverity, type Severity } from './severity';

// A collapsed tree must still show trouble: each parent takes the worst severity of everything
// below it (secret → app → Secret Server connection; version → key → HSM).

export interface PathState {
  severity: Severity;
  /** How many watched items at or below this path are at `severity`. */
  count: number;
  /** The assessment that decided `severity` (the soonest to break), for tooltips. */
  worst?: Assessment;
}

export function propagateSeverity(assessments: readonly Assessment[]): Map<string, PathState> {
  const states = new Map<string, PathState>();
  const merge = (path: string, a: Assessment) => {
    const current = states.get(path);
    if (!current || isWorse(a.severity, current.severity)) states.set(path, { severity: a.severity, count: 1, worst: a });
    else if (current.severity === a.severity) current.count += 1;
  };
  for (const a of assessments) {
    merge(a.path, a);
    for (const p of new Set(a.ancestors)) merge(p, a);
  }
  return states;
}

export interface OverallState {
  severity: Severity;
  /** Items needing attention (warning or worse), worst first. */
  attention: Assessment[];
}

/** The one state the status bar shows, and the items its picker lists. */
export function overallState(assessments: readonly Assessment[]): OverallState {
  const attention = assessments
    .filter((a) => severityRank(a.severity) >= severityRank('warning'))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.label.localeCompare(b.label));
  return { severity: worstSeverity(assessments.map((a) => a.severity)), attention };
}
