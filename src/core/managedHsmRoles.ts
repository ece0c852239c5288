// The built-in Managed HSM local RBAC roles the extension names, offers and checks for. The GUIDs
// are the same in every HSM and every cloud (Learn: "Local RBAC built-in roles for Managed HSM").
// Role definitions read from the HSM win over this table for display; the table exists so that
// the product can create assignments and explain findings without a round trip.

export const managedHsmRoleIds = {
  administrator: 'a290e904-7015-4bba-90c8-60543313cdb4',
  cryptoOfficer: '515eb02d-2335-4d2d-92f2-b1cbdf9c3778',
  /** What Secret Server's app registration needs on its key: wrap and unwrap (and more). */
  cryptoUser: '21dbd100-6940-42c2-9190-5d6cb909625b',
  policyAdministrator: '4bd23610-cdcf-4971-bdee-bdc562cc28e4',
  cryptoAuditor: '2c18b078-7c48-4d3a-af88-5a3a1b3f82b3',
  /** Read, wrap and unwrap only: the least a key-encryption client needs. */
  cryptoServiceEncryptionUser: '33413926-3206-4cdd-b39a-83574fe37a17',
  cryptoServiceReleaseUser: '21dbd100-6940-42c2-9190-5d6cb909625c',
  backup: '7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8',
  restore: '6efe6056-5259-49d2-8b3d-d3d73544b20b',
} as const;

export type ManagedHsmRole = keyof typeof managedHsmRoleIds;

const managedHsmRoleNames: Record<string, string> = {
  [managedHsmRoleIds.administrator]: 'Managed HSM Administrator',
  [managedHsmRoleIds.cryptoOfficer]: 'Managed HSM Crypto Officer',
  [managedHsmRoleIds.cryptoUser]: 'Managed HSM Crypto User',
  [managedHsmRoleIds.policyAdministrator]: 'Managed HSM Policy Administrator',
  [managedHsmRoleIds.cryptoAuditor]: 'Managed HSM Crypto Auditor',
  [managedHsmRoleIds.cryptoServiceEncryptionUser]: 'Managed HSM Crypto Service Encryption User',
  [managedHsmRoleIds.cryptoServiceReleaseUser]: 'Managed HSM Crypto Service Release User',
  [managedHsmRoleIds.backup]: 'Managed HSM Backup',
  [managedHsmRoleIds.restore]: 'Managed HSM Restore',
};

/** The provider prefix Managed HSM uses for role definition ids (no leading '/'). */
const roleDefinitionIdPrefix = 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/';

/** The full role definition id the service expects in a role assignment. */
export function roleDefinitionIdFor(roleGuid: string): string {
  return `${roleDefinitionIdPrefix}${roleGuid.toLowerCase()}`;
}

/**
 * The role GUID of a role definition id in any of the forms services and tools write it: with or
 * without a leading '/', with a scope prefix, or bare. Undefined when there is no GUID at the end.
 */
export function roleGuidOf(roleDefinitionId: string): string | undefined {
  const last = roleDefinitionId.split('/').filter(Boolean).pop() ?? '';
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(last) ? last.toLowerCase() : undefined;
}

/** The built-in name of a role, or undefined for a custom role. */
export function builtInRoleName(roleDefinitionId: string): string | undefined {
  const guid = roleGuidOf(roleDefinitionId);
  return guid ? managedHsmRoleNames[guid] : undefined;
}

/** Managed HSM role scopes: the whole HSM, all keys, or one key. */
export type RoleScope = '/' | '/keys' | `/keys/${string}`;

export function keyScope(keyName: string): RoleScope {
  return `/keys/${keyName}`;
}
