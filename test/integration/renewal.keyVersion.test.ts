import * as assert from 'node:assert/strict';
import { ManagedHsmKeys } from '../../src/azure/keys';
import { newSwitchRecord } from '../../src/core/expiry/waitingPeriod';
import { getHealth } from '../../src/secretServer/health';
import { getKeyManagement } from '../../src/secretServer/keyManagement';
import { retireOldKeyVersion, retireProblem, startKeyVersionRotation, type KeyVersionDeps } from '../../src/renewal/keyVersionRotation';
import { liveProbe, liveSecretServer } from '../../src/renewal/liveRenewalDeps';
import { RenewalError } from '../../src/renewal/renewalError';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { configuredWorld, sandboxNow, watchHealth, type RenewalWorld } from './renewal.support';

describe('renewal: key version rotation across a simulated day', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let world: RenewalWorld;
  let deps: KeyVersionDeps;
  let keys: ManagedHsmKeys;
  const secret = () => Promise.resolve(sandbox.endpoints.expiringApp.clientSecret);
  before(async () => {
    sandbox = await startSandboxProcess(['--secrets', '40', '--rotation-rate', '150', '--maintenance-delay', '200']);
    world = await configuredWorld(sandbox);
    keys = new ManagedHsmKeys(world.cloud, world.admin, world.hsmUri, { pollIntervalMs: 20 });
    deps = { keys, secretServer: liveSecretServer(world.session, { pollIntervalMs: 100 }), probe: liveProbe(world.cloud, sandbox.endpoints.tenantId) };
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('refuses to retire any version while Secret Server uses the versionless URL', async () => {
    const current = await keys.getKey('secret-server-key');
    const problem = await retireProblem(deps.secretServer, world.keyUrl, current.version ?? '');
    assert.match(problem ?? '', /versionless URL/);
  });

  it('switches to a new version, refuses early or in-use retirement, and retires the old version after a day', async () => {
    const oldVersion = (await keys.getKey('secret-server-key')).version ?? '';
    const watcher = watchHealth(world.session);
    let now = await sandboxNow(sandbox);
    const steps: string[] = [];
    const { record, newKeyUrl } = await startKeyVersionRotation(deps, {
      connectionId: 'ss',
      appId: world.appId,
      principalSecret: secret,
      now: () => now,
      verify: { attempts: 20, intervalMs: 100 },
      onProgress: (p) => p.phase === 'done' && steps.push(p.step),
    });
    const readings = await watcher.stop();
    assert.deepEqual(steps, ['check', 'createVersion', 'proveNewVersion', 'switchSecretServer', 'followRotation', 'verify', 'record']);
    assert.ok(readings.every((h) => h.healthy), 'Secret Server stayed healthy during the switch');
    assert.equal(record.oldVersion, oldVersion.toLowerCase());
    assert.notEqual(record.newVersion, record.oldVersion);
    assert.equal((await getKeyManagement(world.session)).azureManagedHsm.keyUrl, newKeyUrl);

    const retire = (at: number, r = record) =>
      retireOldKeyVersion(deps, { record: r, action: { kind: 'disable' }, appId: world.appId, principalSecret: secret, now: () => at, verify: { attempts: 5, intervalMs: 100 } });

    // Right after the switch: refused, the old version untouched.
    await assert.rejects(retire(now), (err: unknown) => err instanceof RenewalError && err.step === 'waitingPeriod' && /left untouched/.test(err.message));
    // One hour short of a day on the sandbox clock: still refused.
    await sandbox.control('POST', '/clock', { advanceSeconds: 86_400 - 3_600 });
    now = await sandboxNow(sandbox);
    await assert.rejects(retire(now), (err: unknown) => err instanceof RenewalError && err.step === 'waitingPeriod');
    assert.equal((await keys.getKey('secret-server-key', oldVersion)).enabled, true);

    // A record that names the version in use as "old" is refused even after the waiting period.
    const wrong = newSwitchRecord({ ...record, oldVersion: record.newVersion, newVersion: record.oldVersion, switchedAtMs: now - 3 * 86_400_000 });
    await assert.rejects(retire(now, wrong), (err: unknown) => err instanceof RenewalError && err.step === 'inUse' && /uses version/.test(err.message));
    assert.equal((await keys.getKey('secret-server-key', record.newVersion)).enabled, true);

    // The day is over: health and a wrap/unwrap with the new version are checked, then the old version is disabled.
    await sandbox.control('POST', '/clock', { advanceSeconds: 3_600 });
    now = await sandboxNow(sandbox);
    const retireSteps: string[] = [];
    await retireOldKeyVersion(deps, {
      record,
      action: { kind: 'disable' },
      appId: world.appId,
      principalSecret: secret,
      now: () => now,
      onProgress: (p) => p.phase === 'done' && retireSteps.push(p.step),
    });
    assert.deepEqual(retireSteps, ['waitingPeriod', 'inUse', 'verify', 'retire', 'verifyAfter']);
    assert.equal((await keys.getKey('secret-server-key', oldVersion)).enabled, false);
    const health = await getHealth(world.session);
    assert.equal(health.healthy, true, health.reason);
  });
});
