import { HttpError } from '../http/exchange';
import type { SandboxContext } from '../context';
import type { Principal } from '../entra/bearer';
import type { Application, ServicePrincipal, Tenant } from '../state/world';
import { isGuid } from './graphBody';
import { isFirstPartyApp } from './directoryShapes';

// Finding directory objects the way Graph addresses them: by object id (`/applications/{id}`) or
// by alternate key (`/applications(appId='…')`), always inside the caller's own tenant.

export type ObjectKey = { id: string } | { appId: string };

export function callerTenant(ctx: SandboxContext, principal: Principal): Tenant {
  const tenant = ctx.store.world.tenants.find((t) => t.id === principal.tenantId);
  if (!tenant) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
  return tenant;
}

export function notFound(name: string): HttpError {
  return new HttpError(404, 'Request_ResourceNotFound', `Resource '${name}' does not exist or one of its queried reference-property objects are not present.`);
}

function checkObjectId(key: ObjectKey): void {
  if ('id' in key && !isGuid(key.id)) throw new HttpError(400, 'Request_BadRequest', `Invalid object identifier '${key.id}'.`);
}

/** The tenant's own app registrations (Microsoft's first-party apps are registered elsewhere). */
export function tenantApplications(ctx: SandboxContext, tenant: Tenant): Application[] {
  return ctx.store.world.applications.filter((a) => a.tenantId === tenant.id && !isFirstPartyApp(a.appId));
}

export function tenantServicePrincipals(ctx: SandboxContext, tenant: Tenant): ServicePrincipal[] {
  return ctx.store.world.servicePrincipals.filter((s) => s.tenantId === tenant.id);
}

export function findApplication(ctx: SandboxContext, tenant: Tenant, key: ObjectKey): Application {
  checkObjectId(key);
  const apps = tenantApplications(ctx, tenant);
  const app = 'id' in key ? apps.find((a) => a.id === key.id.toLowerCase()) : apps.find((a) => a.appId.toLowerCase() === key.appId.toLowerCase());
  if (!app) throw notFound('id' in key ? key.id : key.appId);
  return app;
}

export function findServicePrincipal(ctx: SandboxContext, tenant: Tenant, key: ObjectKey): ServicePrincipal {
  checkObjectId(key);
  const sps = tenantServicePrincipals(ctx, tenant);
  const sp = 'id' in key ? sps.find((s) => s.id === key.id.toLowerCase()) : sps.find((s) => s.appId.toLowerCase() === key.appId.toLowerCase());
  if (!sp) throw notFound('id' in key ? key.id : key.appId);
  return sp;
}

/** Graph's timestamps: ISO 8601 in UTC. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
