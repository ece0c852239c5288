import * as l10n from '@vscode/l10n';
// The messages between the key management form (webview-ui/keyManagementForm.ts) and its host
// (src/webview/keyManagementPanel.ts). The page is untrusted: the host accepts a message only
// after parsePageMessage has checked every field. The principal secret appears in exactly one
// message, `save`, and in no host → page message.

/** Form fields a message may name, e.g. to attach an error to it. */
export type FieldName = 'connection' | 'type' | 'tenantId' | 'principalId' | 'principalSecret' | 'keyUrl' | 'confirm';

export const fieldNames: readonly FieldName[] = ['connection', 'type', 'tenantId', 'principalId', 'principalSecret', 'keyUrl', 'confirm'];

/** Upper bounds: generous for real values, small enough that a hostile page cannot make the host work hard. */
export const limits = {
  requestId: 64,
  connectionId: 1024,
  guidField: 64,
  keyUrl: 2048,
  secret: 1024,
} as const;

/** Where the secret for `save` comes from: typed into the page, or VS Code's stored value for a client secret of the app. */
export type SecretSource = { kind: 'typed'; value: string } | { kind: 'stored'; keyId: string };

export interface FormInput {
  connectionId: string;
  typeId: number;
  tenantId: string;
  principalId: string;
  keyUrl: string;
  /** Absent when the chosen type needs no secret (None). */
  secret?: SecretSource;
  /** The "maintenance mode will be enabled and a secret key rotation triggered" checkbox. */
  confirmed: boolean;
}

export type PageMessage =
  | { type: 'ready' }
  | { type: 'selectConnection'; requestId: string; connectionId: string }
  | { type: 'pickKey'; requestId: string }
  | { type: 'save'; requestId: string; form: FormInput }
  | { type: 'cancelRotation'; requestId: string }
  | { type: 'refresh'; requestId: string };

export interface ConnectionOption {
  id: string;
  label: string;
}

/** What the form may be opened with (from a tree node or a command argument); nothing secret. */
export interface FormPrefill {
  connectionId?: string;
  tenantId?: string;
  principalId?: string;
  keyUrl?: string;
  /** Graph keyId of a client secret of the app whose value VS Code stores. */
  storedSecretKeyId?: string;
}

export interface TypeOption {
  id: number;
  name: string;
  /** 'none' or 'azureManagedHsm' can be chosen; any other type is only shown when current. */
  kind: 'none' | 'azureManagedHsm' | 'other';
}

export interface CurrentConfiguration {
  typeId?: number;
  typeName?: string;
  kind: 'none' | 'azureManagedHsm' | 'other';
  tenantId?: string;
  principalId?: string;
  keyUrl?: string;
}

export interface ServerHealthView {
  healthy: boolean;
  /** False when the server says its current key management does not work: it will refuse any change. */
  keyManagementHealthy?: boolean;
  readOnlyMode?: boolean;
  reason?: string;
}

export type RotationStateView = 'idle' | 'pending' | 'running' | 'cancelling' | 'succeeded' | 'failed' | 'cancelled' | 'ended';

export interface RotationView {
  state: RotationStateView;
  done: boolean;
  secretsProcessed?: number;
  totalSecrets?: number;
  percent?: number;
  message?: string;
  lastRunDate?: string;
  /** Maintenance (read-only) mode as last read. */
  maintenanceMode?: boolean;
}

export interface AuditView {
  action?: string;
  dateRecorded?: string;
  displayName?: string;
  notes?: string;
}

export interface ConnectionState {
  connectionId: string;
  current: CurrentConfiguration;
  types: TypeOption[];
  health?: ServerHealthView;
  lastRotation?: RotationView;
  latestAudit?: AuditView;
}

export type ValidationStep = 'format' | 'readiness' | 'server' | 'saving';

export type HostMessage =
  | { type: 'init'; connections: ConnectionOption[]; prefill: FormPrefill; hsmHint: string }
  | { type: 'connectionState'; requestId?: string; state: ConnectionState }
  | { type: 'pickedKey'; requestId: string; keyUrl?: string; tenantId?: string }
  | { type: 'progress'; requestId: string; step: ValidationStep; message: string }
  | { type: 'fieldErrors'; requestId: string; errors: Partial<Record<FieldName, string>>; summary: string }
  | { type: 'saved'; requestId: string; state: ConnectionState }
  | { type: 'rotation'; connectionId: string; rotation: RotationView; audit?: AuditView }
  | { type: 'error'; requestId?: string; message: string };

export type ParseResult = { ok: true; message: PageMessage } | { ok: false; reason: string };

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const requestIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
// Keys that would reach an object's prototype chain if anyone ever merged the message into one.
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

class Rejected extends Error {}

function reject(reason: string): never {
  throw new Rejected(reason);
}

