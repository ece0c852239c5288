import type { TokenCredential } from '@azure/core-auth';
import type { AzureCloud } from './cloud';
import { legacyArmClientOptions } from './armClientOptions';
import { toActionableError } from './azureErrors';
import type { OperationOptions } from './operationOptions';
import type { PartialResult } from './partialResult';
import { tenantCredential } from './tenantCredential';

// Tenants and subscriptions through ARM (@azure/arm-resources-subscriptions, loaded on first use).

export interface TenantInfo {
  tenantId: string;
  displayName?: string;
  defaultDomain?: string;
}

export interface SubscriptionInfo {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  /** Enabled, Warned, PastDue, Disabled or Deleted. */
  state?: string;
}

/** The tenants the signed-in account can reach. */
export async function listTenants(cloud: AzureCloud, credential: TokenCredential, options: OperationOptions = {}): Promise<TenantInfo[]> {
  const client = await subscriptionClient(cloud, credential);
  try {
    const tenants: TenantInfo[] = [];
    for await (const t of client.tenants.list({ abortSignal: options.abortSignal })) {
      if (!t.tenantId) continue;
      tenants.push({ tenantId: t.tenantId, displayName: t.displayName, defaultDomain: t.defaultDomain });
    }
    return tenants;
  } catch (err) {
    throw toActionableError(err, 'list your Azure tenants');
  }
}

/**
 * Subscriptions of every tenant (or of `tenantIds`), each tenant asked with a token of its own.
 * A tenant that fails (locked, needs MFA, no access) is reported in `failures`, the rest still listed.
 */
export async function listSubscriptions(
  cloud: AzureCloud,
  credential: TokenCredential,
  options: OperationOptions & { tenantIds?: string[] } = {},
): Promise<PartialResult<SubscriptionInfo>> {
  const tenantIds = options.tenantIds ?? (await listTenants(cloud, credential, options)).map((t) => t.tenantId);
  const result: PartialResult<SubscriptionInfo> = { items: [], failures: [] };
  const seen = new Set<string>();
  const perTenant = await Promise.allSettled(tenantIds.map((tid) => listTenantSubscriptions(cloud, tenantCredential(credential, tid), tid, options)));
  perTenant.forEach((outcome, i) => {
    if (outcome.status === 'rejected') {
      result.failures.push({ scope: tenantIds[i], error: toActionableError(outcome.reason, `list the subscriptions of tenant ${tenantIds[i]}`) });
      return;
    }
    for (const s of outcome.value) {
      if (seen.has(s.subscriptionId)) continue;
      seen.add(s.subscriptionId);
      result.items.push(s);
    }
  });
  result.items.sort((a, b) => a.displayName.localeCompare(b.displayName));
  return result;
}

async function listTenantSubscriptions(cloud: AzureCloud, credential: TokenCredential, tenantId: string, options: OperationOptions): Promise<SubscriptionInfo[]> {
  const client = await subscriptionClient(cloud, credential);
  const items: SubscriptionInfo[] = [];
  for await (const s of client.subscriptions.list({ abortSignal: options.abortSignal })) {
    if (!s.subscriptionId) continue;
    items.push({ subscriptionId: s.subscriptionId, displayName: s.displayName ?? s.subscriptionId, tenantId: s.tenantId ?? tenantId, state: s.state });
  }
  return items;
}

async function subscriptionClient(cloud: AzureCloud, credential: TokenCredential) {
  const { SubscriptionClient } = await import('@azure/arm-resources-subscriptions');
  return new SubscriptionClient(credential, legacyArmClientOptions(cloud) as ConstructorParameters<typeof SubscriptionClient>[1]);
}
