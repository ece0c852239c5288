import type { TokenCredential } from '@azure/core-auth';
import { tlsOptionsFor, type AzureCloud } from './cloud';
import type { JsonTransport } from './jsonExchange';
import { observeServiceDate } from './serviceDatePolicy';

// The Managed HSM data-plane calls no installed SDK covers (local RBAC, the security domain, the
// readiness probe's wrap/unwrap) go over one kind of pipeline: signed only by Key Vault's
// challenge policy, the services' Date headers observed. The packages load on first use.

export async function keyVaultTransport(cloud: AzureCloud, credential: TokenCredential): Promise<JsonTransport> {
  const rest = await import('@azure/core-rest-pipeline');
  const { keyVaultAuthenticationPolicy } = await import('@azure/keyvault-common');
  const pipeline = rest.createPipelineFromOptions({ ...tlsOptionsFor(cloud), userAgentOptions: { userAgentPrefix: 'managed-hsm-for-secret-server' } });
  // createPipelineFromOptions adds no bearer policy; removing it anyway keeps the challenge
  // policy the only one that signs requests, whatever the package version does.
  pipeline.removePolicy({ name: rest.bearerTokenAuthenticationPolicyName });
  observeServiceDate(pipeline, cloud);
  pipeline.addPolicy(keyVaultAuthenticationPolicy(credential, { disableChallengeResourceVerification: cloud.disableChallengeResourceVerification }));
  return { pipeline, httpClient: rest.createDefaultHttpClient() };
}
