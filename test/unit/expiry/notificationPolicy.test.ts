import * as assert from 'node:assert/strict';
import { emptyNotificationRecord, muteItem, nextDailyCheck, parseNotificationRecord, planNotifications, snoozeItem, type NotificationRecord } from '../../../src/core/expiry/notificationPolicy';
import { assessItem, type Assessment } from '../../../src/core/expiry/watchedItem';
import { dayMs, defaultThresholds } from '../../../src/core/expiry/thresholds';

const start = Date.parse('2026-11-01T08:00:00Z');
const appId = '11111111-2222-3333-4444-555555555555';
const expiry = start + 40 * dayMs;
const assess = (now: number): Assessment =>
  assessItem({ kind: 'clientSecret', appId, keyId: '00000000-0000-0000-0000-000000000001', endDateTime: expiry, usedBySecretServer: ['ss'] }, now, defaultThresholds);

function run(record: NotificationRecord, now: number) {
  return planNotifications([assess(now)], record, now);
}

describe('expiry notifications: once a day, snooze and "don\'t show for this item"', () => {
  it('stays silent while ok, notifies when the warning threshold is crossed, then not again the same day', () => {
    let r = run(emptyNotificationRecord, start);
    assert.equal(r.notify.length, 0);
    r = run(r.record, expiry - 30 * dayMs);
    assert.deepEqual(r.notify.map((a) => a.severity), ['warning']);
    const again = run(r.record, expiry - 30 * dayMs + 3_600_000);
    assert.equal(again.notify.length, 0, 'same day, same severity');
    const nextDay = run(again.record, expiry - 29 * dayMs);
    assert.equal(nextDay.notify.length, 1, 'a day later the reminder is due');
  });

  it('notifies at once when an item crosses into a worse severity, even within the day', () => {
    const warn = run(emptyNotificationRecord, expiry - 7 * dayMs - 1000);
    assert.equal(warn.notify[0]?.severity, 'warning');
    const crit = run(warn.record, expiry - 7 * dayMs);
    assert.equal(crit.notify[0]?.severity, 'critical');
  });

  it('keeps a snoozed item quiet until the snooze ends, except when it expires', () => {
    const first = run(emptyNotificationRecord, expiry - 5 * dayMs);
    assert.equal(first.notify.length, 1);
    const snoozed = snoozeItem(first.record, assess(0).path, expiry - 5 * dayMs, 3 * dayMs);
    assert.equal(run(snoozed, expiry - 3 * dayMs).notify.length, 0, 'a day later, still snoozed');
    const expired = run(snoozed, expiry + 1000);
    assert.equal(expired.notify[0]?.severity, 'expired', 'expiry breaks a snooze');
    assert.equal(run(expired.record, expiry + 2000).notify.length, 0);
  });

  it('mutes an item at its severity, and shows it again only when it gets worse', () => {
    const first = run(emptyNotificationRecord, expiry - 20 * dayMs);
    const muted = muteItem(first.record, assess(0).path, 'warning', expiry - 20 * dayMs);
    assert.equal(run(muted, expiry - 10 * dayMs).notify.length, 0, 'still warning, muted');
    assert.equal(run(muted, expiry - 6 * dayMs).notify[0]?.severity, 'critical');
  });

  it('forgets what was notified once the item is renewed', () => {
    const first = run(emptyNotificationRecord, expiry - 6 * dayMs);
    const renewed = planNotifications(
      [assessItem({ kind: 'clientSecret', appId, keyId: '00000000-0000-0000-0000-000000000001', endDateTime: expiry + 365 * dayMs, usedBySecretServer: [] }, expiry - 5 * dayMs, defaultThresholds)],
      first.record,
      expiry - 5 * dayMs,
    );
    assert.equal(renewed.notify.length, 0);
    assert.equal(Object.values(renewed.record.items)[0]?.notifiedSeverity, undefined);
  });

  it('reads back only well-formed entries from globalState and holds no secret fields', () => {
    const r = parseNotificationRecord({ items: { '/app/x': { lastSeen: 5, notifiedSeverity: 'bogus', secretText: 'nope' }, 'bad': { lastSeen: 1 }, '/y': 'x' } });
    assert.deepEqual(Object.keys(r.items), ['/app/x']);
    assert.equal(r.items['/app/x'].notifiedSeverity, undefined);
    assert.ok(!JSON.stringify(r).includes('nope'));
    assert.deepEqual(parseNotificationRecord(null), emptyNotificationRecord);
  });

  it('schedules the daily check a day after the last one', () => {
    assert.equal(nextDailyCheck(undefined, start), start);
    assert.equal(nextDailyCheck(start, start + 1000), start + dayMs);
    assert.equal(nextDailyCheck(start, start + 2 * dayMs), start + 2 * dayMs);
  });
});
