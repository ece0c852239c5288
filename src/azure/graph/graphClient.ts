import type { TokenCredential } from '@azure/core-auth';
import type { PipelineRetryOptions } from '@azure/core-rest-pipeline';
import * as l10n from '@vscode/l10n';
import { tlsOptionsFor, type AzureCloud } from '../cloud';
import { observeServiceDate } from '../serviceDatePolicy';
import type { OperationOptions } from '../operationOptions';

// A small Microsoft Graph v1.0 client on @azure/core-rest-pipeline: bearer tokens for the cloud's
// Graph scope (with CAE claims challenges handled by the policy), retries with Retry-After, and
// the cloud's TLS trust. Failures are thrown as RestError with Graph's error code, so that
// toActionableError reads them like any SDK error.

export interface GraphRequest extends OperationOptions {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under /v1.0 (e.g. `/applications`), or an absolute @odata.nextLink on the same host. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface GraphClient {
  /** The parsed JSON body; undefined for 204 No Content. */
  send<T>(request: GraphRequest): Promise<T | undefined>;
}

export interface GraphClientOptions {
  retryOptions?: PipelineRetryOptions;
}

export async function createGraphClient(cloud: AzureCloud, credential: TokenCredential, options: GraphClientOptions = {}): Promise<GraphClient> {
  // Loaded on first use, like the SDK clients.
  const p = await import('@azure/core-rest-pipeline');
  const pipeline = p.createPipelineFromOptions({
    retryOptions: options.retryOptions,
    userAgentOptions: { userAgentPrefix: 'managed-hsm-for-secret-server' },
    ...tlsOptionsFor(cloud),
  });
  pipeline.addPolicy(p.bearerTokenAuthenticationPolicy({ credential, scopes: cloud.graphScope }));
  observeServiceDate(pipeline, cloud);
  const httpClient = p.createDefaultHttpClient();
  const base = `${cloud.graphEndpoint.replace(/\/+$/, '')}/v1.0`;
  const graphOrigin = new URL(base).origin;

  return {
    async send<T>(request: GraphRequest): Promise<T | undefined> {
      const url = new URL(/^https:\/\//i.test(request.path) ? request.path : `${base}${request.path}`);
      // Never hand a Graph token to another host, whatever a nextLink says.
      if (url.origin !== graphOrigin) throw new Error(`Refusing to follow a Graph link to another host: ${url.origin}`);
      for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const pipelineRequest = p.createPipelineRequest({
        url: url.toString(),
        method: request.method,
        body,
        abortSignal: request.abortSignal,
        headers: p.createHttpHeaders({ accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }),
      });
      const response = await pipeline.sendRequest(httpClient, pipelineRequest);
      const text = response.bodyAsText ?? '';
      const parsed = text ? parseJson(text) : undefined;
      if (response.status >= 400) {
        const error = isObject(parsed) && isObject(parsed.error) ? parsed.error : {};
        const code = typeof error.code === 'string' ? error.code : undefined;
        const message = typeof error.message === 'string' ? error.message : l10n.t('Microsoft Graph answered {0}.', response.status);
        throw new p.RestError(message, { code, statusCode: response.status, request: pipelineRequest, response });
      }
      if (response.status === 204 || !text) return undefined;
      return parsed as T;
    },
  };
}

/** A Graph 404 (Request_ResourceNotFound), which lookups turn into "none". */
export function isNotFound(err: unknown): boolean {
  return isObject(err) && err.statusCode === 404;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
