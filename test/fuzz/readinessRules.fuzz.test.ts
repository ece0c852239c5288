import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { ActionableError } from '../../src/core/actionableError';
import type { Fact, ReadinessFacts } from '../../src/core/readiness/facts';
import { evaluateReadiness } from '../../src/core/readiness/rules';
import { managedHsmRoleIds, roleDefinitionIdFor } from '../../src/core/managedHsmRoles';
import { runs } from './fuzzRuns';

const TARGET = 'readiness rules (evaluateReadiness)';

// The readiness rule engine over arbitrary facts that satisfy the types: it never throws, and every
// finding has a known status and a reason to show.

const someString = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('secret-server-key', 'oct-HSM', 'wrapKey', 'unwrapKey', 'eastus', 'East US', '/', '/keys', '/keys/secret-server-key', 'P90D', 'P1Y', 'Rotate', 'Notify'));
const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: false });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const error = fc.tuple(fc.string({ maxLength: 30 }), fc.constantFrom('authentication', 'forbidden', 'notFound', 'unavailable', 'unexpected', 'accessDenied') as fc.Arbitrary<'unexpected'>).map(([m, k]) => new ActionableError(m || 'failed', k));
function fact<T>(value: fc.Arbitrary<T>): fc.Arbitrary<Fact<T>> {
  return fc.oneof(
    { weight: 4, arbitrary: value.map((v) => ({ state: 'known' as const, value: v })) },
    { weight: 1, arbitrary: error.map((e) => ({ state: 'failed' as const, error: e })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((reason) => ({ state: 'notChecked' as const, reason })) },
  );
}
// Role ids the rules know, a few fixed ids (so app, principal and configuration can match) and random ones.
const guid = fc.oneof(fc.constantFrom(...Object.values(managedHsmRoleIds), '11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'), fc.uuid());
const rec = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;

const facts: fc.Arbitrary<ReadinessFacts> = rec<ReadinessFacts>({
  target: rec({ keyId: someString, keyName: someString, keyVersion: opt(someString), hsmUri: someString, appId: opt(guid), tenantId: opt(guid), secretServerUrl: opt(someString) }),
  key: fact(
    rec({
      id: someString,
      name: someString,
      version: opt(someString),
      keyType: opt(fc.constantFrom('oct-HSM', 'RSA-HSM', 'EC', 'oct')),
      keySize: opt(fc.integer({ min: -1, max: 8192 })),
      keyOps: opt(fc.array(fc.constantFrom('wrapKey', 'unwrapKey', 'encrypt', 'decrypt', 'sign', 'x'), { maxLength: 6 })),
      enabled: fc.boolean(),
      notBefore: opt(date),
      expiresOn: opt(date),
      exportable: opt(fc.boolean()),
    }),
  ),
  rotationPolicy: fact(rec({ expiresIn: opt(someString), lifetimeActions: fc.array(rec({ action: someString, timeAfterCreate: opt(someString), timeBeforeExpiry: opt(someString) }), { maxLength: 3 }) })),
  hsm: fact(
    rec({
      name: someString,
      resourceId: someString,
      location: someString,
      activated: fc.boolean(),
      activationStatus: opt(someString),
      softDelete: fc.boolean(),
      softDeleteRetentionDays: opt(fc.integer({ min: -10, max: 400 })),
      purgeProtection: fc.boolean(),
    }),
  ),
  secretServerRegion: opt(someString),
  app: fact(
    rec({
      appId: guid,
      objectId: guid,
      displayName: someString,
      secrets: fc.array(rec({ keyId: guid, displayName: opt(someString), startsOn: opt(date), expiresOn: opt(date) }), { maxLength: 4 }),
      usedSecret: opt(rec({ keyId: guid, source: fc.constantFrom('given' as const, 'storedValue' as const) })),
    }),
  ),
  servicePrincipal: fact(fc.oneof(rec({ found: fc.constant(true as const), objectId: guid, displayName: someString }), fc.constant({ found: false as const }))),
  roleAssignments: fact(fc.array(rec({ name: guid, scope: someString, roleDefinitionId: fc.oneof(guid.map(roleDefinitionIdFor), someString), roleName: opt(someString) }), { maxLength: 4 })),
  probe: fact(
    fc.oneof(
      rec({ ok: fc.constant(true as const), kid: someString, durationMs: fc.double({ min: 0, max: 1e6 }) }),
      rec({
        ok: fc.constant(false as const),
        step: fc.constantFrom('identifier' as const, 'token' as const, 'wrap' as const, 'unwrap' as const, 'compare' as const),
        error,
        kid: opt(someString),
        durationMs: fc.double({ min: 0, max: 1e6 }),
      }),
    ),
  ),
  secretServer: opt(
    rec({
      url: someString,
      health: fact(rec({ healthy: fc.boolean(), readOnlyMode: opt(fc.boolean()), keyManagementHealthy: opt(fc.boolean()), reason: opt(someString) })),
      configuration: fact(
        rec({
          provider: opt(fc.constantFrom('none' as const, 'azureManagedHsm' as const, 'awsKms' as const, 'azureKeyVault' as const)),
          typeName: opt(someString),
          tenantId: opt(guid),
          principalId: opt(guid),
          keyUrl: opt(someString),
        }),
      ),
      rotation: fact(
        rec({
          state: fc.constantFrom('idle' as const, 'pending' as const, 'running' as const, 'cancelling' as const, 'succeeded' as const, 'failed' as const, 'cancelled' as const, 'ended' as const),
          lastStatus: opt(someString),
          message: opt(someString),
          secretsProcessed: opt(fc.integer({ min: -1, max: 100000 })),
          totalSecrets: opt(fc.integer({ min: -1, max: 100000 })),
        }),
      ),
    }),
  ),
});

const statuses = new Set(['pass', 'warn', 'fail', 'unknown']);

describe('fuzz: readiness rule engine (src/core/readiness/rules.ts evaluateReadiness)', () => {
  it('never throws; every finding has a known status, a non-empty reason, and the same facts give the same findings', () => {
    fc.assert(
      fc.property(facts, date, fc.option(fc.record({ warningDays: fc.integer({ min: 0, max: 400 }), criticalDays: fc.integer({ min: 0, max: 400 }) }, { noNullPrototype: true }), { nil: undefined }), (f, now, thresholds) => {
        const findings = thresholds ? evaluateReadiness(f, now, thresholds) : evaluateReadiness(f, now);
        assert.ok(findings.length > 0);
        for (const finding of findings) {
          assert.ok(statuses.has(finding.status), `${finding.id}: status ${String(finding.status)}`);
          assert.equal(typeof finding.reason, 'string');
          assert.ok(finding.reason.trim().length > 0, `${finding.id}: empty reason`);
          assert.ok(finding.id.length > 0 && finding.title.length > 0);
        }
        assert.equal(JSON.stringify(thresholds ? evaluateReadiness(f, now, thresholds) : evaluateReadiness(f, now)), JSON.stringify(findings));
      }),
      runs(TARGET),
    );
  });
});
