import type { HttpClient, HttpMethods, Pipeline } from '@azure/core-rest-pipeline' with { 'resolution-mode': 'import' };
import * as l10n from '@vscode/l10n';
import type { OperationOptions } from './operationOptions';

// The REST calls no installable SDK covers (ARM resource groups, HSM security domain, HSM local
// RBAC) send JSON over a pipeline the caller built with its own authentication. A failure is
// thrown as the RestError the Azure SDKs throw, so that toActionableError serves them all.

export interface JsonTransport {
  pipeline: Pipeline;
  httpClient: HttpClient;
}

/** Sends `body` as JSON; answers 2xx (and `tolerated` statuses) with the parsed body, `{}` when empty. */
export async function sendJson(
  transport: JsonTransport,
  method: HttpMethods,
  url: string,
  options: OperationOptions,
  body?: unknown,
  tolerated: readonly number[] = [],
): Promise<{ status: number; body: unknown }> {
  const rest = await import('@azure/core-rest-pipeline');
  const request = rest.createPipelineRequest({ url, method, abortSignal: options.abortSignal, body: body === undefined ? undefined : JSON.stringify(body) });
  request.headers.set('accept', 'application/json');
  if (body !== undefined) request.headers.set('content-type', 'application/json');
  const response = await transport.pipeline.sendRequest(transport.httpClient, request);
  let parsed: unknown;
  try {
    parsed = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    parsed = undefined;
  }
  if ((response.status >= 200 && response.status < 300) || tolerated.includes(response.status)) return { status: response.status, body: parsed ?? {} };
  const serviceError = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
  const error = new rest.RestError(serviceError?.message ?? l10n.t('The service answered HTTP {0}.', response.status), { code: serviceError?.code, statusCode: response.status, request, response });
  error.details = parsed;
  throw error;
}
