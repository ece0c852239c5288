// The Secret Server emulator's persisted state: the `secretServer` slot of world.json. Plain JSON
// only, so that a restart (even in the middle of a rotation) reads back exactly what was written.

export interface SecretServerState {
  schema: 1;
  users: SecretServerUser[];
  sessions: SecretServerSession[];
  readOnlyMode: boolean;
  /** The configuration GET returns (during a rotation: the one being switched to). */
  config: KeyManagementConfig;
  nextConfigId: number;
  /** Master key generations still referenced by a secret; normally exactly one. */
  masterKeys: MasterKeyRecord[];
  currentGeneration: number;
  secrets: StoredSecret[];
  rotation: RotationRecord;
  audit: KeyManagementAuditRecord[];
}

export interface SecretServerUser {
  userId: number;
  username: string;
  displayName: string;
  /** Salted hash, as the Entra emulator keeps its secrets. */
  passwordHash: string;
  /** Base32 TOTP seed for users with two-factor authentication. */
  otpSecret?: string;
  /** The "Administer Key Management / Configuration" permission. */
  canManageKeys: boolean;
}

export interface SecretServerSession {
  id: string;
  userId: number;
  /** sha256 (base64url) of the opaque access token; the token itself is never stored. */
  accessTokenHash: string;
  accessExpiresAt: number;
  /** sha256 of the single-use refresh token; removed once it has been used. */
  refreshTokenHash?: string;
  refreshExpiresAt?: number;
}

/** One of the sandbox's provider type ids (see providerTypes.ts). */
export type ProviderKind = 'None' | 'AwsKms' | 'AzureKeyVault' | 'AzureManagedHsm';

export interface KeyManagementConfig {
  keyManagementConfigId: number;
  kind: ProviderKind;
  azureManagedHsm?: AzureManagedHsmSettings;
}

/** The principal secret is the server's own configuration: stored (sealed at rest), used, never returned. */
export interface AzureManagedHsmSettings {
  tenantId: string;
  principalId: string;
  /** Sealed with the machine key (machineKey.ts). */
  sealedPrincipalSecret: string;
  keyUrl: string;
}

export type MasterKeyProtection =
  | { kind: 'local'; /** The master key, sealed with the machine key. */ sealedKey: string }
  | {
      kind: 'hsm';
      /** The configured URL (versioned or versionless), as the administrator typed it. */
      keyUrl: string;
      hsmName: string;
      keyName: string;
      /** The version that wrapped this master key: a versionless URL resolves to the version current then. */
      keyVersion: string;
      /** A256KW output, base64url. */
      wrapped: string;
      tenantId: string;
      principalId: string;
      sealedPrincipalSecret: string;
    };

export interface MasterKeyRecord {
  generation: number;
  protection: MasterKeyProtection;
}

export interface StoredSecret {
  id: number;
  name: string;
  folderId: number;
  /** Master key generation that encrypts this secret's data key. */
  generation: number;
  /** The secret's own AES-256 data key, sealed under the master key (AES-256-GCM). */
  dataKey: string;
  /** The field values, sealed under the data key. */
  payload: string;
}

export type RotationKind = 'KeyManagementChange' | 'SecretKeyRotation';
export type RotationPhase = 'EnablingMaintenanceMode' | 'Running' | 'Cancelling';

export interface ActiveRotation {
  kind: RotationKind;
  phase: RotationPhase;
  fromGeneration: number;
  toGeneration: number;
  total: number;
  /** When maintenance mode is considered enabled (sandbox clock, ms). */
  enabledAtMs: number;
  requestedBy: string;
  /** Configuration to go back to when the run is cancelled or rolled back. */
  previousConfig: KeyManagementConfig;
  /**
   * The new master key sealed under the old one, so that a run interrupted while the new key is
   * unreachable can still be rolled back. Removed when the run ends.
   */
  escrow: string;
  /** Why the run is being undone, once it is. */
  rollbackReason?: 'cancelled' | 'restart';
  /** How many secrets the rollback has to return, once it started. */
  rollbackTotal?: number;
  note: string;
}

export interface RotationRecord {
  lastRequestDate: string | null;
  lastRunDate: string | null;
  lastStatus: string;
  message: string;
  active?: ActiveRotation;
}

export interface KeyManagementAuditRecord {
  action: string;
  dateRecorded: string;
  displayName: string;
  notes: string;
}
