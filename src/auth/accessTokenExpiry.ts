// VS Code's session carries no expiry, but the SDKs' token caches need one: an access token from
// Entra is a JWT whose `exp` claim says when it stops working.

const fallbackLifetimeMs = 60 * 60 * 1000;

/** Milliseconds since the epoch at which `accessToken` expires; `now` + 1 h when it is not a readable JWT. */
export function accessTokenExpiry(accessToken: string, now: number = Date.now()): number {
  const exp = jwtClaim(accessToken, 'exp');
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp * 1000 : now + fallbackLifetimeMs;
}

/** One claim of a JWT's payload, without verifying it (the resource server does that). */
export function jwtClaim(token: string, claim: string): unknown {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[claim] : undefined;
  } catch {
    return undefined;
  }
}
