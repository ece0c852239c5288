// Which Azure requests change something, and what to call the change. Every Azure client of the
// extension (ARM, Managed HSM data plane, Graph) sends through a pipeline that asks this for each
// request; reads and cryptographic operations (wrap, unwrap, sign…) are not changes. Only ids,
// names and dates are taken from bodies: a request or response may carry a secret (addPassword
// answers with the secret value), so bodies themselves are never kept.

export interface AzureChange {
  action: string;
  target: string;
}

export interface AzureExchange {
  method: string;
  url: string;
  /** The request body as sent (JSON text), if any. */
  requestBody?: string;
  /** The response body (JSON text), if any; read for ids only. */
  responseBody?: string;
}

const roleAssignment = /\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/i;

export function azureChange(exchange: AzureExchange): AzureChange | undefined {
  const method = exchange.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return undefined;
  let url: URL;
  try {
    url = new URL(exchange.url);
  } catch {
    return undefined;
  }
  const path = url.pathname.replace(/\/+$/, '');
  const target = `${url.origin}${path}`;
  const request = jsonObject(exchange.requestBody);
  const response = jsonObject(exchange.responseBody);

  if (roleAssignment.test(path)) {
    if (method === 'PUT') {
      const props = objectField(request, 'properties');
      const role = stringField(props, 'roleDefinitionId')?.split('/').pop();
      const principal = stringField(props, 'principalId');
      return { action: `Create role assignment${details(role && `role ${role}`, principal && `principal ${principal}`)}`, target };
    }
    if (method === 'DELETE') return { action: 'Delete role assignment', target };
  }
  if (/^\/(v1\.0|beta)\//i.test(path)) return graphChange(method, path, target, request, response);
  if (/^\/subscriptions\//i.test(path)) return armChange(method, path, target);
  return hsmChange(method, path, target, request);
}

function armChange(method: string, path: string, target: string): AzureChange | undefined {
  const hsm = /\/providers\/Microsoft\.KeyVault\/managedHSMs\/[^/]+$/i.test(path);
  if (hsm && method === 'PUT') return { action: 'Create Managed HSM', target };
  if (hsm && method === 'PATCH') return { action: 'Update Managed HSM', target };
  if (hsm && method === 'DELETE') return { action: 'Delete Managed HSM', target };
  if (/\/deletedManagedHSMs\/[^/]+\/purge$/i.test(path) && method === 'POST') return { action: 'Purge deleted Managed HSM', target };
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(path) && method === 'PUT') return { action: 'Create resource group', target };
  // Other ARM writes are unexpected from this extension; record them plainly rather than not at all.
  if (method === 'PUT' || method === 'PATCH' || method === 'DELETE') return { action: `${method} ${lastType(path)}`, target };
  return undefined;
}

function hsmChange(method: string, path: string, target: string, request: Record<string, unknown> | undefined): AzureChange | undefined {
  const segments = path.split('/').filter(Boolean);
  const [collection, name, third] = segments.map((s) => s.toLowerCase());
  if (collection === 'securitydomain') {
    if (method === 'POST' && name === 'download') return { action: 'Activate Managed HSM (download security domain)', target };
    if (method === 'POST' && name === 'upload') return { action: 'Upload security domain', target };
    return undefined;
  }
  if (collection === 'deletedkeys' && name) {
    if (method === 'DELETE' && segments.length === 2) return { action: 'Purge deleted key', target };
    if (method === 'POST' && third === 'recover') return { action: 'Recover deleted key', target };
    return undefined;
  }
  if (collection !== 'keys' || !name) return undefined;
  if (name === 'restore' && segments.length === 2 && method === 'POST') return { action: 'Restore key', target };
  if (segments.length === 2) {
    if (method === 'PUT') return { action: 'Import key', target };
    if (method === 'DELETE') return { action: 'Delete key', target };
    if (method === 'PATCH') return { action: `Update key${attributeChanges(request)}`, target };
    return undefined;
  }
  if (segments.length === 3 && method === 'POST' && third === 'create') return { action: 'Create key', target: target.replace(/\/create$/i, '') };
  if (segments.length === 3 && method === 'POST' && third === 'rotate') return { action: 'Rotate key (new version)', target: target.replace(/\/rotate$/i, '') };
  if (segments.length === 3 && method === 'PUT' && third === 'rotationpolicy') return { action: 'Set key rotation policy', target };
  if (segments.length === 3 && method === 'PATCH') return { action: `Update key version${attributeChanges(request)}`, target };
  // wrapkey, unwrapkey, sign, verify, encrypt, decrypt, backup, release: uses, not changes.
  return undefined;
}

function graphChange(method: string, path: string, target: string, request: Record<string, unknown> | undefined, response: Record<string, unknown> | undefined): AzureChange | undefined {
  const rest = path.replace(/^\/(v1\.0|beta)/i, '');
  if (/^\/applications$/i.test(rest) && method === 'POST') {
    const appId = stringField(response, 'appId');
    const name = stringField(response, 'displayName') ?? stringField(request, 'displayName');
    return { action: 'Create app registration', target: appId ? `${target}(appId=${appId})${details(name && `“${name}”`)}` : target };
  }
  const app = /^\/applications\/([^/]+)\/(addPassword|removePassword)$/i.exec(rest);
  if (app && method === 'POST') {
    const base = target.replace(/\/(addPassword|removePassword)$/i, '');
    if (app[2].toLowerCase() === 'addpassword') {
      // Only the secret's id and hint: the response also holds the secret value.
      const keyId = stringField(response, 'keyId');
      const hint = stringField(response, 'hint');
      return { action: 'Add client secret', target: `${base}${details(keyId && `secret ${keyId}`, hint && `hint ${hint}`)}` };
    }
    return { action: 'Remove client secret', target: `${base}${details(stringField(request, 'keyId') && `secret ${stringField(request, 'keyId')}`)}` };
  }
  if (/^\/servicePrincipals$/i.test(rest) && method === 'POST') {
    const appId = stringField(request, 'appId');
    return { action: 'Create service principal', target: `${target}${details(appId && `appId ${appId}`)}` };
  }
  if (/^\/applications\/[^/]+$/i.test(rest)) {
    if (method === 'PATCH') return { action: 'Update app registration', target };
    if (method === 'DELETE') return { action: 'Delete app registration', target };
  }
  if (/^\/servicePrincipals\/[^/]+$/i.test(rest) && method === 'DELETE') return { action: 'Delete service principal', target };
  if (method === 'POST' || method === 'PATCH' || method === 'DELETE' || method === 'PUT') return { action: `${method} ${lastType(rest)}`, target };
  return undefined;
}

/** "(disable, expiry 2026-01-01)" from a key update's attributes. */
function attributeChanges(request: Record<string, unknown> | undefined): string {
  const attributes = objectField(request, 'attributes');
  const enabled = attributes?.enabled;
  const exp = attributes?.exp;
  const parts: string[] = [];
  if (enabled === true) parts.push('enable');
  if (enabled === false) parts.push('disable');
  if (typeof exp === 'number') parts.push(`expiry ${new Date(exp * 1000).toISOString()}`);
  if (exp === null) parts.push('no expiry');
  return details(...parts);
}

function details(...parts: (string | undefined | false | 0 | null)[]): string {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p !== '');
  return kept.length > 0 ? ` (${kept.join(', ')})` : '';
}

function lastType(path: string): string {
  const segments = path.split('/').filter(Boolean);
  return segments.length >= 2 ? segments[segments.length - 2] : (segments[0] ?? '/');
}

function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function objectField(o: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const v = o?.[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringField(o: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
