import { HttpError, json } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Tenant } from '../state/world';
import { authenticateGraphCaller, requireGraphAccess } from './graphCaller';
import { callerTenant, notFound } from './directoryLookup';
import { selectProperties, userJson, userProperties } from './directoryShapes';
import { parseSelect } from './odataQuery';

function organizationJson(tenant: Tenant): Record<string, unknown> {
  return {
    id: tenant.id,
    deletedDateTime: null,
    businessPhones: [],
    city: null,
    country: null,
    countryLetterCode: 'US',
    createdDateTime: null,
    displayName: tenant.displayName,
    marketingNotificationEmails: [],
    onPremisesSyncEnabled: null,
    postalCode: null,
    preferredLanguage: 'en',
    state: null,
    street: null,
    technicalNotificationMails: [],
    tenantType: 'AAD',
    assignedPlans: [],
    privacyProfile: null,
    provisionedPlans: [],
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    verifiedDomains: [{ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: true, name: tenant.defaultDomain, type: 'Managed' }],
  };
}

/** The signed-in user (/me) and the caller's tenant (/organization). */
export function registerDirectoryRoutes(r: Router, ctx: SandboxContext): void {
  r.on('GET', '/v1.0/me', (req) => {
    const principal = authenticateGraphCaller(ctx, req);
    if (principal.kind === 'app') throw new HttpError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    requireGraphAccess(principal, 'me.read');
    const select = parseSelect(req, { typeName: 'microsoft.graph.user', resourceName: 'User', properties: userProperties, filterable: {} });
    const user = ctx.store.world.users.find((u) => u.objectId === principal.objectId);
    if (!user) throw notFound(principal.objectId);
    const projection = select ? `(${select.join(',')})` : '';
    return json(200, { '@odata.context': `${req.origin}/v1.0/$metadata#users${projection}/$entity`, ...selectProperties(userJson(user), select) });
  });

  r.on('GET', '/v1.0/organization', (req) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'organization.read');
    const tenant = callerTenant(ctx, principal);
    return json(200, { '@odata.context': `${req.origin}/v1.0/$metadata#organization`, value: [organizationJson(tenant)] });
  });

  r.on('GET', '/v1.0/organization/:id', (req) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'organization.read');
    const tenant = callerTenant(ctx, principal);
    if (req.params.id.toLowerCase() !== tenant.id) throw notFound(req.params.id);
    return json(200, { '@odata.context': `${req.origin}/v1.0/$metadata#organization/$entity`, ...organizationJson(tenant) });
  });
}
