import { randomUUID } from 'node:crypto';
import { HttpError, json, type SandboxRequest, type SandboxResponse } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Application, PasswordCredential } from '../state/world';
import { hashSecret, newClientSecretText } from '../entra/secretHash';
import { authenticateGraphCaller, requireGraphAccess } from './graphCaller';
import {
  invalidValue,
  optionalBoolean,
  optionalDateTime,
  optionalGuid,
  optionalObject,
  optionalString,
  readGraphObject,
  readOnlyProperty,
  rejectUnknownParameters,
  rejectUnknownProperties,
  requiredValue,
} from './graphBody';
import { applicationJson, applicationProperties, passwordCredentialJson, selectProperties } from './directoryShapes';
import { callerTenant, findApplication, isoSeconds, tenantApplications, type ObjectKey } from './directoryLookup';
import { page, parseListQuery, parseSelect, type QueryModel } from './odataQuery';

const applicationModel: QueryModel<Application> = {
  typeName: 'microsoft.graph.application',
  resourceName: 'Application',
  properties: applicationProperties,
  filterable: {
    id: (a) => a.id,
    appId: (a) => a.appId,
    displayName: (a) => a.displayName,
    signInAudience: (a) => a.signInAudience,
  },
};

const signInAudiences = ['AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'];
const readOnlyApplicationProperties = ['id', 'appId', 'createdDateTime', 'deletedDateTime', 'publisherDomain'];
const passwordCredentialProperties = ['customKeyIdentifier', 'displayName', 'endDateTime', 'hint', 'keyId', 'secretText', 'startDateTime'];
const maxDisplayNameLength = 256;

/** The changes a POST or PATCH body asks for, validated; nothing is applied yet. */
interface ApplicationChanges {
  displayName?: string;
  signInAudience?: string;
  description?: string | null;
  notes?: string | null;
  isPublicClient?: boolean;
}

function readApplicationChanges(body: Record<string, unknown>): ApplicationChanges {
  rejectUnknownProperties(body, applicationProperties, applicationModel.typeName);
  for (const key of readOnlyApplicationProperties) if (key in body) throw readOnlyProperty(key);
  // Secrets and certificates are added only through addPassword/addKey.
  for (const key of ['passwordCredentials', 'keyCredentials']) {
    const value = body[key];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) throw readOnlyProperty(key);
  }
  const changes: ApplicationChanges = {};
  const displayName = optionalString(body, 'displayName');
  if (displayName === null || (displayName !== undefined && displayName.trim() === '')) throw requiredValue('displayName', 'Application');
  if (displayName !== undefined) {
    if (displayName.length > maxDisplayNameLength) throw invalidValue('displayName', 'Application');
    changes.displayName = displayName;
  }
  const audience = optionalString(body, 'signInAudience');
  if (audience === null) throw requiredValue('signInAudience', 'Application');
  if (audience !== undefined) {
    const canonical = signInAudiences.find((a) => a.toLowerCase() === audience.toLowerCase());
    if (!canonical) throw invalidValue('signInAudience', 'Application');
    changes.signInAudience = canonical;
  }
  const description = optionalString(body, 'description');
  if (description !== undefined) changes.description = description;
  const notes = optionalString(body, 'notes');
  if (notes !== undefined) changes.notes = notes;
  const publicClient = optionalBoolean(body, 'isFallbackPublicClient');
  if (publicClient !== undefined) changes.isPublicClient = publicClient === true;
  return changes;
}

function applyChanges(app: Application, changes: ApplicationChanges): void {
  if (changes.displayName !== undefined) app.displayName = changes.displayName;
  if (changes.signInAudience !== undefined) app.signInAudience = changes.signInAudience;
  if (changes.description !== undefined) app.description = changes.description;
  if (changes.notes !== undefined) app.notes = changes.notes;
  if (changes.isPublicClient !== undefined) app.isPublicClient = changes.isPublicClient;
}

function contextUrl(req: SandboxRequest, select: string[] | undefined, entity: boolean): string {
  const projection = select ? `(${select.join(',')})` : '';
  return `${req.origin}/v1.0/$metadata#applications${projection}${entity ? '/$entity' : ''}`;
}

/** `2 years after start`, Graph's default lifetime for a password added without endDateTime. */
function twoYearsAfter(ms: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + 2);
  return d.getTime();
}

