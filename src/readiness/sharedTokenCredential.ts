import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

// The readiness check starts many clients at once, each with its own authentication policy.
// @azure/identity answers concurrent first requests with one MSAL application each (each fetching
// the tenant's metadata), and keeps CAE and non-CAE tokens apart, so one identity would sign in
// several times for the same audience. This wrapper lets the first sign-in go alone, then shares
// one fetch per audience and tenant and reuses the token while it stays fresh. A claims challenge
// always goes to the credential.

const freshForMs = 2 * 60_000;

export interface SharedTokenOptions {
  /** The credential's own tenant: a request naming it is the same as one naming none. */
  tenantId?: string;
  clock?: () => number;
}

export function sharedTokenCredential(inner: TokenCredential, options: SharedTokenOptions = {}): TokenCredential {
  const clock = options.clock ?? Date.now;
  const ownTenant = options.tenantId?.toLowerCase();
  const tokens = new Map<string, Promise<AccessToken | null>>();
  let firstSignIn: Promise<unknown> | undefined;

  return {
    async getToken(scopes: string | string[], request?: GetTokenOptions): Promise<AccessToken | null> {
      if (request?.claims) return inner.getToken(scopes, request);
      const tenant = request?.tenantId?.toLowerCase();
      // A CAE-capable token serves a caller that does not ask for CAE and the other way round;
      // a caller that gets a claims challenge asks again with the claims, which bypasses this.
      const key = JSON.stringify([[scopes].flat().sort(), tenant === ownTenant ? '' : (tenant ?? '')]);
      if (firstSignIn) await firstSignIn;
      const pending = tokens.get(key);
      if (pending) {
        const token = await pending.catch(() => null);
        if (token && token.expiresOnTimestamp - clock() > freshForMs) return token;
      }
      const fetching = inner.getToken(scopes, request);
      tokens.set(key, fetching);
      firstSignIn ??= fetching.catch(() => undefined);
      // A failed fetch is not shared with later callers.
      fetching.catch(() => {
        if (tokens.get(key) === fetching) tokens.delete(key);
      });
      return fetching;
    },
  };
}
