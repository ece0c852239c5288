import { HttpError, type SandboxRequest } from '../http/exchange';
import type { SandboxContext } from '../context';
import type { Hsm } from '../state/world';
import type { Principal } from '../entra/bearer';
import { authenticateCaller, currentHsm, requireActivated } from './caller';
import { requireAuthorized } from './authorization';

/**
 * The gate every key call passes, in the service's order: the token first (the SDK's first call
 * arrives without one and without its body), then the api-version, the HSM's activation, and the
 * caller's local RBAC data action at the call's scope — all before the body or the key is looked at.
 */
export function beginKeyRequest(ctx: SandboxContext, req: SandboxRequest, hsmName: string, dataAction: string, scope: string): { hsm: Hsm; caller: Principal } {
  const hsm = currentHsm(ctx, hsmName);
  const caller = authenticateCaller(ctx, req, hsm);
  requireApiVersion(req);
  requireActivated(hsm);
  requireAuthorized(hsm, caller.objectId, dataAction, scope);
  return { hsm, caller };
}

/** Any value is accepted (SDKs send 7.x and date versions), but the parameter must be there. */
export function requireApiVersion(req: SandboxRequest): string {
  const version = req.query.get('api-version');
  if (!version) throw new HttpError(400, 'BadParameter', "The 'api-version' query parameter is missing.");
  return version;
}

export function keyScope(name: string): string {
  return `/keys/${name}`;
}
