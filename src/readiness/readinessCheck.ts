import type { ReadinessFacts } from '../core/readiness/facts';
import { defaultExpiryThresholds, type ExpiryThresholds, type Finding } from '../core/readiness/finding';
import { buildReadinessReport, renderReadinessMarkdown, type ReadinessReport } from '../core/readiness/report';
import { evaluateReadiness } from '../core/readiness/rules';
import { gatherFacts, type CallTiming, type GatherFactsInput } from './gatherFacts';

// The whole readiness check in one call, for the command that shows it: gather, evaluate, report.
// Callers that want to re-evaluate (e.g. after a fix) without gathering again use the parts.

export interface ReadinessCheckInput extends GatherFactsInput {
  /** The time the rules judge expiries against; default: when gathering finished. */
  now?: () => Date;
  thresholds?: ExpiryThresholds;
}

export interface ReadinessCheckResult {
  facts: ReadinessFacts;
  findings: Finding[];
  report: ReadinessReport;
  /** The report as Markdown, safe to show or save. */
  markdown: string;
  timings: CallTiming[];
}

export async function runReadinessCheck(input: ReadinessCheckInput): Promise<ReadinessCheckResult> {
  const gathered = await gatherFacts(input);
  const now = input.now?.() ?? new Date();
  const findings = evaluateReadiness(gathered.facts, now, input.thresholds ?? defaultExpiryThresholds);
  const report = buildReadinessReport(gathered.facts.target, findings, now, { durationMs: gathered.durationMs });
  return { facts: gathered.facts, findings, report, markdown: renderReadinessMarkdown(report), timings: gathered.timings };
}
