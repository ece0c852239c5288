import { randomUUID } from 'node:crypto';
import type { ErrorStyle } from '../http/exchange';

/** Microsoft Graph's error body. */
export const graphErrorStyle: ErrorStyle = (_status, code, message) => ({
  error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': randomUUID(), 'client-request-id': randomUUID() } },
});
