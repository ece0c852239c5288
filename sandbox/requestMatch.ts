// Which requests a test rule (fault or error reply) applies to: a service, an HTTP method and a
// regular expression on the normalised path, each with '*' / '.*' for any. Shared so both rule
// kinds read and match their targets the same way.

export interface RequestMatch {
  service: string;
  method: string;
  path: string;
  regex: RegExp;
}

/** The rule's target from control-API input, or an error sentence for bad input. */
export function parseRequestMatch(input: Record<string, unknown>): RequestMatch | string {
  const service = input.service ?? '*';
  const method = input.method ?? '*';
  const path = input.path ?? '.*';
  if (typeof service !== 'string' || typeof method !== 'string' || typeof path !== 'string') return 'service, method and path must be strings.';
  try {
    return { service, method: method.toUpperCase(), path, regex: new RegExp(path) };
  } catch {
    return 'path must be a valid regular expression.';
  }
}

export function matchesRequest(match: RequestMatch, service: string, method: string, path: string): boolean {
  return (match.service === '*' || match.service === service) && (match.method === '*' || match.method === method.toUpperCase()) && match.regex.test(path);
}
