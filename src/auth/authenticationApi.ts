// The slice of `vscode.authentication` the credentials use. Everything in src/auth except the VS
// Code adapter depends on this interface only, so it can be exercised with a fake in plain mocha.

export interface AuthenticationAccount {
  readonly id: string;
  readonly label: string;
}

/** The fields of `vscode.AuthenticationSession` the extension reads. */
export interface AuthenticationSessionLike {
  readonly id: string;
  readonly accessToken: string;
  readonly account: AuthenticationAccount;
  readonly scopes: readonly string[];
}

/** Mirrors `vscode.AuthenticationGetSessionOptions`. `silent` and `createIfNone` exclude each other. */
export interface GetSessionOptions {
  createIfNone?: boolean;
  silent?: boolean;
  forceNewSession?: boolean | { detail?: string };
  clearSessionPreference?: boolean;
  account?: AuthenticationAccount;
}

/**
 * Mirrors `vscode.AuthenticationWwwAuthenticateRequest` (VS Code 1.105+): a resource server's
 * challenge, handed to the provider so it can ask Entra for the claims it names.
 */
export interface WwwAuthenticateRequest {
  readonly wwwAuthenticate: string;
  readonly fallbackScopes?: readonly string[];
}

export interface AuthenticationApi {
  getSession(providerId: string, scopes: readonly string[], options: GetSessionOptions): PromiseLike<AuthenticationSessionLike | undefined>;
  /** Present only where the running VS Code accepts a WWW-Authenticate request in place of scopes. */
  getSessionForChallenge?(providerId: string, request: WwwAuthenticateRequest, options: GetSessionOptions): PromiseLike<AuthenticationSessionLike | undefined>;
}
