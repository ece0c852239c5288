import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { asObject, firstString, numberField } from './jsonFields';

// No public source gives Secret Server's key management type ids or names
// (secret-server-api.md §6.1), so the client never assumes them: it reads the types the server
// publishes and recognises a provider by its name, in whichever spelling the server uses
// ("Azure Managed HSM", "AzureManagedHsm", ...).

export interface KeyManagementType {
  id: number;
  name: string;
}

export type ProviderKind = 'none' | 'azureManagedHsm' | 'awsKms' | 'azureKeyVault';

const labels: Record<ProviderKind, string> = {
  none: 'None',
  azureManagedHsm: 'Azure Managed HSM',
  awsKms: 'AWS KMS',
  azureKeyVault: 'Azure Key Vault',
};

/** Which provider a type name denotes, or undefined for a name this client does not know. */
export function providerKindOf(name: string | undefined): ProviderKind | undefined {
  const n = (name ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  if (n === '') return undefined;
  if (n.includes('managedhsm')) return 'azureManagedHsm';
  if (n.includes('kms') && (n.includes('aws') || n.includes('amazon'))) return 'awsKms';
  if (n.includes('keyvault')) return 'azureKeyVault';
  if (n === 'none' || n === 'disabled' || n === 'notconfigured') return 'none';
  return undefined;
}

/** Reads a list of types in the shapes a server may publish: [{id, name}] or [{keyManagementTypeId, keyManagementTypeName}]. */
export function parseKeyManagementTypes(raw: unknown): KeyManagementType[] {
  if (!Array.isArray(raw)) return [];
  const out: KeyManagementType[] = [];
  for (const item of raw) {
    const obj = asObject(item);
    const id = numberField(obj, 'keyManagementTypeId') ?? numberField(obj, 'id') ?? numberField(obj, 'value');
    const name = firstString(obj, ['keyManagementTypeName', 'name', 'displayName', 'text']);
    if (id !== undefined && name !== undefined) out.push({ id, name });
  }
  return out;
}

export function mergeTypes(...lists: KeyManagementType[][]): KeyManagementType[] {
  const byId = new Map<number, KeyManagementType>();
  for (const list of lists) for (const t of list) if (!byId.has(t.id)) byId.set(t.id, t);
  return [...byId.values()];
}

export function findKeyManagementType(types: readonly KeyManagementType[], kind: ProviderKind): KeyManagementType | undefined {
  return types.find((t) => providerKindOf(t.name) === kind);
}

/** Like findKeyManagementType, with the user's error when this server does not offer the provider. */
export function requireKeyManagementType(types: readonly KeyManagementType[], kind: ProviderKind): KeyManagementType {
  const found = findKeyManagementType(types, kind);
  if (found) return found;
  const offered = types.length > 0 ? types.map((t) => t.name).join(', ') : l10n.t('none that this extension can read');
  throw new ActionableError(
    l10n.t('Choosing the "{0}" key management type failed because this Secret Server does not offer it (it offers: {1}); check that the instance is Secret Server Cloud with the advanced encryption licence, or ask Delinea support.', labels[kind], offered),
    'notFound',
    `Key management types published by the server: ${JSON.stringify(types)}`,
  );
}

export function providerLabel(kind: ProviderKind): string {
  return labels[kind];
}
