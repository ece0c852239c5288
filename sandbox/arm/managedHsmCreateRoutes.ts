import { randomUUID } from 'node:crypto';
import { HttpError, json, jsonObject, type SandboxRequest } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Principal } from '../entra/bearer';
import type { Hsm, Subscription } from '../state/world';
import { builtInRoleIds } from '../hsm/roleDefinitions';
import { addressedSubscription, requireArmAction } from './subscriptionAccess';
import { managedHsmJson, managedHsmId } from './managedHsmShape';
import { managedHsmNameProblem, parseManagedHsmCreate, requireManagedHsmName, type ManagedHsmCreateRequest } from './managedHsmRequest';
import { effectiveProvisioningState, provisioningDelayMs, settleHsm } from './hsmLifecycle';

// Creating a Managed HSM through ARM: a long-running PUT (201 + Azure-AsyncOperation, polled until
// Succeeded, then the SDK GETs the resource), the operation-status endpoint, and the name check.
// Names are global across every subscription, as on Azure, because they become DNS names.

const hsmWrite = 'Microsoft.KeyVault/managedHSMs/write';
const nameCheck = 'Microsoft.KeyVault/checkMhsmNameAvailability/action';

export function registerManagedHsmCreateRoutes(r: Router, ctx: SandboxContext, begin: (req: SandboxRequest) => Principal): void {
  const world = () => ctx.store.world;

  r.on('PUT', '/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.KeyVault/managedHSMs/:name', async (req) => {
    const principal = begin(req);
    const apiVersion = req.query.get('api-version') ?? '';
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    const { rg, name } = req.params;
    requireArmAction(ctx, principal, subscription, hsmWrite, `/subscriptions/${subscription.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.KeyVault/managedHSMs/${name}`);
    const group = subscription.resourceGroups.find((g) => sameName(g.name, rg));
    if (!group) throw new HttpError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    requireManagedHsmName(name);
    const request = parseManagedHsmCreate(jsonObject(req, 'InvalidRequestContent'));
    if (request.tenantId !== subscription.tenantId.toLowerCase()) {
      throw new HttpError(400, 'BadRequest', `The tenant '${request.tenantId}' is not the tenant of subscription '${subscription.subscriptionId}'. A Managed HSM must use its subscription's tenant.`);
    }

    const existing = world().hsms.find((h) => sameName(h.name, name));
    if (existing) {
      if (!sameName(existing.subscriptionId, subscription.subscriptionId) || !sameName(existing.resourceGroup, group.name)) {
        throw new HttpError(409, 'ConflictError', `The name '${name}' is already in use by another Managed HSM. Managed HSM names are globally unique; choose another name.`);
      }
      return updateExisting(ctx, existing, request);
    }

    const operationId = randomUUID();
    const now = ctx.clock.nowMs();
    const hsm: Hsm = {
      name,
      subscriptionId: subscription.subscriptionId,
      resourceGroup: group.name,
      location: request.location,
      tenantId: subscription.tenantId,
      skuName: request.skuName,
      initialAdminObjectIds: request.initialAdminObjectIds,
      enableSoftDelete: true,
      softDeleteRetentionInDays: request.softDeleteRetentionInDays,
      enablePurgeProtection: request.enablePurgeProtection,
      publicNetworkAccess: request.publicNetworkAccess,
      provisioningState: 'Provisioning',
      activated: false,
      createdAt: new Date(now).toISOString(),
      createdBy: callerName(ctx, principal),
      keys: [],
      deletedKeys: [],
      // The service makes each initial administrator a Managed HSM Administrator at '/'.
      roleAssignments: request.initialAdminObjectIds.map((principalId) => ({ name: randomUUID(), scope: '/', principalId, roleDefinitionId: builtInRoleIds.administrator })),
      provisioning: { operationId, startedAt: new Date(now).toISOString(), readyAtMs: now + provisioningDelayMs() },
    };
    ctx.store.mutate((w) => w.hsms.push(hsm));
    await ctx.startHsmListener(hsm.name);
    const statusUrl = `${ctx.origins.arm}${operationPath(subscription, hsm.location, operationId)}?api-version=${encodeURIComponent(apiVersion)}`;
    return json(201, managedHsmJson(ctx, hsm), { 'azure-asyncoperation': statusUrl });
  });

  r.on('GET', '/subscriptions/:sub/providers/Microsoft.KeyVault/locations/:location/operationResults/:operationId', (req) => {
    const principal = begin(req);
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    const hsm = world().hsms.find((h) => sameName(h.subscriptionId, subscription.subscriptionId) && h.provisioning?.operationId === req.params.operationId.toLowerCase());
    requireArmAction(ctx, principal, subscription, 'Microsoft.KeyVault/locations/operationResults/read', `/subscriptions/${subscription.subscriptionId}`);
    if (!hsm || !hsm.provisioning) {
      throw new HttpError(404, 'OperationNotFound', `The operation '${req.params.operationId}' could not be found.`);
    }
    const state = effectiveProvisioningState(ctx, hsm);
    const done = state === 'Succeeded';
    if (done) settleHsm(ctx, hsm.name);
    return json(200, {
      id: operationPath(subscription, hsm.location, hsm.provisioning.operationId),
      name: hsm.provisioning.operationId,
      status: done ? 'Succeeded' : 'InProgress',
      startTime: hsm.provisioning.startedAt,
      ...(done ? { endTime: new Date(hsm.provisioning.readyAtMs).toISOString() } : {}),
      resourceId: managedHsmId(hsm),
    });
  });

  r.on('POST', '/subscriptions/:sub/providers/Microsoft.KeyVault/checkMhsmNameAvailability', (req) => {
    const principal = begin(req);
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    requireArmAction(ctx, principal, subscription, nameCheck, `/subscriptions/${subscription.subscriptionId}`);
    const body = jsonObject(req, 'InvalidRequestContent');
    if (typeof body.name !== 'string') throw new HttpError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'name' is required and must be a string.");
    const problem = managedHsmNameProblem(body.name);
    if (problem) return json(200, { nameAvailable: false, reason: 'AccountNameInvalid', message: problem });
    const name = body.name;
    if (world().hsms.some((h) => sameName(h.name, name))) {
      return json(200, { nameAvailable: false, reason: 'AlreadyExists', message: `The name '${name}' is already in use.` });
    }
    return json(200, { nameAvailable: true });
  });
}

