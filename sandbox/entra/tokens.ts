import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, createHash, type KeyObject } from 'node:crypto';
import { writeFileAtomic } from '../state/store';

/** Claims of the access tokens the sandbox issues (a v1-style subset of Entra ID's). */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  oid: string;
  sub: string;
  appid: string;
  azp: string;
  /** 'app' for client-credential tokens, 'user' for delegated ones. */
  idtyp: 'app' | 'user';
  /** Delegated permissions, space separated (user tokens). */
  scp?: string;
  /** Application permissions (app tokens). */
  roles?: string[];
  upn?: string;
  name?: string;
  uti: string;
  ver: '1.0';
}

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'not-yet-valid' | 'audience' | 'tenant' };

/**
 * Signs access tokens as RS256 JWTs with a key kept in the state directory, and verifies them for
 * the resource servers (ARM, Graph, Managed HSM, Secret Server's own calls).
 */
export class TokenService {
  readonly kid: string;

  private constructor(private readonly privateKey: KeyObject, readonly publicKey: KeyObject) {
    this.kid = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 27);
  }

  static load(stateDir: string): TokenService {
    const file = path.join(stateDir, 'tls', 'token-signing.key');
    let pem: string;
    if (fs.existsSync(file)) {
      pem = fs.readFileSync(file, 'utf8');
    } else {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      writeFileAtomic(file, pem, 0o600);
    }
    const privateKey = createPrivateKey(pem);
    return new TokenService(privateKey, createPublicKey(privateKey));
  }

  /**
   * A test control (POST /_sandbox/tokens) shortens the lifetime of access tokens issued from then
   * on, so a token can run out in the middle of a long operation on the real clock.
   */
  accessTokenLifetimeOverride: number | undefined;
  /** How many requests were refused for an expired access token (read by GET /_sandbox/tokens). */
  expiredRefusals = 0;

  /** The lifetime (seconds) a token asked to live `requested` seconds gets. */
  lifetime(requested: number): number {
    return this.accessTokenLifetimeOverride === undefined ? requested : Math.min(requested, this.accessTokenLifetimeOverride);
  }

  /** The JSON Web Key Set served at /{tenant}/discovery/v2.0/keys. */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    return { keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e }] };
  }

  /**
   * Token lifetimes run on the real clock, not the sandbox clock: clients cache tokens by their own
   * clock, so a token that the sandbox's jump forward expired would be sent again and again. The
   * sandbox clock governs what lives for days (client secrets, key versions, refresh tokens).
   */
  issue(claims: Omit<AccessTokenClaims, 'uti' | 'ver'>): string {
    const header = { typ: 'JWT', alg: 'RS256', kid: this.kid, x5t: this.kid };
    const lifetime = this.lifetime(claims.exp - claims.iat);
    const now = Math.floor(Date.now() / 1000);
    const payload: AccessTokenClaims = { ...claims, iat: now, nbf: now, exp: now + lifetime, uti: randomUUID().replace(/-/g, '').slice(0, 22), ver: '1.0' };
    const signingInput = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }

  /** Checks signature, lifetime (real clock, see issue()), audience (any of `audiences`) and, when given, tenant. */
  check(token: string | undefined, audiences: readonly string[], tenantId?: string, nowSeconds = Math.floor(Date.now() / 1000)): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed' };
    let claims: AccessTokenClaims;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string };
      if (header.alg !== 'RS256') return { ok: false, reason: 'malformed' };
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as AccessTokenClaims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const valid = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!valid) return { ok: false, reason: 'signature' };
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) {
      this.expiredRefusals++;
      return { ok: false, reason: 'expired' };
    }
    // Entra allows five minutes of clock skew on nbf.
    if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + 300) return { ok: false, reason: 'not-yet-valid' };
    if (!audiences.some((a) => sameAudience(a, claims.aud))) return { ok: false, reason: 'audience' };
    if (tenantId !== undefined && claims.tid !== tenantId) return { ok: false, reason: 'tenant' };
    return { ok: true, claims };
  }
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

function sameAudience(a: string, b: unknown): boolean {
  return typeof b === 'string' && a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}
