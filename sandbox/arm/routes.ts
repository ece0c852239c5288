import type { ErrorStyle } from '../http/exchange';
import { Router } from '../http/router';
import type { SandboxContext } from '../context';

/** The ARM error envelope. */
export const armErrorStyle: ErrorStyle = (_status, code, message) => ({ error: { code, message } });

export function createArmRouter(_ctx: SandboxContext): Router {
  const r = new Router();
  return r;
}
