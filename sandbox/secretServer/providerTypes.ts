import type { ProviderKind } from './state';

// No public source gives Secret Server's numeric key management type ids. The sandbox uses its
// own table and publishes it (GET /api/v1/key-management and /stub, field `keyManagementTypes`);
// it deliberately differs from the example table in the research notes so that a client that
// hard-codes ids fails here rather than against a real server. Clients must look ids up by name.

export interface ProviderType {
  id: number;
  kind: ProviderKind;
  /** What `keyManagementTypeName` carries. */
  name: string;
  /** Whether the sandbox can configure it (AWS KMS is out of reach, Azure Key Vault unsupported in SSC). */
  supported: boolean;
}

export const providerTypes: readonly ProviderType[] = [
  { id: 0, kind: 'None', name: 'None', supported: true },
  { id: 1, kind: 'AwsKms', name: 'AwsKms', supported: false },
  { id: 2, kind: 'AzureKeyVault', name: 'AzureKeyVault', supported: false },
  { id: 3, kind: 'AzureManagedHsm', name: 'AzureManagedHsm', supported: true },
];

export function providerByKind(kind: ProviderKind): ProviderType {
  return providerTypes.find((p) => p.kind === kind) as ProviderType;
}

export function providerById(id: number): ProviderType | undefined {
  return providerTypes.find((p) => p.id === id);
}

/** Human wording for messages and audit notes. */
export function providerLabel(kind: ProviderKind): string {
  return { None: 'None', AwsKms: 'AWS KMS', AzureKeyVault: 'Azure Key Vault', AzureManagedHsm: 'Azure Managed HSM' }[kind];
}
