import { HttpError, type SandboxRequest } from '../http/exchange';
import type { SandboxContext } from '../context';
import { readPrincipal, type BearerResult, type Principal } from '../entra/bearer';
import { graphResource } from '../audiences';

type FailureReason = Extract<BearerResult, { ok: false }>['reason'];

// Graph's own wording for each way a bearer token can fail (the exact texts real Graph returns
// for a missing, expired, malformed or wrong-audience token).
const invalidTokenMessages: Record<FailureReason, string> = {
  missing: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  signature: 'Access token validation failure.',
  expired: 'Lifetime validation failed, the token is expired.',
  'not-yet-valid': 'Lifetime validation failed, the token is not yet valid.',
  audience: 'Access token validation failure. Invalid audience.',
  tenant: 'Access token validation failure.',
};

/** Graph's application id, named in its 401 challenge. */
const graphAppId = '00000003-0000-0000-c000-000000000000';

/** Validates the bearer token for the Graph audience; Graph's 401 InvalidAuthenticationToken otherwise. */
export function authenticateGraphCaller(ctx: SandboxContext, req: SandboxRequest): Principal {
  const result = readPrincipal(ctx, req, [graphResource]);
  if (result.ok) return result.principal;
  throw new HttpError(401, 'InvalidAuthenticationToken', invalidTokenMessages[result.reason], {
    'www-authenticate': `Bearer realm="", authorization_uri="${ctx.origins.authority}/common/oauth2/authorize", client_id="${graphAppId}"`,
  });
}

export type GraphAccess = 'applications.read' | 'applications.write' | 'me.read' | 'organization.read';

/**
 * Which permissions open which operations: application permissions (`roles`) for app-only tokens,
 * delegated permissions (`scp`) for user tokens. Any one of a list suffices.
 */
const accessGrants: Record<GraphAccess, { app: string[]; user: string[] }> = {
  'applications.read': {
    app: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    user: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All'],
  },
  'applications.write': {
    app: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'],
    user: ['Application.ReadWrite.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All'],
  },
  'me.read': {
    app: [],
    user: ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All'],
  },
  'organization.read': {
    app: ['Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    user: ['User.Read', 'Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All'],
  },
};

export function insufficientPrivileges(): HttpError {
  return new HttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

/** Graph's 403 Authorization_RequestDenied unless the token carries one of the permissions for `access`. */
export function requireGraphAccess(principal: Principal, access: GraphAccess): void {
  const held = (principal.kind === 'app' ? principal.roles : principal.scopes).map((p) => p.toLowerCase());
  const accepted = principal.kind === 'app' ? accessGrants[access].app : accessGrants[access].user;
  if (!accepted.some((p) => held.includes(p.toLowerCase()))) throw insufficientPrivileges();
}
