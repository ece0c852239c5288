import { randomUUID } from 'node:crypto';
import type { ErrorStyle } from '../http/exchange';
import { Router } from '../http/router';
import type { SandboxContext } from '../context';

/** Microsoft Graph's error body. */
export const graphErrorStyle: ErrorStyle = (_status, code, message) => ({
  error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': randomUUID(), 'client-request-id': randomUUID() } },
});

export function createGraphRouter(_ctx: SandboxContext): Router {
  const r = new Router();
  return r;
}
