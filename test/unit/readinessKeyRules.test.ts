import * as assert from 'node:assert/strict';
import { failed, known, notChecked, type KeyFacts, type ReadinessFacts } from '../../src/core/readiness/facts';
import { at, dayMs, error, evaluate, finding, now, readyFacts } from '../support/readinessFacts';

function withKey(change: Partial<KeyFacts>): ReadinessFacts {
  const facts = readyFacts();
  assert.equal(facts.key.state, 'known');
  if (facts.key.state === 'known') facts.key = known({ ...facts.key.value, ...change });
  return facts;
}

const secondMs = 1000;

describe('readiness rules: the key', () => {
  it('a compliant setup passes every rule', () => {
    const findings = evaluate(readyFacts());
    const notPassing = findings.filter((f) => f.status !== 'pass');
    assert.deepEqual(notPassing, []);
  });

  describe('key type and size', () => {
    it('oct-HSM passes; the size is proven by the live A256KW wrap', () => {
      const facts = readyFacts();
      assert.equal(finding(facts, 'key.type').status, 'pass');
      const size = finding(facts, 'key.size');
      assert.equal(size.status, 'pass');
      assert.match(size.reason, /A256KW/);
    });

    it('an RSA-HSM key fails type and size, offering a new Secret Server key', () => {
      const facts = withKey({ keyType: 'RSA-HSM', keySize: 2048, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'sign', 'verify'] });
      const type = finding(facts, 'key.type');
      assert.equal(type.status, 'fail');
      assert.match(type.reason, /RSA-HSM/);
      assert.equal(type.fix?.id, 'createSecretServerKey');
      const size = finding(facts, 'key.size');
      assert.equal(size.status, 'fail');
      assert.match(size.reason, /2048-bit RSA-HSM/);
    });

    it('an oct-HSM 128-bit key fails the size rule through the probe refusing A256KW', () => {
      const facts = readyFacts();
      const message = "Could not wrap a test value with key 'aes128-key' (A256KW) as the app registration (readiness check): the service rejected the request (BadParameter): The algorithm 'A256KW' needs a 256-bit key, but this key version is 128-bit; correct the input and try again.";
      facts.probe = known({ ok: false, step: 'wrap', error: error(message, 'invalidInput', 'BadParameter', 400), durationMs: 10 });
      assert.equal(finding(facts, 'key.type').status, 'pass');
      const size = finding(facts, 'key.size');
      assert.equal(size.status, 'fail');
      assert.match(size.reason, /not 256 bits/);
      assert.match(size.reason, /128-bit/);
      assert.equal(size.fix?.id, 'createSecretServerKey');
      assert.equal(finding(facts, 'access.probe').status, 'fail');
    });

    it('the size is unknown when the probe stopped before the wrap or did not run', () => {
      const facts = readyFacts();
      facts.probe = known({ ok: false, step: 'token', error: error('Could not sign in as app x: the client secret has expired.', 'authentication', 'AADSTS7000222', 401), durationMs: 5 });
      const stopped = finding(facts, 'key.size');
      assert.equal(stopped.status, 'unknown');
      assert.match(stopped.reason, /stopped before the wrap/);
      facts.probe = notChecked("the app's client secret is not available to VS Code.");
      const skipped = finding(facts, 'key.size');
      assert.equal(skipped.status, 'unknown');
      assert.match(skipped.reason, /did not run/);
    });

    it('a wrap refused for access (403) does not count as a wrong size', () => {
      const facts = readyFacts();
      facts.probe = known({ ok: false, step: 'wrap', error: error('Could not wrap: access denied.', 'accessDenied', 'AccessDenied', 403), durationMs: 5 });
      assert.equal(finding(facts, 'key.size').status, 'unknown');
    });
  });

  describe('key operations', () => {
    it('missing unwrapKey fails with a fix', () => {
      const f = finding(withKey({ keyOps: ['wrapKey', 'encrypt'] }), 'key.operations');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /does not allow unwrapKey/);
      assert.equal(f.fix?.id, 'addKeyOperations');
    });

    it('missing both names both', () => {
      const f = finding(withKey({ keyOps: ['encrypt', 'decrypt'] }), 'key.operations');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /wrapKey or unwrapKey/);
    });

    it('extra operations pass and are named', () => {
      const f = finding(withKey({ keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] }), 'key.operations');
      assert.equal(f.status, 'pass');
      assert.match(f.reason, /also allows encrypt, decrypt/);
    });

    it('unreported operations are unknown', () => {
      assert.equal(finding(withKey({ keyOps: undefined }), 'key.operations').status, 'unknown');
    });
  });

  it('a disabled key fails with the enable fix', () => {
    const f = finding(withKey({ enabled: false }), 'key.enabled');
    assert.equal(f.status, 'fail');
    assert.equal(f.fix?.id, 'enableKey');
  });

  describe('expiry (warning 30 days, critical 7 days)', () => {
    const cases: [string, number, string][] = [
      ['no expiry', NaN, 'pass'],
      ['a year away', 365 * dayMs, 'pass'],
      ['30 days + 1 s', 30 * dayMs + secondMs, 'pass'],
      ['exactly 30 days', 30 * dayMs, 'warn'],
      ['30 days - 1 s', 30 * dayMs - secondMs, 'warn'],
      ['7 days + 1 s', 7 * dayMs + secondMs, 'warn'],
      ['exactly 7 days', 7 * dayMs, 'fail'],
      ['7 days - 1 s', 7 * dayMs - secondMs, 'fail'],
      ['1 s away', secondMs, 'fail'],
      ['exactly now', 0, 'fail'],
      ['1 s ago', -secondMs, 'fail'],
    ];
    for (const [label, offset, status] of cases) {
      it(`${label} → ${status}`, () => {
        const f = finding(withKey({ expiresOn: Number.isNaN(offset) ? undefined : at(offset) }), 'key.expiry');
        assert.equal(f.status, status, f.reason);
        if (status !== 'pass') assert.equal(f.fix?.id, 'extendKeyExpiry');
      });
    }

    it('says expired for a past date and names the date', () => {
      const f = finding(withKey({ expiresOn: at(-2 * dayMs) }), 'key.expiry');
      assert.match(f.reason, /expired on 2025-05-30 12:00 UTC, 2 days ago/);
    });

    it('honours custom thresholds', () => {
      const facts = withKey({ expiresOn: at(50 * dayMs) });
      assert.equal(finding(facts, 'key.expiry', now, { warningDays: 60, criticalDays: 14 }).status, 'warn');
      assert.equal(finding(facts, 'key.expiry', now, { warningDays: 60, criticalDays: 50 }).status, 'fail');
      assert.equal(finding(facts, 'key.expiry').status, 'pass');
    });
  });

  describe('activation date (nbf)', () => {
    it('in the future fails with the activate-now fix', () => {
      const f = finding(withKey({ notBefore: at(secondMs) }), 'key.activation');
      assert.equal(f.status, 'fail');
      assert.equal(f.fix?.id, 'activateKeyNow');
    });
    it('exactly now passes', () => {
      assert.equal(finding(withKey({ notBefore: now }), 'key.activation').status, 'pass');
    });
    it('in the past passes', () => {
      assert.equal(finding(withKey({ notBefore: at(-dayMs) }), 'key.activation').status, 'pass');
    });
  });

  describe('rotation policy', () => {
    function withPolicy(policy: ReadinessFacts['rotationPolicy']): ReadinessFacts {
      const facts = readyFacts();
      facts.rotationPolicy = policy;
      return facts;
    }

    it('a Rotate action fails, explains why, and offers to remove the policy', () => {
      const f = finding(withPolicy(known({ lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P90D' }] })), 'key.rotationPolicy');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /rotates it automatically \(P90D after each version is created\)/);
      assert.match(f.detail ?? '', /versionless URL/);
      assert.match(f.detail ?? '', /refuses to wrap/);
      assert.match(f.detail ?? '', /create a new version, switch Secret Server to it, wait at least a day/);
      assert.equal(f.fix?.id, 'removeRotationPolicy');
    });

    it('a Rotate action with an expiry names the expiry; action names are case-insensitive', () => {
      const f = finding(withPolicy(known({ expiresIn: 'P2Y', lifetimeActions: [{ action: 'rotate', timeBeforeExpiry: 'P30D' }] })), 'key.rotationPolicy');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /P30D before each version expires/);
      assert.match(f.reason, /expiry of P2Y/);
    });

    it('Notify only passes', () => {
      const f = finding(withPolicy(known({ lifetimeActions: [{ action: 'Notify', timeBeforeExpiry: 'P30D' }] })), 'key.rotationPolicy');
      assert.equal(f.status, 'pass');
      assert.match(f.reason, /only notifies/);
    });

    it('an expiryTime without Rotate warns', () => {
      const f = finding(withPolicy(known({ expiresIn: 'P1Y', lifetimeActions: [{ action: 'Notify', timeBeforeExpiry: 'P30D' }] })), 'key.rotationPolicy');
      assert.equal(f.status, 'warn');
      assert.match(f.reason, /P1Y/);
      assert.equal(f.fix?.id, 'removeRotationPolicy');
    });

    it('no policy passes', () => {
      assert.match(finding(withPolicy(known({ lifetimeActions: [] })), 'key.rotationPolicy').reason, /no rotation policy/);
    });

    it('an unreadable policy is unknown with the reason', () => {
      const f = finding(withPolicy(failed(error("Could not read the rotation policy of key 'k': access denied.", 'accessDenied'))), 'key.rotationPolicy');
      assert.equal(f.status, 'unknown');
      assert.match(f.reason, /^Not checked: Could not read the rotation policy/);
    });
  });

  it('every key rule says why it could not check an unreadable key', () => {
    const facts = readyFacts();
    facts.key = failed(error("Could not read key 'secret-server-key' in contoso-mhsm: the Managed HSM is not activated yet; activate it.", 'notActivated'));
    const keyFindings = evaluate(facts).filter((f) => f.group === 'key' && f.id !== 'key.rotationPolicy');
    assert.equal(keyFindings.length, 6);
    for (const f of keyFindings) {
      assert.equal(f.status, 'unknown', f.id);
      assert.match(f.reason, /^Not checked: Could not read key 'secret-server-key'.*not activated/);
    }
  });

  it('reports a key date that did not parse instead of failing the whole check (found by test/fuzz)', () => {
    const findings = evaluate(withKey({ notBefore: new Date(Number.NaN), expiresOn: new Date('not a date') }));
    assert.ok(findings.length > 0);
    assert.ok(findings.some((f) => f.reason.includes('an unreadable date')));
  });
});
