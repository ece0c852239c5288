import * as assert from 'node:assert/strict';
import { listClientSecrets } from '../../src/azure/graph/clientSecrets';
import { assessItem } from '../../src/core/expiry/watchedItem';
import { defaultThresholds, dayMs } from '../../src/core/expiry/thresholds';
import { getHealth } from '../../src/secretServer/health';
import { renewClientSecret, type ClientSecretRenewalStep } from '../../src/renewal/clientSecretRenewal';
import { liveAppSecrets, liveProbe, liveSecretServer } from '../../src/renewal/liveRenewalDeps';
import { RenewalError } from '../../src/renewal/renewalError';
import type { RenewalProgress } from '../../src/renewal/renewalDeps';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { configuredWorld, sandboxNow, watchHealth, type RenewalWorld } from './renewal.support';

describe('renewal: client secret renewal against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let world: RenewalWorld;
  before(async () => {
    sandbox = await startSandboxProcess(['--secrets', '40', '--rotation-rate', '150', '--maintenance-delay', '200']);
    world = await configuredWorld(sandbox);
  });
  after(async () => {
    await sandbox?.stop();
  });

  const deps = () => ({
    secrets: liveAppSecrets(world.graph, world.appObjectId),
    secretServer: liveSecretServer(world.session, { pollIntervalMs: 100 }),
    probe: liveProbe(world.cloud, sandbox.endpoints.tenantId),
  });

  it('sees the seeded secret 5 days from expiry as critical', async () => {
    const now = await sandboxNow(sandbox);
    const [secret] = await listClientSecrets(world.graph, world.appObjectId);
    const a = assessItem({ kind: 'clientSecret', appId: world.appId, keyId: secret.keyId, hint: secret.hint, endDateTime: secret.endDateTime, usedBySecretServer: ['ss'] }, now, defaultThresholds);
    assert.equal(a.severity, 'critical');
    assert.equal(a.description, 'expires in 5 days');
  });

  it('refuses to renew an app Secret Server does not use, changing nothing', async () => {
    const other = '00000000-1111-2222-3333-444444444444';
    await assert.rejects(
      renewClientSecret(deps(), { appId: other, oldKeyId: world.oldKeyId, newSecretExpiresOn: new Date(Date.now() + 90 * dayMs), confirmRemoveOld: async () => true }),
      (err: unknown) => err instanceof RenewalError && err.step === 'check' && /Nothing was changed/.test(err.message),
    );
    assert.equal((await listClientSecrets(world.graph, world.appObjectId)).length, 1);
  });

  it('keeps the old secret in use and says so when Secret Server refuses the new one', async () => {
    const fault = await sandbox.control('POST', '/faults', { service: 'secretServer', method: 'PUT', path: '^/api/v1/key-management$', kind: 'unavailable' });
    assert.equal(fault.status < 300, true, JSON.stringify(fault.body));
    try {
      await assert.rejects(
        renewClientSecret(deps(), { appId: world.appId, oldKeyId: world.oldKeyId, newSecretExpiresOn: new Date(Date.now() + 90 * dayMs), confirmRemoveOld: async () => true }),
        (err: unknown) => err instanceof RenewalError && err.step === 'updateSecretServer' && /not used yet; the old one still works/.test(err.message),
      );
    } finally {
      await sandbox.control('DELETE', '/faults');
    }
    const secrets = await listClientSecrets(world.graph, world.appObjectId);
    assert.equal(secrets.length, 2, 'the unused new secret is left for a retry; the old one is kept');
    assert.ok(secrets.some((s) => s.keyId === world.oldKeyId));
    assert.equal((await getHealth(world.session)).healthy, true);
  });

  it('renews without downtime and removes the old secret only at the end', async () => {
    const baseline = (await listClientSecrets(world.graph, world.appObjectId)).length;
    const watcher = watchHealth(world.session);
    const progress: RenewalProgress<ClientSecretRenewalStep>[] = [];
    const countsAtStepEnd: Partial<Record<ClientSecretRenewalStep, number>> = {};
    let countAtConfirm = -1;
    const ops: Promise<void>[] = [];
    let kept: string | undefined;
    const result = await renewClientSecret(deps(), {
      appId: world.appId,
      oldKeyId: world.oldKeyId,
      newSecretExpiresOn: new Date(Date.now() + 180 * dayMs),
      keepNewSecret: async (_keyId, secretText) => void (kept = secretText),
      verify: { attempts: 20, intervalMs: 100 },
      onProgress: (p) => {
        progress.push(p);
        if (p.phase === 'done') {
          ops.push(listClientSecrets(world.graph, world.appObjectId).then((s) => void (countsAtStepEnd[p.step] = s.length)));
        }
      },
      confirmRemoveOld: async () => {
        countAtConfirm = (await listClientSecrets(world.graph, world.appObjectId)).length;
        return true;
      },
    });
    await Promise.all(ops);
    const readings = await watcher.stop();

    assert.equal(result.oldRemoved, true);
    assert.ok(kept && kept.length > 10, 'the new value was handed over once');
    assert.ok(!JSON.stringify({ progress, result }).includes(kept), 'no progress message or result carries the secret');
    assert.deepEqual(
      progress.filter((p) => p.phase === 'done').map((p) => p.step),
      ['check', 'createSecret', 'proveNewSecret', 'updateSecretServer', 'followRotation', 'verify', 'removeOldSecret'],
    );
    for (const step of ['createSecret', 'proveNewSecret', 'updateSecretServer', 'followRotation', 'verify'] as const) {
      assert.equal(countsAtStepEnd[step], baseline + 1, `old and new secrets both exist after ${step}`);
    }
    assert.equal(countAtConfirm, baseline + 1, 'both secrets exist when removal is offered');
    const after = await listClientSecrets(world.graph, world.appObjectId);
    assert.equal(after.length, baseline);
    assert.ok(!after.some((s) => s.keyId === world.oldKeyId), 'the old secret is gone');
    assert.ok(after.some((s) => s.keyId === result.newSecret.keyId), 'the new secret stays');
    assert.ok(readings.length >= 3, `health polled ${readings.length} times`);
    assert.ok(readings.every((h) => h.healthy), 'Secret Server stayed healthy throughout');
    assert.ok(readings.some((h) => h.readOnlyMode), 'the rotation ran in maintenance mode');
  });

  it('stays healthy after the sandbox clock passes the old secret\'s expiry', async () => {
    await sandbox.control('POST', '/clock', { advanceDays: 6 });
    const health = await getHealth(world.session);
    assert.equal(health.healthy, true, health.reason);
    const secrets = await listClientSecrets(world.graph, world.appObjectId);
    const now = await sandboxNow(sandbox);
    const used = secrets.find((s) => Date.parse(s.endDateTime ?? '') > now + 100 * dayMs);
    assert.ok(used, 'the renewed secret is listed');
    const a = assessItem({ kind: 'clientSecret', appId: world.appId, keyId: used.keyId, endDateTime: used.endDateTime, usedBySecretServer: ['ss'] }, now, defaultThresholds);
    assert.equal(a.severity, 'ok');
  });
});

describe('renewal: an unrenewed secret past its expiry', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let world: RenewalWorld;
  before(async () => {
    sandbox = await startSandboxProcess(['--secrets', '10', '--rotation-rate', '150', '--maintenance-delay', '200']);
    world = await configuredWorld(sandbox);
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('shows expired and Secret Server unhealthy once the sandbox clock passes the expiry', async () => {
    assert.equal((await getHealth(world.session)).healthy, true);
    await sandbox.control('POST', '/clock', { advanceDays: 6 });
    const [secret] = await listClientSecrets(world.graph, world.appObjectId);
    const a = assessItem({ kind: 'clientSecret', appId: world.appId, keyId: secret.keyId, endDateTime: secret.endDateTime, usedBySecretServer: ['ss'] }, await sandboxNow(sandbox), defaultThresholds);
    assert.equal(a.severity, 'expired');
    assert.match(a.description, /^expired \d+ hours ago$/);
    const health = await getHealth(world.session);
    assert.equal(health.healthy, false);
    assert.match(health.reason ?? '', /expired/i);
  });
});
