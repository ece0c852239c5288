import * as l10n from '@vscode/l10n';
import { maskSecrets } from '../secretMask';

// One change the extension made (or tried to make) in Azure or Secret Server. Records are kept in
// globalState and exported to files, so every text field is masked before a record exists: a
// service error may echo what it was sent, and a record must never carry a secret value.
// A record's texts (action, message) are stored and exported as written, in English: they are
// data shared with files and support tickets, and a stored record cannot follow a later change
// of display language. Only what the view adds around them is translated.

export type ActivityResult = 'succeeded' | 'failed' | 'cancelled';

export const activityResults: readonly ActivityResult[] = ['succeeded', 'failed', 'cancelled'];

/** The result as the view shows it (the stored value stays the English identifier). */
export function activityResultLabel(result: ActivityResult): string {
  switch (result) {
    case 'succeeded':
      return l10n.t('succeeded');
    case 'failed':
      return l10n.t('failed');
    case 'cancelled':
      return l10n.t('cancelled');
  }
}

export type ActivityService = 'Azure' | 'Secret Server';

export interface ActivityRecord {
  /** Unique within the log (a client-side id; not sent anywhere). */
  id: string;
  /** ISO 8601: the services' time where known, else this computer's. */
  time: string;
  service: ActivityService;
  /** The signed-in Azure account or Secret Server user the change was made as. */
  account: string;
  /** What was changed: a resource id, key URL, app or Secret Server URL. */
  target: string;
  /** What was done, e.g. "Create key". */
  action: string;
  result: ActivityResult;
  /** Why it failed or was cancelled (masked). */
  message?: string;
  /** The service's id for the request (x-ms-request-id or the like), as support asks for it. */
  correlationId?: string;
  /** The id this extension sent as x-ms-client-request-id. */
  clientRequestId?: string;
}

export type ActivityInput = Omit<ActivityRecord, 'id' | 'time'> & { time?: Date };

/** Longest text kept per field: an error body can be large, and the log is bounded in size too. */
const maxFieldLength = 1_000;

/** The stored record: every text field masked and trimmed to length. */
export function activityRecord(input: ActivityInput, id: string, now: Date, knownSecrets: readonly string[] = []): ActivityRecord {
  const clean = (text: string) => {
    const masked = maskSecrets(text, knownSecrets);
    return masked.length > maxFieldLength ? `${masked.slice(0, maxFieldLength - 1)}…` : masked;
  };
  const optional = (text: string | undefined) => (text === undefined || text === '' ? undefined : clean(text));
  return {
    id,
    time: (input.time ?? now).toISOString(),
    service: input.service,
    account: clean(input.account || 'unknown'),
    target: clean(input.target),
    action: clean(input.action),
    result: input.result,
    ...(optional(input.message) !== undefined ? { message: optional(input.message) } : {}),
    ...(optional(input.correlationId) !== undefined ? { correlationId: optional(input.correlationId) } : {}),
    ...(optional(input.clientRequestId) !== undefined ? { clientRequestId: optional(input.clientRequestId) } : {}),
  };
}

/** A record read back from storage, or undefined when it is not one (a corrupted or older entry). */
export function parseActivityRecord(value: unknown): ActivityRecord | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as Record<string, unknown>;
  const text = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  const id = text('id');
  const time = text('time');
  const service = text('service');
  const result = text('result');
  if (!id || !time || Number.isNaN(Date.parse(time))) return undefined;
  if (service !== 'Azure' && service !== 'Secret Server') return undefined;
  if (!activityResults.includes(result as ActivityResult)) return undefined;
  // Masked again on the way in: storage is not trusted to have been written by this version.
  return activityRecord(
    { service, account: text('account') ?? 'unknown', target: text('target') ?? '', action: text('action') ?? '', result: result as ActivityResult, message: text('message'), correlationId: text('correlationId'), clientRequestId: text('clientRequestId'), time: new Date(time) },
    id,
    new Date(time),
  );
}

/** Where the clients report changes (the activity log in the extension; nothing in tests that do not care). */
export interface ActivitySink {
  record(input: ActivityInput, knownSecrets?: readonly string[]): void;
}
