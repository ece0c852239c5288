import type { Router } from '../http/router';
import type { SandboxContext } from '../context';

/** Keys, versions, deleted keys, rotation, cryptography and random bytes. */
export function registerKeyRoutes(_r: Router, _ctx: SandboxContext, _hsmName: string): void {
  // Filled in by the keys work.
}
