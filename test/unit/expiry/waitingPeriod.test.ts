import * as assert from 'node:assert/strict';
import { canRetireOldVersion, describeWaitingPeriod, newSwitchRecord, parseSwitchRecord, versionInUseProblem } from '../../../src/core/expiry/waitingPeriod';
import { dayMs } from '../../../src/core/expiry/thresholds';
import { SwitchRecordStore, switchRecordsKey } from '../../../src/expiry/switchRecordStore';

const switchedAt = Date.parse('2026-11-30T09:00:00Z');
const keyId = 'https://contoso.managedhsm.azure.net/keys/secret-server-key';
const oldVersion = 'A'.repeat(32);
const newVersion = 'b'.repeat(32);
const record = newSwitchRecord({ keyId, connectionId: 'ss1', switchedAtMs: switchedAt, oldVersion, newVersion });

describe('key version waiting period', () => {
  it('refuses one second before a day has passed and allows exactly at a day', () => {
    const early = canRetireOldVersion(record, switchedAt + dayMs - 1000);
    assert.equal(early.allowed, false);
    assert.equal(early.remainingMs, 1000);
    assert.match(early.reason, /keep version a{32} untouched/);
    assert.equal(canRetireOldVersion(record, switchedAt + dayMs).allowed, true);
    assert.equal(canRetireOldVersion(record, switchedAt + dayMs + 1000).allowed, true);
  });

  it('uses the minimum wait from the setting, never less than one day', () => {
    const three = newSwitchRecord({ keyId, connectionId: 'ss1', switchedAtMs: switchedAt, oldVersion, newVersion, minimumWaitDays: 3 });
    assert.equal(canRetireOldVersion(three, switchedAt + 2 * dayMs).allowed, false);
    assert.equal(canRetireOldVersion(three, switchedAt + 3 * dayMs).allowed, true);
    assert.equal(newSwitchRecord({ keyId, connectionId: 'ss1', switchedAtMs: 0, oldVersion, newVersion, minimumWaitDays: 0 }).minimumWaitDays, 1);
  });

  it('describes the waiting period for the tree', () => {
    assert.equal(describeWaitingPeriod(record, switchedAt + 4 * 3_600_000), 'waiting period: 20 hours left');
    assert.match(describeWaitingPeriod(record, switchedAt + 2 * dayMs), /over/);
  });

  it('round-trips through globalState and rejects malformed records', () => {
    assert.deepEqual(parseSwitchRecord(JSON.parse(JSON.stringify(record))), record);
    assert.equal(parseSwitchRecord({ ...record, oldVersion: 'nothex' }), undefined);
    assert.equal(parseSwitchRecord('x'), undefined);
  });

  it('refuses to retire the version Secret Server uses, or any version behind a versionless URL', () => {
    assert.match(versionInUseProblem(`${keyId}/${oldVersion}`, keyId, oldVersion) ?? '', /uses version a{32}/);
    assert.equal(versionInUseProblem(`${keyId}/${newVersion}`, keyId, oldVersion), undefined);
    assert.match(versionInUseProblem(keyId, keyId, oldVersion) ?? '', /versionless URL/);
    assert.equal(versionInUseProblem('https://contoso.managedhsm.azure.net/keys/other', keyId, oldVersion), undefined);
  });
});

describe('switch record store (globalState)', () => {
  it('keeps one record per key and connection, newest first, and drops malformed entries', async () => {
    const data = new Map<string, unknown>([[switchRecordsKey, [{ junk: true }]]]);
    const store = new SwitchRecordStore({ get: (k) => data.get(k), update: async (k, v) => void data.set(k, v) });
    assert.deepEqual(store.list(), []);
    await store.put(record);
    const later = newSwitchRecord({ keyId: keyId.toUpperCase(), connectionId: 'ss1', switchedAtMs: switchedAt + dayMs, oldVersion: newVersion, newVersion: oldVersion });
    await store.put(later);
    assert.equal(store.list().length, 1);
    assert.equal(store.find(keyId, 'ss1')?.switchedAtMs, switchedAt + dayMs);
    assert.equal(store.find(keyId, 'other'), undefined);
    await store.remove(later);
    assert.deepEqual(store.list(), []);
  });
});
