import type { ErrorStyle } from '../http/exchange';
import { Router } from '../http/router';
import type { SandboxContext } from '../context';
import { registerKeyRoutes } from './keyRoutes';
import { registerRbacRoutes } from './rbacRoutes';
import { registerSecurityDomainRoutes } from './securityDomainRoutes';

/** The Key Vault / Managed HSM error body (`KeyVaultError`). */
export const hsmErrorStyle: ErrorStyle = (_status, code, message) => ({ error: { code, message, innererror: null } });

/** One router per HSM: each HSM has its own origin, because key ids are built from the host. */
export function createHsmRouter(ctx: SandboxContext, hsmName: string): Router {
  const r = new Router();
  registerKeyRoutes(r, ctx, hsmName);
  registerRbacRoutes(r, ctx, hsmName);
  registerSecurityDomainRoutes(r, ctx, hsmName);
  return r;
}