/** A JSON-like plain object whose own keys are exactly among `allowed` (and include `required`). */
function record(value: unknown, what: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) reject(l10n.t('{0} is not an object', what));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) reject(l10n.t('{0} is not a plain object', what));
  const keys = Reflect.ownKeys(value);
  const allowed = new Set([...required, ...optional]);
  for (const key of keys) {
    if (typeof key !== 'string') reject(l10n.t('{0} has a symbol key', what));
    if (forbiddenKeys.has(key)) reject(l10n.t('{0} has the forbidden key \'{1}\'', what, key));
    if (!allowed.has(key)) reject(l10n.t('{0} has the unknown key \'{1}\'', what, key.slice(0, 40)));
  }
  const obj = value as Record<string, unknown>;
  for (const key of required) if (!Object.prototype.hasOwnProperty.call(obj, key)) reject(`${what} lacks '${key}'`);
  return obj;
}

function str(obj: Record<string, unknown>, key: string, max: number, options: { allowEmpty?: boolean } = {}): string {
  const v = obj[key];
  if (typeof v !== 'string') reject(l10n.t('\'{0}\' is not a string', key));
  if (v.length > max) reject(l10n.t('\'{0}\' is longer than {1} characters', key, max));
  if (!options.allowEmpty && v.length === 0) reject(l10n.t('\'{0}\' is empty', key));
  return v;
}

function requestId(obj: Record<string, unknown>): string {
  const id = str(obj, 'requestId', limits.requestId);
  if (!requestIdPattern.test(id)) reject(l10n.t('\'requestId\' has characters other than letters, digits, \'-\' and \'_\''));
  return id;
}

function secretSource(value: unknown): SecretSource {
  const kind = record(value, 'secret', ['kind'], ['value', 'keyId']).kind;
  if (kind === 'typed') {
    const obj = record(value, 'secret', ['kind', 'value']);
    return { kind: 'typed', value: str(obj, 'value', limits.secret) };
  }
  if (kind === 'stored') {
    const obj = record(value, 'secret', ['kind', 'keyId']);
    const keyId = str(obj, 'keyId', limits.guidField);
    if (!guidPattern.test(keyId)) reject(l10n.t('\'keyId\' is not a GUID'));
    return { kind: 'stored', keyId };
  }
  return reject(l10n.t('secret.kind is neither typed nor stored'));
}

function formInput(value: unknown): FormInput {
  const obj = record(value, 'form', ['connectionId', 'typeId', 'tenantId', 'principalId', 'keyUrl', 'confirmed'], ['secret']);
  const typeId = obj.typeId;
  if (typeof typeId !== 'number' || !Number.isSafeInteger(typeId) || typeId < 0) reject(l10n.t('\'typeId\' is not a non-negative integer'));
  if (typeof obj.confirmed !== 'boolean') reject(l10n.t('\'confirmed\' is not a boolean'));
  const form: FormInput = {
    connectionId: str(obj, 'connectionId', limits.connectionId),
    typeId,
    tenantId: str(obj, 'tenantId', limits.guidField, { allowEmpty: true }),
    principalId: str(obj, 'principalId', limits.guidField, { allowEmpty: true }),
    keyUrl: str(obj, 'keyUrl', limits.keyUrl, { allowEmpty: true }),
    confirmed: obj.confirmed,
  };
  if (obj.secret !== undefined) form.secret = secretSource(obj.secret);
  return form;
}

function parse(raw: unknown): PageMessage {
  const type = record(raw, 'message', ['type'], ['requestId', 'connectionId', 'form']).type;
  switch (type) {
    case 'ready':
      record(raw, 'message', ['type']);
      return { type };
    case 'pickKey':
    case 'cancelRotation':
    case 'refresh':
      return { type, requestId: requestId(record(raw, 'message', ['type', 'requestId'])) };
    case 'selectConnection': {
      const obj = record(raw, 'message', ['type', 'requestId', 'connectionId']);
      return { type, requestId: requestId(obj), connectionId: str(obj, 'connectionId', limits.connectionId) };
    }
    case 'save': {
      const obj = record(raw, 'message', ['type', 'requestId', 'form']);
      return { type, requestId: requestId(obj), form: formInput(obj.form) };
    }
    default:
      return reject(typeof type === 'string' ? l10n.t('unknown message type \'{0}\'', type.slice(0, 40)) : l10n.t('the message type is not a string'));
  }
}

/**
 * Accepts only a well-formed page → host message; everything else is rejected with a reason
 * that never repeats a field's value (it could be the secret).
 */
export function parsePageMessage(raw: unknown): ParseResult {
  try {
    return { ok: true, message: parse(raw) };
  } catch (err) {
    if (err instanceof Rejected) return { ok: false, reason: err.message };
    return { ok: false, reason: l10n.t('the message could not be read') };
  }
}
