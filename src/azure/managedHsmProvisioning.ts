import type { TokenCredential } from '@azure/core-auth';
import type { ManagedHsm } from '@azure/arm-keyvault';
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { managedHsmNameProblem, normaliseRegion, retentionProblem } from '../core/securityDomainPolicy';
import type { AzureCloud } from './cloud';
import { toActionableError } from './azureErrors';
import type { OperationOptions } from './operationOptions';
import { managementClient, toManagedHsmInfo, type ManagedHsmInfo } from './managedHsms';
import { ensureResourceGroup } from './resourceGroups';

// Creating a Managed HSM: the ARM PUT is a long-running operation (minutes on Azure). Progress is
// reported as it polls; cancelling stops the waiting, not the creation, and says so.

export interface NewManagedHsm {
  subscriptionId: string;
  resourceGroup: string;
  /** Create the resource group (in `location`) when it does not exist. */
  createResourceGroup: boolean;
  name: string;
  location: string;
  tenantId: string;
  initialAdminObjectIds: string[];
  softDeleteRetentionInDays: number;
  /** Cannot be turned off once on. */
  enablePurgeProtection: boolean;
  publicNetworkAccess: 'Enabled' | 'Disabled';
  tags?: Record<string, string>;
}

export type ProvisioningStage = 'resourceGroup' | 'submitted' | 'provisioning' | 'succeeded';

export interface ProvisioningProgress {
  stage: ProvisioningStage;
  message: string;
}

export interface CreateManagedHsmOptions extends OperationOptions {
  onProgress?: (progress: ProvisioningProgress) => void;
  /** Poll interval; Azure's Retry-After wins when it sends one. */
  pollIntervalMs?: number;
}

export interface NameAvailability {
  available: boolean;
  /** 'AlreadyExists' or 'AccountNameInvalid' when not available. */
  reason?: string;
  message?: string;
}

/** Asks ARM whether `name` is free (names are global across Azure). Invalid names are refused locally. */
export async function checkManagedHsmName(
  cloud: AzureCloud,
  credential: TokenCredential,
  subscriptionId: string,
  name: string,
  options: OperationOptions = {},
): Promise<NameAvailability> {
  const problem = managedHsmNameProblem(name);
  if (problem) return { available: false, reason: 'AccountNameInvalid', message: problem };
  try {
    const client = await managementClient(cloud, credential, subscriptionId);
    const result = await client.managedHsms.checkMhsmNameAvailability({ name }, { abortSignal: options.abortSignal });
    return { available: result.nameAvailable === true, reason: result.reason, message: result.message };
  } catch (err) {
    throw toActionableError(err, `check whether the name ${name} is available`);
  }
}

export async function createManagedHsm(cloud: AzureCloud, credential: TokenCredential, request: NewManagedHsm, options: CreateManagedHsmOptions = {}): Promise<ManagedHsmInfo> {
  const problem = managedHsmNameProblem(request.name) ?? retentionProblem(request.softDeleteRetentionInDays) ?? adminProblem(request.initialAdminObjectIds);
  if (problem) throw new ActionableError(l10n.t('Cannot create the Managed HSM: {0}', problem), 'invalidInput');
  const location = normaliseRegion(request.location);
  const report = (stage: ProvisioningStage, message: string) => options.onProgress?.({ stage, message });

  if (request.createResourceGroup) {
    report('resourceGroup', l10n.t('Checking resource group {0}…', request.resourceGroup));
    const group = await ensureResourceGroup(cloud, credential, request.subscriptionId, request.resourceGroup, location, options);
    if (group.created) report('resourceGroup', l10n.t('Created resource group {0} in {1}.', group.name, group.location));
  }

  const what = l10n.t('create the Managed HSM {0}', request.name);
  let submitted = false;
  try {
    const client = await managementClient(cloud, credential, request.subscriptionId);
    const body: ManagedHsm = {
      location,
      sku: { family: 'B', name: 'Standard_B1' },
      tags: request.tags,
      properties: {
        tenantId: request.tenantId,
        initialAdminObjectIds: request.initialAdminObjectIds,
        enableSoftDelete: true,
        softDeleteRetentionInDays: request.softDeleteRetentionInDays,
        enablePurgeProtection: request.enablePurgeProtection,
        publicNetworkAccess: request.publicNetworkAccess,
      },
    };
    const poller = client.managedHsms.createOrUpdate(request.resourceGroup, request.name, body, {
      abortSignal: options.abortSignal,
      updateIntervalInMs: options.pollIntervalMs ?? 5000,
    });
    poller.onProgress((state) => {
      if (state.status === 'running') report('provisioning', l10n.t('Provisioning {0}… (this takes several minutes on Azure)', request.name));
    });
    await poller.submitted();
    submitted = true;
    report('submitted', l10n.t('Azure accepted the request to create {0}.', request.name));
    const created = await poller.pollUntilDone({ abortSignal: options.abortSignal });
    const info = toManagedHsmInfo(created, request.subscriptionId);
    if (info.provisioningState && info.provisioningState !== 'Succeeded') {
      throw new ActionableError(
        l10n.t('Could not {0}: Azure reports its provisioning state as {1}{2}. Check the HSM in the Azure portal.', what, info.provisioningState, info.statusMessage ? ` (${info.statusMessage})` : ''),
        'unexpected',
      );
    }
    report('succeeded', l10n.t('{0} is provisioned; it is not activated until its security domain is downloaded.', request.name));
    return info;
  } catch (err) {
    if (submitted && options.abortSignal?.aborted) {
      // Stopping the wait does not stop Azure: say where things stand.
      throw new ActionableError(
        l10n.t('Stopped waiting for {0}: Azure keeps provisioning it. Refresh the Azure view to see it, and activate it once its provisioning state is Succeeded.', request.name),
        'cancelled',
      );
    }
    throw toActionableError(err, what);
  }
}

/**
 * The sandbox lists its HSMs by origin, and an HSM created at run time has a new one. ARM named it
 * (the caller's own ARM, over TLS), so it is added to the environment's list; clouds addressed by
 * DNS suffix are returned unchanged.
 */
export function cloudWithCreatedHsm(cloud: AzureCloud, hsmUri: string): AzureCloud {
  if (!cloud.managedHsmOrigins || cloud.managedHsmDnsSuffix) return cloud;
  const origin = new URL(hsmUri).origin;
  if (cloud.managedHsmOrigins.includes(origin)) return cloud;
  return { ...cloud, managedHsmOrigins: [...cloud.managedHsmOrigins, origin] };
}

function adminProblem(ids: string[]): string | undefined {
  if (ids.length === 0) return l10n.t('at least one initial administrator is needed.');
  const bad = ids.find((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  return bad ? l10n.t('\'{0}\' is not an object id.', bad) : undefined;
}
