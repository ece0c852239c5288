import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import type { ActivityInput, ActivityResult } from '../core/activity/activityRecord';
import { secretServerChange } from '../core/activity/secretServerChanges';
import { parseSecretServerUrl, serviceUrl, type SecretServerUrl } from './baseUrl';
import { isExpiredTokenResponse, looksLikeHtml, secretServerError } from './responseError';
import type { ReplayClass } from './retryRules';
import { parseTokenResponse, type TokenSet } from './tokenResponse';
import { SecretServerTransport, type HttpMethod, type TransportOptions, type TransportResponse } from './transport';

// One signed-in connection to one Secret Server. Tokens live only in this object's memory; the
// password is asked for through the injected source at each password grant and dropped after.
// Refresh tokens are single use, so at most one renewal runs at a time and the newest refresh
// token always replaces the old one before anything else can use it.

export interface SecretServerPasswordSource {
  /** Called for each password grant (first sign-in, or when a refresh is refused). */
  getPassword(): Promise<string>;
  /**
   * Called for each password grant; return the current one-time code for accounts with
   * two-factor authentication, undefined otherwise. Never called for a token refresh.
   */
  getOtp?(): Promise<string | undefined>;
}

/** What the output channel may show; carries no token or password. */
export type SessionEvent =
  | { type: 'signedIn'; username: string; expiresAt: number; refreshable: boolean }
  | { type: 'refreshed'; username: string; expiresAt: number }
  | { type: 'refreshRejected'; username: string }
  | { type: 'tokenRejected'; username: string; status: number }
  | { type: 'signedOut'; username: string; serverConfirmed: boolean };

export interface SecretServerSessionOptions extends TransportOptions {
  url: string;
  username: string;
  /** Active Directory domain for domain accounts (form field `domain`). */
  domain?: string;
  credentials: SecretServerPasswordSource;
  onEvent?: (event: SessionEvent) => void;
  /** Renew this long before the server's stated expiry (default 60 s). */
  expirySkewMs?: number;
  /** Takes each change this session makes (the activity log); values in knownSecrets are masked. */
  onActivity?: (input: ActivityInput, knownSecrets: readonly string[]) => void;
}

export interface ApiRequest {
  method: HttpMethod;
  /** Absolute service path, e.g. /api/v1/key-management. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Serialised as JSON. */
  body?: unknown;
  replay: ReplayClass;
  /** Gerund phrase for messages: "Reading the key management configuration". */
  operation: string;
  /** Values to mask in any error (e.g. the principal secret being saved). */
  knownSecrets?: readonly string[];
  signal?: AbortSignal;
  /** No bearer token (healthcheck). */
  anonymous?: boolean;
}

interface HeldTokens {
  accessToken: string;
  refreshToken?: string;
  expiresAtMs: number;
}

export class SecretServerSession {
  readonly server: SecretServerUrl;
  readonly username: string;
  private readonly transport: SecretServerTransport;
  private readonly now: () => number;
  private tokens?: HeldTokens;
  private renewal?: Promise<HeldTokens>;
  private readonly recordedOnce = new Set<string>();