export function registerApplicationRoutes(r: Router, ctx: SandboxContext): void {
  r.on('GET', '/v1.0/applications', (req) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.read');
    const tenant = callerTenant(ctx, principal);
    const query = parseListQuery(req, applicationModel);
    const result = page(req, tenantApplications(ctx, tenant), query);
    return json(200, {
      '@odata.context': contextUrl(req, query.select, false),
      ...(result.nextLink ? { '@odata.nextLink': result.nextLink } : {}),
      value: result.items.map((a) => selectProperties(applicationJson(a, tenant), query.select)),
    });
  });

  r.on('POST', '/v1.0/applications', (req) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.write');
    const tenant = callerTenant(ctx, principal);
    const changes = readApplicationChanges(readGraphObject(req));
    if (changes.displayName === undefined) throw requiredValue('displayName', 'Application');
    const app: Application = {
      id: randomUUID(),
      appId: randomUUID(),
      tenantId: tenant.id,
      displayName: changes.displayName,
      signInAudience: 'AzureADMyOrg',
      createdDateTime: isoSeconds(ctx.clock.nowMs()),
      passwordCredentials: [],
      owners: [principal.objectId],
    };
    applyChanges(app, changes);
    ctx.store.mutate((w) => w.applications.push(app));
    return json(201, { '@odata.context': contextUrl(req, undefined, true), ...applicationJson(app, tenant) }, { location: `${req.origin}/v1.0/applications/${app.id}` });
  });

  const onApplication = (method: string, action: string, handler: (req: SandboxRequest, key: ObjectKey) => SandboxResponse) => {
    const names = action ? [action, `microsoft.graph.${action}`] : [''];
    for (const name of names) r.on(method, `/v1.0/applications/:id${name ? `/${name}` : ''}`, (req) => handler(req, { id: req.params.id }));
    const suffix = action ? `/(?:microsoft\\.graph\\.)?${action}` : '';
    r.on(method, new RegExp(`^/v1\\.0/applications\\(appId=(?:'|%27)(?<appId>[^'%/]*)(?:'|%27)\\)${suffix}$`, 'i'), (req) => handler(req, { appId: req.params.appId }));
  };

  onApplication('GET', '', (req, key) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.read');
    const tenant = callerTenant(ctx, principal);
    const select = parseSelect(req, applicationModel);
    const app = findApplication(ctx, tenant, key);
    return json(200, { '@odata.context': contextUrl(req, select, true), ...selectProperties(applicationJson(app, tenant), select) });
  });

  onApplication('PATCH', '', (req, key) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.write');
    const app = findApplication(ctx, callerTenant(ctx, principal), key);
    const changes = readApplicationChanges(readGraphObject(req));
    ctx.store.mutate(() => applyChanges(app, changes));
    return { status: 204 };
  });

  // Deleting an app registration also deletes its service principal in the home tenant, as the
  // Entra admin center does; tokens already issued stay valid until they expire.
  onApplication('DELETE', '', (req, key) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.write');
    const app = findApplication(ctx, callerTenant(ctx, principal), key);
    ctx.store.mutate((w) => {
      w.applications = w.applications.filter((a) => a !== app);
      w.servicePrincipals = w.servicePrincipals.filter((s) => !(s.appId === app.appId && s.tenantId === app.tenantId));
    });
    return { status: 204 };
  });

  onApplication('GET', 'owners', (req, key) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.read');
    const app = findApplication(ctx, callerTenant(ctx, principal), key);
    const world = ctx.store.world;
    const value = app.owners.flatMap((id): Record<string, unknown>[] => {
      const user = world.users.find((u) => u.objectId === id);
      if (user) return [{ '@odata.type': '#microsoft.graph.user', id, displayName: user.displayName, userPrincipalName: user.userPrincipalName }];
      const sp = world.servicePrincipals.find((s) => s.id === id);
      if (sp) return [{ '@odata.type': '#microsoft.graph.servicePrincipal', id, appId: sp.appId, displayName: sp.displayName, servicePrincipalType: sp.servicePrincipalType }];
      return [];
    });
    return json(200, { '@odata.context': `${req.origin}/v1.0/$metadata#directoryObjects`, value });
  });

  onApplication('POST', 'addPassword', (req, key) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.write');
    const app = findApplication(ctx, callerTenant(ctx, principal), key);
    const body = readGraphObject(req, { optional: true });
    rejectUnknownParameters(body, ['passwordCredential'], 'addPassword');
    const requested = optionalObject(body, 'passwordCredential', 'microsoft.graph.passwordCredential') ?? {};
    rejectUnknownProperties(requested, passwordCredentialProperties, 'microsoft.graph.passwordCredential');
    // keyId, hint and secretText are generated by the service; values sent for them are ignored.
    const displayName = optionalString(requested, 'displayName') ?? null;
    optionalString(requested, 'customKeyIdentifier');
    const start = optionalDateTime(requested, 'startDateTime') ?? ctx.clock.nowMs();
    const end = optionalDateTime(requested, 'endDateTime') ?? twoYearsAfter(start);
    if (end <= start) throw invalidValue('endDateTime', 'PasswordCredential');
    const secretText = newClientSecretText();
    const credential: PasswordCredential = {
      keyId: randomUUID(),
      displayName,
      hint: secretText.slice(0, 3),
      secretHash: hashSecret(secretText),
      startDateTime: new Date(start).toISOString(),
      endDateTime: new Date(end).toISOString(),
    };
    ctx.store.mutate(() => app.passwordCredentials.push(credential));
    return json(200, { '@odata.context': `${req.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...passwordCredentialJson(credential, secretText) });
  });

  onApplication('POST', 'removePassword', (req, key) => {
    const principal = authenticateGraphCaller(ctx, req);
    requireGraphAccess(principal, 'applications.write');
    const app = findApplication(ctx, callerTenant(ctx, principal), key);
    const body = readGraphObject(req);
    rejectUnknownParameters(body, ['keyId'], 'removePassword');
    const keyId = optionalGuid(body, 'keyId');
    if (!keyId) throw new HttpError(400, 'BadRequest', "The parameter 'keyId' is required and must not be null for the operation 'removePassword'.");
    if (!app.passwordCredentials.some((c) => c.keyId.toLowerCase() === keyId)) {
      throw new HttpError(400, 'Request_BadRequest', `No password credential found with keyId ${keyId}.`);
    }
    ctx.store.mutate(() => {
      app.passwordCredentials = app.passwordCredentials.filter((c) => c.keyId.toLowerCase() !== keyId);
    });
    return { status: 204 };
  });
}
