import { HttpError, json, type ErrorStyle, type SandboxRequest } from '../http/exchange';
import { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Principal } from '../entra/bearer';
import type { ResourceGroup, Subscription } from '../state/world';
import { authenticateArmCaller, requireArmApiVersion } from './armCaller';
import { addressedSubscription, isOwner, readableSubscription, requireArmAction } from './subscriptionAccess';
import { armPage } from './armPaging';
import { managedHsmJson } from './managedHsmShape';
import { resourceGroupJson, subscriptionJson, tenantJson, totalCount } from './subscriptionShapes';
import { registerManagedHsmCreateRoutes } from './managedHsmCreateRoutes';
import { registerResourceGroupRoutes } from './resourceGroupRoutes';

/** The ARM error envelope. */
export const armErrorStyle: ErrorStyle = (_status, code, message) => ({ error: { code, message } });

const hsmRead = 'Microsoft.KeyVault/managedHSMs/read';
const groupRead = 'Microsoft.Resources/subscriptions/resourceGroups/read';

// Literal path segments match without regard to case, as in ARM ('resourcegroups' and
// 'resourceGroups' are the same path); resource names are compared the same way.
export function createArmRouter(ctx: SandboxContext): Router {
  const r = new Router();
  const begin = (req: SandboxRequest): Principal => {
    const principal = authenticateArmCaller(ctx, req);
    requireArmApiVersion(req);
    return principal;
  };
  const world = () => ctx.store.world;

  r.on('GET', '/subscriptions', (req) => {
    const principal = begin(req);
    const value = world().subscriptions.filter((s) => isOwner(principal, s)).map(subscriptionJson);
    return json(200, { value, count: totalCount(value.length) });
  });

  r.on('GET', '/subscriptions/:sub', (req) => {
    const principal = begin(req);
    return json(200, subscriptionJson(readableSubscription(ctx, principal, req.params.sub)));
  });

  r.on('GET', '/tenants', (req) => {
    const principal = begin(req);
    // A user sees their home tenant and every tenant they are a guest of (with or without a
    // token for it); an app only its own.
    const guestOf = principal.kind === 'user' ? (world().users.find((u) => u.objectId === principal.objectId)?.guestTenantIds ?? []) : [];
    const value = world().tenants.filter((t) => t.id === principal.tenantId || guestOf.includes(t.id)).map(tenantJson);
    return json(200, { value, count: totalCount(value.length) });
  });

  r.on('GET', '/subscriptions/:sub/resourcegroups', (req) => {
    const principal = begin(req);
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    requireArmAction(ctx, principal, subscription, groupRead, `/subscriptions/${subscription.subscriptionId}`);
    return json(200, armPage(req, subscription.resourceGroups.map((g) => resourceGroupJson(subscription, g))));
  });

  r.on('GET', '/subscriptions/:sub/resourcegroups/:rg', (req) => {
    const principal = begin(req);
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    requireArmAction(ctx, principal, subscription, groupRead, `/subscriptions/${subscription.subscriptionId}/resourceGroups/${req.params.rg}`);
    return json(200, resourceGroupJson(subscription, resourceGroup(subscription, req.params.rg)));
  });

  r.on('GET', '/subscriptions/:sub/providers/Microsoft.KeyVault/managedHSMs', (req) => {
    const principal = begin(req);
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    requireArmAction(ctx, principal, subscription, hsmRead, `/subscriptions/${subscription.subscriptionId}`);
    const hsms = world().hsms.filter((h) => sameName(h.subscriptionId, subscription.subscriptionId));
    return json(200, armPage(req, hsms.map((h) => managedHsmJson(ctx, h))));
  });

  r.on('GET', '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.KeyVault/managedHSMs', (req) => {
    const principal = begin(req);
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    requireArmAction(ctx, principal, subscription, hsmRead, `/subscriptions/${subscription.subscriptionId}/resourceGroups/${req.params.rg}`);
    const group = resourceGroup(subscription, req.params.rg);
    const hsms = world().hsms.filter((h) => sameName(h.subscriptionId, subscription.subscriptionId) && sameName(h.resourceGroup, group.name));
    return json(200, armPage(req, hsms.map((h) => managedHsmJson(ctx, h))));
  });

  r.on('GET', '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.KeyVault/managedHSMs/:name', (req) => {
    const principal = begin(req);
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    const { rg, name } = req.params;
    requireArmAction(ctx, principal, subscription, hsmRead, `/subscriptions/${subscription.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.KeyVault/managedHSMs/${name}`);
    const group = resourceGroup(subscription, rg);
    const hsm = world().hsms.find((h) => sameName(h.subscriptionId, subscription.subscriptionId) && sameName(h.resourceGroup, group.name) && sameName(h.name, name));
    if (!hsm) {
      throw new HttpError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.KeyVault/managedHSMs/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    return json(200, managedHsmJson(ctx, hsm));
  });

  registerManagedHsmCreateRoutes(r, ctx, begin);
  registerResourceGroupRoutes(r, ctx, begin);

  return r;
}

function resourceGroup(subscription: Subscription, name: string): ResourceGroup {
  const group = subscription.resourceGroups.find((g) => sameName(g.name, name));
  if (!group) throw new HttpError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
  return group;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
