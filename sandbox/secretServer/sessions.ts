import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { bearerToken, type SandboxRequest } from '../http/exchange';
import type { SandboxContext } from '../context';
import { accessDenied, authenticationFailed } from './errorStyle';
import { ssState } from './stateAccess';
import type { SecretServerSession, SecretServerState, SecretServerUser } from './state';

// Opaque OAuth2 tokens of Secret Server's own /oauth2/token. Only their hashes are stored; the
// session outlives a restart, as a database-backed session would.

/** Web-service session timeout 20 minutes, as observed on real servers (expires_in 1199). */
export const accessTokenLifetime = 1199;
/** Refresh tokens live for the session timeout plus 15 minutes (Delinea docs). */
export const refreshTokenLifetime = accessTokenLifetime + 900;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface IssuedTokens {
  session: SecretServerSession;
  accessToken: string;
  refreshToken: string;
}

export function issueTokens(userId: number, nowSeconds: number): IssuedTokens {
  const accessToken = randomBytes(48).toString('base64url');
  const refreshToken = randomBytes(48).toString('base64url');
  return {
    accessToken,
    refreshToken,
    session: {
      id: randomUUID(),
      userId,
      accessTokenHash: tokenHash(accessToken),
      accessExpiresAt: nowSeconds + accessTokenLifetime,
      refreshTokenHash: tokenHash(refreshToken),
      refreshExpiresAt: nowSeconds + refreshTokenLifetime,
    },
  };
}

/** Drops sessions whose access and refresh tokens have both expired; call inside a mutation. */
export function pruneSessions(state: SecretServerState, nowSeconds: number): void {
  state.sessions = state.sessions.filter((s) => s.accessExpiresAt > nowSeconds || (s.refreshTokenHash !== undefined && (s.refreshExpiresAt ?? 0) > nowSeconds));
}

export interface Caller {
  user: SecretServerUser;
  session: SecretServerSession;
}

/** The signed-in user of a /api/v1 call, or 401 {message}. */
export function authenticate(ctx: SandboxContext, req: SandboxRequest): Caller {
  const token = bearerToken(req);
  if (!token) throw authenticationFailed('Authentication failed. Send an access token from /oauth2/token in the Authorization header.');
  const state = ssState(ctx);
  const hash = tokenHash(token);
  const session = state.sessions.find((s) => s.accessTokenHash === hash);
  if (!session) throw authenticationFailed('Authentication failed. The access token is not valid.');
  if (session.accessExpiresAt <= ctx.clock.nowSeconds()) throw authenticationFailed('Authentication failed. The access token has expired.');
  const user = state.users.find((u) => u.userId === session.userId);
  if (!user) throw authenticationFailed();
  return { user, session };
}

/** The caller, who must hold the Administer Key Management permission. */
export function requireKeyAdministrator(ctx: SandboxContext, req: SandboxRequest, action: string): Caller {
  const caller = authenticate(ctx, req);
  if (!caller.user.canManageKeys) {
    throw accessDenied(`Access Denied. ${caller.user.username} does not have the Administer Key Management permission required to ${action}.`);
  }
  return caller;
}
