import { matchesRequest, parseRequestMatch } from './requestMatch';
import type { SandboxRequest } from './http/exchange';

// Error replies set through the control API: a matching request is answered with an error in the
// service's own shape whose message a test chooses. Real services echo what they were sent
// ("Invalid value '…' for parameter …") and carry names users typed, so the message may quote a
// field of the request ({request:NAME}) — that is how tests prove an echoed secret is masked and
// hostile text renders as text.

export interface ErrorReplyRule {
  id: string;
  /** Service name (entra, arm, graph, hsm, secretServer) or '*'. */
  service: string;
  /** HTTP method or '*'. */
  method: string;
  /** Regular expression tested against the normalised path. */
  path: string;
  status: number;
  code: string;
  /** The message; `{request:NAME}` is replaced by that field of the request (form, JSON at any depth, or query). */
  message: string;
  /** Only requests whose body or query string contains this text (e.g. one app's client id). */
  bodyContains?: string;
  /** How many times at most the rule answers; absent = unlimited. */
  times?: number;
  fired: number;
}

export interface ErrorReply {
  status: number;
  code: string;
  message: string;
}

const placeholder = /\{request:([A-Za-z0-9_.-]{1,100})\}/g;

export class ErrorReplyRegistry {
  private rules: (ErrorReplyRule & { regex: RegExp })[] = [];
  private counter = 0;

  list(): ErrorReplyRule[] {
    return this.rules.map(({ regex: _r, ...rule }) => rule);
  }

  clear(): void {
    this.rules = [];
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  /** Validates and adds a rule; returns an error sentence for bad input. */
  add(input: Record<string, unknown>): ErrorReplyRule | string {
    const target = parseRequestMatch(input);
    if (typeof target === 'string') return target;
    const { service, method, path, regex } = target;
    const code = input.code ?? 'BadRequest';
    const message = input.message;
    if (typeof code !== 'string') return 'code must be a string.';
    if (typeof message !== 'string' || message.length === 0 || message.length > 100_000) return 'message must be a string of 1..100000 characters.';
    const status = input.status ?? 400;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) return 'status must be an integer from 400 to 599.';
    const times = input.times;
    if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) return 'times must be a positive integer.';
    const bodyContains = input.bodyContains;
    if (bodyContains !== undefined && (typeof bodyContains !== 'string' || bodyContains.length === 0)) return 'bodyContains must be a non-empty string.';
    const rule: ErrorReplyRule = { id: `error-reply-${++this.counter}`, service, method: method.toUpperCase(), path, status, code, message, bodyContains, times: times as number | undefined, fired: 0 };
    this.rules.push({ ...rule, regex });
    return rule;
  }

  /** The first matching rule's reply for this request, its message filled from the request. */
  decide(service: string, request: SandboxRequest): ErrorReply | undefined {
    // '*' never covers the control API, or a rule could lock out its own removal.
    if (service === 'control') return undefined;
    for (const rule of this.rules) {
      if (!matchesRequest(rule, service, request.method, request.path)) continue;
      if (rule.bodyContains !== undefined && !request.body.toString('utf8').includes(rule.bodyContains) && !request.query.toString().includes(rule.bodyContains)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      rule.fired++;
      return { status: rule.status, code: rule.code, message: rule.message.replace(placeholder, (_m, name: string) => requestField(request, name) ?? '') };
    }
    return undefined;
  }
}

function requestField(request: SandboxRequest, name: string): string | undefined {
  const text = request.body.toString('utf8');
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) {
    const value = new URLSearchParams(text).get(name);
    if (value !== null) return value;
  } else if (text.trim().startsWith('{')) {
    try {
      const found = findKey(JSON.parse(text), name);
      if (found !== undefined) return found;
    } catch {
      // not JSON after all: fall through to the query
    }
  }
  return request.query.get(name) ?? undefined;
}

function findKey(value: unknown, name: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.toLowerCase() === name.toLowerCase() && (typeof v === 'string' || typeof v === 'number')) return String(v);
  }
  for (const v of Object.values(value as Record<string, unknown>)) {
    const inner = findKey(v, name);
    if (inner !== undefined) return inner;
  }
  return undefined;
}
