import * as assert from 'node:assert/strict';
import { offsetFromDateHeader, ServiceClock } from '../../src/core/serviceClock';

describe('ServiceClock (expiry judged by the services\' time)', () => {
  const local = Date.parse('2026-03-01T12:00:00.000Z');

  it('reads the offset from an HTTP Date header, with the header\'s truncated second in the middle', () => {
    const sixDaysLater = new Date(local + 6 * 86_400_000).toUTCString();
    assert.equal(offsetFromDateHeader(sixDaysLater, local), 6 * 86_400_000 + 500);
    assert.equal(offsetFromDateHeader('Sun, 01 Mar 2026 11:59:00 GMT', local), -59_500);
  });

  it('ignores missing, unreadable and implausible headers', () => {
    assert.equal(offsetFromDateHeader(undefined, local), undefined);
    assert.equal(offsetFromDateHeader('', local), undefined);
    assert.equal(offsetFromDateHeader('yesterday', local), undefined);
    assert.equal(offsetFromDateHeader('Thu, 01 Jan 1970 00:00:00 GMT', local), undefined);
  });

  it('moves now() by the observed offset and tells listeners once per real change', () => {
    let localNow = local;
    const clock = new ServiceClock(() => localNow);
    let changes = 0;
    clock.onDidChange(() => changes++);
    assert.equal(clock.now(), local);

    // Same second as the local clock: resolution and latency, not skew.
    assert.equal(clock.observe(new Date(local).toUTCString()), false);
    assert.equal(clock.offset, 0);

    assert.equal(clock.observe(new Date(local + 3 * 86_400_000).toUTCString()), true);
    assert.equal(clock.now(), local + 3 * 86_400_000 + 500);
    assert.equal(changes, 1);

    // Time passes on both clocks alike: no change.
    localNow += 60_000;
    assert.equal(clock.observe(new Date(localNow + 3 * 86_400_000).toUTCString()), false);
    assert.equal(changes, 1);

    // A broken header leaves the last good offset.
    clock.observe('not a date');
    assert.equal(clock.offset, 3 * 86_400_000 + 500);

    // Back in step (e.g. the laptop's clock was corrected).
    assert.equal(clock.observe(new Date(localNow).toUTCString()), true);
    assert.equal(clock.offset, 0);
    assert.equal(changes, 2);
  });
});
