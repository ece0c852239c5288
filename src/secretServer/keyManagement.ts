import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import type { Cancellation } from './cancellation';
import { toAbortSignal } from './cancellation';
import { asObject, numberField, stringField, type JsonObject } from './jsonFields';
import { mergeTypes, parseKeyManagementTypes, providerKindOf, type KeyManagementType, type ProviderKind } from './keyManagementTypes';
import { allRecords, mapPage, pagingQuery, type Page, type PageRequest } from './paging';
import type { SecretServerSession } from './session';

// Key management configuration (secret-server-api.md §5): which provider protects the master
// encryption key. GET and stub return KeyManagementConfigModel; PUT takes a flat
// KeyManagementConfigUpdateArgs and replaces the whole configuration. The Azure Managed HSM wire
// names are the research note's best reading (M/I); secrets are write-only.

export interface AzureManagedHsmSettings {
  /** Directory (tenant) id of the app registration. */
  tenantId?: string;
  /** Application (client) id of the app registration. */
  principalId?: string;
  /** Key identifier URL, versioned or versionless. */
  keyUrl?: string;
}

export interface AwsKmsSettings {
  accessKeyId?: string;
  keyArn?: string;
  keyId?: string;
}

export interface KeyManagementConfig {
  configId?: number;
  typeId?: number;
  typeName?: string;
  /** The provider the type name denotes, when this client recognises it. */
  provider?: ProviderKind;
  azureManagedHsm: AzureManagedHsmSettings;
  awsKms: AwsKmsSettings;
  /** Types the server published alongside the configuration, if it does. */
  availableTypes: KeyManagementType[];
}

/** Maps KeyManagementConfigModel; write-only secrets are dropped even if a server returned them. */
export function mapKeyManagementConfig(raw: unknown): KeyManagementConfig {
  const obj = asObject(raw);
  const typeName = stringField(obj, 'keyManagementTypeName');
  return {
    configId: numberField(obj, 'keyManagementConfigId'),
    typeId: numberField(obj, 'keyManagementTypeId'),
    typeName,
    provider: providerKindOf(typeName),
    azureManagedHsm: {
      tenantId: stringField(obj, 'azureManagedHsmTenantId'),
      principalId: stringField(obj, 'azureManagedHsmPrincipalId'),
      keyUrl: stringField(obj, 'azureManagedHsmKeyUrl'),
    },
    awsKms: {
      accessKeyId: stringField(obj, 'awsKmsAccessKeyId'),
      keyArn: stringField(obj, 'awsKmsKeyArn'),
      keyId: stringField(obj, 'awsKmsKeyId'),
    },
    availableTypes: parseKeyManagementTypes(obj?.keyManagementTypes ?? obj?.keyManagementTypeOptions),
  };
}

export async function getKeyManagement(session: SecretServerSession, cancellation?: Cancellation): Promise<KeyManagementConfig> {
  const raw = await session.request({
    method: 'GET',
    path: '/api/v1/key-management',
    replay: 'idempotent',
    operation: l10n.t('Reading the Secret Server key management configuration'),
    signal: toAbortSignal(cancellation),
  });
  return mapKeyManagementConfig(raw);
}

/** The defaults for a new configuration; changes nothing on the server. */
export async function getKeyManagementStub(session: SecretServerSession, cancellation?: Cancellation): Promise<KeyManagementConfig> {
  const raw = await session.request({
    method: 'GET',
    path: '/api/v1/key-management/stub',
    replay: 'idempotent',
    operation: l10n.t('Reading the Secret Server key management defaults'),
    signal: toAbortSignal(cancellation),
  });
  return mapKeyManagementConfig(raw);
}

/**
 * Every type the server tells about: its published list (if any) plus the types of the stub and
 * of the current configuration. Nothing is assumed about ids.
 */
export async function listKeyManagementTypes(session: SecretServerSession, cancellation?: Cancellation): Promise<KeyManagementType[]> {
  const [current, stub] = await Promise.all([getKeyManagement(session, cancellation), getKeyManagementStub(session, cancellation)]);
  const own = (c: KeyManagementConfig) => (c.typeId !== undefined && c.typeName ? [{ id: c.typeId, name: c.typeName }] : []);
  return mergeTypes(stub.availableTypes, current.availableTypes, own(stub), own(current));
}

export interface AzureManagedHsmUpdate {
  tenantId: string;
  principalId: string;
  /** The client secret value; sent once, never returned, never logged. */
  principalSecret: string;
  keyUrl: string;
}

