import * as assert from 'node:assert/strict';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { sharedTokenCredential } from '../../src/readiness/sharedTokenCredential';

// The credential the readiness check wraps around each identity: one sign-in per audience, however
// many clients ask at once.

const tenant = '22222222-2222-4222-8222-222222222222';
const clock = () => 1_000_000;

function countingCredential(options: { fail?: boolean; lifetimeMs?: number } = {}) {
  const calls: { scopes: string[]; options?: GetTokenOptions }[] = [];
  const credential: TokenCredential = {
    async getToken(scopes, o) {
      calls.push({ scopes: [scopes].flat(), options: o });
      await new Promise((r) => setTimeout(r, 5));
      if (options.fail) throw new Error('sign-in failed');
      return { token: `t${calls.length}`, expiresOnTimestamp: clock() + (options.lifetimeMs ?? 3_600_000) } as AccessToken;
    },
  };
  return { credential, calls };
}

describe('readiness: shared token credential', () => {
  it('concurrent requests for one audience share one sign-in', async () => {
    const { credential, calls } = countingCredential();
    const shared = sharedTokenCredential(credential, { tenantId: tenant, clock });
    const tokens = await Promise.all([
      shared.getToken('https://managedhsm.azure.net/.default'),
      shared.getToken(['https://managedhsm.azure.net/.default'], { tenantId: tenant, enableCae: true }),
      shared.getToken('https://managedhsm.azure.net/.default', { tenantId: tenant.toUpperCase() }),
    ]);
    assert.equal(calls.length, 1);
    assert.deepEqual(tokens.map((t) => t?.token), ['t1', 't1', 't1']);
  });

  it('other audiences and other tenants sign in on their own, after the first sign-in', async () => {
    const { credential, calls } = countingCredential();
    const shared = sharedTokenCredential(credential, { tenantId: tenant, clock });
    await Promise.all([
      shared.getToken('https://management.azure.com/.default'),
      shared.getToken('https://graph.microsoft.com/.default'),
      shared.getToken('https://graph.microsoft.com/.default', { tenantId: '99999999-9999-4999-8999-999999999999' }),
    ]);
    assert.deepEqual(calls.map((c) => c.scopes[0]), ['https://management.azure.com/.default', 'https://graph.microsoft.com/.default', 'https://graph.microsoft.com/.default']);
  });

  it('a claims challenge always goes to the credential', async () => {
    const { credential, calls } = countingCredential();
    const shared = sharedTokenCredential(credential, { clock });
    await shared.getToken('s');
    await shared.getToken('s', { claims: 'eyJ...' });
    assert.equal(calls.length, 2);
  });

  it('a failed sign-in is not shared with later callers', async () => {
    const failing = countingCredential({ fail: true });
    const shared = sharedTokenCredential(failing.credential, { clock });
    await assert.rejects(shared.getToken('s'));
    await assert.rejects(shared.getToken('s'));
    assert.equal(failing.calls.length, 2);
  });

  it('a token about to expire is fetched again', async () => {
    const { credential, calls } = countingCredential({ lifetimeMs: 60_000 });
    const shared = sharedTokenCredential(credential, { clock });
    await shared.getToken('s');
    await shared.getToken('s');
    assert.equal(calls.length, 2);
  });
});
