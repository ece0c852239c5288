import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { readEndpoints } from './sandboxEndpoints';
import { parseScopes, scopeKey, vscodeClientId, type ScopeRequest } from './scopeRequest';
import { jwtClaims, requestToken, type TokenResponse } from './tokenEndpoint';

/** Renew a token this long before it expires, as MSAL does. */
const renewBeforeMs = 5 * 60_000;

interface CachedSession {
  session: vscode.AuthenticationSession;
  request: ScopeRequest;
  expiresAt: number;
}

/**
 * The `microsoft` provider backed by the sandbox's Entra ID. Everything (tokens, refresh tokens,
 * the account) lives in memory only; a restart of VS Code signs out, like a fresh profile.
 */
export class SandboxAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changes.event;
  private account: vscode.AuthenticationSessionAccountInformation | undefined;
  /** Refresh tokens by `<tenant> <clientId>`: the sandbox binds them to both. */
  private readonly refreshTokens = new Map<string, string>();
  private readonly sessions = new Map<string, CachedSession>();
  /** A sign-in started at activation; queries wait for it so they never see a half-signed-in state. */
  private startupSignIn: Promise<void> | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /**
   * Signs the seeded administrator in without a prompt, as a returning user of the built-in
   * provider already is (`npm start` asks for it; tests start signed out).
   */
  signInAtStartup(): void {
    this.startupSignIn = this.acquire(parseScopes([], this.defaultClientId()), undefined).then(
      () => undefined,
      (err: unknown) => this.log.error(`sign-in at startup failed: ${(err as Error).message}`),
    );
  }

  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    await this.startupSignIn;
    if (!this.account) return [];
    if (!scopes) return [...this.sessions.values()].map((c) => c.session);
    const cached = this.sessions.get(scopeKey(scopes));
    if (cached && cached.expiresAt - Date.now() > renewBeforeMs) return [cached.session];
    // A signed-in account gets tokens for further resources silently (MSAL's acquireTokenSilent);
    // a failure here means "no session" to the caller, as with the built-in provider.
    try {
      return [(await this.acquire(parseScopes(scopes, this.defaultClientId()), cached?.session.id)).session];
    } catch (err) {
      this.log.warn(`silent token request failed: ${(err as Error).message}`);
      return [];
    }
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const cached = await this.acquire(parseScopes(scopes, this.defaultClientId()), this.sessions.get(scopeKey(scopes))?.session.id);
    return cached.session;
  }

  /** Signing out of the account removes every session, as the built-in provider does. */
  async removeSession(sessionId: string): Promise<void> {
    if (![...this.sessions.values()].some((c) => c.session.id === sessionId)) return;
    const removed = [...this.sessions.values()].map((c) => c.session);
    this.sessions.clear();
    this.refreshTokens.clear();
    this.account = undefined;
    this.log.info('signed out');
    this.changes.fire({ added: [], removed, changed: [] });
  }

  /** Drops cached access tokens (not the sign-in), e.g. after a test moved the sandbox clock. */
  forgetAccessTokens(): void {
    for (const cached of this.sessions.values()) cached.expiresAt = 0;
  }

  dispose(): void {
    this.changes.dispose();
  }

  private defaultClientId(): string {
    try {
      return readEndpoints().endpoints.publicClientIds?.vscode ?? vscodeClientId;
    } catch {
      return vscodeClientId;
    }
  }

  private async acquire(request: ScopeRequest, previousId: string | undefined): Promise<CachedSession> {
    const { endpoints, caPem } = readEndpoints();
    const scope = [...request.resourceScopes, 'openid', 'profile', 'offline_access'].join(' ');
    const rtKey = `${request.tenant.toLowerCase()} ${request.clientId.toLowerCase()}`;
    const refreshToken = this.refreshTokens.get(rtKey);
    let response: TokenResponse | undefined;
    if (refreshToken) {
      try {
        response = await requestToken(endpoints.authorityHost, request.tenant, { grant_type: 'refresh_token', client_id: request.clientId, refresh_token: refreshToken, scope }, caPem);
      } catch (err) {
        // An expired or revoked refresh token: sign in again, as the user would.
        this.log.warn(`refresh token rejected, signing in again: ${(err as Error).message}`);
      }
    }
    response ??= await requestToken(
      endpoints.authorityHost,
      request.tenant,
      { grant_type: 'password', client_id: request.clientId, username: endpoints.admin.username, password: endpoints.admin.password, scope },
      caPem,
    );
    if (response.refresh_token) this.refreshTokens.set(rtKey, response.refresh_token);

    const claims = jwtClaims(response.id_token ?? response.access_token);
    const signingIn = !this.account;
    this.account ??= {
      id: `${String(claims.oid)}.${String(claims.tid)}`,
      label: String(claims.preferred_username ?? claims.upn ?? endpoints.admin.username),
    };
    const key = scopeKey(request.requested);
    const session: vscode.AuthenticationSession = { id: previousId ?? randomUUID(), accessToken: response.access_token, account: this.account, scopes: request.requested };
    const cached: CachedSession = { session, request, expiresAt: Date.now() + response.expires_in * 1000 };
    this.sessions.set(key, cached);
    const audience = String(jwtClaims(response.access_token).aud);
    this.log.info(`${signingIn ? 'signed in as' : 'token for'} ${this.account.label}: tenant ${request.tenant}, audience ${audience}`);
    this.changes.fire(previousId ? { added: [], removed: [], changed: [session] } : { added: [session], removed: [], changed: [] });
    return cached;
  }
}
