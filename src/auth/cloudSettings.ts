import { ActionableError } from '../core/actionableError';
import { azureChinaCloud, azurePublicCloud, azureUsGovernment, customCloud, type AzureCloud } from '../azure/cloud';

// The cloud the user signs in to is chosen by the built-in Microsoft authentication extension's
// settings, not by ours, so that every Azure extension agrees on it:
//   microsoft-sovereign-cloud.environment        'ChinaCloud' | 'USGovernment' | 'custom' | unset
//   microsoft-sovereign-cloud.customEnvironment  { name, portalUrl, managementEndpointUrl,
//       resourceManagerEndpointUrl, activeDirectoryEndpointUrl, activeDirectoryResourceId, … }
// The custom environment (the @azure/ms-rest-azure-env shape) knows nothing of Microsoft Graph or
// Managed HSM; its schema allows extra properties, so those come from there or from `overrides`.

export interface SovereignCloudSettings {
  environment?: unknown;
  customEnvironment?: unknown;
  /** Our own settings for what the custom environment cannot say. */
  overrides?: { graphEndpoint?: string; managedHsmDnsSuffix?: string };
}

const customSetting = 'microsoft-sovereign-cloud.customEnvironment';
const requiredCustomFields = ['name', 'portalUrl', 'managementEndpointUrl', 'resourceManagerEndpointUrl', 'activeDirectoryEndpointUrl', 'activeDirectoryResourceId'] as const;

export function cloudFromSettings(settings: SovereignCloudSettings): AzureCloud {
  const environment = typeof settings.environment === 'string' ? settings.environment.trim() : settings.environment;
  switch (environment) {
    case undefined:
    case null:
    case '':
      return azurePublicCloud;
    case 'USGovernment':
    case 'AzureUSGovernment':
      return azureUsGovernment;
    case 'ChinaCloud':
    case 'AzureChinaCloud':
      return azureChinaCloud;
    case 'custom':
      return fromCustomEnvironment(settings.customEnvironment, settings.overrides ?? {});
    default:
      throw new ActionableError(
        `The setting microsoft-sovereign-cloud.environment has the unknown value ${JSON.stringify(environment)}; set it to ChinaCloud, USGovernment or custom, or remove it for the public Azure cloud.`,
        'invalidInput',
      );
  }
}

function fromCustomEnvironment(value: unknown, overrides: NonNullable<SovereignCloudSettings['overrides']>): AzureCloud {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ActionableError(
      `The setting microsoft-sovereign-cloud.environment is custom but ${customSetting} is not set; add it with name, portalUrl, managementEndpointUrl, resourceManagerEndpointUrl, activeDirectoryEndpointUrl and activeDirectoryResourceId.`,
      'invalidInput',
    );
  }
  const env = value as Record<string, unknown>;
  const missing = requiredCustomFields.filter((f) => typeof env[f] !== 'string' || (env[f] as string).trim() === '');
  if (missing.length) {
    throw new ActionableError(`The setting ${customSetting} lacks ${missing.join(', ')}; add ${missing.length > 1 ? 'them' : 'it'} as in VS Code's documentation of that setting.`, 'invalidInput');
  }
  const text = (f: string) => (typeof env[f] === 'string' ? (env[f] as string).trim() : undefined);
  const url = (field: string, raw: string | undefined): string | undefined => {
    if (raw === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ActionableError(`The setting ${customSetting} has an invalid URL in ${field}; give an absolute https URL.`, 'invalidInput');
    }
    if (parsed.protocol !== 'https:') {
      throw new ActionableError(`The setting ${customSetting} has a non-https URL in ${field}; tokens are only ever sent over https.`, 'invalidInput');
    }
    return raw.replace(/\/+$/, '');
  };

  const authorityHost = url('activeDirectoryEndpointUrl', text('activeDirectoryEndpointUrl'))!;
  const portalUrl = url('portalUrl', text('portalUrl'))!;
  const armEndpoint = url('resourceManagerEndpointUrl', text('resourceManagerEndpointUrl'))!;
  const armResource = url('activeDirectoryResourceId', text('activeDirectoryResourceId'))!;
  // A "custom" environment is often a copy of a national cloud; its known values fill the gaps.
  const known = [azurePublicCloud, azureUsGovernment, azureChinaCloud].find((c) => sameOrigin(c.authorityHost, authorityHost));

  const graphEndpoint =
    url('microsoftGraphResourceId', overrides.graphEndpoint ?? text('microsoftGraphResourceId') ?? text('microsoftGraphEndpointUrl') ?? text('graphEndpointUrl')) ??
    known?.graphEndpoint;
  const managedHsmDnsSuffix =
    (overrides.managedHsmDnsSuffix ?? text('managedHsmDnsSuffix'))?.replace(/^\.+/, '') ?? hsmSuffixFromKeyVault(text('keyVaultDnsSuffix')) ?? known?.managedHsmDnsSuffix;

  const lacking = [graphEndpoint ? undefined : 'microsoftGraphResourceId (e.g. https://graph.example.net)', managedHsmDnsSuffix ? undefined : 'managedHsmDnsSuffix (e.g. managedhsm.example.net)'].filter(Boolean);
  if (lacking.length) {
    throw new ActionableError(
      `The custom cloud in ${customSetting} does not say where Microsoft Graph and Managed HSM are; add ${lacking.join(' and ')} to that setting.`,
      'invalidInput',
    );
  }

  return customCloud({
    displayName: text('name')!,
    portalUrl,
    authorityHost,
    armEndpoint,
    armResource,
    graphEndpoint: graphEndpoint!,
    managedHsmDnsSuffix: managedHsmDnsSuffix!,
    disableInstanceDiscovery: known === undefined,
  });
}

/** Key Vault and Managed HSM share a cloud's DNS zone: `.vault.azure.net` → `managedhsm.azure.net`. */
function hsmSuffixFromKeyVault(keyVaultDnsSuffix: string | undefined): string | undefined {
  const m = /^\.?vault\.(.+)$/i.exec(keyVaultDnsSuffix ?? '');
  return m ? `managedhsm.${m[1]}` : undefined;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
