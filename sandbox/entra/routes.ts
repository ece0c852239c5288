import { randomUUID } from 'node:crypto';
import { HttpError, formBody, json, type ErrorStyle, type SandboxRequest } from '../http/exchange';
import { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Application, PasswordCredential, Tenant, User } from '../state/world';
import { graphResource } from '../audiences';
import { secretMatches } from './secretHash';
import { graphPermissionsFor, isOidcScope, permissionOf, resolveResource } from './resources';

/** Entra ID's OAuth error body. */
export const entraErrorStyle: ErrorStyle = (_status, code, message) => {
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const numeric = /AADSTS(\d+)/.exec(message)?.[1];
  return {
    error: code,
    error_description: `${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: numeric ? [Number(numeric)] : [],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    ...(numeric ? { error_uri: `https://login.microsoftonline.com/error?code=${numeric}` } : {}),
  };
};

/** An Entra error with fields of its own next to the usual ones (e.g. `suberror` for consent). */
function entraError(status: number, code: string, message: string, extra: Record<string, unknown>): HttpError {
  const body = { ...(entraErrorStyle(status, code, message) as Record<string, unknown>), ...extra };
  return new HttpError(status, code, message, {}, body);
}

const accessTokenLifetime = 3599;
const refreshTokenLifetime = 90 * 86_400;
const multiTenantAliases = new Set(['common', 'organizations', 'consumers']);
/** A tenant segment Entra would look up: a GUID or a DNS-like name. Anything else is AADSTS900023. */
const tenantSyntax = /^[0-9a-z](?:[0-9a-z.-]{0,253}[0-9a-z])?$/i;

