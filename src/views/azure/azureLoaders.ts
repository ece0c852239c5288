import { createGraphClient, isNotFound } from '../../azure/graph/graphClient';
import { ManagedHsmKeys } from '../../azure/keys';
import { ManagedHsmRbac } from '../../azure/localRbac';
import { listManagedHsms } from '../../azure/managedHsms';
import { listSubscriptions, listTenants } from '../../azure/subscriptions';
import type { Services } from '../../services';
import type { AzureLoaders, PrincipalInfo } from './azureTreeModel';

// The tree's loaders over src/azure with VS Code sessions that never prompt (a tree load must not
// pop up a sign-in dialog; the error node offers that instead). The src/azure modules import
// their SDKs on first call, so importing them here costs activation almost nothing.

export function azureLoaders(services: Services): AzureLoaders {
  const quiet = (tenantId?: string) => services.credential({ tenantId, interactive: false });
  const keyClients = new Map<string, ManagedHsmKeys>();
  const keysFor = (hsm: { hsmUri: string; tenantId: string; name: string }): ManagedHsmKeys => {
    const id = `${services.cloud().name} ${hsm.tenantId} ${hsm.hsmUri}`;
    let keys = keyClients.get(id);
    if (!keys) {
      keys = new ManagedHsmKeys(services.cloud(), quiet(hsm.tenantId), hsm.hsmUri, { displayName: hsm.name });
      keyClients.set(id, keys);
    }
    return keys;
  };

  return {
    async signedInAccount() {
      const cloud = services.cloud();
      const session = await services.auth.getSession(cloud.authProviderId, [cloud.armScope], { silent: true });
      return session?.account.label;
    },
    async listTenants() {
      return listTenants(services.cloud(), quiet());
    },
    async listSubscriptions(tenantId) {
      const result = await listSubscriptions(services.cloud(), quiet(tenantId), { tenantIds: [tenantId] });
      if (result.failures.length) throw result.failures[0].error;
      return result.items;
    },
    async listHsms(subscription) {
      return listManagedHsms(services.cloud(), quiet(subscription.tenantId), subscription.subscriptionId);
    },
    async listKeysPage(hsm, continuationToken) {
      return keysFor(hsm).listKeysPage({ continuationToken, maxPageSize: 25 });
    },
    async getKey(hsm, name) {
      return keysFor(hsm).getKey(name);
    },
    async listVersions(hsm, name) {
      const keys = keysFor(hsm);
      const all: Awaited<ReturnType<ManagedHsmKeys['listVersionsPage']>>['items'] = [];
      let token: string | undefined;
      do {
        const page = await keys.listVersionsPage(name, { continuationToken: token });
        all.push(...page.items);
        token = page.continuationToken;
      } while (token);
      return all;
    },
    async listRoleAssignments(hsm, scope) {
      return new ManagedHsmRbac(services.cloud(), quiet(hsm.tenantId), hsm.hsmUri, { displayName: hsm.name }).listRoleAssignmentsAtScope(scope);
    },
    async describePrincipals(tenantId, principalIds) {
      const graph = await createGraphClient(services.cloud(), quiet(tenantId), { retryOptions: { maxRetries: 1 } });
      const found = new Map<string, PrincipalInfo>();
      // A service principal, else a user, else a group: Graph has no single cheap lookup that every
      // cloud (and the sandbox) serves. A failure leaves that principal unnamed.
      const lookups: [string, (o: Record<string, unknown>) => string][] = [
        ['servicePrincipals', (o) => `ServicePrincipal (${String(o.servicePrincipalType ?? 'Application')})`],
        ['users', () => 'User'],
        ['groups', () => 'Group'],
      ];
      await Promise.all(
        principalIds.map(async (id) => {
          for (const [collection, type] of lookups) {
            try {
              const o = await graph.send<Record<string, unknown>>({ method: 'GET', path: `/${collection}/${encodeURIComponent(id)}` });
              if (o && typeof o.displayName === 'string') found.set(id, { displayName: o.displayName, type: type(o) });
              return;
            } catch (err) {
              if (!isNotFound(err)) return;
            }
          }
        }),
      );
      return found;
    },
  };
}
