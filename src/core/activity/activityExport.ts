import type { ActivityRecord } from './activityRecord';

// The log as a file for an auditor or a support ticket. CSV (RFC 4180) opens in spreadsheets,
// which run a cell that starts with = + - @ (or a tab/CR before one) as a formula: such cells get
// a leading apostrophe so a hostile service message cannot become a formula (CSV injection).

// The header row is the field names, not translated: a file format that scripts and other tools
// read must not change with the display language.
export const activityColumns = ['time', 'service', 'account', 'action', 'target', 'result', 'message', 'correlationId', 'clientRequestId'] as const;

export function activityCsv(records: readonly ActivityRecord[]): string {
  const lines = [activityColumns.join(',')];
  for (const r of records) lines.push(activityColumns.map((c) => csvCell(r[c] ?? '')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function activityJson(records: readonly ActivityRecord[]): string {
  return `${JSON.stringify(
    records.map((r) => Object.fromEntries(activityColumns.filter((c) => r[c] !== undefined).map((c) => [c, r[c]]))),
    undefined,
    2,
  )}\n`;
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV or JSON, by the file name the user chose (JSON unless it ends in .csv). */
export function activityExportFormat(fileName: string): 'csv' | 'json' {
  return /\.csv$/i.test(fileName) ? 'csv' : 'json';
}
