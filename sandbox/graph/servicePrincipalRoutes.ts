import { randomUUID } from 'node:crypto';
import { HttpError, json, type SandboxRequest, type SandboxResponse } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { ServicePrincipal, Tenant } from '../state/world';
import { graphErrorStyle } from './graphErrorStyle';
import { authenticateGraphCaller, requireGraphAccess } from './graphCaller';
import { isGuid, optionalString, readGraphObject, readOnlyProperty, rejectUnknownProperties, requiredValue } from './graphBody';
import { selectProperties, servicePrincipalJson, servicePrincipalProperties } from './directoryShapes';
import { callerTenant, findServicePrincipal, isoSeconds, tenantServicePrincipals, type ObjectKey } from './directoryLookup';
import { page, parseListQuery, parseSelect, type QueryModel } from './odataQuery';

const servicePrincipalModel: QueryModel<ServicePrincipal> = {
  typeName: 'microsoft.graph.servicePrincipal',
  resourceName: 'ServicePrincipal',
  properties: servicePrincipalProperties,
  filterable: {
    id: (s) => s.id,
    appId: (s) => s.appId,
    displayName: (s) => s.displayName,
    servicePrincipalType: (s) => s.servicePrincipalType,
  },
  // `az ad sp show --id` looks principals up this way.
  filterableCollections: { servicePrincipalNames: (s) => [s.appId] },
};

const readOnlyServicePrincipalProperties = ['id', 'deletedDateTime', 'appOwnerOrganizationId', 'appDisplayName', 'servicePrincipalNames'];

function contextUrl(req: SandboxRequest, select: string[] | undefined, entity: boolean): string {
  const projection = select ? `(${select.join(',')})` : '';
  return `${req.origin}/v1.0/$metadata#servicePrincipals${projection}${entity ? '/$entity' : ''}`;
}

function render(ctx: SandboxContext, sp: ServicePrincipal, tenant: Tenant): Record<string, unknown> {
  const app = ctx.store.world.applications.find((a) => a.appId === sp.appId);
  return servicePrincipalJson(sp, app, tenant);
}

/** Graph's error body with the `details` array it adds to directory conflicts and reference errors. */
function detailedError(status: number, code: string, message: string, detailCode: string, target: string): HttpError {
  const base = graphErrorStyle(status, code, message) as { error: Record<string, unknown> };
  const body = { error: { code, message, details: [{ code: detailCode, message, target }], innerError: base.error.innerError } };
  return new HttpError(status, code, message, {}, body);
}

export function registerServicePrincipalRoutes(r: Router, ctx: SandboxContext): void {
  r.on('GET', '/v1.0/servicePrincipals', (req) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.read');
    const tenant = callerTenant(ctx, principal);
    const query = parseListQuery(req, servicePrincipalModel);
    const result = page(req, tenantServicePrincipals(ctx, tenant), query);
    return json(200, {
      '@odata.context': contextUrl(req, query.select, false),
      ...(result.nextLink ? { '@odata.nextLink': result.nextLink } : {}),
      value: result.items.map((s) => selectProperties(render(ctx, s, tenant), query.select)),
    });
  });

  r.on('POST', '/v1.0/servicePrincipals', (req) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.write');
    const tenant = callerTenant(ctx, principal);
    const body = readGraphObject(req);
    rejectUnknownProperties(body, servicePrincipalProperties, servicePrincipalModel.typeName);
    for (const key of readOnlyServicePrincipalProperties) if (key in body) throw readOnlyProperty(key);
    const appId = optionalString(body, 'appId');
    if (appId === undefined || appId === null || appId === '') throw requiredValue('appId', 'ServicePrincipal');
    const world = ctx.store.world;
    // Microsoft's first-party apps live in Microsoft's tenant but may be instantiated here too.
    const app = isGuid(appId) ? world.applications.find((a) => a.appId.toLowerCase() === appId.toLowerCase() && (a.tenantId === tenant.id || a.isPublicClient)) : undefined;
    if (!app) {
      const message = `The appId '${appId}' of the service principal does not reference a valid application object.`;
      throw detailedError(400, 'Request_BadRequest', message, 'NoBackingApplicationObject', 'appId');
    }
    if (world.servicePrincipals.some((s) => s.appId === app.appId && s.tenantId === tenant.id)) {
      const message = `The service principal cannot be created, updated, or restored because the service principal name ${app.appId} is already in use.`;
      throw detailedError(409, 'Request_MultipleObjectsWithSameKeyValue', message, 'ObjectConflict', 'servicePrincipalNames');
    }
    const sp: ServicePrincipal = {
      id: randomUUID(),
      appId: app.appId,
      tenantId: tenant.id,
      displayName: app.displayName,
      servicePrincipalType: 'Application',
      graphAppRoles: [],
      createdDateTime: isoSeconds(ctx.clock.nowMs()),
    };
    ctx.store.mutate((w) => w.servicePrincipals.push(sp));
    return json(201, { '@odata.context': contextUrl(req, undefined, true), ...render(ctx, sp, tenant) }, { location: `${req.origin}/v1.0/servicePrincipals/${sp.id}` });
  });

  const onServicePrincipal = (method: string, handler: (req: SandboxRequest, key: ObjectKey) => SandboxResponse) => {
    r.on(method, '/v1.0/servicePrincipals/:id', (req) => handler(req, { id: req.params.id }));
    r.on(method, /^\/v1\.0\/servicePrincipals\(appId=(?:'|%27)(?<appId>[^'%/]*)(?:'|%27)\)$/i, (req) => handler(req, { appId: req.params.appId }));
  };

  onServicePrincipal('GET', (req, key) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.read');
    const tenant = callerTenant(ctx, principal);
    const select = parseSelect(req, servicePrincipalModel);
    const sp = findServicePrincipal(ctx, tenant, key);
    return json(200, { '@odata.context': contextUrl(req, select, true), ...selectProperties(render(ctx, sp, tenant), select) });
  });

  onServicePrincipal('DELETE', (req, key) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.write');
    const sp = findServicePrincipal(ctx, callerTenant(ctx, principal), key);
    ctx.store.mutate((w) => {
      w.servicePrincipals = w.servicePrincipals.filter((s) => s !== sp);
    });
    return { status: 204 };
  });
}
