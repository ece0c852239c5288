import type { ApplicationSecrets } from '../azure/graph/clientSecrets';
import type { KeyInfo, RotationPolicyInfo } from '../azure/keys';
import type { ProbeResult } from '../azure/keyProbe';
import type { RoleAssignmentInfo } from '../azure/localRbac';
import type { ManagedHsmInfo } from '../azure/managedHsms';
import type {
  AppFacts,
  ClientSecretFacts,
  HsmFacts,
  KeyFacts,
  ProbeFacts,
  RoleAssignmentFacts,
  RotationPolicyFacts,
  SecretServerConfigurationFacts,
  SecretServerHealthFacts,
  SecretServerRotationFacts,
} from '../core/readiness/facts';
import type { SecretServerHealth } from '../secretServer/health';
import type { KeyManagementConfig } from '../secretServer/keyManagement';
import { interpretRotation, type RotationStatus } from '../secretServer/rotationProgress';

// The client layers' models, reduced to the plain facts the rules read. Only listed fields are
// copied, so nothing else a service returned (a client secret's hint, a principal secret) can
// ride along into a finding.

export function keyFacts(key: KeyInfo): KeyFacts {
  return {
    id: key.id,
    name: key.name,
    version: key.version,
    keyType: key.keyType,
    keySize: key.keySize,
    keyOps: key.keyOps ? [...key.keyOps] : undefined,
    enabled: key.enabled,
    notBefore: key.notBefore,
    expiresOn: key.expiresOn,
    exportable: key.exportable,
  };
}

export function rotationPolicyFacts(policy: RotationPolicyInfo): RotationPolicyFacts {
  return {
    expiresIn: policy.expiresIn,
    lifetimeActions: policy.lifetimeActions.map((a) => ({ action: a.action, timeAfterCreate: a.timeAfterCreate, timeBeforeExpiry: a.timeBeforeExpiry })),
  };
}

export function hsmFacts(hsm: ManagedHsmInfo): HsmFacts {
  return {
    name: hsm.name,
    resourceId: hsm.id,
    location: hsm.location,
    activated: hsm.activated,
    activationStatus: hsm.activationStatus,
    softDelete: hsm.softDelete,
    softDeleteRetentionDays: hsm.retention,
    purgeProtection: hsm.purgeProtection,
  };
}

export function roleAssignmentFacts(a: RoleAssignmentInfo): RoleAssignmentFacts {
  return { name: a.name, scope: a.scope, roleDefinitionId: a.roleDefinitionId, roleName: a.roleName };
}

export function probeFacts(result: ProbeResult): ProbeFacts {
  return result.ok
    ? { ok: true, kid: result.kid, durationMs: result.durationMs }
    : { ok: false, step: result.step, error: result.error, kid: result.kid, durationMs: result.durationMs };
}

export function appFacts(app: ApplicationSecrets): AppFacts {
  return { appId: app.appId, objectId: app.id, displayName: app.displayName, secrets: app.secrets.map(secretFacts) };
}

function secretFacts(s: ApplicationSecrets['secrets'][number]): ClientSecretFacts {
  return { keyId: s.keyId, displayName: s.displayName, startsOn: dateOf(s.startDateTime), expiresOn: dateOf(s.endDateTime) };
}

/**
 * Which secret Secret Server uses: the one the caller names, else the only one whose hint (the
 * first three characters Graph keeps) matches the value the probe signed in with.
 */
export function usedSecretOf(app: ApplicationSecrets, givenKeyId: string | undefined, secretValue: string | undefined): AppFacts['usedSecret'] {
  if (givenKeyId) return { keyId: givenKeyId, source: 'given' };
  if (!secretValue) return undefined;
  const matching = app.secrets.filter((s) => s.hint && secretValue.startsWith(s.hint));
  return matching.length === 1 ? { keyId: matching[0].keyId, source: 'storedValue' } : undefined;
}

export function secretServerHealthFacts(h: SecretServerHealth): SecretServerHealthFacts {
  return { healthy: h.healthy, readOnlyMode: h.readOnlyMode, keyManagementHealthy: h.keyManagementHealthy, reason: h.reason };
}

export function secretServerConfigurationFacts(c: KeyManagementConfig): SecretServerConfigurationFacts {
  return {
    provider: c.provider,
    typeName: c.typeName,
    tenantId: c.azureManagedHsm.tenantId,
    principalId: c.azureManagedHsm.principalId,
    keyUrl: c.azureManagedHsm.keyUrl,
  };
}

export function secretServerRotationFacts(status: RotationStatus): SecretServerRotationFacts {
  const progress = interpretRotation(status);
  return {
    state: progress.state,
    lastStatus: status.lastStatus,
    message: progress.message,
    secretsProcessed: progress.secretsProcessed,
    totalSecrets: progress.totalSecrets,
  };
}

function dateOf(iso: string | undefined): Date | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
