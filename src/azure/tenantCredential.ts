import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

/**
 * A credential that asks for tokens of one tenant unless the SDK names another: ARM listings per
 * tenant need tenant-specific tokens, and the ARM clients never pass a tenant themselves.
 */
export function tenantCredential(credential: TokenCredential, tenantId: string): TokenCredential {
  return {
    getToken: (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> =>
      credential.getToken(scopes, { ...options, tenantId: options?.tenantId ?? tenantId }),
  };
}