export interface KeyManagementUpdate {
  /** A type read from the server (listKeyManagementTypes + findKeyManagementType). */
  type: KeyManagementType;
  /** Required when the type is Azure Managed HSM. */
  azureManagedHsm?: AzureManagedHsmUpdate;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Problems a user can fix before anything is sent; the server validates the rest (it really wraps and unwraps). */
export function azureManagedHsmProblems(s: AzureManagedHsmUpdate): string[] {
  const problems: string[] = [];
  if (!guid.test(s.tenantId.trim())) problems.push(l10n.t('the tenant ID must be a GUID'));
  if (!guid.test(s.principalId.trim())) problems.push(l10n.t('the principal (client) ID must be a GUID'));
  if (s.principalSecret.trim() === '') problems.push(l10n.t('the principal secret is empty'));
  let url: URL | undefined;
  try {
    url = new URL(s.keyUrl.trim());
  } catch {
    problems.push(l10n.t('the key URL is not a URL'));
  }
  if (url) {
    if (url.protocol !== 'https:') problems.push(l10n.t('the key URL must use https://'));
    if (!/^\/keys\/[0-9A-Za-z-]{1,127}(\/[0-9A-Za-z]+)?\/?$/.test(url.pathname)) problems.push(l10n.t('the key URL must look like https://<hsm>.managedhsm.azure.net/keys/<name>[/<version>]'));
  }
  return problems;
}

/** The flat PUT body. Fields not sent are cleared by the server (full replacement). */
export function keyManagementUpdateBody(update: KeyManagementUpdate): JsonObject {
  const body: JsonObject = { keyManagementTypeId: update.type.id };
  const hsm = update.azureManagedHsm;
  if (hsm) {
    body.azureManagedHsmTenantId = hsm.tenantId.trim();
    body.azureManagedHsmPrincipalId = hsm.principalId.trim();
    body.azureManagedHsmPrincipalSecret = hsm.principalSecret;
    body.azureManagedHsmKeyUrl = hsm.keyUrl.trim();
  }
  return body;
}

/**
 * Saves a new configuration. Secret Server validates it (a real wrap and unwrap with the new
 * key), then enters maintenance mode and starts a secret key rotation: follow it with
 * followRotation(). Never retried blindly — a replay would start a second change.
 */
export async function updateKeyManagement(session: SecretServerSession, update: KeyManagementUpdate, cancellation?: Cancellation): Promise<KeyManagementConfig> {
  const operation = l10n.t('Saving the Secret Server key management configuration ({0})', update.type.name);
  const kind = providerKindOf(update.type.name);
  if (kind === 'azureManagedHsm') {
    if (!update.azureManagedHsm) throw new ActionableError(l10n.t('{0} failed because the Azure Managed HSM settings are missing; fill in the tenant ID, principal ID, principal secret and key URL.', operation), 'invalidInput');
    const problems = azureManagedHsmProblems(update.azureManagedHsm);
    if (problems.length > 0) throw new ActionableError(l10n.t('{0} failed because {1}; correct the settings and save again.', operation, problems.join(', ')), 'invalidInput');
  } else if (update.azureManagedHsm) {
    throw new ActionableError(l10n.t('{0} failed because Azure Managed HSM settings were given for another type; choose the Azure Managed HSM type or leave the settings out.', operation), 'invalidInput');
  }
  const secret = update.azureManagedHsm?.principalSecret;
  const raw = await session.request({
    method: 'PUT',
    path: '/api/v1/key-management',
    body: keyManagementUpdateBody(update),
    replay: 'once',
    operation,
    knownSecrets: secret ? [secret] : [],
    signal: toAbortSignal(cancellation),
  });
  return mapKeyManagementConfig(raw);
}

export interface KeyManagementAuditEntry {
  action?: string;
  /** ISO date-time as the server sent it. */
  dateRecorded?: string;
  displayName?: string;
  notes?: string;
}

export interface AuditQuery extends PageRequest {
  searchText?: string;
}

function mapAuditEntry(r: JsonObject): KeyManagementAuditEntry {
  return {
    action: stringField(r, 'action'),
    dateRecorded: stringField(r, 'dateRecorded'),
    displayName: stringField(r, 'displayName'),
    notes: stringField(r, 'notes'),
  };
}

/** One page of GET /api/v1/key-management/config/audit. */
export async function getKeyManagementAudit(session: SecretServerSession, query: AuditQuery = {}, cancellation?: Cancellation): Promise<Page<KeyManagementAuditEntry>> {
  const raw = await session.request({
    method: 'GET',
    path: '/api/v1/key-management/config/audit',
    query: { ...pagingQuery(query), 'filter.searchText': query.searchText },
    replay: 'idempotent',
    operation: l10n.t('Reading the Secret Server key management audit'),
    signal: toAbortSignal(cancellation),
  });
  return mapPage(raw, mapAuditEntry, query);
}

/** Every audit entry, page after page. */
export function allKeyManagementAudit(session: SecretServerSession, query: AuditQuery = {}, cancellation?: Cancellation): AsyncGenerator<KeyManagementAuditEntry> {
  return allRecords((skip) => getKeyManagementAudit(session, { ...query, skip }, cancellation), query.skip ?? 0);
}
