import type { IncomingHttpHeaders } from 'node:http';

/** What a route handler sees: the request with its path normalised and its body already read. */
export interface SandboxRequest {
  method: string;
  /** Origin the client addressed, e.g. https://127.0.0.1:8443 — identifiers are built from it. */
  origin: string;
  /** Path with runs of '/' collapsed and a trailing '/' removed (the root stays '/'). */
  path: string;
  /** True when the client's path ended in '/', which Key Vault uses for "latest version". */
  trailingSlash: boolean;
  /** Query with names decoded: the Key Vault SDK sends `api%2Dversion`. */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Named parts of the matched route pattern, percent-decoded. */
  params: Record<string, string>;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string or a Buffer. Omit for an empty body. */
  body?: unknown;
}

/** Shapes an error the way the emulated service does (ARM envelope, OAuth error, Key Vault error…). */
export type ErrorStyle = (status: number, code: string, message: string) => unknown;

/** Thrown anywhere in a handler to answer with the service's own error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** A body that replaces the service's error style, for errors with a shape of their own. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers };
}

/** Parses a JSON body, answering 400 in the service's style when it is missing or malformed. */
export function jsonBody(req: SandboxRequest, code = 'BadParameter'): unknown {
  const text = req.body.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, code, 'The request body is missing.');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, code, 'The request body is not valid JSON.');
  }
}

/** Parses a JSON body that must be an object. */
export function jsonObject(req: SandboxRequest, code = 'BadParameter'): Record<string, unknown> {
  const value = jsonBody(req, code);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, code, 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** Parses an application/x-www-form-urlencoded body. */
export function formBody(req: SandboxRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

export function bearerToken(req: SandboxRequest): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
