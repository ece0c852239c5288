// The built-in Managed HSM local RBAC roles with their real GUIDs and data actions (as returned by
// the service; see ../README.md for the sources). Data actions are stored without the
// `Microsoft.KeyVault/managedHsm` prefix, as in the reference table, and prefixed when served.

export const builtInRoleIds = {
  administrator: 'a290e904-7015-4bba-90c8-60543313cdb4',
  cryptoOfficer: '515eb02d-2335-4d2d-92f2-b1cbdf9c3778',
  cryptoUser: '21dbd100-6940-42c2-9190-5d6cb909625b',
  policyAdministrator: '4bd23610-cdcf-4971-bdee-bdc562cc28e4',
  cryptoAuditor: '2c18b078-7c48-4d3a-af88-5a3a1b3f82b3',
  serviceEncryptionUser: '33413926-3206-4cdd-b39a-83574fe37a17',
  serviceReleaseUser: '21dbd100-6940-42c2-9190-5d6cb909625c',
  backup: '7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8',
  restore: '6efe6056-5259-49d2-8b3d-d3d73544b20b',
} as const;

export interface BuiltInRole {
  id: string;
  roleName: string;
  description: string;
  dataActions: string[];
}

const roleAdmin = ['/roleAssignments/delete/action', '/roleAssignments/read/action', '/roleAssignments/write/action', '/roleDefinitions/read/action', '/roleDefinitions/write/action', '/roleDefinitions/delete/action'];

export const builtInRoles: BuiltInRole[] = [
  {
    id: builtInRoleIds.administrator,
    roleName: 'Managed HSM Administrator',
    description: 'Grants permissions to create and manage role assignments, security domain, backups and restores.',
    dataActions: [
      ...roleAdmin,
      '/securitydomain/download/action',
      '/securitydomain/download/read',
      '/securitydomain/upload/action',
      '/securitydomain/upload/read',
      '/securitydomain/transferkey/read',
      '/backup/start/action',
      '/backup/status/action',
      '/restore/start/action',
      '/restore/status/action',
    ],
  },
  {
    id: builtInRoleIds.cryptoOfficer,
    roleName: 'Managed HSM Crypto Officer',
    description: 'Grants permissions to manage role assignments and to purge, recover and export keys.',
    dataActions: [...roleAdmin, '/keys/deletedKeys/read/action', '/keys/deletedKeys/delete', '/keys/deletedKeys/recover/action', '/keys/export/action'],
  },
  {
    id: builtInRoleIds.cryptoUser,
    roleName: 'Managed HSM Crypto User',
    description: 'Grants permissions to perform all key management operations except purge, recover and export.',
    dataActions: [
      '/roleDefinitions/read/action',
      '/roleAssignments/read/action',
      '/keys/read/action',
      '/keys/write/action',
      '/keys/delete',
      '/keys/create',
      '/keys/rotate/action',
      '/keys/import/action',
      '/keys/release/action',
      '/keys/backup/action',
      '/keys/restore/action',
      '/keys/encrypt/action',
      '/keys/decrypt/action',
      '/keys/wrap/action',
      '/keys/unwrap/action',
      '/keys/sign/action',
      '/keys/verify/action',
      '/keys/derive/action',
      '/rng/action',
    ],
  },
  { id: builtInRoleIds.policyAdministrator, roleName: 'Managed HSM Policy Administrator', description: 'Grants permissions to create and delete role assignments.', dataActions: [...roleAdmin] },
  {
    id: builtInRoleIds.cryptoAuditor,
    roleName: 'Managed HSM Crypto Auditor',
    description: 'Grants read permissions to read (but not use) keys.',
    dataActions: ['/roleAssignments/read/action', '/roleDefinitions/read/action', '/keys/read/action', '/keys/deletedKeys/read/action'],
  },
  {
    id: builtInRoleIds.serviceEncryptionUser,
    roleName: 'Managed HSM Crypto Service Encryption User',
    description: 'Grants permissions to use a key for service encryption.',
    dataActions: ['/keys/read/action', '/keys/wrap/action', '/keys/unwrap/action'],
  },
  { id: builtInRoleIds.serviceReleaseUser, roleName: 'Managed HSM Crypto Service Release User', description: 'Grants permissions to release a key to a trusted execution environment.', dataActions: ['/keys/release/action'] },
  { id: builtInRoleIds.backup, roleName: 'Managed HSM Backup', description: 'Grants permissions to perform single-key or whole-HSM backup.', dataActions: ['/backup/start/action', '/backup/status/action', '/keys/backup/action'] },
  { id: builtInRoleIds.restore, roleName: 'Managed HSM Restore', description: 'Grants permissions to perform single-key or whole-HSM restore.', dataActions: ['/restore/start/action', '/restore/status/action', '/keys/restore/action'] },
];
