import { tlsOptionsFor, type AzureCloud } from './cloud';
import { serviceDateClientOptions } from './serviceDatePolicy';

// ARM clients of both SDK generations pointed at a cloud. Without explicit scopes the new
// generation asks for `<endpoint>/.default`, which is wrong for every cloud but the public one.

const userAgentOptions = { userAgentPrefix: 'managed-hsm-for-secret-server' };

/** For clients built on @azure/core-client's ServiceClient (e.g. @azure/arm-resources-subscriptions 2.x). */
export function legacyArmClientOptions(cloud: AzureCloud) {
  return { endpoint: cloud.armEndpoint, credentialScopes: [cloud.armScope], userAgentOptions, ...tlsOptionsFor(cloud), ...serviceDateClientOptions(cloud) };
}

/** For TypeSpec-generated clients (e.g. @azure/arm-keyvault 5.x). */
export function armClientOptions(cloud: AzureCloud) {
  return { endpoint: cloud.armEndpoint, credentials: { scopes: [cloud.armScope] }, userAgentOptions, ...tlsOptionsFor(cloud), ...serviceDateClientOptions(cloud) };
}
