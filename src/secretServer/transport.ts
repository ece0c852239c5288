import * as tls from 'node:tls';
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
  type TlsSettings,
} from '@azure/core-rest-pipeline';
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { maskSecrets } from '../core/secretMask';
import { cancelledError, delay } from './cancellation';
import { brokenMidway, retryDecision, type ReplayClass } from './retryRules';

// HTTPS to Secret Server on @azure/core-rest-pipeline: TLS trust, timeouts, and a retry policy
// that knows which calls are safe to send twice (see retryRules.ts). Redirects are not followed:
// a redirect means the configured URL is not the API base, and following it would drop the
// bearer token anyway.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

export interface TransportOptions {
  /** PEM of an extra CA to trust (an on-premises PKI, or the sandbox); the system roots stay trusted. */
  caPem?: string;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Per attempt (default 60 s). */
  timeoutMs?: number;
  now?: () => number;
  random?: () => number;
  /** Takes every response's `Date` header (the service clock that expiry is judged by). */
  observeServiceDate?: (dateHeader: string | undefined) => void;
}

export interface TransportRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  replay: ReplayClass;
  signal?: AbortSignal;
  /** Gerund phrase for messages: "Reading the key management configuration". */
  operation: string;
  knownSecrets?: readonly string[];
}

export interface TransportResponse {
  method: HttpMethod;
  url: string;
  status: number;
  contentType?: string;
  text: string;
  /** The server's id for the request, when it sends one (for the activity log and support). */
  requestId?: string;
}

/**
 * Trust in the public roots and one extra CA, as one TLS context made once per CA. Given as `ca`
 * instead, the roots (~140 certificates) would be parsed again for every new connection and
 * joined into the socket pool's key on every request: most of a readiness check's CPU time.
 */
const trustContexts = new Map<string, tls.SecureContext>();

function trustWith(caPem: string): TlsSettings {
  let context = trustContexts.get(caPem);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, caPem] });
    trustContexts.set(caPem, context);
  }
  // The pipeline hands its TLS settings to Node's https.Agent as they are, and `secureContext` is
  // an option of the Agent's connections. Were it dropped, no CA would be added: the sandbox or an
  // on-premises server would be refused, never trusted by mistake.
  return { secureContext: context } as TlsSettings;
}

export class SecretServerTransport {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly replayOf = new WeakMap<PipelineRequest, ReplayClass>();
  private readonly timeoutMs: number;

  constructor(options: TransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.httpClient = createDefaultHttpClient();
    this.pipeline = createPipelineFromOptions({
      tlsOptions: options.caPem ? trustWith(options.caPem) : undefined,
      redirectOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: 'managed-hsm-for-secret-server' },
    });
    this.pipeline.removePolicy({ phase: 'Retry' });
    this.pipeline.addPolicy(this.retryPolicy(options), { phase: 'Retry' });
    const observe = options.observeServiceDate;
    if (observe) {
      this.pipeline.addPolicy({
        name: 'serviceDatePolicy',
        sendRequest: async (request, next) => {
          const response = await next(request);
          observe(response.headers.get('date'));
          return response;
        },
      });
    }
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    const request = createPipelineRequest({
      url: req.url,
      method: req.method,
      headers: createHttpHeaders({ accept: 'application/json', ...(req.headers ?? {}) }),
      body: req.body,
      abortSignal: req.signal,
      timeout: this.timeoutMs,
    });
    this.replayOf.set(request, req.replay);
    let response: PipelineResponse;
    try {
      response = await this.pipeline.sendRequest(this.httpClient, request);
    } catch (error) {
      throw this.connectionError(error, req);
    }
    return {
      method: req.method,
      url: req.url,
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: response.bodyAsText ?? '',
      requestId: requestIdHeaders.map((h) => response.headers.get(h)).find((v) => v) ?? undefined,
    };
  }

  private retryPolicy(options: TransportOptions): PipelinePolicy {
    const now = options.now ?? Date.now;
    const random = options.random ?? Math.random;
    return {
      name: 'secretServerRetryPolicy',
      sendRequest: async (request, next) => {
        for (let attempt = 0; ; attempt++) {
          let response: PipelineResponse | undefined;
          let failure: unknown;
          try {
            response = await next(request);
          } catch (error) {
            failure = error;
          }
          if (request.abortSignal?.aborted) throw failure ?? cancelledError(l10n.t('The Secret Server request'));
          const decision = retryDecision({
            replay: this.replayOf.get(request) ?? 'once',
            attempt,
            maxRetries: options.maxRetries ?? 3,
            status: response?.status,
            retryAfter: response?.headers.get('retry-after'),
            retryAfterMs: response?.headers.get('retry-after-ms'),
            errorCode: response ? undefined : systemErrorCode(failure),
            nowMs: now(),
            baseDelayMs: options.retryDelayMs ?? 800,
            maxDelayMs: options.maxRetryDelayMs ?? 15_000,
            random: random(),
          });
          if (!decision.retry) {
            if (response) return response;
            throw failure;
          }
          await delay(decision.delayMs, request.abortSignal, l10n.t('The Secret Server request'));
        }
      },
    };
  }

  private connectionError(error: unknown, req: TransportRequest): ActionableError {
    if (error instanceof ActionableError) return error;
    if (req.signal?.aborted) return cancelledError(req.operation);
    const host = safeHost(req.url);
    const code = systemErrorCode(error);
    const message = maskSecrets(error instanceof Error ? error.message : String(error), req.knownSecrets ?? []);
    const detail = `${req.method} ${req.url}: ${code ?? ''} ${message}`.trim();
    const fail = (why: string, todo: string) => new ActionableError(l10n.t('{0} failed because {1}; {2}.', req.operation, why, todo), 'unavailable', detail, code);
    if (code && /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)|ERR_TLS|HOSTNAME/i.test(code)) {
      return fail(
        l10n.t('the TLS certificate of {0} is not trusted ({1})', host, code),
        l10n.t('make sure the URL uses the server’s own host name and that its issuing CA is trusted (system store, or the CA setting)'),
      );
    }
    if (isAbortError(error)) {
      return fail(l10n.t('{0} did not answer within {1} seconds', host, Math.round(this.timeoutMs / 1000)), l10n.t('check that Secret Server is running and reachable, then try again'));
    }
    if (req.replay === 'once' && code && brokenMidway.has(code)) {
      return fail(
        l10n.t('the connection to {0} broke after the request was sent, so it may or may not have been applied', host),
        l10n.t('check the current state in Secret Server before trying again'),
      );
    }
    if (code && brokenMidway.has(code)) {
      return fail(l10n.t('the connection to {0} broke before the answer arrived ({1})', host, code), l10n.t('check your network or proxy and that Secret Server is running, then try again'));
    }
    return fail(l10n.t('{0} could not be reached{1}', host, code ? ` (${code})` : ''), l10n.t('check the Secret Server URL, your network or proxy, and that the server is running'));
  }
}

/** Headers Secret Server or a gateway in front of it may name the request by. */
const requestIdHeaders = ['x-request-id', 'request-id', 'x-ms-request-id', 'x-correlation-id'];

function systemErrorCode(error: unknown): string | undefined {
  if (isRestError(error) && typeof error.code === 'string' && error.code !== 'REQUEST_SEND_ERROR') return error.code;
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code ?? (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return l10n.t('the server');
  }
}
