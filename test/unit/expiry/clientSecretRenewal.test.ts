import * as assert from 'node:assert/strict';
import { ActionableError } from '../../../src/core/actionableError';
import type { ProbeResult } from '../../../src/azure/keyProbe';
import type { RotationProgress } from '../../../src/secretServer/rotationProgress';
import { renewClientSecret, type ClientSecretRenewalDeps } from '../../../src/renewal/clientSecretRenewal';
import { RenewalError } from '../../../src/renewal/renewalError';

// The renewal's ordering guarantees, over the flow's explicit deps seam (the sandbox integration
// test covers the real services): whatever fails, the old secret is never removed.

const appId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const oldKeyId = '00000000-0000-0000-0000-000000000001';
const keyUrl = 'https://contoso.managedhsm.azure.net/keys/secret-server-key';
const ok: ProbeResult = { ok: true, kid: `${keyUrl}/${'a'.repeat(32)}`, durationMs: 1 };
const failed = (step: 'token' | 'wrap'): ProbeResult => ({ ok: false, step, error: new ActionableError('denied', 'accessDenied'), durationMs: 1 });
const done = (state: RotationProgress['state']): RotationProgress => ({ state, done: true, status: {} as RotationProgress['status'] });

function world(over: { probes?: readonly ProbeResult[]; rotation?: RotationProgress['state']; healthy?: boolean; updateFails?: boolean } = {}) {
  const calls: string[] = [];
  const secrets = [{ keyId: oldKeyId }];
  const probes = [...(over.probes ?? [ok, ok])];
  const deps: ClientSecretRenewalDeps = {
    secrets: {
      list: async () => [...secrets],
      add: async () => {
        calls.push('add');
        secrets.push({ keyId: 'new' });
        return { keyId: 'new', hint: 'abc', secretText: 'abcSECRETVALUE' };
      },
      remove: async (keyId) => {
        calls.push(`remove:${keyId}`);
        secrets.splice(secrets.findIndex((s) => s.keyId === keyId), 1);
      },
    },
    secretServer: {
      readConfig: async () => ({ provider: 'azureManagedHsm', tenantId: 't', principalId: appId, keyUrl }),
      update: async () => {
        calls.push('update');
        if (over.updateFails) throw new ActionableError('Secret Server said no.', 'invalidInput');
        return { since: {} as RotationProgress['status'] };
      },
      follow: async () => done(over.rotation ?? 'succeeded'),
      health: async () => ({ healthy: over.healthy ?? true, readOnlyMode: false }),
    },
    probe: async () => {
      calls.push('probe');
      return probes.shift() ?? ok;
    },
  };
  return { deps, calls, secrets };
}

const request = (confirm = true) => ({ appId, oldKeyId, newSecretExpiresOn: new Date('2027-06-01'), confirmRemoveOld: async () => confirm, verify: { attempts: 1 }, proveNewSecret: { attempts: 3, intervalMs: 1 } });

describe('client secret renewal ordering', () => {
  it('removes the old secret last, after two successful probes and a healthy Secret Server', async () => {
    const w = world();
    const result = await renewClientSecret(w.deps, request());
    assert.deepEqual(w.calls, ['add', 'probe', 'update', 'probe', `remove:${oldKeyId}`]);
    assert.equal(result.oldRemoved, true);
    assert.ok(!JSON.stringify(result).includes('SECRETVALUE'));
  });

  it('keeps the old secret when the user says so', async () => {
    const w = world();
    assert.equal((await renewClientSecret(w.deps, request(false))).oldRemoved, false);
    assert.equal(w.secrets.length, 2);
  });

  it('retries a new secret Entra ID does not accept yet, but not a wrap failure', async () => {
    const w = world({ probes: [failed('token'), failed('token'), ok, ok] });
    await renewClientSecret(w.deps, request());
    assert.equal(w.calls.filter((c) => c === 'probe').length, 4);
    const denied = world({ probes: [failed('wrap')] });
    await assert.rejects(renewClientSecret(denied.deps, request()), (e: unknown) => e instanceof RenewalError && e.step === 'proveNewSecret' && /not used yet; the old one still works/.test(e.message));
    assert.deepEqual(denied.calls, ['add', 'probe'], 'Secret Server never touched');
  });

  for (const [name, over, step] of [
    ['Secret Server refuses the update', { updateFails: true }, 'updateSecretServer'],
    ['the rotation fails', { rotation: 'failed' as const }, 'followRotation'],
    ['Secret Server is unhealthy afterwards', { healthy: false }, 'verify'],
    ['the second probe fails', { probes: [ok, failed('wrap')] }, 'verify'],
  ] as const) {
    it(`never removes the old secret when ${name}`, async () => {
      const w = world(over);
      await assert.rejects(renewClientSecret(w.deps, request()), (e: unknown) => e instanceof RenewalError && e.step === step && /old (one|secret) (still works|is kept)/.test(e.message));
      assert.ok(!w.calls.some((c) => c.startsWith('remove')));
      assert.ok(w.secrets.some((s) => s.keyId === oldKeyId));
    });
  }
});
