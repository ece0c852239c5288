import * as l10n from '@vscode/l10n';
import { toAbortSignal, type Cancellation } from './cancellation';
import { asObject, booleanField } from './jsonFields';
import type { SecretServerSession } from './session';

// Maintenance mode is "read-only mode" in the API (secret-server-api.md §9). PATCH uses the
// configuration convention {data: {field: {dirty, value}}}; setting an absolute value is safe to
// repeat, so it may be retried.

const path = '/api/v1/configuration/read-only-mode';

function enabledOf(raw: unknown): boolean {
  return booleanField(asObject(raw), 'enabled') ?? false;
}

export async function getReadOnlyMode(session: SecretServerSession, cancellation?: Cancellation): Promise<boolean> {
  const raw = await session.request({ method: 'GET', path, replay: 'idempotent', operation: l10n.t('Reading whether Secret Server is in maintenance mode'), signal: toAbortSignal(cancellation) });
  return enabledOf(raw);
}

/** Turns maintenance (read-only) mode on or off; returns the state the server reports after. */
export async function setReadOnlyMode(session: SecretServerSession, enabled: boolean, cancellation?: Cancellation): Promise<boolean> {
  const raw = await session.request({
    method: 'PATCH',
    path,
    body: { data: { enabled: { dirty: true, value: enabled } } },
    replay: 'idempotent',
    operation: enabled ? l10n.t('Turning on Secret Server maintenance mode') : l10n.t('Turning off Secret Server maintenance mode'),
    signal: toAbortSignal(cancellation),
  });
  return enabledOf(raw);
}
