import { HttpError, formBody, json, type SandboxRequest } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import { secretMatches } from '../entra/secretHash';
import { otpMatches } from './totp';
import { accessTokenLifetime, authenticate, issueTokens, pruneSessions, tokenHash } from './sessions';
import { ssState } from './stateAccess';

// POST /oauth2/token (password and refresh_token grants) and POST /api/v1/oauth-expiration.
// The failure body carries the text both as `error` (what the field sees) and `message` (what the
// vendor's OAuth swagger requires), so clients reading either find it.

function tokenError(text: string): HttpError {
  return new HttpError(400, 'invalid_grant', text, {}, { error: text, message: text });
}

const loginFailed = 'Login failed.';

export function registerTokenRoutes(r: Router, ctx: SandboxContext): void {
  r.on('POST', '/oauth2/token', (req) => token(ctx, req));

  r.on('POST', '/api/v1/oauth-expiration', (req) => {
    const { session } = authenticate(ctx, req);
    ctx.store.mutate(() => {
      const state = ssState(ctx);
      state.sessions = state.sessions.filter((s) => s.id !== session.id);
    });
    return json(200, true);
  });
}

function token(ctx: SandboxContext, req: SandboxRequest) {
  const contentType = String(req.headers['content-type'] ?? '');
  if (!/application\/x-www-form-urlencoded/i.test(contentType)) throw tokenError('The request must be form-encoded (application/x-www-form-urlencoded).');
  const form = formBody(req);
  const grantType = form.get('grant_type');
  const state = ssState(ctx);
  const now = ctx.clock.nowSeconds();

  if (grantType === 'password') {
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    const domain = form.get('domain') ?? '';
    if (!username || !password || username.length > 256 || password.length > 1024) throw tokenError(loginFailed);
    // The sandbox has no Active Directory: only local accounts sign in.
    if (domain && domain.toLowerCase() !== 'local') throw tokenError(loginFailed);
    const user = state.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    if (!user || !secretMatches(password, user.passwordHash)) throw tokenError(loginFailed);
    if (user.otpSecret) {
      const otp = req.headers.otp;
      if (typeof otp !== 'string' || otp.trim() === '') throw tokenError(`${loginFailed} This user requires two-factor authentication: send the one-time code in the OTP header.`);
      if (!otpMatches(user.otpSecret, otp.trim(), now)) throw tokenError(`${loginFailed} The one-time code is not valid.`);
    }
    const issued = issueTokens(user.userId, now);
    ctx.store.mutate(() => {
      pruneSessions(state, now);
      state.sessions.push(issued.session);
    });
    return json(200, { access_token: issued.accessToken, token_type: 'bearer', expires_in: accessTokenLifetime, refresh_token: issued.refreshToken });
  }

  if (grantType === 'refresh_token') {
    const presented = form.get('refresh_token') ?? '';
    if (!presented || presented.length > 512) throw tokenError('The refresh token is missing or not valid.');
    const hash = tokenHash(presented);
    const session = state.sessions.find((s) => s.refreshTokenHash === hash);
    if (!session) throw tokenError('The refresh token is not valid or has already been used.');
    if ((session.refreshExpiresAt ?? 0) <= now) throw tokenError('The refresh token has expired. Sign in again.');
    if (!state.users.some((u) => u.userId === session.userId)) throw tokenError(loginFailed);
    const issued = issueTokens(session.userId, now);
    ctx.store.mutate(() => {
      // Single use: the presented refresh token is spent; its access token lives on until it expires.
      delete session.refreshTokenHash;
      delete session.refreshExpiresAt;
      pruneSessions(state, now);
      state.sessions.push(issued.session);
    });
    return json(200, { access_token: issued.accessToken, token_type: 'bearer', expires_in: accessTokenLifetime, refresh_token: issued.refreshToken });
  }

  throw new HttpError(400, 'unsupported_grant_type', '', {}, {
    error: 'unsupported_grant_type',
    message: grantType ? `The grant type '${grantType.slice(0, 64)}' is not supported; use password or refresh_token.` : "The request must contain 'grant_type' (password or refresh_token).",
  });
}
