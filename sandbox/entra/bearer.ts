import { bearerToken, type SandboxRequest } from '../http/exchange';
import type { SandboxContext } from '../context';
import type { TokenCheck } from './tokens';

/** Who is calling, as a resource server sees it from a valid access token. */
export interface Principal {
  /** User object id, or the service principal object id for an app. */
  objectId: string;
  tenantId: string;
  kind: 'user' | 'app';
  /** Client id of the calling application. */
  appId: string;
  /** Delegated permissions (users). */
  scopes: string[];
  /** Application permissions (apps). */
  roles: string[];
  displayName?: string;
}

export type BearerResult = { ok: true; principal: Principal } | { ok: false; reason: Exclude<TokenCheck, { ok: true }>['reason'] };

/** Validates the request's bearer token for one of `audiences`; each service words its own 401. */
export function readPrincipal(ctx: SandboxContext, req: SandboxRequest, audiences: readonly string[], tenantId?: string): BearerResult {
  const check = ctx.tokens.check(bearerToken(req), audiences, tenantId);
  if (!check.ok) return check;
  const c = check.claims;
  return {
    ok: true,
    principal: {
      objectId: c.oid,
      tenantId: c.tid,
      kind: c.idtyp === 'app' ? 'app' : 'user',
      appId: c.appid,
      scopes: c.scp ? c.scp.split(' ').filter(Boolean) : [],
      roles: c.roles ?? [],
      displayName: c.name,
    },
  };
}
