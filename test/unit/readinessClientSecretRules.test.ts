import * as assert from 'node:assert/strict';
import { failed, known, type AppFacts, type ClientSecretFacts, type ReadinessFacts } from '../../src/core/readiness/facts';
import { at, dayMs, error, finding, now, readyFacts, secretKeyId } from '../support/readinessFacts';

const secondMs = 1000;
const otherKeyId = '77777777-7777-4777-8777-777777777777';

function withSecrets(secrets: ClientSecretFacts[], usedSecret?: AppFacts['usedSecret']): ReadinessFacts {
  const facts = readyFacts();
  if (facts.app.state === 'known') {
    const { usedSecret: _dropped, ...rest } = facts.app.value;
    facts.app = known({ ...rest, secrets, ...(usedSecret ? { usedSecret } : {}) });
  }
  return facts;
}

function secret(keyId: string, expiresInMs: number | undefined, displayName = 'secret-server'): ClientSecretFacts {
  return { keyId, displayName, startsOn: at(-30 * dayMs), expiresOn: expiresInMs === undefined ? undefined : at(expiresInMs) };
}

const expiry = (facts: ReadinessFacts) => finding(facts, 'clientSecrets.expiry');

describe('readiness rules: client secrets', () => {
  describe('the secret Secret Server uses (known)', () => {
    const cases: [string, number, string][] = [
      ['a year away', 365 * dayMs, 'pass'],
      ['30 days + 1 s', 30 * dayMs + secondMs, 'pass'],
      ['exactly 30 days', 30 * dayMs, 'warn'],
      ['7 days + 1 s', 7 * dayMs + secondMs, 'warn'],
      ['exactly 7 days', 7 * dayMs, 'warn'],
      ['7 days - 1 s', 7 * dayMs - secondMs, 'warn'],
      ['exactly now', 0, 'fail'],
      ['1 s ago', -secondMs, 'fail'],
    ];
    for (const [label, offset, status] of cases) {
      it(`${label} → ${status}`, () => {
        const f = expiry(withSecrets([secret(secretKeyId, offset)], { keyId: secretKeyId, source: 'given' }));
        assert.equal(f.status, status, f.reason);
        assert.match(f.reason, /^The client secret Secret Server uses \('secret-server', id 33333333/);
        if (status !== 'pass') assert.equal(f.fix?.id, 'addClientSecret');
      });
    }

    it('within the critical threshold the wording is urgent', () => {
      assert.match(expiry(withSecrets([secret(secretKeyId, 5 * dayMs)], { keyId: secretKeyId, source: 'given' })).reason, /very soon/);
      assert.doesNotMatch(expiry(withSecrets([secret(secretKeyId, 20 * dayMs)], { keyId: secretKeyId, source: 'given' })).reason, /very soon/);
    });

    it('judges the used secret even when another one expires sooner', () => {
      const f = expiry(withSecrets([secret(otherKeyId, 3 * dayMs, 'old'), secret(secretKeyId, 200 * dayMs)], { keyId: secretKeyId, source: 'given' }));
      assert.equal(f.status, 'pass');
    });

    it('a used secret identified by the stored value says so', () => {
      const f = expiry(withSecrets([secret(secretKeyId, 200 * dayMs)], { keyId: secretKeyId, source: 'storedValue' }));
      assert.match(f.reason, /^The client secret whose value VS Code holds/);
    });

    it('a given secret that no longer exists on the app fails', () => {
      const f = expiry(withSecrets([secret(otherKeyId, 200 * dayMs)], { keyId: secretKeyId, source: 'given' }));
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /no longer exists/);
    });

    it('a secret without an end date passes', () => {
      assert.equal(expiry(withSecrets([secret(secretKeyId, undefined)], { keyId: secretKeyId, source: 'given' })).status, 'pass');
    });
  });

  describe('which secret Secret Server uses is not known', () => {
    it('the soonest-expiring valid secret sets the horizon', () => {
      const f = expiry(withSecrets([secret(secretKeyId, 200 * dayMs), secret(otherKeyId, 20 * dayMs, 'second')]));
      assert.equal(f.status, 'warn');
      assert.match(f.reason, /not known; the app's soonest-expiring valid secret \('second'/);
    });

    it('an expired leftover beside a valid secret does not fail the check', () => {
      const f = expiry(withSecrets([secret(otherKeyId, -10 * dayMs, 'leftover'), secret(secretKeyId, 200 * dayMs)]));
      assert.equal(f.status, 'pass');
      assert.match(f.reason, /only valid client secret/);
    });

    it('all secrets expired fails', () => {
      const f = expiry(withSecrets([secret(otherKeyId, -10 * dayMs), secret(secretKeyId, -secondMs)]));
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /Every client secret/);
      assert.equal(f.fix?.id, 'addClientSecret');
    });

    it('no secret at all fails', () => {
      const f = expiry(withSecrets([]));
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /has no client secret/);
    });
  });

  it('an unreadable app registration is unknown with the reason', () => {
    const facts = readyFacts();
    facts.app = failed(error('No app registration with client id x exists in this tenant; check the client id.', 'notFound'));
    const f = expiry(facts);
    assert.equal(f.status, 'unknown');
    assert.match(f.reason, /^Not checked: No app registration/);
  });

  it('never shows more than the secret name and id', () => {
    const f = expiry(withSecrets([secret(secretKeyId, 20 * dayMs)], { keyId: secretKeyId, source: 'given' }));
    assert.equal(f.reason.includes(now.toISOString()), false);
    assert.deepEqual(Object.keys(f).sort(), ['fix', 'group', 'id', 'reason', 'status', 'title']);
  });
});
