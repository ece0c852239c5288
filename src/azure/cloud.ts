import type { ActivitySink } from '../core/activity/activityRecord';

// Where each Azure cloud lives. The extension signs in to one cloud at a time; every client takes
// its endpoints, scopes and TLS trust from here, so that sovereign clouds and the local sandbox are
// the same code path with different data.

export type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud' | 'custom' | 'sandbox';

export interface AzureCloud {
  name: CloudName;
  displayName: string;
  /** VS Code authentication provider id: 'microsoft', or 'microsoft-sovereign-cloud' for sovereign and custom clouds. */
  authProviderId: 'microsoft' | 'microsoft-sovereign-cloud';
  /** Entra ID authority host, without a tenant. */
  authorityHost: string;
  armEndpoint: string;
  /** Scope for ARM tokens. */
  armScope: string;
  graphEndpoint: string;
  graphScope: string;
  /** Resource (token audience) of the Managed HSM data plane, and the scope derived from it. */
  managedHsmResource: string;
  managedHsmScope: string;
  /** DNS suffix of HSM hosts, e.g. 'managedhsm.azure.net'; undefined when HSMs are listed by origin (sandbox). */
  managedHsmDnsSuffix?: string;
  /** Origins of the HSMs a sandbox serves (one origin per HSM), for key-URL validation. */
  managedHsmOrigins?: string[];
  portalUrl: string;
  /** Extra CA certificate (PEM) to trust for every call to this cloud; only the sandbox has one. */
  caPem?: string;
  /** MSAL instance discovery only knows Microsoft's own hosts. */
  disableInstanceDiscovery: boolean;
  /** The Key Vault SDKs check that the challenge resource matches the host; loopback hosts cannot. */
  disableChallengeResourceVerification: boolean;
  /** Takes every response's `Date` header, so expiry is judged by the services' time (set by services.ts). */
  serviceClock?: { observe(dateHeader: string | undefined | null): unknown };
  /** Records every change made through this cloud's clients (the activity log; set by services.ts). */
  activity?: ActivitySink;
}

export const azurePublicCloud: AzureCloud = {
  name: 'AzureCloud',
  displayName: 'Azure',
  authProviderId: 'microsoft',
  authorityHost: 'https://login.microsoftonline.com',
  armEndpoint: 'https://management.azure.com',
  armScope: 'https://management.core.windows.net/.default',
  graphEndpoint: 'https://graph.microsoft.com',
  graphScope: 'https://graph.microsoft.com/.default',
  managedHsmResource: 'https://managedhsm.azure.net',
  managedHsmScope: 'https://managedhsm.azure.net/.default',
  managedHsmDnsSuffix: 'managedhsm.azure.net',
  portalUrl: 'https://portal.azure.com',
  disableInstanceDiscovery: false,
  disableChallengeResourceVerification: false,
};

export const azureUsGovernment: AzureCloud = {
  name: 'AzureUSGovernment',
  displayName: 'Azure US Government',
  authProviderId: 'microsoft-sovereign-cloud',
  authorityHost: 'https://login.microsoftonline.us',
  armEndpoint: 'https://management.usgovcloudapi.net',
  armScope: 'https://management.core.usgovcloudapi.net/.default',
  graphEndpoint: 'https://graph.microsoft.us',
  graphScope: 'https://graph.microsoft.us/.default',
  managedHsmResource: 'https://managedhsm.usgovcloudapi.net',
  managedHsmScope: 'https://managedhsm.usgovcloudapi.net/.default',
  managedHsmDnsSuffix: 'managedhsm.usgovcloudapi.net',
  portalUrl: 'https://portal.azure.us',
  disableInstanceDiscovery: false,
  disableChallengeResourceVerification: false,
};

export const azureChinaCloud: AzureCloud = {
  name: 'AzureChinaCloud',
  displayName: 'Azure operated by 21Vianet',
  authProviderId: 'microsoft-sovereign-cloud',
  authorityHost: 'https://login.chinacloudapi.cn',
  armEndpoint: 'https://management.chinacloudapi.cn',
  armScope: 'https://management.core.chinacloudapi.cn/.default',
  graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
  graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
  managedHsmResource: 'https://managedhsm.azure.cn',
  managedHsmScope: 'https://managedhsm.azure.cn/.default',
  managedHsmDnsSuffix: 'managedhsm.azure.cn',
  portalUrl: 'https://portal.azure.cn',
  disableInstanceDiscovery: false,
  disableChallengeResourceVerification: false,
};

/** The fields of the sandbox's endpoints.json that describe its cloud. */
export interface SandboxEndpointsFile {
  ca: string;
  tenantId: string;
  authorityHost: string;
  armEndpoint: string;
  graphEndpoint: string;
  hsms: { uri: string }[];
}

/**
 * The local sandbox as a cloud. It issues public-cloud token audiences, so scopes and resources
 * are the public ones; only hosts and trust differ.
 */
export function sandboxCloud(endpoints: SandboxEndpointsFile, caPem: string): AzureCloud {
  return {
    ...azurePublicCloud,
    name: 'sandbox',
    displayName: 'Sandbox',
    authorityHost: endpoints.authorityHost,
    armEndpoint: endpoints.armEndpoint,
    armScope: 'https://management.azure.com/.default',
    graphEndpoint: endpoints.graphEndpoint,
    managedHsmDnsSuffix: undefined,
    managedHsmOrigins: endpoints.hsms.map((h) => new URL(h.uri).origin),
    portalUrl: endpoints.armEndpoint,
    caPem,
    disableInstanceDiscovery: true,
    disableChallengeResourceVerification: true,
  };
}

/** TLS options every @azure client of this cloud gets: an explicit CA where the cloud has one. */
export function tlsOptionsFor(cloud: AzureCloud): { tlsOptions?: { ca: string } } {
  return cloud.caPem ? { tlsOptions: { ca: cloud.caPem } } : {};
}

/** What a custom (e.g. air-gapped or private) cloud must say about itself. */
export interface CustomCloudParameters {
  displayName: string;
  portalUrl: string;
  authorityHost: string;
  armEndpoint: string;
  /** The ARM token audience (`activeDirectoryResourceId` in VS Code's custom environment). */
  armResource: string;
  graphEndpoint: string;
  /** e.g. 'managedhsm.example.net'; the data-plane audience is `https://<suffix>`. */
  managedHsmDnsSuffix: string;
  /** MSAL's instance discovery only knows Microsoft's own authority hosts. */
  disableInstanceDiscovery?: boolean;
}

/** A cloud described by settings rather than known in advance; always signed in through the sovereign-cloud provider. */
export function customCloud(p: CustomCloudParameters): AzureCloud {
  const origin = (url: string) => url.replace(/\/+$/, '');
  const suffix = p.managedHsmDnsSuffix.replace(/^\.+/, '').replace(/\/+$/, '');
  const graphEndpoint = origin(p.graphEndpoint);
  return {
    name: 'custom',
    displayName: p.displayName,
    authProviderId: 'microsoft-sovereign-cloud',
    authorityHost: origin(p.authorityHost),
    armEndpoint: origin(p.armEndpoint),
    armScope: `${origin(p.armResource)}/.default`,
    graphEndpoint,
    graphScope: `${graphEndpoint}/.default`,
    managedHsmResource: `https://${suffix}`,
    managedHsmScope: `https://${suffix}/.default`,
    managedHsmDnsSuffix: suffix,
    portalUrl: origin(p.portalUrl),
    disableInstanceDiscovery: p.disableInstanceDiscovery ?? true,
    disableChallengeResourceVerification: false,
  };
}
