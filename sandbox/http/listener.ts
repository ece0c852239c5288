import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, type ErrorStyle, type SandboxRequest, type SandboxResponse } from './exchange';
import type { Router } from './router';
import type { FaultRegistry } from '../faults';
import type { ErrorReplyRegistry } from '../errorReplies';

export interface ServiceListenerOptions {
  /** Service name, used by fault rules and in the request log. */
  service: string;
  router: Router;
  errorStyle: ErrorStyle;
  tls: { certPem: string; keyPem: string };
  faults?: FaultRegistry;
  /** Test-chosen error answers (the control API's error-replies). */
  errorReplies?: ErrorReplyRegistry;
  host: string;
  port: number;
  /** Bodies above this size are refused with 413, before any handler runs. */
  maxBodyBytes?: number;
  /** The sandbox clock: every response's Date header reads it, as real services send their own time. */
  clock?: { nowMs(): number };
  log?: (line: string) => void;
}

export interface ServiceListener {
  server: https.Server;
  port: number;
  origin: string;
  close(): Promise<void>;
}

const defaultMaxBody = 1024 * 1024;

export async function startServiceListener(opts: ServiceListenerOptions): Promise<ServiceListener> {
  const server = https.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, (req, res) => {
    handle(opts, req, res).catch((err) => {
      opts.log?.(`[${opts.service}] internal error: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) send(res, { status: 500, body: opts.errorStyle(500, 'InternalError', 'The sandbox failed to handle the request.') }, opts.clock);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    origin: `https://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(opts: ServiceListenerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const host = req.headers.host ?? `${opts.host}`;
  let url: URL;
  try {
    // Older Key Vault SDKs send '///providers/…': resolved against a base, that would read as a
    // protocol-relative URL with host 'providers', so the path is appended to the origin instead.
    const target = req.url ?? '/';
    url = new URL(target.startsWith('/') ? `https://${host}${target}` : target, `https://${host}`);
  } catch {
    url = new URL('/', `https://${opts.host}`);
  }
  const rawPath = url.pathname;
  const collapsed = rawPath.replace(/\/{2,}/g, '/');
  const trailingSlash = collapsed.length > 1 && collapsed.endsWith('/');
  const path = trailingSlash ? collapsed.slice(0, -1) : collapsed;

  let response: SandboxResponse;
  const limit = opts.maxBodyBytes ?? defaultMaxBody;
  const body = await readBody(req, limit);

  const fault = opts.faults?.decide(opts.service, method, path) ?? { kind: 'none' };
  if (fault.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms));
  if (fault.kind === 'drop') {
    req.socket.destroy();
    opts.log?.(`[${opts.service}] ${method} ${path} -> dropped (fault)`);
    return;
  }
  if (fault.kind === 'throttle' || fault.kind === 'unavailable') {
    const status = fault.kind === 'throttle' ? 429 : 503;
    const code = status === 429 ? 'TooManyRequests' : 'ServiceUnavailable';
    send(res, {
      status,
      headers: { 'retry-after': String(fault.retryAfterSeconds), ...dateHeader(opts.clock) },
      body: opts.errorStyle(status, code, status === 429 ? 'Too many requests. Retry after the indicated time.' : 'The service is temporarily unavailable.'),
    });
    opts.log?.(`[${opts.service}] ${method} ${path} -> ${status} (fault)`);
    return;
  }

  if (body === 'too-large') {
    response = { status: 413, body: opts.errorStyle(413, 'RequestEntityTooLarge', `The request body exceeds ${limit} bytes.`) };
  } else {
    const request: SandboxRequest = {
      method,
      origin: `https://${host}`,
      path,
      trailingSlash,
      query: url.searchParams,
      headers: req.headers,
      body,
      params: {},
    };
    const reply = opts.errorReplies?.decide(opts.service, request);
    try {
      if (reply) response = { status: reply.status, body: opts.errorStyle(reply.status, reply.code, reply.message) };
      else {
        const { handler, params } = opts.router.resolve(method, path);
        request.params = params;
        response = await handler(request);
      }
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      response = {
        status: err.status,
        headers: err.headers,
        body: err.body !== undefined ? err.body : opts.errorStyle(err.status, err.code, err.message),
      };
    }
  }

  if (fault.kind === 'truncate') {
    // The status line and half the body arrive, then the connection dies: a reset mid-response.
    const payload = serialise(response.body);
    res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Math.max(payload.length, 2)), ...dateHeader(opts.clock), ...response.headers });
    res.write(payload.subarray(0, Math.floor(payload.length / 2)));
    setImmediate(() => req.socket.destroy());
    opts.log?.(`[${opts.service}] ${method} ${path} -> ${response.status} truncated (fault)`);
    return;
  }
  send(res, response, opts.clock);
  opts.log?.(`[${opts.service}] ${method} ${path} -> ${response.status} ${Date.now() - started}ms`);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function serialise(body: unknown): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** Node would send the host's time; the sandbox's services live on the sandbox clock. */
function dateHeader(clock: { nowMs(): number } | undefined): Record<string, string> {
  return clock ? { date: new Date(clock.nowMs()).toUTCString() } : {};
}

function send(res: ServerResponse, response: SandboxResponse, clock?: { nowMs(): number }): void {
  const payload = serialise(response.body);
  const headers: Record<string, string> = { ...dateHeader(clock), ...response.headers };
  if (response.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = typeof response.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload.length);
  headers['x-ms-request-id'] ??= crypto.randomUUID();
  res.writeHead(response.status, headers);
  res.end(payload);
}
