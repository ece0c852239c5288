import type { Router } from '../http/router';
import type { SandboxContext } from '../context';

/** Local RBAC: role definitions and role assignments at '/', '/keys' and '/keys/{name}'. */
export function registerRbacRoutes(_r: Router, _ctx: SandboxContext, _hsmName: string): void {
  // Filled in by the RBAC work.
}
