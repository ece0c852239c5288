// Which failed calls may be sent again. A retry must never apply a change twice: a PUT of key
// management or a rotation start that reached the server starts a (second) rotation, and a
// refresh token is single use. So each call declares whether replaying it is harmless, and calls
// that are not are retried only when the answer proves the server did not act on them.

/**
 * - 'idempotent': reads, PATCH of an absolute value, cancel (a second cancel is a no-op), the
 *   password grant (a spare session is harmless).
 * - 'once': anything whose replay could change state twice or burn a single-use token.
 */
export type ReplayClass = 'idempotent' | 'once';

export interface RetryInput {
  replay: ReplayClass;
  /** Retries already made. */
  attempt: number;
  maxRetries: number;
  status?: number;
  /** Retry-After (seconds or HTTP date) or retry-after-ms, as received. */
  retryAfter?: string;
  retryAfterMs?: string;
  /** Node system error code of a failed connection (ECONNREFUSED, ECONNRESET…). */
  errorCode?: string;
  /** Milliseconds clock, for HTTP-date Retry-After. */
  nowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1, for jitter; injected so tests are deterministic. */
  random: number;
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

// The server answered "not now" without acting: 429 by definition, 503 by convention (a gateway
// or the application refusing work before it starts).
const refusedBeforeProcessing = new Set([429, 503]);
// Gateway failures and timeouts: the request may or may not have been processed upstream.
const ambiguousStatus = new Set([408, 502, 504]);
// The connection never carried the request.
const neverSent = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// The connection broke, possibly after the request was delivered (PARSE_ERROR: core-rest-pipeline
// lost the answer half-way, so the server certainly acted).
export const brokenMidway = new Set(['ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'ECONNABORTED', 'PARSE_ERROR']);

export function retryDecision(input: RetryInput): RetryDecision {
  if (input.attempt >= input.maxRetries) return { retry: false };
  const idempotent = input.replay === 'idempotent';
  let eligible = false;
  if (input.status !== undefined) {
    eligible = refusedBeforeProcessing.has(input.status) || (idempotent && ambiguousStatus.has(input.status));
  } else if (input.errorCode !== undefined) {
    eligible = neverSent.has(input.errorCode) || (idempotent && brokenMidway.has(input.errorCode));
  }
  if (!eligible) return { retry: false };

  const backoff = Math.min(input.maxDelayMs, input.baseDelayMs * 2 ** input.attempt);
  const jittered = Math.round(backoff * (0.8 + 0.4 * input.random));
  const serverDelay = retryAfterMs(input);
  if (serverDelay === undefined) return { retry: true, delayMs: jittered };
  // A server asking for a longer pause than we are willing to wait gets its answer shown instead.
  if (serverDelay > input.maxDelayMs * 4) return { retry: false };
  return { retry: true, delayMs: serverDelay };
}

export function retryAfterMs(input: Pick<RetryInput, 'retryAfter' | 'retryAfterMs' | 'nowMs'>): number | undefined {
  if (input.retryAfterMs !== undefined && /^\d+$/.test(input.retryAfterMs.trim())) return Number(input.retryAfterMs.trim());
  const value = input.retryAfter?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - input.nowMs) : undefined;
}
