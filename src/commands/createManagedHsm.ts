import type { TokenCredential } from '@azure/core-auth';
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { managedHsmNameProblem, normaliseRegion, regionMismatchWarning, retentionProblem } from '../core/securityDomainPolicy';
import type { AzureCloud } from '../azure/cloud';
import type { ManagedHsmInfo } from '../azure/managedHsms';
import { checkManagedHsmName, createManagedHsm, type ProvisioningProgress } from '../azure/managedHsmProvisioning';

// Create Managed HSM: collect the settings (region defaulting to the Secret Server's, the
// signed-in user as administrator, purge protection on), warn when the region differs from the
// Secret Server's, check the name with Azure, then run the long-running create under a
// cancellable progress notification. The UI is a seam (CreatePrompts) so the flow is testable.

export interface HsmSettings {
  name: string;
  resourceGroup: string;
  /** True when the resource group is to be created. */
  newResourceGroup: boolean;
  location: string;
  initialAdminObjectIds: string[];
  softDeleteRetentionInDays: number;
  enablePurgeProtection: boolean;
  publicNetworkAccess: 'Enabled' | 'Disabled';
}

export interface CreatePrompts {
  /** The wizard; `defaults` prefill it. `nameProblem` validates names as they are typed. undefined = cancelled. */
  collectSettings(defaults: HsmSettings, nameProblem: (name: string) => string | undefined): Promise<HsmSettings | undefined>;
  /** The region-mismatch warning; true = create anyway. */
  confirmRegionMismatch(warning: string): Promise<boolean>;
  /** The name is taken (or Azure refused it): ask for another; undefined = cancelled. */
  chooseAnotherName(message: string, current: string): Promise<string | undefined>;
  withProgress<T>(title: string, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
}

export interface CreateDeps {
  cloud: AzureCloud;
  credential: TokenCredential;
  prompts: CreatePrompts;
  subscriptionId: string;
  tenantId: string;
  /** The signed-in user's object id, preselected as administrator. */
  signedInObjectId: string;
  /** Region of the connected Secret Server, when there is one. */
  secretServerRegion?: string;
  /** Resource group the command was started from, if any. */
  resourceGroup?: string;
  log: (line: string) => void;
  pollIntervalMs?: number;
}

export async function createManagedHsmCommand(deps: CreateDeps): Promise<ManagedHsmInfo | undefined> {
  const defaults: HsmSettings = {
    name: '',
    resourceGroup: deps.resourceGroup ?? '',
    newResourceGroup: false,
    location: deps.secretServerRegion ? normaliseRegion(deps.secretServerRegion) : 'eastus',
    initialAdminObjectIds: [deps.signedInObjectId],
    softDeleteRetentionInDays: 90,
    enablePurgeProtection: true,
    publicNetworkAccess: 'Enabled',
  };
  const settings = await deps.prompts.collectSettings(defaults, managedHsmNameProblem);
  if (!settings) return undefined;
  const problem = managedHsmNameProblem(settings.name) ?? retentionProblem(settings.softDeleteRetentionInDays);
  if (problem) throw new ActionableError(l10n.t('Cannot create the Managed HSM: {0}', problem), 'invalidInput');

  const warning = regionMismatchWarning(settings.location, deps.secretServerRegion);
  if (warning && !(await deps.prompts.confirmRegionMismatch(warning))) return undefined;

  let name = settings.name;
  for (;;) {
    const availability = await checkManagedHsmName(deps.cloud, deps.credential, deps.subscriptionId, name);
    if (availability.available) break;
    const next = await deps.prompts.chooseAnotherName(availability.message ?? l10n.t('The name \'{0}\' is not available.', name), name);
    if (!next) return undefined;
    name = next;
  }

  return deps.prompts.withProgress(l10n.t('Creating Managed HSM {0}', name), (report, signal) =>
    createManagedHsm(
      deps.cloud,
      deps.credential,
      {
        subscriptionId: deps.subscriptionId,
        resourceGroup: settings.resourceGroup,
        createResourceGroup: settings.newResourceGroup,
        name,
        location: settings.location,
        tenantId: deps.tenantId,
        initialAdminObjectIds: settings.initialAdminObjectIds,
        softDeleteRetentionInDays: settings.softDeleteRetentionInDays,
        enablePurgeProtection: settings.enablePurgeProtection,
        publicNetworkAccess: settings.publicNetworkAccess,
      },
      {
        abortSignal: signal,
        pollIntervalMs: deps.pollIntervalMs,
        onProgress: (p: ProvisioningProgress) => {
          deps.log(`Create ${name}: ${p.message}`);
          report(p.message);
        },
      },
    ),
  );
}
