import * as l10n from '@vscode/l10n';
import { escapeMarkdown } from '../markdownText';
import { maskSecrets } from '../secretMask';

// Kept importable from here for the report's callers and tests.
export { escapeMarkdown };
import { formatUtc } from './expiryHorizon';
import type { ReadinessTarget } from './facts';
import type { Finding, FindingGroup, FindingStatus } from './finding';

// The readiness report: one verdict, the findings grouped as the user thinks about the setup, and
// a Markdown rendering that can be shown in VS Code or saved. Everything that came from outside
// (key and app names, server messages, URLs) is escaped, so a hostile name renders as text and
// never as a link, an image, HTML or a broken table.

/** 'incomplete': nothing failed, but some rules could not decide, so readiness is not proven. */
export type Verdict = 'ready' | 'readyWithWarnings' | 'incomplete' | 'notReady';

export interface ReportGroup {
  group: FindingGroup;
  title: string;
  findings: Finding[];
}

export interface ReadinessReport {
  target: ReadinessTarget;
  checkedAt: Date;
  verdict: Verdict;
  /** Findings per status, reminders left out. */
  counts: Record<FindingStatus, number>;
  groups: ReportGroup[];
  /** How long gathering the facts took, when known. */
  durationMs?: number;
}

const groupTitles: Record<FindingGroup, string> = {
  key: 'Key',
  hsm: l10n.t('Managed HSM'),
  access: 'Access',
  clientSecrets: l10n.t('Client secrets'),
  secretServer: l10n.t('Secret Server'),
};

const groupOrder: FindingGroup[] = ['key', 'hsm', 'access', 'clientSecrets', 'secretServer'];

const verdictText: Record<Verdict, string> = {
  ready: '✓ Ready',
  readyWithWarnings: l10n.t('⚠ Ready, with warnings'),
  incomplete: l10n.t('? Not proven: some checks could not run'),
  notReady: l10n.t('✗ Not ready'),
};

const statusSymbol: Record<FindingStatus, string> = { pass: '✓', warn: '⚠', fail: '✗', unknown: '?' };

export function verdictOf(findings: readonly Finding[]): Verdict {
  const rules = findings.filter((f) => !f.reminder);
  if (rules.some((f) => f.status === 'fail')) return 'notReady';
  if (rules.some((f) => f.status === 'unknown')) return 'incomplete';
  if (rules.some((f) => f.status === 'warn')) return 'readyWithWarnings';
  return 'ready';
}

export function buildReadinessReport(target: ReadinessTarget, findings: readonly Finding[], checkedAt: Date, options: { durationMs?: number } = {}): ReadinessReport {
  const counts: Record<FindingStatus, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  for (const f of findings) if (!f.reminder) counts[f.status]++;
  const groups = groupOrder
    .map((group) => ({ group, title: groupTitles[group], findings: findings.filter((f) => f.group === group) }))
    .filter((g) => g.findings.length > 0);
  return { target, checkedAt, verdict: verdictOf(findings), counts, groups, ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}) };
}

export function renderReadinessMarkdown(report: ReadinessReport): string {
  const t = report.target;
  const lines: string[] = [];
  lines.push(l10n.t('# Secret Server readiness: key {0}', text(t.keyName)), '');
  lines.push(`**${verdictText[report.verdict]}** — ${summary(report.counts)}`, '');
  lines.push('| | |', '|---|---|');
  lines.push(`| Key | ${text(t.keyId)}${t.keyVersion ? '' : l10n.t(' (versionless: the current version)')} |`);
  lines.push(l10n.t('| Managed HSM | {0} |', text(t.hsmUri)));
  if (t.appId) lines.push(l10n.t('| App registration (client id) | {0} |', text(t.appId)));
  if (t.tenantId) lines.push(`| Tenant | ${text(t.tenantId)} |`);
  if (t.secretServerUrl) lines.push(l10n.t('| Secret Server | {0} |', text(t.secretServerUrl)));
  const took = report.durationMs !== undefined ? l10n.t(' (took {0} ms)', Math.round(report.durationMs)) : '';
  lines.push(`| Checked | ${formatUtc(report.checkedAt)}${took} |`, '');

  for (const group of report.groups) {
    lines.push(`## ${group.title}`, '');
    for (const f of group.findings) {
      const symbol = f.reminder ? 'ℹ' : statusSymbol[f.status];
      lines.push(`- ${symbol} **${text(f.title)}** — ${text(f.reason)}`);
      if (f.fix) lines.push(`  - Fix: ${text(f.fix.label)}`);
      if (f.detail) lines.push(`  - Why: ${text(f.detail)}`);
    }
    lines.push('');
  }
  lines.push(l10n.t('Legend: ✓ passed · ⚠ warning · ✗ failed · ? could not be checked · ℹ reminder'), '');
  return lines.join('\n');
}

function summary(counts: Record<FindingStatus, number>): string {
  const parts = [
    counts.fail ? `${counts.fail} failed` : '',
    counts.warn ? `${counts.warn} warning${counts.warn === 1 ? '' : 's'}` : '',
    counts.unknown ? l10n.t('{0} not checked', counts.unknown) : '',
    `${counts.pass} passed`,
  ].filter(Boolean);
  return `${parts.join(', ')}.`;
}

function text(value: string): string {
  return escapeMarkdown(maskSecrets(value));
}
