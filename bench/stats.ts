// Medians and spread for the benchmarks: timings are reported, never asserted.

export interface Spread {
  runs: number;
  median: number;
  min: number;
  max: number;
  /** Interquartile range: the middle half of the runs. */
  p25: number;
  p75: number;
}

export function spread(samples: readonly number[]): Spread {
  if (samples.length === 0) throw new Error('no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
  return { runs: sorted.length, median: round(at(0.5)), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), p25: round(at(0.25)), p75: round(at(0.75)) };
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export function ratio(a: number, b: number): number {
  return b === 0 ? Number.POSITIVE_INFINITY : Math.round((a / b) * 1000) / 1000;
}

/** One line of the results table: what was measured, against what budget, kept or missed. */
export interface BudgetLine {
  benchmark: string;
  latencyMs?: number;
  measured: string;
  baseline?: string;
  ratio?: number;
  budget: string;
  kept: boolean;
}
