import type { TokenCredential } from '@azure/core-auth';
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { normaliseRegion } from '../core/securityDomainPolicy';
import type { AzureCloud } from './cloud';
import { tlsOptionsFor } from './cloud';
import { observeServiceDate } from './serviceDatePolicy';
import { toActionableError } from './azureErrors';
import type { OperationOptions } from './operationOptions';
import { sendJson } from './jsonExchange';

// Resource groups (Microsoft.Resources). ARM never creates one implicitly, so a new HSM in a new
// group takes two calls; the list feeds the Create Managed HSM picker. Only these requests are needed, so they are sent over
// @azure/core-rest-pipeline with ARM's bearer policy instead of pulling in @azure/arm-resources.

const apiVersion = '2021-04-01';

export interface ResourceGroupResult {
  name: string;
  location: string;
  created: boolean;
}

/** Returns the group if it exists (in any location), else creates it in `location`. */
export async function ensureResourceGroup(
  cloud: AzureCloud,
  credential: TokenCredential,
  subscriptionId: string,
  name: string,
  location: string,
  options: OperationOptions = {},
): Promise<ResourceGroupResult> {
  if (!/^[-\w.()]{1,90}$/u.test(name) || name.endsWith('.')) {
    throw new ActionableError(
      l10n.t('\'{0}\' is not a valid resource group name: use 1 to 90 letters, digits, underscores, hyphens, periods or parentheses, not ending in a period.', name),
      'invalidInput',
    );
  }
  const url = `${cloud.armEndpoint.replace(/\/+$/, '')}/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups/${encodeURIComponent(name)}?api-version=${apiVersion}`;
  const existing = await armSend(cloud, credential, 'GET', url, l10n.t('read resource group {0}', name), options, undefined, [404]);
  if (existing.status === 200) {
    const body = existing.body as { name?: string; location?: string };
    return { name: body.name ?? name, location: body.location ?? '', created: false };
  }
  const created = await armSend(cloud, credential, 'PUT', url, l10n.t('create resource group {0}', name), options, { location: normaliseRegion(location) });
  const body = created.body as { name?: string; location?: string };
  return { name: body.name ?? name, location: body.location ?? normaliseRegion(location), created: created.status === 201 };
}

/** Names of the subscription's resource groups, all pages, sorted case-insensitively. */
export async function listResourceGroups(cloud: AzureCloud, credential: TokenCredential, subscriptionId: string, options: OperationOptions = {}): Promise<string[]> {
  const base = cloud.armEndpoint.replace(/\/+$/, '');
  const armOrigin = new URL(base).origin;
  const names: string[] = [];
  let url: string | undefined = `${base}/subscriptions/${encodeURIComponent(subscriptionId)}/resourcegroups?api-version=${apiVersion}`;
  for (let page = 0; url && page < 100; page++) {
    // Never hand an ARM token to another host, whatever a nextLink says.
    if (new URL(url).origin !== armOrigin) throw new ActionableError(l10n.t('Refusing to follow a resource group page link to another host ({0}).', new URL(url).origin), 'unexpected');
    const response = await armSend(cloud, credential, 'GET', url, l10n.t('list the resource groups of subscription {0}', subscriptionId), options);
    const body = response.body as { value?: { name?: unknown }[]; nextLink?: unknown };
    for (const group of body.value ?? []) if (typeof group.name === 'string') names.push(group.name);
    url = typeof body.nextLink === 'string' && body.nextLink ? body.nextLink : undefined;
  }
  return names.sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
}

async function armSend(
  cloud: AzureCloud,
  credential: TokenCredential,
  method: 'GET' | 'PUT',
  url: string,
  what: string,
  options: OperationOptions,
  body?: unknown,
  tolerated: number[] = [],
): Promise<{ status: number; body: unknown }> {
  try {
    const rest = await import('@azure/core-rest-pipeline');
    const pipeline = rest.createPipelineFromOptions({ ...tlsOptionsFor(cloud), userAgentOptions: { userAgentPrefix: 'managed-hsm-for-secret-server' } });
    observeServiceDate(pipeline, cloud);
    pipeline.addPolicy(rest.bearerTokenAuthenticationPolicy({ credential, scopes: [cloud.armScope] }));
    return await sendJson({ pipeline, httpClient: rest.createDefaultHttpClient() }, method, url, options, body, tolerated);
  } catch (err) {
    throw toActionableError(err, what);
  }
}