export function createEntraRouter(ctx: SandboxContext): Router {
  const r = new Router();
  const authority = () => ctx.origins.authority;

  r.on('GET', '/:tenant/v2.0/.well-known/openid-configuration', (req) => {
    const tenantSegment = req.params.tenant;
    const alias = multiTenantAliases.has(tenantSegment.toLowerCase());
    if (!alias && !tenantSyntax.test(tenantSegment)) throw malformedTenant(tenantSegment);
    // An unknown but well-formed tenant still gets the template document. Against the real cloud
    // MSAL never fetches this document (it ships the same template for login.microsoftonline.com)
    // and learns of the missing tenant from the token endpoint's AADSTS90002; serving the template
    // lets the SDK surface exactly that error here too.
    const known = alias ? undefined : ctx.store.world.tenants.find((t) => matchesTenant(t, tenantSegment));
    const tid = known?.id ?? (alias ? '{tenantid}' : tenantSegment);
    const base = `${authority()}/${tenantSegment}`;
    return json(200, {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${authority()}/${tid}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${ctx.origins.graph}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: new URL(ctx.origins.graph).host,
      rbac_url: 'https://pas.windows.net',
    });
  });

  r.on('GET', '/:tenant/discovery/v2.0/keys', (req) => {
    if (!multiTenantAliases.has(req.params.tenant.toLowerCase())) findTenant(ctx, req.params.tenant);
    return json(200, ctx.tokens.jwks());
  });

  r.on('GET', '/common/discovery/instance', () => {
    const host = new URL(authority()).host;
    return json(200, {
      tenant_discovery_endpoint: `${authority()}/{tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });

  r.on('POST', '/:tenant/oauth2/v2.0/token', (req) => token(ctx, req));
  return r;
}

function matchesTenant(tenant: Tenant, idOrDomain: string): boolean {
  const wanted = idOrDomain.toLowerCase();
  return tenant.id === wanted || tenant.defaultDomain.toLowerCase() === wanted;
}

/**
 * Finds a tenant by id or verified domain; Entra's AADSTS90002 otherwise. The discovery documents
 * answer it as `invalid_tenant`, the token endpoint as `invalid_request` (both HTTP 400).
 */
function findTenant(ctx: SandboxContext, idOrDomain: string, errorCode: 'invalid_tenant' | 'invalid_request' = 'invalid_tenant'): Tenant {
  if (!tenantSyntax.test(idOrDomain)) throw malformedTenant(idOrDomain);
  const tenant = ctx.store.world.tenants.find((t) => matchesTenant(t, idOrDomain));
  if (!tenant) {
    throw new HttpError(
      400,
      errorCode,
      `AADSTS90002: Tenant '${idOrDomain}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    );
  }
  return tenant;
}

function malformedTenant(segment: string): HttpError {
  return new HttpError(400, 'invalid_request', `AADSTS900023: Specified tenant identifier '${segment}' is neither a valid DNS name, nor a valid external domain.`);
}

function missingParameter(name: string): HttpError {
  return new HttpError(400, 'invalid_request', `AADSTS900144: The request body must contain the following parameter: '${name}'.`);
}

function token(ctx: SandboxContext, req: SandboxRequest) {
  const form = formBody(req);
  const grantType = form.get('grant_type');
  const tenantSegment = req.params.tenant;
  const alias = multiTenantAliases.has(tenantSegment.toLowerCase());
  if (alias && grantType === 'client_credentials') {
    throw malformedTenant(tenantSegment);
  }
  if (['common', 'consumers'].includes(tenantSegment.toLowerCase()) && grantType === 'password') {
    throw new HttpError(
      400,
      'invalid_request',
      'AADSTS9001023: The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.',
    );
  }
  const tenant = alias ? ctx.store.world.tenants[0] : findTenant(ctx, tenantSegment, 'invalid_request');
  const clientId = form.get('client_id');
  if (!grantType) throw missingParameter('grant_type');
  if (!clientId) throw missingParameter('client_id');
  switch (grantType) {
    case 'client_credentials':
      return clientCredentials(ctx, tenant, clientId, form);
    case 'password':
      return passwordGrant(ctx, tenant, clientId, form);
    case 'refresh_token':
      return refreshGrant(ctx, tenant, clientId, form);
    default:
      throw new HttpError(400, 'unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${grantType}'.`);
  }
}

function findApplication(ctx: SandboxContext, tenant: Tenant, clientId: string): Application {
  const app = ctx.store.world.applications.find((a) => a.appId.toLowerCase() === clientId.toLowerCase() && (a.tenantId === tenant.id || a.isPublicClient));
  if (!app) {
    throw new HttpError(
      400,
      'unauthorized_client',
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  return app;
}

/**
 * Checks a confidential client's secret: AADSTS7000215 when no credential of the app has this
 * value (or it is not valid yet), AADSTS7000222 when the one it matches has expired. Both are 401.
 */
function authenticateClient(ctx: SandboxContext, app: Application, secret: string): PasswordCredential {
  const now = ctx.clock.nowMs();
  const matching = app.passwordCredentials.find((c) => secretMatches(secret, c.secretHash) && Date.parse(c.startDateTime) <= now + 300_000);
  if (!matching) {
    throw new HttpError(
      401,
      'invalid_client',
      `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
    );
  }
  if (Date.parse(matching.endDateTime) <= now) {
    throw new HttpError(
      401,
      'invalid_client',
      `AADSTS7000222: The provided client secret keys for app '${app.appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
    );
  }
  return matching;
}

/** The user grants: a public client (VS Code, the CLI) sends no secret, a confidential one must. */
function authenticateIfConfidential(ctx: SandboxContext, app: Application, form: URLSearchParams): void {
  if (app.isPublicClient) return;
  const secret = form.get('client_secret');
  if (!secret) throw new HttpError(401, 'invalid_client', "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  authenticateClient(ctx, app, secret);
}

function requestedScopes(form: URLSearchParams): string[] {
  return (form.get('scope') ?? '').split(' ').filter(Boolean);
}

function clientCredentials(ctx: SandboxContext, tenant: Tenant, clientId: string, form: URLSearchParams) {
  const app = findApplication(ctx, tenant, clientId);
  const secret = form.get('client_secret');
  if (!secret) {
    throw new HttpError(401, 'invalid_client', "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
  }
  authenticateClient(ctx, app, secret);
  const sp = ctx.store.world.servicePrincipals.find((s) => s.appId === app.appId && s.tenantId === tenant.id);
  if (!sp) {
    throw new HttpError(400, 'unauthorized_client', `AADSTS7000229: The client application ${app.appId} is missing service principal in the tenant ${tenant.id}.`);
  }
  const scopes = requestedScopes(form);
  if (scopes.length === 0) throw missingParameter('scope');
  const resourceScopes = scopes.filter((s) => !isOidcScope(s));
  if (resourceScopes.length > 1) {
    throw new HttpError(
      400,
      'invalid_scope',
      `AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scopes.join(' ')} is not valid.`,
    );
  }
  if (resourceScopes.length !== 1 || !resourceScopes[0].endsWith('/.default')) {
    throw new HttpError(
      400,
      'invalid_scope',
      `AADSTS1002012: The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const audience = resolveResource(resourceScopes[0]);
  if (!audience) throw unknownResource(resourceScopes[0], tenant);
  const roles = audience.isGraph ? sp.graphAppRoles : [];
  const now = ctx.clock.nowSeconds();
  const accessToken = ctx.tokens.issue({
    aud: audience.resource,
    iss: `https://sts.windows.net/${tenant.id}/`,
    iat: now,
    nbf: now,
    exp: now + accessTokenLifetime,
    tid: tenant.id,
    oid: sp.id,
    sub: sp.id,
    appid: app.appId,
    azp: app.appId,
    idtyp: 'app',
    ...(roles.length ? { roles } : {}),
    name: sp.displayName,
  });
  return json(200, { token_type: 'Bearer', expires_in: ctx.tokens.lifetime(accessTokenLifetime), ext_expires_in: ctx.tokens.lifetime(accessTokenLifetime), access_token: accessToken });
}

function passwordGrant(ctx: SandboxContext, tenant: Tenant, clientId: string, form: URLSearchParams) {
  const app = findApplication(ctx, tenant, clientId);
  authenticateIfConfidential(ctx, app, form);
  const username = form.get('username');
  const password = form.get('password');
  if (!username) throw missingParameter('username');
  if (!password) throw missingParameter('password');
  const user = ctx.store.world.users.find((u) => inTenant(u, tenant) && u.userPrincipalName.toLowerCase() === username.toLowerCase());
  if (!user) {
    throw new HttpError(400, 'invalid_grant', `AADSTS50034: The user account {EmailHidden} does not exist in the ${tenant.id} directory. To sign into this application, the account must be added to the directory.`);
  }
  if (!secretMatches(password, user.passwordHash)) {
    throw new HttpError(400, 'invalid_grant', 'AADSTS50126: Error validating credentials due to invalid username or password.');
  }
  return userTokens(ctx, tenant, app, user.objectId, requestedScopes(form), form.get('client_info') === '1');
}

function refreshGrant(ctx: SandboxContext, tenant: Tenant, clientId: string, form: URLSearchParams) {
  const presented = form.get('refresh_token');
  if (!presented) throw missingParameter('refresh_token');
  const record = Object.prototype.hasOwnProperty.call(ctx.store.world.refreshTokens, presented) ? ctx.store.world.refreshTokens[presented] : undefined;
  const now = ctx.clock.nowSeconds();
  if (!record || record.clientId.toLowerCase() !== clientId.toLowerCase() || record.tenantId !== tenant.id) {
    throw new HttpError(400, 'invalid_grant', 'AADSTS9002313: Invalid request. Request is malformed or invalid.');
  }
  if (record.expiresAt <= now) {
    throw new HttpError(
      400,
      'invalid_grant',
      `AADSTS700082: The refresh token has expired due to inactivity. The token was issued on ${new Date((record.expiresAt - refreshTokenLifetime) * 1000).toISOString()} and was inactive for 90.00:00:00.`,
    );
  }
  const app = findApplication(ctx, tenant, clientId);
  authenticateIfConfidential(ctx, app, form);
  const scopes = requestedScopes(form);
  // A refresh token is good for any resource (multi-resource refresh): the new request's scopes win.
  const resourceRequested = scopes.some((s) => !isOidcScope(s));
  const effective = resourceRequested ? scopes : [...scopes, ...record.scopes];
  return userTokens(ctx, tenant, app, record.userObjectId, effective, form.get('client_info') === '1');
}

/** A member of the tenant, or a guest invited to it. */
function inTenant(user: User, tenant: Tenant): boolean {
  return user.tenantId === tenant.id || (user.guestTenantIds ?? []).includes(tenant.id);
}

/**
 * A Conditional Access policy that requires MFA: Entra answers a non-interactive user grant with
 * AADSTS50076, `suberror: basic_action` (MSAL's InteractionRequiredAuthError) and a claims
 * challenge naming the policy, which an interactive sign-in would satisfy.
 */
function mfaRequired(tenant: Tenant, resource: string): HttpError {
  const claims = JSON.stringify({ access_token: { capolids: { essential: true, values: [tenant.requireMfaPolicyId] } } });
  return entraError(
    400,
    'invalid_grant',
    `AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${resource}'.`,
    { suberror: 'basic_action', claims },
  );
}

function userTokens(ctx: SandboxContext, tenant: Tenant, app: Application, userObjectId: string, scopes: string[], clientInfo: boolean) {
  const user = ctx.store.world.users.find((u) => u.objectId === userObjectId && inTenant(u, tenant));
  if (!user) throw new HttpError(400, 'invalid_grant', 'AADSTS50034: The user account {EmailHidden} does not exist in the directory. To sign into this application, the account must be added to the directory.');
  const resourceScopes = scopes.filter((s) => !isOidcScope(s));
  const resources = new Set<string>();
  const audiences = resourceScopes.map((s) => {
    const a = resolveResource(s);
    if (!a) throw unknownResource(s, tenant);
    resources.add(a.resource);
    return { scope: s, ...a };
  });
  if (resources.size > 1) {
    throw new HttpError(
      400,
      'invalid_scope',
      `AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scopes.join(' ')} is not valid.`,
    );
  }
  const permissions = audiences.map((a) => permissionOf(a.scope));
  if (permissions.length > 1 && permissions.some((p) => p.toLowerCase() === '.default')) {
    throw new HttpError(
      400,
      'invalid_scope',
      `AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scopes.join(' ')} is not valid. .default scope can't be combined with resource-specific scopes.`,
    );
  }
  const audience = audiences[0] ?? { resource: graphResource, isGraph: true, scope: 'User.Read' };
  if (tenant.requireMfaPolicyId) throw mfaRequired(tenant, audience.resource);
  const granted = audience.isGraph ? graphPermissionsFor(user, app.appId, audiences.map((a) => a.scope)) : ['user_impersonation'];
  if (!Array.isArray(granted)) {
    // MSAL reads `suberror` and raises InteractionRequiredAuthError, as for a real tenant.
    throw entraError(
      400,
      'invalid_grant',
      `AADSTS65001: The user or administrator has not consented to use the application with ID '${app.appId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    );
  }
  const now = ctx.clock.nowSeconds();
  const userClaims = {
    iat: now,
    nbf: now,
    exp: now + accessTokenLifetime,
    tid: tenant.id,
    oid: user.objectId,
    sub: user.objectId,
    appid: app.appId,
    azp: app.appId,
    idtyp: 'user' as const,
    upn: user.userPrincipalName,
    name: user.displayName,
  };
  const accessToken = ctx.tokens.issue({ aud: audience.resource, iss: `https://sts.windows.net/${tenant.id}/`, ...userClaims, scp: granted.join(' ') });
  const idToken = ctx.tokens.issue({
    aud: app.appId,
    iss: `${ctx.origins.authority}/${tenant.id}/v2.0`,
    ...userClaims,
    ...({ preferred_username: user.userPrincipalName } as object),
  });
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: granted.map((g) => `${audience.resource.replace(/\/$/, '')}/${g}`).join(' '),
    expires_in: ctx.tokens.lifetime(accessTokenLifetime),
    ext_expires_in: ctx.tokens.lifetime(accessTokenLifetime),
    access_token: accessToken,
    id_token: idToken,
  };
  if (scopes.some((s) => s.toLowerCase() === 'offline_access')) {
    const refresh = `sandbox-rt.${randomUUID()}${randomUUID()}`.replace(/-/g, '');
    ctx.store.mutate((w) => {
      for (const [k, v] of Object.entries(w.refreshTokens)) if (v.expiresAt <= now) delete w.refreshTokens[k];
      w.refreshTokens[refresh] = { tenantId: tenant.id, clientId: app.appId, userObjectId: user.objectId, scopes: resourceScopes, expiresAt: now + refreshTokenLifetime };
    });
    body.refresh_token = refresh;
  }
  if (clientInfo) body.client_info = Buffer.from(JSON.stringify({ uid: user.objectId, utid: tenant.id })).toString('base64url');
  return json(200, body);
}

function unknownResource(scope: string, tenant: Tenant): HttpError {
  const resource = scope.replace(/\/[^/]*$/, '');
  return new HttpError(
    400,
    'invalid_resource',
    `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  );
}
