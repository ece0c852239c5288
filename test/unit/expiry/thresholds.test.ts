import * as assert from 'node:assert/strict';
import { dayMs, defaultThresholds, normaliseThresholds, windowSeverity } from '../../../src/core/expiry/thresholds';
import { describeExpiry, describeNotBefore } from '../../../src/core/expiry/expiryDescription';
import { worstSeverity } from '../../../src/core/expiry/severity';

const now = Date.parse('2026-11-30T12:00:00Z');
const t = defaultThresholds;
const at = (ms: number) => ({ expiresOn: new Date(now + ms).toISOString() });

describe('expiry thresholds: severity of a validity window', () => {
  it('is warning exactly 30 days before expiry and ok one second earlier', () => {
    assert.equal(windowSeverity(at(30 * dayMs), now, t), 'warning');
    assert.equal(windowSeverity(at(30 * dayMs + 1000), now, t), 'ok');
    assert.equal(windowSeverity(at(30 * dayMs - 1000), now, t), 'warning');
  });

  it('is critical exactly 7 days before expiry and warning one second earlier', () => {
    assert.equal(windowSeverity(at(7 * dayMs), now, t), 'critical');
    assert.equal(windowSeverity(at(7 * dayMs + 1000), now, t), 'warning');
    assert.equal(windowSeverity(at(7 * dayMs - 1000), now, t), 'critical');
  });

  it('is expired from the expiry instant on, critical one second before', () => {
    assert.equal(windowSeverity(at(0), now, t), 'expired');
    assert.equal(windowSeverity(at(-1000), now, t), 'expired');
    assert.equal(windowSeverity(at(1000), now, t), 'critical');
  });

  it('is not yet valid before nbf, but expired wins over nbf', () => {
    assert.equal(windowSeverity({ notBefore: now + 1000 }, now, t), 'notYetValid');
    assert.equal(windowSeverity({ notBefore: now }, now, t), 'ok');
    assert.equal(windowSeverity({ notBefore: now + 1000, expiresOn: now - 1 }, now, t), 'expired');
  });

  it('treats a missing or unparseable expiry as never expiring', () => {
    assert.equal(windowSeverity({}, now, t), 'ok');
    assert.equal(windowSeverity({ expiresOn: 'not a date' }, now, t), 'ok');
  });

  it('follows the thresholds passed in and repairs nonsense settings', () => {
    assert.equal(windowSeverity(at(10 * dayMs), now, { warningDays: 60, criticalDays: 14 }), 'critical');
    assert.deepEqual(normaliseThresholds({ warningDays: 5, criticalDays: 10 }), { warningDays: 5, criticalDays: 5 });
    assert.deepEqual(normaliseThresholds({ warningDays: -1, criticalDays: 'x' }), defaultThresholds);
  });

  it('orders severities so the worst wins', () => {
    assert.equal(worstSeverity(['ok', 'warning', 'notYetValid']), 'warning');
    assert.equal(worstSeverity(['critical', 'expired', 'ok']), 'expired');
    assert.equal(worstSeverity([]), 'ok');
  });
});

describe('expiry descriptions', () => {
  it('says how long is left in rounded units, deterministically', () => {
    assert.equal(describeExpiry(now + 5 * dayMs, now), 'expires in 5 days');
    assert.equal(describeExpiry(now + 5 * dayMs - 5000, now), 'expires in 5 days');
    assert.equal(describeExpiry(now + 36 * 3_600_000, now), 'expires in 36 hours');
    assert.equal(describeExpiry(now + 60_000, now), 'expires in 1 minute');
    assert.equal(describeExpiry(now + 1000, now), 'expires in less than a minute');
    assert.equal(describeExpiry(now, now), 'expired just now');
    assert.equal(describeExpiry(now - 2 * dayMs, now), 'expired 2 days ago');
    assert.equal(describeExpiry(undefined, now), 'never expires');
    assert.equal(describeNotBefore(now + 3 * dayMs, now), 'valid in 3 days');
  });
});
