import type { ResourceGroup, Subscription, Tenant } from '../state/world';

// Subscriptions, tenants and resource groups as ARM returns them (Microsoft.Resources,
// api-versions 2022-12-01 and 2021-04-01).

export function subscriptionJson(subscription: Subscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscription.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: subscription.subscriptionId,
    tenantId: subscription.tenantId,
    displayName: subscription.displayName,
    state: subscription.state,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

export function tenantJson(tenant: Tenant): Record<string, unknown> {
  return {
    id: `/tenants/${tenant.id}`,
    tenantId: tenant.id,
    countryCode: 'US',
    displayName: tenant.displayName,
    domains: [tenant.defaultDomain],
    tenantCategory: 'Home',
    defaultDomain: tenant.defaultDomain,
    tenantType: 'AAD',
  };
}

export function resourceGroupJson(subscription: Subscription, group: ResourceGroup): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscription.subscriptionId}/resourceGroups/${group.name}`,
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    properties: { provisioningState: 'Succeeded' },
  };
}

/** ARM's count object on subscription and tenant lists. */
export function totalCount(n: number): { type: string; value: number } {
  return { type: 'Total', value: n };
}
