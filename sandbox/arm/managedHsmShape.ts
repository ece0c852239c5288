import type { SandboxContext } from '../context';
import type { Hsm } from '../state/world';
import { effectiveActivated, effectiveProvisioningState } from './hsmLifecycle';

// The ManagedHsm resource as ARM returns it (api-version 2023-07-01 … 2026-02-01), modelled on a
// real GET: a single-region HSM lists no extra regions, and statusMessage speaks of provisioning
// while activation is reported separately under securityDomainProperties.

const statusMessages: Record<string, string> = {
  Succeeded: 'The Managed HSM is provisioned and ready to use.',
  Provisioning: 'The Managed HSM is being provisioned.',
  Updating: 'The Managed HSM is being updated.',
  Deleting: 'The Managed HSM is being deleted.',
  Failed: 'The Managed HSM failed to provision.',
};

const activation = {
  active: { activationStatus: 'Active', activationStatusMessage: 'Your HSM has been activated and can be used for cryptographic operations.' },
  notActivated: {
    activationStatus: 'NotActivated',
    activationStatusMessage: 'Your HSM has been provisioned, but cannot be used for cryptographic operations until it is activated. To activate the HSM, download the security domain.',
  },
};

export function managedHsmId(hsm: Hsm): string {
  return `/subscriptions/${hsm.subscriptionId}/resourceGroups/${hsm.resourceGroup}/providers/Microsoft.KeyVault/managedHSMs/${hsm.name}`;
}

export function managedHsmJson(ctx: SandboxContext, hsm: Hsm): Record<string, unknown> {
  const origin = ctx.origins.hsms[hsm.name];
  const provisioningState = effectiveProvisioningState(ctx, hsm);
  return {
    sku: { family: /^Custom_C/i.test(hsm.skuName) ? 'C' : 'B', name: hsm.skuName },
    id: managedHsmId(hsm),
    name: hsm.name,
    type: 'Microsoft.KeyVault/managedHSMs',
    location: hsm.location,
    tags: {},
    systemData: {
      createdBy: hsm.createdBy,
      createdByType: 'User',
      createdAt: hsm.createdAt,
      lastModifiedBy: hsm.createdBy,
      lastModifiedByType: 'User',
      lastModifiedAt: hsm.createdAt,
    },
    properties: {
      tenantId: hsm.tenantId,
      hsmUri: origin ? `${origin}/` : '',
      initialAdminObjectIds: [...hsm.initialAdminObjectIds],
      enableSoftDelete: hsm.enableSoftDelete,
      softDeleteRetentionInDays: hsm.softDeleteRetentionInDays,
      enablePurgeProtection: hsm.enablePurgeProtection,
      provisioningState,
      statusMessage: statusMessages[provisioningState] ?? '',
      networkAcls: { bypass: 'AzureServices', defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
      publicNetworkAccess: hsm.publicNetworkAccess,
      regions: [],
      securityDomainProperties: effectiveActivated(ctx, hsm) ? activation.active : activation.notActivated,
    },
  };
}