/** A PUT on an HSM that exists: only what may change does; the answer is immediate. */
function updateExisting(ctx: SandboxContext, hsm: Hsm, request: ManagedHsmCreateRequest) {
  if (request.location !== hsm.location) {
    throw new HttpError(400, 'BadRequest', `The location of Managed HSM '${hsm.name}' is '${hsm.location}' and cannot be changed.`);
  }
  if (hsm.enablePurgeProtection && !request.enablePurgeProtection) {
    throw new HttpError(400, 'BadRequest', 'Purge protection cannot be disabled once it is enabled. Enabling purge protection on a Managed HSM is irreversible.');
  }
  if (request.softDeleteRetentionInDays !== hsm.softDeleteRetentionInDays) {
    throw new HttpError(400, 'BadRequest', 'The soft delete retention period of a Managed HSM cannot be changed after it is created.');
  }
  ctx.store.mutate((w) => {
    const target = w.hsms.find((h) => h.name === hsm.name);
    if (!target) return;
    target.enablePurgeProtection = request.enablePurgeProtection;
    target.publicNetworkAccess = request.publicNetworkAccess;
  });
  return json(200, managedHsmJson(ctx, hsm));
}

function operationPath(subscription: Subscription, location: string, operationId: string): string {
  return `/subscriptions/${subscription.subscriptionId}/providers/Microsoft.KeyVault/locations/${location}/operationResults/${operationId}`;
}

function callerName(ctx: SandboxContext, principal: Principal): string {
  if (principal.kind === 'user') return ctx.store.world.users.find((u) => u.objectId === principal.objectId)?.userPrincipalName ?? principal.objectId;
  return principal.appId;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