  constructor(private readonly options: SecretServerSessionOptions) {
    this.server = parseSecretServerUrl(options.url);
    this.username = options.username.trim();
    if (this.username === '') throw new ActionableError(l10n.t('The Secret Server user name is empty; enter the user you sign in to Secret Server with.'), 'invalidInput');
    this.transport = new SecretServerTransport(options);
    this.now = options.now ?? Date.now;
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  get isSignedIn(): boolean {
    return this.tokens !== undefined;
  }

  /** Signs in with the password now (e.g. to check a new connection), replacing any session. */
  async signIn(): Promise<void> {
    this.tokens = undefined;
    await this.renew('password');
  }

  /** Sends a REST call with the bearer token, re-authenticating once if the token is refused. */
  async request(req: ApiRequest): Promise<unknown> {
    const action = req.anonymous ? undefined : secretServerChange({ method: req.method, path: req.path, body: req.body, operation: req.operation });
    if (!action) return this.send(req);
    // One record per change with its final outcome, after any token renewal and retries.
    let requestId: string | undefined;
    try {
      const result = await this.send(req, (id) => (requestId = id));
      this.record(action, 'succeeded', undefined, requestId, req.knownSecrets);
      return result;
    } catch (error) {
      const cancelled = req.signal?.aborted === true || (error instanceof ActionableError && error.kind === 'cancelled');
      this.record(action, cancelled ? 'cancelled' : 'failed', error instanceof Error ? error.message : String(error), requestId, req.knownSecrets);
      throw error;
    }
  }

  /**
   * Records a change this session observed rather than requested (a rotation's end). With a
   * `once` key, a second report of the same thing (two followers of one run) is dropped.
   */
  record(action: string, result: ActivityResult, message?: string, correlationId?: string, knownSecrets: readonly string[] = [], once?: string): void {
    if (!this.options.onActivity) return;
    if (once !== undefined) {
      if (this.recordedOnce.has(once)) return;
      this.recordedOnce.add(once);
    }
    this.options.onActivity({ service: 'Secret Server', account: this.username, target: this.baseUrl, action, result, message, correlationId }, knownSecrets);
  }

  private async send(req: ApiRequest, onRequestId?: (id: string | undefined) => void): Promise<unknown> {
    const url = serviceUrl(this.baseUrl, req.path, req.query);
    const send = (token?: string) =>
      this.transport.send({
        method: req.method,
        url,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        replay: req.replay,
        signal: req.signal,
        operation: req.operation,
        knownSecrets: req.knownSecrets,
      });

    let res: TransportResponse;
    if (req.anonymous) {
      res = await send();
    } else {
      let tokens = await this.validTokens();
      res = await send(tokens.accessToken);
      // A refused token was not acted on, so even a non-idempotent call may be sent again once.
      if (isExpiredTokenResponse(res.status, res.text, res.contentType)) {
        this.emit({ type: 'tokenRejected', username: this.username, status: res.status });
        tokens = await this.renewAfterRejection(tokens);
        res = await send(tokens.accessToken);
      }
    }
    onRequestId?.(res.requestId);
    if (res.status < 200 || res.status >= 300) {
      throw secretServerError(res, { operation: req.operation, username: this.username, knownSecrets: req.knownSecrets });
    }
    return parseJsonResult(res, req.operation, req.knownSecrets);
  }

  /** Ends the session on the server (POST /api/v1/oauth-expiration) and forgets the tokens. */
  async signOut(signal?: AbortSignal): Promise<void> {
    const tokens = this.tokens;
    this.tokens = undefined;
    if (!tokens) return;
    const res = await this.transport.send({
      method: 'POST',
      url: serviceUrl(this.baseUrl, '/api/v1/oauth-expiration'),
      headers: { authorization: `Bearer ${tokens.accessToken}` },
      replay: 'idempotent',
      signal,
      operation: l10n.t('Signing out of Secret Server'),
    });
    // An already expired session is signed out as far as the user is concerned.
    const expired = isExpiredTokenResponse(res.status, res.text, res.contentType);
    if (!expired && (res.status < 200 || res.status >= 300)) {
      throw secretServerError(res, { operation: l10n.t('Signing out of Secret Server'), username: this.username });
    }
    this.emit({ type: 'signedOut', username: this.username, serverConfirmed: !expired });
  }

  private async validTokens(): Promise<HeldTokens> {
    const skew = this.options.expirySkewMs ?? 60_000;
    if (this.tokens && this.now() < this.tokens.expiresAtMs - skew) return this.tokens;
    return this.renew(this.tokens?.refreshToken ? 'refresh' : 'password');
  }

  private async renewAfterRejection(rejected: HeldTokens): Promise<HeldTokens> {
    // Another call may already have renewed while this one was in flight.
    if (this.tokens && this.tokens.accessToken !== rejected.accessToken) return this.tokens;
    if (this.renewal) return this.renewal;
    return this.renew(this.tokens?.refreshToken ? 'refresh' : 'password');
  }

  private renew(preferred: 'refresh' | 'password'): Promise<HeldTokens> {
    if (!this.renewal) {
      this.renewal = this.runRenewal(preferred).finally(() => {
        this.renewal = undefined;
      });
    }
    return this.renewal;
  }

  private async runRenewal(preferred: 'refresh' | 'password'): Promise<HeldTokens> {
    const refreshToken = preferred === 'refresh' ? this.tokens?.refreshToken : undefined;
    // Single use: forget it before sending it, whatever the outcome.
    this.tokens = undefined;
    if (refreshToken) {
      try {
        const set = await this.grant({ grant_type: 'refresh_token', refresh_token: refreshToken }, {}, 'once', [refreshToken]);
        const held = this.hold(set);
        this.emit({ type: 'refreshed', username: this.username, expiresAt: held.expiresAtMs });
        return held;
      } catch (error) {
        if (!(error instanceof ActionableError) || error.kind !== 'authentication') throw error;
        this.emit({ type: 'refreshRejected', username: this.username });
      }
    }
    const password = await this.options.credentials.getPassword();
    if (!password) {
      throw new ActionableError(l10n.t('Signing in to Secret Server as {0} failed because no password was given; enter the password and try again.', this.username), 'authentication');
    }
    const otp = (await this.options.credentials.getOtp?.())?.trim() || undefined;
    const form: Record<string, string> = { grant_type: 'password', username: this.username, password };
    if (this.options.domain) form.domain = this.options.domain;
    // A one-time code is spent by the first attempt, so a grant carrying one is not replayed.
    const set = await this.grant(form, otp ? { OTP: otp } : {}, otp ? 'once' : 'idempotent', otp ? [password, otp] : [password]);
    const held = this.hold(set);
    this.emit({ type: 'signedIn', username: this.username, expiresAt: held.expiresAtMs, refreshable: held.refreshToken !== undefined });
    return held;
  }

  private hold(set: TokenSet): HeldTokens {
    this.tokens = { accessToken: set.accessToken, refreshToken: set.refreshToken, expiresAtMs: this.now() + set.expiresInSeconds * 1000 };
    return this.tokens;
  }

  private async grant(form: Record<string, string>, headers: Record<string, string>, replay: ReplayClass, secrets: string[]): Promise<TokenSet> {
    const operation = l10n.t('Signing in to Secret Server as {0}', this.username);
    const res = await this.transport.send({
      method: 'POST',
      url: serviceUrl(this.baseUrl, '/oauth2/token'),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      replay,
      operation,
      knownSecrets: secrets,
    });
    if (res.status < 200 || res.status >= 300 || looksLikeHtml(res.text, res.contentType)) {
      throw secretServerError(res, { operation, username: this.username, knownSecrets: secrets, signIn: true });
    }
    const set = parseTokenResponse(res.text);
    if (!set) {
      throw new ActionableError(
        l10n.t('{0} failed because the token endpoint answered without an access token; check that the URL points to Secret Server itself.', operation),
        'unexpected',
        `POST ${res.url} → HTTP ${res.status} (${res.text.length} characters, not shown: it may hold a token)`,
        undefined,
        res.status,
      );
    }
    return set;
  }

  private emit(event: SessionEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // An observer's failure must not break the call it observes.
    }
  }
}

function parseJsonResult(res: TransportResponse, operation: string, knownSecrets: readonly string[] = []): unknown {
  if (looksLikeHtml(res.text, res.contentType)) throw secretServerError(res, { operation, knownSecrets });
  if (res.text.trim() === '') return undefined;
  try {
    return JSON.parse(res.text);
  } catch {
    throw new ActionableError(
      l10n.t('{0} failed because Secret Server answered with something that is not JSON; check that the URL points to Secret Server\'s REST API.', operation),
      'unexpected',
      `${res.method} ${res.url} → HTTP ${res.status}: ${res.text.slice(0, 200).replace(/[A-Za-z0-9+/=_-]{24,}/g, '***')}`,
      undefined,
      res.status,
    );
  }
}
