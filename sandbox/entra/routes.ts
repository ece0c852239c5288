import { randomUUID } from 'node:crypto';
import type { ErrorStyle } from '../http/exchange';
import { Router } from '../http/router';
import type { SandboxContext } from '../context';

/** Entra ID's OAuth error body. */
export const entraErrorStyle: ErrorStyle = (_status, code, message) => {
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const numeric = /AADSTS(\d+)/.exec(message)?.[1];
  return {
    error: code,
    error_description: `${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: numeric ? [Number(numeric)] : [],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    ...(numeric ? { error_uri: `https://login.microsoftonline.com/error?code=${numeric}` } : {}),
  };
};

export function createEntraRouter(_ctx: SandboxContext): Router {
  const r = new Router();
  return r;
}
