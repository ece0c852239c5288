/** VS Code's public client id, the built-in provider's default. */
export const vscodeClientId = 'aebc6443-996d-45c2-90f0-388ff96faa56';

const oidcScopes = new Set(['openid', 'email', 'profile', 'offline_access']);

/** What a getSession scope list asks Entra for, after the provider's own pseudo-scopes. */
export interface ScopeRequest {
  /** The scopes as requested; the session echoes them. */
  requested: readonly string[];
  /** Sent to the token endpoint, plus the OIDC scopes. */
  resourceScopes: string[];
  tenant: string;
  clientId: string;
}

/**
 * Parses scopes the way the built-in provider does: every `VSCODE_*` entry is removed,
 * `VSCODE_TENANT:` and `VSCODE_CLIENT_ID:` choose the authority and client (the last one wins),
 * and with no resource scope left the token is for Graph `User.Read`.
 */
export function parseScopes(requested: readonly string[], defaultClientId = vscodeClientId): ScopeRequest {
  let tenant = 'organizations';
  let clientId = defaultClientId;
  const resourceScopes: string[] = [];
  for (const scope of requested) {
    if (scope.startsWith('VSCODE_TENANT:')) tenant = scope.slice('VSCODE_TENANT:'.length);
    else if (scope.startsWith('VSCODE_CLIENT_ID:')) clientId = scope.slice('VSCODE_CLIENT_ID:'.length);
    else if (scope.startsWith('VSCODE_')) continue;
    else if (!oidcScopes.has(scope.toLowerCase())) resourceScopes.push(scope);
  }
  if (resourceScopes.length === 0) resourceScopes.push('User.Read');
  return { requested: [...requested], resourceScopes, tenant, clientId };
}

/** Sessions are cached per scope list; order and duplicates do not make a different request. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(' ');
}
