// The emulated world, as persisted in <state-dir>/world.json. Plain JSON only: no classes, no
// Dates (times are epoch seconds, like the Key Vault wire format), so a restart reads back exactly
// what was written.

import type { SecretServerState } from '../secretServer/state';

export interface World {
  schema: 1;
  /** Added to the real clock; moved by the control API so expiry can be tested in seconds. */
  clockOffsetMs: number;
  /** Ports chosen on first start, reused on restart so that stored URLs stay valid. */
  ports: Record<string, number>;
  tenants: Tenant[];
  users: User[];
  applications: Application[];
  servicePrincipals: ServicePrincipal[];
  subscriptions: Subscription[];
  hsms: Hsm[];
  /** Refresh tokens issued by the token endpoint (single use), by id. */
  refreshTokens: Record<string, RefreshTokenRecord>;
  /** State owned by the Secret Server emulator (issue 3). */
  secretServer?: SecretServerState;
}

export interface Tenant {
  id: string;
  displayName: string;
  defaultDomain: string;
  /**
   * A Conditional Access policy that requires multi-factor authentication for every user sign-in:
   * the token endpoint answers user grants with AADSTS50076 (the sandbox has no MFA to offer).
   */
  requireMfaPolicyId?: string;
}

export interface User {
  objectId: string;
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  /** Sandbox users sign in with the password grant; the value is stored as a salted hash. */
  passwordHash: string;
  /** Delegated Graph permissions this user has consented to, by client id ('*' = any client). */
  consentedScopes: Record<string, string[]>;
  /** Other tenants this user was invited to as a guest: ARM lists them, and the user may sign in there. */
  guestTenantIds?: string[];
}

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string;
  /** sha256 of the secret text; the text itself is returned once, by addPassword. */
  secretHash: string;
  startDateTime: string;
  endDateTime: string;
}

export interface Application {
  /** Application object id. */
  id: string;
  /** Client id. */
  appId: string;
  tenantId: string;
  displayName: string;
  signInAudience: string;
  createdDateTime: string;
  passwordCredentials: PasswordCredential[];
  /** Object ids of owners (users or service principals). */
  owners: string[];
  /** Public clients (e.g. VS Code's) may use the password grant without a secret. */
  isPublicClient?: boolean;
  /** Free-text properties settable through Graph (absent = null). */
  description?: string | null;
  notes?: string | null;
}

export interface ServicePrincipal {
  /** Service principal object id: the `oid` of the app's tokens and the principal of role assignments. */
  id: string;
  appId: string;
  tenantId: string;
  displayName: string;
  servicePrincipalType: 'Application';
  /** Microsoft Graph application permissions granted (app roles), e.g. Application.ReadWrite.All. */
  graphAppRoles: string[];
  createdDateTime: string;
}

export interface ResourceGroup {
  name: string;
  location: string;
}

export interface Subscription {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  state: 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Deleted';
  resourceGroups: ResourceGroup[];
  /** Object ids allowed to use this subscription through ARM (Owner in real terms). */
  owners: string[];
}

export interface KeyVersion {
  version: string;
  created: number;
  updated: number;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  exportable: boolean;
  keyOps: string[];
  tags: Record<string, string>;
  /** Key material, which never leaves the sandbox: base64 for oct, PKCS#8 PEM for RSA and EC. */
  material: string;
  /** Secure-key-release policy of an exportable version, as sent (data is base64url). */
  releasePolicy?: { contentType: string; immutable: boolean; data: string };
}

export interface RotationPolicy {
  lifetimeActions: { trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string }; action: { type: string } }[];
  expiryTime?: string;
  created: number;
  updated: number;
}

export interface HsmKey {
  name: string;
  kty: 'oct-HSM' | 'RSA-HSM' | 'EC-HSM';
  keySize?: number;
  curve?: string;
  /** Oldest first; the last one is the current version. */
  versions: KeyVersion[];
  rotationPolicy?: RotationPolicy;
}

export interface DeletedHsmKey {
  key: HsmKey;
  deletedDate: number;
  scheduledPurgeDate: number;
}

export interface RoleAssignment {
  name: string;
  scope: string;
  principalId: string;
  roleDefinitionId: string;
}

export interface Hsm {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tenantId: string;
  skuName: string;
  initialAdminObjectIds: string[];
  enableSoftDelete: boolean;
  softDeleteRetentionInDays: number;
  enablePurgeProtection: boolean;
  publicNetworkAccess: 'Enabled' | 'Disabled';
  provisioningState: string;
  activated: boolean;
  createdAt: string;
  createdBy: string;
  keys: HsmKey[];
  deletedKeys: DeletedHsmKey[];
  roleAssignments: RoleAssignment[];
  /** The ARM create operation of an HSM created at run time (absent for seeded HSMs). */
  provisioning?: HsmProvisioning;
  /** The last security domain download (absent until one is requested). */
  securityDomainDownload?: SecurityDomainDownload;
}

export interface HsmProvisioning {
  operationId: string;
  startedAt: string;
  /** Sandbox time (ms) at which provisioning completes. */
  readyAtMs: number;
}

export interface SecurityDomainDownload {
  status: 'InProgress' | 'Success' | 'Failed';
  statusDetails: string;
  /** Sandbox time (ms) at which the download completes and the HSM becomes activated. */
  readyAtMs: number;
}

export interface RefreshTokenRecord {
  tenantId: string;
  clientId: string;
  userObjectId: string;
  scopes: string[];
  expiresAt: number;
}
