import type { TokenCredential } from '@azure/core-auth';
import type { ManagedHsm } from '@azure/arm-keyvault';
import * as l10n from '@vscode/l10n';
import type { AzureCloud } from './cloud';
import { armClientOptions } from './armClientOptions';
import { toActionableError } from './azureErrors';
import type { OperationOptions } from './operationOptions';

// Managed HSM resources through ARM (@azure/arm-keyvault, loaded on first use), as plain models
// the views can render without knowing the SDK.

export interface ManagedHsmInfo {
  name: string;
  /** ARM resource id. */
  id: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
  /** Data-plane URI, e.g. https://contoso.managedhsm.azure.net/ */
  hsmUri: string;
  /** The tenant whose tokens the data plane accepts. */
  tenantId: string;
  /** True once the security domain was downloaded; keys and role assignments need it. */
  activated: boolean;
  activationStatus?: string;
  softDelete: boolean;
  /** Soft-delete retention in days. */
  retention?: number;
  purgeProtection: boolean;
  publicNetworkAccess?: string;
  provisioningState?: string;
  statusMessage?: string;
  skuName?: string;
}

/** The HSMs of a subscription, or of one of its resource groups. */
export async function listManagedHsms(
  cloud: AzureCloud,
  credential: TokenCredential,
  subscriptionId: string,
  options: OperationOptions & { resourceGroup?: string } = {},
): Promise<ManagedHsmInfo[]> {
  const where = options.resourceGroup ? l10n.t('resource group {0}', options.resourceGroup) : `subscription ${subscriptionId}`;
  try {
    const client = await managementClient(cloud, credential, subscriptionId);
    const pages = options.resourceGroup
      ? client.managedHsms.listByResourceGroup(options.resourceGroup, { abortSignal: options.abortSignal })
      : client.managedHsms.listBySubscription({ abortSignal: options.abortSignal });
    const items: ManagedHsmInfo[] = [];
    for await (const hsm of pages) items.push(toManagedHsmInfo(hsm, subscriptionId));
    return items.sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    throw toActionableError(err, `list the Managed HSMs of ${where}`);
  }
}

export async function getManagedHsm(
  cloud: AzureCloud,
  credential: TokenCredential,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  options: OperationOptions = {},
): Promise<ManagedHsmInfo> {
  try {
    const client = await managementClient(cloud, credential, subscriptionId);
    return toManagedHsmInfo(await client.managedHsms.get(resourceGroup, name, { abortSignal: options.abortSignal }), subscriptionId);
  } catch (err) {
    throw toActionableError(err, `read the Managed HSM ${name}`);
  }
}

export function toManagedHsmInfo(hsm: ManagedHsm, subscriptionId: string): ManagedHsmInfo {
  const id = hsm.id ?? '';
  const p = hsm.properties ?? {};
  const activationStatus = p.securityDomainProperties?.activationStatus;
  return {
    name: hsm.name ?? id.split('/').pop() ?? '',
    id,
    resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '',
    subscriptionId: /\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? subscriptionId,
    location: hsm.location ?? '',
    hsmUri: p.hsmUri ?? '',
    tenantId: p.tenantId ?? '',
    activated: activationStatus === 'Active',
    activationStatus,
    softDelete: p.enableSoftDelete ?? true,
    retention: p.softDeleteRetentionInDays,
    purgeProtection: p.enablePurgeProtection ?? false,
    publicNetworkAccess: p.publicNetworkAccess,
    provisioningState: p.provisioningState,
    statusMessage: p.statusMessage,
    skuName: hsm.sku?.name,
  };
}

/** The ARM Key Vault client, loaded on first use rather than at activation. */
export async function managementClient(cloud: AzureCloud, credential: TokenCredential, subscriptionId: string) {
  const { KeyVaultManagementClient } = await import('@azure/arm-keyvault');
  return new KeyVaultManagementClient(credential, subscriptionId, armClientOptions(cloud) as ConstructorParameters<typeof KeyVaultManagementClient>[2]);
}
