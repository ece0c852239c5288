import { Router } from '../http/router';
import type { SandboxContext } from '../context';
import { registerApplicationRoutes } from './applicationRoutes';
import { registerServicePrincipalRoutes } from './servicePrincipalRoutes';
import { registerDirectoryRoutes } from './directoryRoutes';

export { graphErrorStyle } from './graphErrorStyle';

/**
 * Microsoft Graph v1.0 as far as app registrations need it: applications with their password
 * credentials, service principals, the signed-in user and the organization.
 */
export function createGraphRouter(ctx: SandboxContext): Router {
  const r = new Router();
  registerDirectoryRoutes(r, ctx);
  registerApplicationRoutes(r, ctx);
  registerServicePrincipalRoutes(r, ctx);
  return r;
}
