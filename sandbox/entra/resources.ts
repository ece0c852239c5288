import { armResources, graphResource, managedHsmResource } from '../audiences';
import type { User } from '../state/world';

/** Maps a requested scope such as `https://managedhsm.azure.net/.default` to the token audience. */
export function resolveResource(scope: string): { resource: string; isGraph: boolean } | undefined {
  const lower = scope.toLowerCase();
  if (lower.startsWith(`${managedHsmResource}/`)) return { resource: managedHsmResource, isGraph: false };
  for (const arm of armResources) if (lower.startsWith(arm)) return { resource: arm, isGraph: false };
  if (lower.startsWith(`${graphResource}/`)) return { resource: graphResource, isGraph: true };
  return undefined;
}

/**
 * Delegated Graph permissions granted to `user` in `clientId` for the requested scopes, or the
 * first permission that was never consented (the token endpoint then answers AADSTS65001).
 */
export function graphPermissionsFor(user: User, clientId: string, scopes: string[]): string[] | string {
  const consented = [...(user.consentedScopes['*'] ?? []), ...(user.consentedScopes[clientId] ?? [])];
  const everything = consented.includes('*');
  const requested = scopes.map((s) => s.slice(s.lastIndexOf('/') + 1)).filter(Boolean);
  if (requested.includes('.default')) {
    return everything ? ['Application.ReadWrite.All', 'Directory.Read.All', 'User.Read'] : consented;
  }
  for (const permission of requested) if (!everything && !consented.includes(permission)) return permission;
  return requested.length ? requested : ['User.Read'];
}
