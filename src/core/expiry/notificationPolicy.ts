import { isSeverity, isWorse, severityRank, type Severity } from './severity';
import { dayMs } from './thresholds';
import type { Assessment } from './watchedItem';

// Which expiry notifications to show, as pure decisions over a small record the extension keeps in
// globalState. The record holds item paths, severities and timestamps only — no secret, no hint.
//
// Rules:
// - Only items at `minimumSeverity` (default warning) or worse are notified.
// - An item is notified when it crosses into a worse severity than last notified, or when its
//   last notification is at least a day old (the once-a-day reminder; on start this shows what
//   is pending).
// - "Snooze" hides an item until a time; a worse severity does not break a snooze shorter than a
//   day, but 'expired' always does.
// - "Don't show for this item" mutes it at its current severity: it comes back only if it gets
//   worse, because silencing a 30-day warning must not silence the outage itself.
// - Entries for items not seen for 90 days are dropped, so the record stays small.

export interface ItemNotificationState {
  notifiedSeverity?: Severity;
  notifiedAt?: number;
  snoozedUntil?: number;
  mutedAt?: Severity;
  lastSeen: number;
}

export interface NotificationRecord {
  schema: 1;
  items: Record<string, ItemNotificationState>;
}

export const emptyNotificationRecord: NotificationRecord = { schema: 1, items: {} };

const forgetAfterMs = 90 * dayMs;
const maxEntries = 2000;

/** Reads the record from whatever globalState held; anything malformed is ignored entry by entry. */
export function parseNotificationRecord(raw: unknown): NotificationRecord {
  if (typeof raw !== 'object' || raw === null) return { schema: 1, items: {} };
  const items = (raw as { items?: unknown }).items;
  if (typeof items !== 'object' || items === null) return { schema: 1, items: {} };
  const out: Record<string, ItemNotificationState> = {};
  for (const [path, value] of Object.entries(items as Record<string, unknown>).slice(0, maxEntries)) {
    if (!path.startsWith('/') || path.length > 1000 || typeof value !== 'object' || value === null) continue;
    const v = value as Record<string, unknown>;
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
    const lastSeen = num(v.lastSeen);
    if (lastSeen === undefined) continue;
    out[path] = {
      lastSeen,
      notifiedAt: num(v.notifiedAt),
      snoozedUntil: num(v.snoozedUntil),
      notifiedSeverity: isSeverity(v.notifiedSeverity) ? v.notifiedSeverity : undefined,
      mutedAt: isSeverity(v.mutedAt) ? v.mutedAt : undefined,
    };
  }
  return { schema: 1, items: out };
}

export interface NotificationOptions {
  minimumSeverity?: Severity;
  /** Minimum time between two reminders for the same item (default one day). */
  reminderIntervalMs?: number;
}

export interface NotificationPlan {
  /** Worst first. */
  notify: Assessment[];
  /** The record to persist once the notifications are shown. */
  record: NotificationRecord;
}

export function planNotifications(assessments: readonly Assessment[], record: NotificationRecord, nowMs: number, options: NotificationOptions = {}): NotificationPlan {
  const minimum = options.minimumSeverity ?? 'warning';
  const interval = options.reminderIntervalMs ?? dayMs;
  const items: Record<string, ItemNotificationState> = {};
  for (const [path, state] of Object.entries(record.items)) {
    if (nowMs - state.lastSeen < forgetAfterMs) items[path] = { ...state };
  }
  const notify: Assessment[] = [];
  for (const a of assessments) {
    const state: ItemNotificationState = items[a.path] ?? { lastSeen: nowMs };
    state.lastSeen = nowMs;
    items[a.path] = state;
    if (severityRank(a.severity) < severityRank('warning')) {
      // Renewed or fixed: forget what was notified, so the next expiry is announced afresh.
      state.notifiedSeverity = undefined;
      state.notifiedAt = undefined;
      if (state.mutedAt !== undefined) state.mutedAt = undefined;
      continue;
    }
    if (severityRank(a.severity) < severityRank(minimum)) continue;
    if (state.mutedAt !== undefined && !isWorse(a.severity, state.mutedAt)) continue;
    const snoozed = state.snoozedUntil !== undefined && nowMs < state.snoozedUntil;
    if (snoozed && a.severity !== 'expired') continue;
    if (snoozed && state.notifiedSeverity === 'expired') continue;
    const crossed = state.notifiedSeverity === undefined || isWorse(a.severity, state.notifiedSeverity);
    const due = state.notifiedAt === undefined || nowMs - state.notifiedAt >= interval;
    if (!crossed && !due) continue;
    notify.push(a);
    state.notifiedSeverity = a.severity;
    state.notifiedAt = nowMs;
  }
  notify.sort((x, y) => severityRank(y.severity) - severityRank(x.severity));
  return { notify, record: { schema: 1, items: trim(items) } };
}

export function snoozeItem(record: NotificationRecord, path: string, nowMs: number, forMs: number = dayMs): NotificationRecord {
  const state = record.items[path] ?? { lastSeen: nowMs };
  return { schema: 1, items: { ...record.items, [path]: { ...state, snoozedUntil: nowMs + Math.max(0, forMs) } } };
}

/** "Don't show for this item": muted at `severity`; a worse severity shows again. */
export function muteItem(record: NotificationRecord, path: string, severity: Severity, nowMs: number): NotificationRecord {
  const state = record.items[path] ?? { lastSeen: nowMs };
  return { schema: 1, items: { ...record.items, [path]: { ...state, mutedAt: severity } } };
}

export function unmuteAll(record: NotificationRecord): NotificationRecord {
  const items: Record<string, ItemNotificationState> = {};
  for (const [p, s] of Object.entries(record.items)) items[p] = { ...s, mutedAt: undefined, snoozedUntil: undefined };
  return { schema: 1, items };
}

/** When the next daily check is due, given the last one (undefined: now). */
export function nextDailyCheck(lastCheckMs: number | undefined, nowMs: number): number {
  if (lastCheckMs === undefined || lastCheckMs > nowMs) return nowMs;
  return Math.max(nowMs, lastCheckMs + dayMs);
}

function trim(items: Record<string, ItemNotificationState>): Record<string, ItemNotificationState> {
  const entries = Object.entries(items);
  if (entries.length <= maxEntries) return items;
  entries.sort((a, b) => b[1].lastSeen - a[1].lastSeen);
  return Object.fromEntries(entries.slice(0, maxEntries));
}
