import * as l10n from '@vscode/l10n';
import { activityResultLabel, type ActivityRecord, type ActivityResult } from './activityRecord';

// What the Activity view shows: all records, or those with one result and/or containing a text
// (in the action, target, account, message or ids; case-insensitive).

export interface ActivityFilter {
  result?: ActivityResult;
  text?: string;
}

export function matchesFilter(record: ActivityRecord, filter: ActivityFilter): boolean {
  if (filter.result && record.result !== filter.result) return false;
  const text = filter.text?.trim().toLowerCase();
  if (!text) return true;
  return [record.action, record.target, record.account, record.service, record.message, record.correlationId, record.clientRequestId].some((field) => field?.toLowerCase().includes(text));
}

export function applyFilter(records: readonly ActivityRecord[], filter: ActivityFilter): ActivityRecord[] {
  return records.filter((r) => matchesFilter(r, filter));
}

/** The filter in words for the view's description, or undefined when nothing is filtered. */
export function describeFilter(filter: ActivityFilter): string | undefined {
  const text = filter.text?.trim() || undefined;
  if (filter.result && text) return l10n.t('Filtered: {0}, “{1}”', activityResultLabel(filter.result), text);
  if (filter.result) return l10n.t('Filtered: {0}', activityResultLabel(filter.result));
  if (text) return l10n.t('Filtered: “{0}”', text);
  return undefined;
}

export function isFiltered(filter: ActivityFilter): boolean {
  return describeFilter(filter) !== undefined;
}
