import type { ErrorStyle } from '../http/exchange';
import { Router } from '../http/router';
import type { SandboxContext } from '../context';

/** The Key Vault / Managed HSM error body (`KeyVaultError`). */
export const hsmErrorStyle: ErrorStyle = (_status, code, message) => ({ error: { code, message, innererror: null } });

export function createHsmRouter(_ctx: SandboxContext, _hsmName: string): Router {
  const r = new Router();
  return r;
}
