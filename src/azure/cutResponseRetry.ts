import type { PipelinePolicy } from '@azure/core-rest-pipeline';

// A connection cut in the middle of a response body ("Error reading response as text: aborted")
// is not among the network errors the SDKs' retry policy retries. A read changes nothing, so it
// is sent again; a write is not (the service may have acted on it) and its error says so
// (azureErrors.ts).

const attempts = 3;

export function isCutResponse(err: unknown): boolean {
  const message = (err as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && /Error reading response as text|socket hang up/i.test(message);
}

export const cutResponseRetryPolicy: PipelinePolicy = {
  name: 'cutResponseRetryPolicy',
  sendRequest: async (request, next) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(request);
      } catch (err) {
        if (request.method !== 'GET' || attempt >= attempts || !isCutResponse(err) || request.abortSignal?.aborted) throw err;
      }
    }
  },
};
