import { asObject, numberField, stringField } from './jsonFields';

// POST /oauth2/token answers {access_token, token_type, expires_in, refresh_token?}
// (secret-server-api.md §2.1). expires_in is a number on real servers but typed as a string by
// one vendor client, so both are read; without it the default web-service session length applies.

export interface TokenSet {
  accessToken: string;
  /** Absent when the server does not issue refresh tokens (refresh disabled or unlimited sessions). */
  refreshToken?: string;
  expiresInSeconds: number;
}

/** Secret Server's default API session timeout is 20 minutes. */
const defaultTokenLifetimeSeconds = 1200;

export function parseTokenResponse(text: string): TokenSet | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const obj = asObject(parsed);
  const accessToken = stringField(obj, 'access_token');
  if (!accessToken) return undefined;
  const expires = numberField(obj, 'expires_in');
  return {
    accessToken,
    refreshToken: stringField(obj, 'refresh_token'),
    expiresInSeconds: expires !== undefined && expires > 0 ? expires : defaultTokenLifetimeSeconds,
  };
}
