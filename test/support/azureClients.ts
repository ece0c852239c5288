import { ClientSecretCredential, UsernamePasswordCredential, type TokenCredential } from '@azure/identity';
import { KeyClient, CryptographyClient, type CryptographyClientOptions, type KeyVaultKey } from '@azure/keyvault-keys';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { SandboxEndpoints } from './sandboxProcess';

// The real @azure packages, pointed at the sandbox with the options of the verified recipe
// (shared/reference/azure-api.md §10): the sandbox's authority, no instance discovery, the CA
// trusted per client.

export const armScope = 'https://management.azure.com/.default';
export const hsmScope = 'https://managedhsm.azure.net/.default';
export const graphScope = 'https://graph.microsoft.com/.default';

export function appCredential(ep: SandboxEndpoints, caPem: string, clientId: string, clientSecret: string, tenantId = ep.tenantId): ClientSecretCredential {
  return new ClientSecretCredential(tenantId, clientId, clientSecret, {
    authorityHost: ep.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: caPem },
  } as ConstructorParameters<typeof ClientSecretCredential>[3]);
}

export function adminCredential(ep: SandboxEndpoints, caPem: string): ClientSecretCredential {
  return appCredential(ep, caPem, ep.admin.clientId, ep.admin.clientSecret);
}

export function userCredential(ep: SandboxEndpoints, caPem: string, clientId = ep.publicClientIds.vscode): UsernamePasswordCredential {
  return new UsernamePasswordCredential(ep.tenantId, clientId, ep.admin.username, ep.admin.password, {
    authorityHost: ep.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: caPem },
  } as ConstructorParameters<typeof UsernamePasswordCredential>[4]);
}

export function keyClient(hsmUri: string, credential: TokenCredential, caPem: string): KeyClient {
  return new KeyClient(hsmUri, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca: caPem } } as ConstructorParameters<typeof KeyClient>[2]);
}

export function cryptoClient(key: KeyVaultKey | string, credential: TokenCredential, caPem: string): CryptographyClient {
  return new CryptographyClient(key, credential, { disableChallengeResourceVerification: true, tlsOptions: { ca: caPem } } as CryptographyClientOptions);
}

export function armKeyVault(ep: SandboxEndpoints, caPem: string, credential: TokenCredential, subscriptionId: string): KeyVaultManagementClient {
  return new KeyVaultManagementClient(credential, subscriptionId, {
    endpoint: ep.armEndpoint,
    credentials: { scopes: [armScope] },
    tlsOptions: { ca: caPem },
  } as ConstructorParameters<typeof KeyVaultManagementClient>[2]);
}

export function subscriptionClient(ep: SandboxEndpoints, caPem: string, credential: TokenCredential): SubscriptionClient {
  return new SubscriptionClient(credential, {
    endpoint: ep.armEndpoint,
    credentialScopes: [armScope],
    tlsOptions: { ca: caPem },
  } as ConstructorParameters<typeof SubscriptionClient>[1]);
}
