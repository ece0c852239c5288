import { armResources, graphResource, managedHsmResource } from '../audiences';
import type { User } from '../state/world';

/** Microsoft Graph's application id, which Entra accepts in place of its URI (`00000003-…/.default`). */
const graphAppId = '00000003-0000-0000-c000-000000000000';

/** Scopes that ask for an id token or a refresh token rather than for access to a resource. */
export const oidcScopes = ['openid', 'profile', 'offline_access', 'email'] as const;

export function isOidcScope(scope: string): boolean {
  return (oidcScopes as readonly string[]).includes(scope.toLowerCase());
}

/**
 * Maps a requested scope such as `https://managedhsm.azure.net/.default` to the token audience.
 * A bare permission name (`User.Read`, as VS Code's provider sends it) means Microsoft Graph,
 * exactly as on the real v2 endpoint.
 */
export function resolveResource(scope: string): { resource: string; isGraph: boolean } | undefined {
  const lower = scope.toLowerCase();
  if (lower.startsWith(`${managedHsmResource}/`)) return { resource: managedHsmResource, isGraph: false };
  for (const arm of armResources) if (lower.startsWith(arm)) return { resource: arm, isGraph: false };
  if (lower.startsWith(`${graphResource}/`) || lower.startsWith(`${graphAppId}/`)) return { resource: graphResource, isGraph: true };
  if (!lower.includes('/') && !lower.includes(':') && /^[a-z][\w.-]*$/i.test(scope)) return { resource: graphResource, isGraph: true };
  return undefined;
}

/** The permission part of a scope: `https://graph.microsoft.com/User.Read` → `User.Read`. */
export function permissionOf(scope: string): string {
  return scope.includes('/') ? scope.slice(scope.lastIndexOf('/') + 1) : scope;
}

/** What `.default` yields for a user who consented to everything (the seeded administrator). */
const everythingConsented = ['Application.ReadWrite.All', 'Directory.Read.All', 'User.Read'];

/**
 * Delegated Graph permissions granted to `user` in `clientId` for the requested scopes, or
 * `{ missing }` naming the first permission never consented (the token endpoint then answers
 * AADSTS65001 consent_required). `.default` means "everything already consented"; with nothing
 * consented it fails the same way a real tenant does.
 */
export function graphPermissionsFor(user: User, clientId: string, scopes: string[]): string[] | { missing: string } {
  const consented = [...(user.consentedScopes['*'] ?? []), ...(user.consentedScopes[clientId] ?? [])];
  const everything = consented.includes('*');
  const requested = scopes.map(permissionOf).filter(Boolean);
  if (requested.some((p) => p.toLowerCase() === '.default')) {
    if (everything) return [...everythingConsented];
    return consented.length ? [...new Set(consented)] : { missing: '.default' };
  }
  const lowerConsented = consented.map((c) => c.toLowerCase());
  for (const permission of requested) {
    if (!everything && !lowerConsented.includes(permission.toLowerCase())) return { missing: permission };
  }
  return requested.length ? [...new Set(requested)] : ['User.Read'];
}
