import * as assert from 'node:assert/strict';
import { ExpiryWatch } from '../../../src/expiry/expiryWatch';
import { findingsFor } from '../../../src/expiry/referenceFindings';
import { runInSlices } from '../../../src/expiry/timeSlicedScan';
import { clientSecretItems, keyItem, keyVersionItems } from '../../../src/expiry/watchedItemsFrom';
import { scanText } from '../../../src/core/expiry/referenceScanner';
import { appPath, keyPath, secretServerPath } from '../../../src/core/expiry/expiryPath';
import { dayMs } from '../../../src/core/expiry/thresholds';

const appId = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const hsm = 'https://contoso.managedhsm.azure.net';
const v1 = 'a'.repeat(32);

describe('expiry watch: one snapshot for tree, editor and status bar', () => {
  let now = Date.parse('2026-11-30T00:00:00Z');
  const watch = new ExpiryWatch({ now: () => now });
  let changes = 0;
  watch.onDidChange(() => changes++);
  watch.setItems('app', [{ kind: 'clientSecret', appId, keyId: '00000000-0000-0000-0000-000000000001', hint: 'xyz', endDateTime: now + 5 * dayMs, usedBySecretServer: ['ss'] }]);
  watch.setItems('hsm', [{ kind: 'keyVersion', kid: `${hsm}/keys/k/${v1}`, enabled: true, expiresOn: now + 100 * dayMs, usedBySecretServer: ['ss'] }]);

  it('assesses, propagates and lists known client ids', () => {
    const s = watch.snapshot();
    assert.equal(changes, 2);
    assert.equal(s.overall.severity, 'critical');
    assert.equal(s.states.get(secretServerPath('ss'))?.severity, 'critical');
    assert.equal(s.states.get(keyPath(hsm, 'k'))?.severity, 'ok');
    assert.deepEqual([...s.clientIds], [appId]);
    assert.equal(watch.snapshot(), s, 'cached until something changes');
  });

  it('turns references in a file into findings with the fix', () => {
    const text = `{\n  "clientId": "${appId}",\n  "keyUrl": "${hsm}/keys/k/${v1}",\n  "other": "${hsm}/keys/unknown"\n}`;
    const findings = findingsFor(scanText(text, { clientIds: watch.snapshot().clientIds }).references, watch.snapshot());
    assert.equal(findings.length, 2, 'the unknown key is left alone');
    const [app, key] = findings;
    assert.equal(app.path, appPath(appId));
    assert.equal(app.level, 'error');
    assert.deepEqual(app.renew, { appId, keyId: '00000000-0000-0000-0000-000000000001' });
    assert.match(app.message, /expires in 5 days/);
    assert.equal(key.level, undefined, 'a healthy version gets no diagnostic');
    assert.equal(key.range.line, 2);
  });

  it('re-assesses when time passes', () => {
    now += 6 * dayMs;
    watch.recompute();
    assert.equal(watch.snapshot().overall.severity, 'expired');
  });
});

describe('time-sliced scanning', () => {
  it('yields whenever the synchronous budget is used and reports the longest stretch', async () => {
    let t = 0;
    let yields = 0;
    const stats = await runInSlices([[1, 2, 3, 4, 5, 6]], () => void (t += 3), {
      budgetMs: 5,
      now: () => t,
      yieldToEventLoop: async () => void yields++,
    });
    assert.equal(stats.items, 6);
    assert.equal(stats.longestTaskMs, 6);
    assert.equal(stats.longestItemMs, 3);
    assert.equal(yields, 4, 'three budget yields and one after the batch');
  });

  it('stops when cancelled', async () => {
    let n = 0;
    const stats = await runInSlices([[1, 2, 3]], () => void n++, { cancelled: () => n >= 2 });
    assert.equal(stats.cancelled, true);
    assert.equal(n, 2);
  });
});

describe('watched items from client results', () => {
  it('links secrets and versions to the Secret Server connections that use them', () => {
    const uses = [
      { connectionId: 'pinned', principalId: appId.toUpperCase(), keyUrl: `${hsm}/keys/k/${v1}` },
      { connectionId: 'latest', principalId: 'other', keyUrl: `${hsm}/keys/k` },
    ];
    const secrets = clientSecretItems({ id: 'obj', appId, displayName: 'SS', secrets: [{ keyId: 'k1', endDateTime: '2027-01-01T00:00:00Z' }] }, uses);
    assert.deepEqual(secrets[0].usedBySecretServer, ['pinned']);
    const base = { name: 'k', versionlessId: `${hsm}/keys/k`, enabled: true, tags: {} };
    const v2 = 'b'.repeat(32);
    const versions = keyVersionItems(
      [
        { ...base, id: `${hsm}/keys/k/${v1}`, version: v1, createdOn: new Date('2026-01-01') },
        { ...base, id: `${hsm}/keys/k/${v2}`, version: v2, createdOn: new Date('2026-06-01') },
      ],
      uses,
    );
    assert.deepEqual(versions.map((v) => v.usedBySecretServer), [['pinned'], ['latest']]);
    assert.deepEqual(keyItem({ ...base, id: `${hsm}/keys/k/${v2}` }, true, uses).usedBySecretServer, ['pinned', 'latest']);
  });
});
