import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import type { ActivityResult, ActivitySink } from '../core/activity/activityRecord';
import { azureChange } from '../core/activity/azureChanges';
import { accountFromAuthorization } from '../core/activity/tokenAccount';

// Every Azure client of the extension sends through a pipeline with this policy, so each change
// (see core/activity/azureChanges.ts) is recorded once, where it happens, whichever command or fix
// made it. Per call, outside the retry policy: one record per change with its final outcome. The
// correlation id is the service's x-ms-request-id; the pipeline also sends its own
// x-ms-client-request-id (request.requestId), kept alongside.

const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);

export function activityPolicy(sink: ActivitySink): PipelinePolicy {
  return {
    name: 'activityPolicy',
    sendRequest: async (request, next) => {
      if (readOnly.has(request.method)) return next(request);
      const requestBody = typeof request.body === 'string' ? request.body : undefined;
      let response: PipelineResponse;
      try {
        response = await next(request);
      } catch (error) {
        const change = azureChange({ method: request.method, url: request.url, requestBody });
        if (change) {
          const errorResponse = (error as { response?: PipelineResponse }).response;
          sink.record({
            ...change,
            ...ids(request, errorResponse),
            service: 'Azure',
            account: accountOf(request),
            result: cancelled(error, request) ? 'cancelled' : 'failed',
            message: error instanceof Error ? error.message : String(error),
          });
        }
        throw error;
      }
      const ok = response.status < 400;
      const change = azureChange({ method: request.method, url: request.url, requestBody, responseBody: ok ? response.bodyAsText ?? undefined : undefined });
      if (change) {
        const result: ActivityResult = ok ? 'succeeded' : 'failed';
        sink.record({
          ...change,
          ...ids(request, response),
          service: 'Azure',
          account: accountOf(request),
          result,
          message: ok ? (response.status === 202 ? 'Accepted; the service completes it in the background.' : undefined) : errorMessage(response),
        });
      }
      return response;
    },
  };
}

function accountOf(request: PipelineRequest): string {
  return accountFromAuthorization(request.headers.get('authorization')) ?? 'unknown';
}

function ids(request: PipelineRequest, response: PipelineResponse | undefined): { correlationId?: string; clientRequestId?: string } {
  const correlationId = response?.headers.get('x-ms-request-id') ?? response?.headers.get('request-id') ?? undefined;
  return { correlationId, clientRequestId: request.headers.get('x-ms-client-request-id') ?? request.requestId };
}

function cancelled(error: unknown, request: PipelineRequest): boolean {
  return request.abortSignal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/** "403 Forbidden: <the service's message>" from an Azure error body. */
function errorMessage(response: PipelineResponse): string {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(response.bodyAsText ?? '') as { error?: { code?: unknown; message?: unknown } };
    code = typeof body.error?.code === 'string' ? body.error.code : undefined;
    message = typeof body.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    // Not JSON: the status alone says what failed.
  }
  return [`HTTP ${response.status}`, code, message].filter(Boolean).join(': ');
}
