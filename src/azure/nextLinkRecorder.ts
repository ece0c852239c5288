import { AsyncLocalStorage } from 'node:async_hooks';
import type { PipelinePolicy } from '@azure/core-rest-pipeline' with { 'resolution-mode': 'import' };

// @azure/keyvault-keys 4.10.x drops the continuation token: its byPage() maps each page to a new
// array and leaves `continuationToken` behind (transformations.js, mapPagedAsyncIterable). A
// token passed IN still works. This policy recovers the token going OUT: it reads the `nextLink`
// of list responses and hands it to whichever call is running, found through AsyncLocalStorage,
// so concurrent listings on one shared client cannot see each other's links.

interface PageSink {
  nextLink?: string;
}

const sinks = new AsyncLocalStorage<PageSink>();

export const nextLinkRecorderPolicy: PipelinePolicy = {
  name: 'mhsmNextLinkRecorder',
  async sendRequest(request, next) {
    const response = await next(request);
    const sink = sinks.getStore();
    if (sink && request.method === 'GET' && response.status === 200 && response.bodyAsText) {
      try {
        const body = JSON.parse(response.bodyAsText) as { value?: unknown; nextLink?: unknown };
        if (Array.isArray(body.value)) sink.nextLink = typeof body.nextLink === 'string' && body.nextLink ? body.nextLink : undefined;
      } catch {
        // Not a JSON list: nothing to record; the SDK reports the body's problem itself.
      }
    }
    return response;
  },
};

/** Runs `fetchPage` (which must request exactly one list page) and returns it with that page's nextLink. */
export async function withNextLink<T>(fetchPage: () => Promise<T>): Promise<{ result: T; nextLink?: string }> {
  const sink: PageSink = {};
  const result = await sinks.run(sink, fetchPage);
  return { result, nextLink: sink.nextLink };
}
