import * as assert from 'node:assert/strict';
import { ActionableError } from '../../src/core/actionableError';
import { allKeyManagementAudit, getKeyManagement, listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { followRotation, getRotationStatus } from '../../src/secretServer/rotation';
import type { RotationProgress } from '../../src/secretServer/rotationProgress';
import { SecretServerSession } from '../../src/secretServer/session';
import { adminCredential, keyClient } from '../support/azureClients';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { activeHsmUri, assertPasswordsUnchanged, login, readAllPasswords, seededSettings, user } from './secretServer.support';

// Issue #10, the sixth fault: Secret Server restarts while a secret key rotation runs. The
// rotation is started and followed through the product's own modules (updateKeyManagement and
// followRotation, which the form's rotation follower and the renewals use); the emulator is
// stopped and started again mid-run. The follower must end in one final state — succeeded after
// the server resumed, or rolled back — as the server reports it, without an unhandled rejection
// and within a bound.

const followBoundMs = 60_000;

describe('reliability: Secret Server restarting during a rotation (followRotation)', function () {
  this.timeout(180_000);
  let h: SandboxHandle;
  let original: Map<number, string>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    h = await startSandboxProcess(['--secrets', '80', '--rotation-rate', '25', '--maintenance-delay', '100']);
    original = await readAllPasswords(h, (await login(h, user(h, 'admin'))).accessToken);
    process.on('unhandledRejection', onUnhandled);
  });

  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h?.stop();
  });

  const session = () => {
    const admin = user(h, 'admin');
    return new SecretServerSession({ url: h.endpoints.secretServer.url, username: admin.username, caPem: h.caPem, credentials: { getPassword: async () => admin.password } });
  };

  /** Saves the HSM configuration with the product's module, which starts a rotation. */
  async function saveHsmKey(s: SecretServerSession, keyUrl: string, principal: 'seeded' | 'admin' = 'seeded') {
    const since = await getRotationStatus(s);
    const type = findKeyManagementType(await listKeyManagementTypes(s), 'azureManagedHsm');
    assert.ok(type, 'the server offers Azure Managed HSM');
    const ep = h.endpoints;
    // The seeded app is granted only the seeded key; the admin may use a key made for the test.
    const settings = principal === 'seeded' ? seededSettings(h, keyUrl) : { tenantId: ep.tenantId, clientId: ep.admin.clientId, clientSecret: ep.admin.clientSecret, keyUrl };
    await updateKeyManagement(s, { type, azureManagedHsm: { tenantId: settings.tenantId, principalId: settings.clientId, principalSecret: settings.clientSecret, keyUrl } });
    return since;
  }

  /**
   * Follows the run in the background; once it has processed `restartAt` secrets, `duringRun`
   * runs (the restart). Returns every progress seen and how the follow ended.
   */
  async function followThroughRestart(s: SecretServerSession, since: Awaited<ReturnType<typeof getRotationStatus>>, restartAt: number, duringRun: () => Promise<void>) {
    const seen: RotationProgress[] = [];
    let restarted: Promise<void> | undefined;
    const bound = AbortSignal.timeout(followBoundMs);
    const follow = (async () => {
      for await (const p of followRotation(s, { since, pollIntervalMs: 100, cancellation: bound })) {
        seen.push(p);
        if (!restarted && (p.secretsProcessed ?? 0) >= restartAt) restarted = duringRun();
      }
    })();
    const ended = await follow.then(
      () => ({ ok: true as const }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    await restarted;
    return { seen, ended, last: seen.at(-1) };
  }

  it('a restart mid-rotation: the follower rides out the outage and ends "succeeded" when the server resumes', async () => {
    const s = session();
    const since = await saveHsmKey(s, `${activeHsmUri(h)}keys/secret-server-key`);
    const { seen, ended, last } = await followThroughRestart(s, since, 10, () => h.restart());
    assert.ok(ended.ok, `the follower failed instead of following the resumed run: ${ended.ok ? '' : String((ended.err as Error).message)}`);
    assert.ok(seen.some((p) => p.state === 'running'), 'the run was seen running');
    assert.equal(last?.state, 'succeeded', `final state ${last?.state}: ${last?.message}`);
    assert.match(last?.message ?? '', /Resumed after a restart/, 'the final message says the run resumed');
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    await assertPasswordsUnchanged(h, (await login(h, user(h, 'admin'))).accessToken, original);
  });

  it('a restart after the new key is gone: the follower ends "failed/rolled back" as the server reports, never "succeeded"', async () => {
    const keys = keyClient(activeHsmUri(h), adminCredential(h.endpoints, h.caPem), h.caPem);
    await keys.createKey('secret-server-key-r', 'oct-HSM', { keySize: 256, keyOps: ['wrapKey', 'unwrapKey'] });
    const s = session();
    const since = await saveHsmKey(s, `${activeHsmUri(h)}keys/secret-server-key-r`, 'admin');
    const { ended, last } = await followThroughRestart(s, since, 10, async () => {
      await (await keys.beginDeleteKey('secret-server-key-r', { intervalInMs: 10 })).pollUntilDone();
      await h.restart();
    });
    assert.ok(ended.ok, `the follower failed instead of following the rollback: ${ended.ok ? '' : String((ended.err as Error).message)}`);
    assert.ok(last?.done, 'the follower ended on a final state');
    assert.ok(last?.state === 'failed' || last?.state === 'cancelled' || last?.state === 'ended', `a rolled-back run is not reported as '${last?.state}'`);
    assert.match(`${last?.message}`, /rolled back after a restart/, `the final message says it was rolled back: ${last?.message}`);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    await assertPasswordsUnchanged(h, (await login(h, user(h, 'admin'))).accessToken, original);
  });

  it('a server that stays down: the follower gives up after its bound with one error that says the result is unknown', async () => {
    const s = session();
    const since = await saveHsmKey(s, `${activeHsmUri(h)}keys/secret-server-key`);
    const started = Date.now();
    let caught: unknown;
    try {
      for await (const p of followRotation(s, { since, pollIntervalMs: 100, outageToleranceMs: 2000, cancellation: AbortSignal.timeout(followBoundMs) })) {
        if ((p.secretsProcessed ?? 0) >= 5) await h.stopProcess();
      }
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof ActionableError, `the follower ended with ${String(caught)}`);
    assert.equal(caught.kind, 'unavailable');
    assert.match(caught.message, /could not be reached for 2 seconds, so whether the rotation finished, resumed or rolled back is not known/);
    assert.ok(Date.now() - started < 30_000, 'bounded');
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    // Start it again so the run finishes (resumed) and the state is left clean.
    await h.restart();
    const end = await (async () => {
      let final: RotationProgress | undefined;
      for await (const p of followRotation(session(), { pollIntervalMs: 100, cancellation: AbortSignal.timeout(followBoundMs) })) final = p;
      return final;
    })();
    assert.equal(end?.state, 'succeeded', `after the server came back the run ended ${end?.state}: ${end?.message}`);
  });

  /** How many configuration changes and completed rotations Secret Server's audit holds. */
  async function changesRecorded(s: SecretServerSession): Promise<{ updated: number; completed: number }> {
    const counts = { updated: 0, completed: 0 };
    for await (const entry of allKeyManagementAudit(s)) {
      if (entry.action === 'Key Management Updated') counts.updated++;
      if (entry.action?.startsWith('Secret Key Rotation Completed')) counts.completed++;
    }
    return counts;
  }

  describe('key management save (updateKeyManagement) under a fault on its PUT', () => {
    const cases = [
      { name: '429 with Retry-After', rule: { kind: 'throttle', retryAfterSeconds: 1 }, applied: true },
      { name: '503', rule: { kind: 'unavailable', retryAfterSeconds: 0 }, applied: true },
      { name: 'connection dropped mid-response', rule: { kind: 'truncate' }, applied: false },
    ];
    for (const c of cases) {
      it(`${c.name}: one save, one rotation, and a failure says it may have been applied`, async () => {
        const keys = keyClient(activeHsmUri(h), adminCredential(h.endpoints, h.caPem), h.caPem);
        const keyName = `rel-save-${c.rule.kind}`;
        await keys.createKey(keyName, 'oct-HSM', { keySize: 256, keyOps: ['wrapKey', 'unwrapKey'] });
        const s = session();
        const auditBefore = await changesRecorded(s);
        await h.control('POST', '/faults', { service: 'secretServer', method: 'PUT', path: '^/api/v1/key-management$', times: 1, ...c.rule });
        let failure: unknown;
        const since = await saveHsmKey(s, `${activeHsmUri(h)}keys/${keyName}`, 'admin').catch((err: unknown) => {
          failure = err;
          return undefined;
        });
        const fired = (await h.control('GET', '/faults')).body as { value: { fired: number }[] };
        await h.control('DELETE', '/faults');
        assert.equal(fired.value[0]?.fired, 1, 'the fault hit the PUT');
        if (c.applied) {
          assert.equal(failure, undefined, `a refused-before-processing answer is retried: ${String(failure)}`);
        } else {
          assert.ok(failure instanceof ActionableError, String(failure));
          assert.match(failure.message, /may or may not have been applied/, 'a cut answer to a write says so');
        }
        // Either way the server acted exactly once: one rotation, followed to its end.
        let last: RotationProgress | undefined;
        for await (const p of followRotation(s, { since, pollIntervalMs: 100, cancellation: AbortSignal.timeout(followBoundMs) })) last = p;
        assert.equal(last?.state, 'succeeded', `${last?.state}: ${last?.message}`);
        const config = await getKeyManagement(s);
        assert.match(JSON.stringify(config), new RegExp(`keys/${keyName}`), 'the new configuration is in force');
        const auditAfter = await changesRecorded(s);
        assert.deepEqual({ updated: auditAfter.updated - auditBefore.updated, completed: auditAfter.completed - auditBefore.completed }, { updated: 1, completed: 1 }, 'exactly one change and one rotation recorded');
        assert.deepEqual(unhandled, [], 'no unhandled rejection');
      });
    }
  });
});
