// Who a request was made as, from its bearer token's claims: a user's sign-in name, else an app's
// id. Only the one claim is returned; the token itself is never kept.

const nameClaims = ['upn', 'preferred_username', 'unique_name', 'email'] as const;

export function accountFromAuthorization(authorization: string | undefined | null): string | undefined {
  const token = /^bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  for (const claim of nameClaims) {
    const value = claims[claim];
    if (typeof value === 'string' && value) return value;
  }
  const appId = claims.appid ?? claims.azp;
  if (typeof appId === 'string' && appId) return `app ${appId}`;
  const oid = claims.oid;
  return typeof oid === 'string' && oid ? `object ${oid}` : undefined;
}
