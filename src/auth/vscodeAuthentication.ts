import * as vscode from 'vscode';
import type { AuthenticationApi, AuthenticationSessionLike, GetSessionOptions, WwwAuthenticateRequest } from './authenticationApi';

// The only file in src/auth that touches VS Code: it hands `vscode.authentication` to the
// credentials through the AuthenticationApi seam.

/**
 * getSession as the credentials call it. The challenge overload (a WWW-Authenticate request in
 * place of scopes) arrived in VS Code 1.105, after the @types/vscode of the minimum engine.
 */
interface LooseAuthentication {
  getSession(providerId: string, scopesOrRequest: readonly string[] | WwwAuthenticateRequest, options: GetSessionOptions): Thenable<AuthenticationSessionLike | undefined>;
}

export function vscodeAuthentication(): AuthenticationApi {
  const authentication = vscode.authentication as unknown as LooseAuthentication;
  const api: AuthenticationApi = {
    getSession: (providerId, scopes, options) => authentication.getSession(providerId, scopes, options),
  };
  if (versionAtLeast(vscode.version, 1, 105)) {
    api.getSessionForChallenge = (providerId, request, options) => authentication.getSession(providerId, request, options);
  }
  return api;
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = version.split('.').map((n) => Number.parseInt(n, 10));
  return a > major || (a === major && b >= minor);
}
