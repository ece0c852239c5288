// Which Secret Server API calls change something, and what to call the change. The key management
// PUT carries the principal secret: only the type (from the operation's wording) and the key URL
// are taken from it.

export interface SecretServerExchange {
  method: string;
  /** Service path, e.g. /api/v1/key-management. */
  path: string;
  /** The body object about to be serialised, if any. */
  body?: unknown;
  /** The call's gerund phrase, e.g. "Saving the … configuration (Azure Managed HSM)". */
  operation: string;
}

export function secretServerChange(exchange: SecretServerExchange): string | undefined {
  const method = exchange.method.toUpperCase();
  if (method === 'GET') return undefined;
  const path = exchange.path.replace(/\/+$/, '').toLowerCase();
  if (path.endsWith('/api/v1/key-management') && method === 'PUT') {
    const type = /\(([^()]+)\)\s*$/.exec(exchange.operation)?.[1];
    const body = exchange.body && typeof exchange.body === 'object' ? (exchange.body as Record<string, unknown>) : {};
    const keyUrl = typeof body.azureManagedHsmKeyUrl === 'string' ? body.azureManagedHsmKeyUrl : undefined;
    const parts = [type, keyUrl && `key ${keyUrl}`].filter(Boolean);
    return `Save key management${parts.length ? ` (${parts.join(', ')})` : ''}`;
  }
  if (path.endsWith('/cancel-rotate-secret-keys')) return 'Cancel secret key rotation';
  if (path.endsWith('/rotate-secret-keys')) return 'Start secret key rotation';
  if (path.endsWith('/read-only-mode') || path.includes('read-only')) return 'Change read-only mode';
  return `${method} ${exchange.path}`;
}
