import * as l10n from '@vscode/l10n';
import { toAbortSignal, type Cancellation } from './cancellation';
import { parseSecretServerUrl, serviceUrl } from './baseUrl';
import { asObject, booleanField, firstString, numberField, stringField, type JsonObject } from './jsonFields';
import { looksLikeHtml, secretServerError } from './responseError';
import type { SecretServerSession } from './session';
import type { TransportOptions } from './transport';

// Health, version and server nodes (secret-server-api.md §9.1). The healthcheck is anonymous, so
// a URL can be checked before anyone signs in.

export interface SecretServerHealth {
  healthy: boolean;
  databaseHealthy?: boolean;
  serviceBusHealthy?: boolean;
  storageAccountHealthy?: boolean;
  /** Maintenance mode. */
  readOnlyMode?: boolean;
  /** Whether the master key's protector (e.g. the HSM key) is usable, where the server reports it. */
  keyManagementHealthy?: boolean;
  scheduledForDeletion?: boolean;
  /** Why the server says it is unhealthy, when it says. */
  reason?: string;
  /** The server's clock (ISO), useful to compare with expiries. */
  utcNow?: string;
}

export function mapHealth(raw: unknown): SecretServerHealth {
  const obj = asObject(raw);
  return {
    healthy: booleanField(obj, 'healthy') ?? (typeof raw === 'string' && /healthy/i.test(raw) && !/unhealthy/i.test(raw)),
    databaseHealthy: booleanField(obj, 'databaseHealthy'),
    serviceBusHealthy: booleanField(obj, 'serviceBusHealthy'),
    storageAccountHealthy: booleanField(obj, 'storageAccountHealthy'),
    readOnlyMode: booleanField(obj, 'readOnlyMode'),
    keyManagementHealthy: booleanField(obj, 'keyManagementHealthy'),
    scheduledForDeletion: booleanField(obj, 'scheduledForDeletion'),
    reason: firstString(obj, ['keyManagementError', 'reason', 'unhealthyReason', 'message', 'errorMessage']),
    utcNow: stringField(obj, 'utcNow'),
  };
}

export async function getHealth(session: SecretServerSession, cancellation?: Cancellation): Promise<SecretServerHealth> {
  const raw = await session.request({
    method: 'GET',
    path: '/api/v1/healthcheck',
    replay: 'idempotent',
    anonymous: true,
    operation: l10n.t('Checking Secret Server health'),
    signal: toAbortSignal(cancellation),
  });
  return mapHealth(raw);
}

/** The healthcheck without a session, e.g. to test a URL typed into a form. */
export async function probeHealth(url: string, options: TransportOptions = {}, cancellation?: Cancellation): Promise<SecretServerHealth> {
  const operation = l10n.t('Checking Secret Server health');
  // Loaded here, not at the top: the form's module graph reaches this file at activation, and the
  // transport pulls in @azure/core-rest-pipeline.
  const { SecretServerTransport } = await import('./transport.js');
  const transport = new SecretServerTransport(options);
  const res = await transport.send({
    method: 'GET',
    url: serviceUrl(parseSecretServerUrl(url).baseUrl, '/api/v1/healthcheck'),
    replay: 'idempotent',
    operation,
    signal: toAbortSignal(cancellation),
  });
  // Secret Server answers 200 with an unhealthy body, but a failing dependency may also give 5xx with the model.
  if (looksLikeHtml(res.text, res.contentType)) throw secretServerError(res, { operation });
  let raw: unknown;
  try {
    raw = JSON.parse(res.text);
  } catch {
    raw = res.text;
  }
  if ((res.status < 200 || res.status >= 300) && asObject(raw)?.healthy === undefined) throw secretServerError(res, { operation });
  return mapHealth(raw);
}

/** The product version, or undefined when the server hides it ("Hide Version Numbers"). */
export async function getVersion(session: SecretServerSession, cancellation?: Cancellation): Promise<string | undefined> {
  const raw = await session.request({
    method: 'GET',
    path: '/api/v1/version',
    replay: 'idempotent',
    operation: l10n.t('Reading the Secret Server version'),
    signal: toAbortSignal(cancellation),
  });
  const obj = asObject(raw);
  // Real servers wrap it as {model: {version}}; the spec says {version}.
  return stringField(asObject(obj?.model), 'version') ?? stringField(obj, 'version');
}

export interface ServerNode {
  nodeId?: number;
  machineName?: string;
  binaryVersion?: string;
  isCurrentNode?: boolean;
  inCluster?: boolean;
  readonlyModeEnabled?: boolean;
  /** Transitional wording while maintenance mode is being turned on or off. */
  readonlyModeStatus?: string;
  lastConnected?: string;
  errorMessage?: string;
}

function mapNode(n: JsonObject): ServerNode {
  return {
    nodeId: numberField(n, 'nodeId'),
    machineName: stringField(n, 'machineName'),
    binaryVersion: stringField(n, 'binaryVersion'),
    isCurrentNode: booleanField(n, 'isCurrentNode'),
    inCluster: booleanField(n, 'inCluster'),
    readonlyModeEnabled: booleanField(n, 'readonlyModeEnabled'),
    readonlyModeStatus: stringField(n, 'readonlyModeStatus'),
    lastConnected: stringField(n, 'lastConnectedDate') ?? stringField(n, 'lastConnected'),
    errorMessage: stringField(n, 'errorMessage'),
  };
}

export async function getNodes(session: SecretServerSession, cancellation?: Cancellation): Promise<ServerNode[]> {
  const raw = await session.request({
    method: 'GET',
    path: '/api/v1/nodes',
    replay: 'idempotent',
    operation: l10n.t('Listing the Secret Server nodes'),
    signal: toAbortSignal(cancellation),
  });
  const obj = asObject(raw);
  const list = Array.isArray(raw) ? raw : Array.isArray(obj?.records) ? obj.records : Array.isArray(obj?.model) ? obj.model : [];
  return list.map((n) => asObject(n)).filter((n): n is JsonObject => n !== undefined).map(mapNode);
}
