import type { RoleAssignment } from '../state/world';
import { dataActionPrefix } from './authorization';
import type { BuiltInRole } from './roleDefinitions';

// The wire shapes of Managed HSM local RBAC, as recorded from the real service: role definition
// ids carry the 'Microsoft.KeyVault' provider prefix without a leading '/', and a role
// assignment's id is '/providers/Microsoft.Authorization/roleAssignments/{name}' whatever its
// scope (the scope is only in properties.scope).

export const roleDefinitionIdPrefix = 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/';

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return guidPattern.test(value);
}

export function roleAssignmentJson(assignment: RoleAssignment): Record<string, unknown> {
  return {
    id: `/providers/Microsoft.Authorization/roleAssignments/${assignment.name}`,
    name: assignment.name,
    properties: {
      principalId: assignment.principalId,
      roleDefinitionId: `${roleDefinitionIdPrefix}${assignment.roleDefinitionId}`,
      scope: assignment.scope,
    },
    type: 'Microsoft.Authorization/roleAssignments',
  };
}

export function roleDefinitionJson(role: BuiltInRole): Record<string, unknown> {
  return {
    id: `${roleDefinitionIdPrefix}${role.id}`,
    name: role.id,
    properties: {
      assignableScopes: ['/'],
      description: role.description,
      permissions: [{ actions: [], dataActions: role.dataActions.map((a) => `${dataActionPrefix}${a}`), notActions: [], notDataActions: [] }],
      roleName: role.roleName,
      type: 'AKVBuiltInRole',
    },
    type: 'Microsoft.Authorization/roleDefinitions',
  };
}

/**
 * The role GUID of a roleDefinitionId as clients send it: the canonical
 * 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/{guid}', the same with a
 * leading '/', or the scope-prefixed form of the spec examples ('/providers/…', '/keys/providers/…').
 * A bare GUID is refused: the service documents full ids only, and accepting more here would let a
 * client bug pass the sandbox and fail in Azure.
 */
export function parseRoleDefinitionId(value: string): string | undefined {
  const match = /^\/?(?:Microsoft\.KeyVault\/|keys\/(?:[0-9a-zA-Z-]+\/)?)?providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i.exec(value);
  if (!match || !isGuid(match[1])) return undefined;
  return match[1].toLowerCase();
}
