import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { ActionableError } from '../core/actionableError';
import { tlsOptionsFor, type AzureCloud } from '../azure/cloud';
import { toActionableError } from '../azure/azureErrors';
import { clientSecretKey, type ClientSecretRef, type SecretStore } from './secretStore';

// Signing in as an app registration with a client secret: for automation, and for the readiness
// probe that proves Secret Server's own credentials can wrap and unwrap with the key. The secret
// comes from the caller or from SecretStorage and is kept only inside the credential object.

/** A client-secret credential for `cloud`; Entra failures (wrong or expired secret…) become ActionableErrors. */
export async function servicePrincipalCredential(cloud: AzureCloud, tenantId: string, clientId: string, clientSecret: string): Promise<TokenCredential> {
  if (!tenantId.trim() || !clientId.trim() || !clientSecret) {
    throw new ActionableError('Could not sign in as the app: the tenant ID, client ID and client secret are all needed; enter the missing one.', 'invalidInput');
  }
  // Loaded on first use: @azure/identity brings MSAL, which activation should not pay for.
  const { ClientSecretCredential } = await import('@azure/identity');
  const inner = new ClientSecretCredential(tenantId, clientId, clientSecret, {
    authorityHost: cloud.authorityHost,
    disableInstanceDiscovery: cloud.disableInstanceDiscovery,
    ...tlsOptionsFor(cloud),
  } as ConstructorParameters<typeof ClientSecretCredential>[3]);
  return new MaskingCredential(inner, `sign in as app ${clientId}`, clientSecret);
}

/** The same, with the secret read from SecretStorage; an ActionableError when none is stored. */
export async function storedServicePrincipalCredential(cloud: AzureCloud, store: SecretStore, ref: ClientSecretRef): Promise<TokenCredential> {
  const secret = await store.get(clientSecretKey(ref));
  if (!secret) {
    throw new ActionableError(
      `Could not sign in as app ${ref.clientId}: its client secret is not stored in VS Code; enter the secret value again (it is kept in the OS keychain).`,
      'authentication',
    );
  }
  return servicePrincipalCredential(cloud, ref.tenantId, ref.clientId, secret);
}

/** Keeps the secret out of any error that escapes getToken. */
class MaskingCredential implements TokenCredential {
  constructor(
    private readonly inner: TokenCredential,
    private readonly what: string,
    private readonly secret: string,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    try {
      return await this.inner.getToken(scopes, options);
    } catch (err) {
      throw toActionableError(err, this.what, [this.secret]);
    }
  }
}
