import * as assert from 'node:assert/strict';
import { ActionableError, type ErrorKind } from '../../src/core/actionableError';
import { managedHsmRoleIds, roleDefinitionIdFor } from '../../src/core/managedHsmRoles';
import { known, type ReadinessFacts, type RoleAssignmentFacts } from '../../src/core/readiness/facts';
import { defaultExpiryThresholds, type ExpiryThresholds, type Finding } from '../../src/core/readiness/finding';
import { evaluateReadiness } from '../../src/core/readiness/rules';

// A setup that passes every readiness rule, built fresh for each test so that a test changes only
// the one fact it is about.

export const now = new Date('2025-06-01T12:00:00Z');
export const dayMs = 86_400_000;
export const hsmUri = 'https://contoso-mhsm.managedhsm.azure.net/';
export const keyName = 'secret-server-key';
export const version = 'c1a3cd3849514cc08cb716a73da476d8';
export const otherVersion = '0123456789abcdef0123456789abcdef';
export const appId = '11111111-1111-4111-8111-111111111111';
export const tenantId = '22222222-2222-4222-8222-222222222222';
export const secretKeyId = '33333333-3333-4333-8333-333333333333';

export function at(offsetMs: number): Date {
  return new Date(now.getTime() + offsetMs);
}

export function assignment(scope: string, role: string = managedHsmRoleIds.cryptoUser): RoleAssignmentFacts {
  return { name: '44444444-4444-4444-8444-444444444444', scope, roleDefinitionId: roleDefinitionIdFor(role) };
}

export function error(message: string, kind: ErrorKind, code?: string, statusCode?: number): ActionableError {
  return new ActionableError(message, kind, message, code, statusCode);
}

/** Every rule passes on these facts (with a Secret Server that uses the key without a version). */
export function readyFacts(): ReadinessFacts {
  return {
    target: { keyId: `${hsmUri}keys/${keyName}`, keyName, hsmUri, appId, tenantId, secretServerUrl: 'https://ss.example.test' },
    key: known({
      id: `${hsmUri}keys/${keyName}/${version}`,
      name: keyName,
      version,
      keyType: 'oct-HSM',
      keyOps: ['wrapKey', 'unwrapKey'],
      enabled: true,
      exportable: false,
    }),
    rotationPolicy: known({ lifetimeActions: [] }),
    hsm: known({
      name: 'contoso-mhsm',
      resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/managedHSMs/contoso-mhsm',
      location: 'eastus',
      activated: true,
      activationStatus: 'Active',
      softDelete: true,
      softDeleteRetentionDays: 90,
      purgeProtection: true,
    }),
    secretServerRegion: 'eastus',
    app: known({
      appId,
      objectId: '55555555-5555-4555-8555-555555555555',
      displayName: 'Secret Server key management',
      secrets: [{ keyId: secretKeyId, displayName: 'secret-server', startsOn: at(-30 * dayMs), expiresOn: at(365 * dayMs) }],
      usedSecret: { keyId: secretKeyId, source: 'given' },
    }),
    servicePrincipal: known({ found: true, objectId: '66666666-6666-4666-8666-666666666666', displayName: 'Secret Server key management' }),
    roleAssignments: known([assignment(`/keys/${keyName}`)]),
    probe: known({ ok: true, kid: `${hsmUri}keys/${keyName}/${version}`, durationMs: 42 }),
    secretServer: {
      url: 'https://ss.example.test',
      health: known({ healthy: true, readOnlyMode: false, keyManagementHealthy: true }),
      configuration: known({ provider: 'azureManagedHsm', typeName: 'AzureManagedHsm', tenantId, principalId: appId, keyUrl: `${hsmUri}keys/${keyName}` }),
      rotation: known({ state: 'succeeded', lastStatus: 'Success' }),
    },
  };
}

export function evaluate(facts: ReadinessFacts, when: Date = now, thresholds: ExpiryThresholds = defaultExpiryThresholds): Finding[] {
  return evaluateReadiness(facts, when, thresholds);
}

/** The finding of one rule; fails the test when the rule did not report. */
export function finding(facts: ReadinessFacts, id: string, when: Date = now, thresholds?: ExpiryThresholds): Finding {
  const found = evaluate(facts, when, thresholds).find((f) => f.id === id);
  assert.ok(found, `no finding '${id}'`);
  return found;
}
