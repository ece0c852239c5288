import { json, jsonObject, type SandboxRequest } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Hsm, RoleAssignment } from '../state/world';
import type { Principal } from '../entra/bearer';
import { authenticateCaller, currentHsm, requireActivated } from './caller';
import { requireAuthorized, scopeCovers } from './authorization';
import { requireApiVersion } from './keyRequest';
import { builtInRoles } from './roleDefinitions';
import { activityError } from './activityError';
import { parseRbacScope, requireGlobalScope } from './rbacScope';
import { assignmentMatches, definitionMatches, parseAssignmentFilter, parseDefinitionFilter } from './rbacFilter';
import { isGuid, parseRoleDefinitionId, roleAssignmentJson, roleDefinitionIdPrefix, roleDefinitionJson } from './roleAssignmentShapes';

// The listener has already collapsed runs of '/', so the scope '/' arrives as '' (older SDKs send
// '///providers/…') and '/keys/k' as '/keys/k'. Literal segments match without regard to case.
const provider = String.raw`(?<scope>(?:/[^/]+)*?)/providers/Microsoft\.Authorization`;
const assignmentsPath = new RegExp(`^${provider}/roleAssignments$`, 'i');
const assignmentPath = new RegExp(`^${provider}/roleAssignments/(?<name>[^/]+)$`, 'i');
const definitionsPath = new RegExp(`^${provider}/roleDefinitions$`, 'i');
const definitionPath = new RegExp(`^${provider}/roleDefinitions/(?<name>[^/]+)$`, 'i');

/** Local RBAC: role definitions and role assignments at '/', '/keys' and '/keys/{name}'. */
export function registerRbacRoutes(r: Router, ctx: SandboxContext, hsmName: string): void {
  // The service's order: the token (the SDK's first call has none, and no body), the api-version,
  // activation, then the scope and the caller's data action — all before the body is read.
  const begin = (req: SandboxRequest): { hsm: Hsm; caller: Principal; scope: string } => {
    const hsm = currentHsm(ctx, hsmName);
    const caller = authenticateCaller(ctx, req, hsm);
    requireApiVersion(req);
    requireActivated(hsm);
    return { hsm, caller, scope: parseRbacScope(req.params.scope ?? '') };
  };

  r.on('GET', definitionsPath, (req) => {
    const { hsm, caller, scope } = begin(req);
    requireGlobalScope(scope, req.params.scope ?? '');
    requireAuthorized(hsm, caller.objectId, '/roleDefinitions/read/action', scope);
    const filter = parseDefinitionFilter(req.query.get('$filter'));
    return json(200, { value: builtInRoles.filter((role) => definitionMatches(role, filter)).map(roleDefinitionJson) });
  });

  r.on('GET', definitionPath, (req) => {
    const { hsm, caller, scope } = begin(req);
    requireGlobalScope(scope, req.params.scope ?? '');
    requireAuthorized(hsm, caller.objectId, '/roleDefinitions/read/action', scope);
    const role = builtInRoles.find((d) => d.id === req.params.name.toLowerCase());
    if (!role) throw activityError(404, 'RoleDefinitionNotFound', 'Requested role definition not found');
    return json(200, roleDefinitionJson(role));
  });

  r.on('GET', assignmentsPath, (req) => {
    const { hsm, caller, scope } = begin(req);
    requireAuthorized(hsm, caller.objectId, '/roleAssignments/read/action', scope);
    const filter = parseAssignmentFilter(req.query.get('$filter'));
    return json(200, { value: hsm.roleAssignments.filter((a) => assignmentMatches(a, scope, filter)).map(roleAssignmentJson) });
  });

  r.on('GET', assignmentPath, (req) => {
    const { hsm, caller, scope } = begin(req);
    requireAuthorized(hsm, caller.objectId, '/roleAssignments/read/action', scope);
    return json(200, roleAssignmentJson(findAssignment(hsm, scope, req.params.name)));
  });

  r.on('PUT', assignmentPath, (req) => {
    const { hsm, caller, scope } = begin(req);
    const name = req.params.name.toLowerCase();
    if (!isGuid(name)) throw activityError(400, 'BadParameter', 'Role assignment name must be a GUID');
    requireAuthorized(hsm, caller.objectId, '/roleAssignments/write/action', scope);
    const wanted: RoleAssignment = { name, scope, ...readAssignmentBody(req) };

    const sameName = hsm.roleAssignments.find((a) => a.name.toLowerCase() === name);
    if (sameName) {
      // Creating the same assignment again is harmless; changing one in place is not allowed.
      if (sameContent(sameName, wanted)) return json(201, roleAssignmentJson(sameName));
      throw activityError(409, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
    }
    if (hsm.roleAssignments.some((a) => sameContent(a, wanted))) {
      throw activityError(409, 'RoleAssignmentExists', 'The role assignment already exists.');
    }
    ctx.store.mutate(() => hsm.roleAssignments.push(wanted));
    return json(201, roleAssignmentJson(wanted));
  });

  r.on('DELETE', assignmentPath, (req) => {
    const { hsm, caller, scope } = begin(req);
    requireAuthorized(hsm, caller.objectId, '/roleAssignments/delete/action', scope);
    const assignment = findAssignment(hsm, scope, req.params.name);
    ctx.store.mutate(() => {
      hsm.roleAssignments = hsm.roleAssignments.filter((a) => a !== assignment);
    });
    return json(200, roleAssignmentJson(assignment));
  });
}

/** Names are unique in the HSM; a request at a scope finds the assignments at or below it. */
function findAssignment(hsm: Hsm, scope: string, rawName: string): RoleAssignment {
  const name = rawName.toLowerCase();
  const found = hsm.roleAssignments.find((a) => a.name.toLowerCase() === name && scopeCovers(scope, a.scope));
  if (!found) throw activityError(404, 'RoleAssignmentNotFound', 'Requested role assignment not found');
  return found;
}

function readAssignmentBody(req: SandboxRequest): { principalId: string; roleDefinitionId: string } {
  const body = jsonObject(req);
  const properties = body.properties;
  if (properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw activityError(400, 'BadParameter', "The request body must have a 'properties' object with 'roleDefinitionId' and 'principalId'.");
  }
  const { roleDefinitionId, principalId } = properties as Record<string, unknown>;
  if (typeof roleDefinitionId !== 'string' || roleDefinitionId === '') {
    throw activityError(400, 'BadParameter', "The property 'properties.roleDefinitionId' is required.");
  }
  if (typeof principalId !== 'string' || principalId === '') {
    throw activityError(400, 'BadParameter', "The property 'properties.principalId' is required.");
  }
  const roleId = parseRoleDefinitionId(roleDefinitionId);
  if (!roleId) {
    throw activityError(400, 'BadParameter', `The role definition ID '${roleDefinitionId}' is not valid. Use '${roleDefinitionIdPrefix}{roleDefinitionName}'.`);
  }
  if (!builtInRoles.some((role) => role.id === roleId)) {
    throw activityError(400, 'BadParameter', `Requested role definition '${roleId}' not found`);
  }
  if (!isGuid(principalId)) {
    throw activityError(400, 'BadParameter', `The principal ID '${principalId}' is not valid: it must be the object id (a GUID) of a user, group or service principal.`);
  }
  return { principalId: principalId.toLowerCase(), roleDefinitionId: roleId };
}

function sameContent(a: RoleAssignment, b: RoleAssignment): boolean {
  return a.scope.toLowerCase() === b.scope.toLowerCase() && a.principalId.toLowerCase() === b.principalId.toLowerCase() && a.roleDefinitionId === b.roleDefinitionId;
}
