import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { graphScope } from './azureClients';
import type { SandboxEndpoints } from './sandboxProcess';

// A tiny Microsoft Graph client for tests: the real Azure pipeline (bearer policy, retries, TLS
// trust through tlsOptions) pointed at the sandbox's Graph origin. Not product code.

export interface GraphResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface GraphTestClient {
  /** `path` is relative to the Graph origin, e.g. `/v1.0/applications`, or an absolute nextLink. */
  send(method: string, path: string, body?: unknown): Promise<GraphResponse>;
}

export function graphClient(ep: SandboxEndpoints, caPem: string, credential: TokenCredential): GraphTestClient {
  const pipeline: Pipeline = createPipelineFromOptions({ tlsOptions: { ca: caPem }, retryOptions: { maxRetries: 0 } });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: graphScope }));
  const httpClient: HttpClient = createDefaultHttpClient();
  return {
    async send(method, path, body) {
      const url = /^https:/.test(path) ? path : `${ep.graphEndpoint}${path}`;
      const request = createPipelineRequest({
        url,
        method: method.toUpperCase() as 'GET',
        headers: createHttpHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const response = await pipeline.sendRequest(httpClient, request);
      const text = response.bodyAsText ?? '';
      let parsed: unknown = undefined;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: response.status, body: parsed, headers: response.headers.toJSON() };
    },
  };
}

/** The Graph error code and message of a failed response. */
export function graphError(res: GraphResponse): { code: string; message: string } {
  const error = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return { code: error?.code ?? '', message: error?.message ?? '' };
}
