import { activityError } from './activityError';

// Managed HSM local RBAC knows three kinds of scope: the whole HSM ('/'), all keys ('/keys') and
// one key ('/keys/{keyName}'). Role definitions live only at '/'.

const keyName = /^[0-9a-zA-Z-]{1,127}$/;

/**
 * The canonical scope for the part of a path before `/providers/Microsoft.Authorization`, or a
 * 400 for anything Managed HSM does not support. The 'keys' segment is matched without regard to
 * case (like every literal segment of the service's paths); the key name is kept as sent.
 */
export function parseRbacScope(raw: string): string {
  const segments = raw.split('/').filter(Boolean);
  if (segments.length === 0) return '/';
  if (segments[0].toLowerCase() === 'keys') {
    if (segments.length === 1) return '/keys';
    if (segments.length === 2 && keyName.test(segments[1])) return `/keys/${segments[1]}`;
  }
  throw invalidScope(raw);
}

/** Role definitions can only be read (or written) at '/'. */
export function requireGlobalScope(scope: string, raw: string): void {
  if (scope !== '/') throw activityError(400, 'BadParameter', `The scope '${displayScope(raw)}' is not valid for role definitions. Managed HSM only supports '/'.`);
}

function invalidScope(raw: string): Error {
  return activityError(
    400,
    'BadParameter',
    `The scope '${displayScope(raw)}' is not valid. Managed HSM supports the role scopes '/', '/keys' and '/keys/{keyName}'.`,
  );
}

function displayScope(raw: string): string {
  return raw === '' ? '/' : raw;
}
