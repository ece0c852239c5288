import type { ActionableError } from '../actionableError';

// Everything the readiness rules look at, as plain data. Each part is gathered on its own, so one
// failing service (a locked subscription, an unreachable Secret Server) leaves the other parts
// intact and lets its rules say "not checked" with the reason instead of guessing.

/** One gathered part: its value, the error that stopped it, or why it was not part of this check. */
export type Fact<T> =
  | { state: 'known'; value: T }
  | { state: 'failed'; error: ActionableError }
  | { state: 'notChecked'; reason: string };

export function known<T>(value: T): Fact<T> {
  return { state: 'known', value };
}

export function failed<T>(error: ActionableError): Fact<T> {
  return { state: 'failed', error };
}

export function notChecked<T>(reason: string): Fact<T> {
  return { state: 'notChecked', reason };
}

/** What was checked: as the user named it, before anything was read. */
export interface ReadinessTarget {
  /** The key identifier as given: versioned (that version is checked) or versionless (the current one is). */
  keyId: string;
  keyName: string;
  /** Undefined for a versionless identifier. */
  keyVersion?: string;
  /** The HSM's data-plane URI, with a trailing slash. */
  hsmUri: string;
  /** The app registration's client id, when an app is part of the check. */
  appId?: string;
  tenantId?: string;
  /** The Secret Server base URL, when a connection is part of the check. */
  secretServerUrl?: string;
}

/** The key version the check is about (the current one for a versionless identifier). */
export interface KeyFacts {
  /** The versioned identifier (kid) the service returned. */
  id: string;
  name: string;
  version?: string;
  keyType?: string;
  /** Bits for RSA and EC keys; the service never reports it for oct-HSM keys. */
  keySize?: number;
  keyOps?: string[];
  enabled: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  exportable?: boolean;
}

export interface RotationActionFacts {
  action: string;
  timeAfterCreate?: string;
  timeBeforeExpiry?: string;
}

export interface RotationPolicyFacts {
  /** ISO 8601 duration given as expiry to each version the policy (or a manual rotate) creates. */
  expiresIn?: string;
  lifetimeActions: RotationActionFacts[];
}

/** The HSM as Azure Resource Manager describes it. */
export interface HsmFacts {
  name: string;
  resourceId: string;
  location: string;
  activated: boolean;
  activationStatus?: string;
  softDelete: boolean;
  softDeleteRetentionDays?: number;
  purgeProtection: boolean;
}

export type ServicePrincipalFacts = { found: true; objectId: string; displayName: string } | { found: false };

/** A role assignment of the app's service principal anywhere in the HSM. */
export interface RoleAssignmentFacts {
  name: string;
  /** '/', '/keys' or '/keys/{name}' as the service spelled it. */
  scope: string;
  roleDefinitionId: string;
  roleName?: string;
}

export type ProbeStep = 'identifier' | 'token' | 'wrap' | 'unwrap' | 'compare';

/** The live wrap + unwrap with the app's own credentials. */
export type ProbeFacts =
  | { ok: true; kid: string; durationMs: number }
  | { ok: false; step: ProbeStep; error: ActionableError; kid?: string; durationMs: number };

/** A client secret's metadata; its value and hint are never part of the facts. */
export interface ClientSecretFacts {
  keyId: string;
  displayName?: string;
  startsOn?: Date;
  /** Undefined when the secret has no end date. */
  expiresOn?: Date;
}

export interface AppFacts {
  appId: string;
  /** Application object id. */
  objectId: string;
  displayName: string;
  secrets: ClientSecretFacts[];
  /**
   * The secret Secret Server uses, when known: 'given' by the caller (e.g. the one the extension
   * stored), or 'storedValue' when only one secret's hint matches the value the probe used.
   */
  usedSecret?: { keyId: string; source: 'given' | 'storedValue' };
}

export interface SecretServerHealthFacts {
  healthy: boolean;
  readOnlyMode?: boolean;
  /** Whether the server can use its master key's protector, where it reports it. */
  keyManagementHealthy?: boolean;
  /** The server's own words on why it is unhealthy. */
  reason?: string;
}

export type KeyManagementProvider = 'none' | 'azureManagedHsm' | 'awsKms' | 'azureKeyVault';

/** Secret Server's key management configuration (its principal secret is never readable). */
export interface SecretServerConfigurationFacts {
  provider?: KeyManagementProvider;
  typeName?: string;
  tenantId?: string;
  /** The app's client id Secret Server signs in as. */
  principalId?: string;
  keyUrl?: string;
}

export type SecretServerRotationState = 'idle' | 'pending' | 'running' | 'cancelling' | 'succeeded' | 'failed' | 'cancelled' | 'ended';

export interface SecretServerRotationFacts {
  state: SecretServerRotationState;
  lastStatus?: string;
  message?: string;
  secretsProcessed?: number;
  totalSecrets?: number;
}

export interface SecretServerFacts {
  url: string;
  health: Fact<SecretServerHealthFacts>;
  configuration: Fact<SecretServerConfigurationFacts>;
  rotation: Fact<SecretServerRotationFacts>;
}

export interface ReadinessFacts {
  target: ReadinessTarget;
  key: Fact<KeyFacts>;
  rotationPolicy: Fact<RotationPolicyFacts>;
  hsm: Fact<HsmFacts>;
  /** The Azure region Secret Server runs in, as the user stated it (no Secret Server API tells it). */
  secretServerRegion?: string;
  app: Fact<AppFacts>;
  servicePrincipal: Fact<ServicePrincipalFacts>;
  /** The service principal's assignments in the HSM, at any scope. */
  roleAssignments: Fact<RoleAssignmentFacts[]>;
  probe: Fact<ProbeFacts>;
  /** Undefined when no Secret Server connection is part of the check. */
  secretServer?: SecretServerFacts;
}
