import * as assert from 'node:assert/strict';
import { assessAll, assessItem, type WatchedItem } from '../../../src/core/expiry/watchedItem';
import { overallState, propagateSeverity } from '../../../src/core/expiry/propagation';
import { appPath, clientSecretPath, expiryPathKind, hsmPath, keyPath, keyVersionPath, secretServerPath } from '../../../src/core/expiry/expiryPath';
import { dayMs, defaultThresholds } from '../../../src/core/expiry/thresholds';

const now = Date.parse('2026-11-30T12:00:00Z');
const appId = '11111111-2222-3333-4444-555555555555';
const hsm = 'https://contoso.managedhsm.azure.net';
const v1 = 'a'.repeat(32);
const v2 = 'b'.repeat(32);

const secret = (days: number, used: string[] = ['ss1']): WatchedItem => ({
  kind: 'clientSecret',
  appId,
  appDisplayName: 'Secret Server',
  keyId: 'AAAAAAAA-0000-0000-0000-000000000001',
  hint: 'abc',
  endDateTime: new Date(now + days * dayMs).toISOString(),
  usedBySecretServer: used,
});

describe('expiry assessment of watched items', () => {
  it('describes a client secret 5 days from expiry as critical with its app and use', () => {
    const a = assessItem(secret(5), now, defaultThresholds);
    assert.equal(a.severity, 'critical');
    assert.equal(a.description, 'expires in 5 days');
    assert.equal(a.path, clientSecretPath(appId, 'aaaaaaaa-0000-0000-0000-000000000001'));
    assert.deepEqual(a.ancestors, [appPath(appId), secretServerPath('ss1')]);
    assert.match(a.label, /abc… of app 'Secret Server'.*used by Secret Server expires in 5 days/);
  });

  it('flags a disabled version only when Secret Server uses it', () => {
    const used = assessItem({ kind: 'keyVersion', kid: `${hsm}/keys/k/${v1}`, enabled: false, usedBySecretServer: ['ss1'] }, now, defaultThresholds);
    const retired = assessItem({ kind: 'keyVersion', kid: `${hsm}/keys/k/${v2}`, enabled: false, usedBySecretServer: [] }, now, defaultThresholds);
    assert.equal(used.severity, 'expired');
    assert.equal(used.description, 'disabled while Secret Server uses it');
    assert.equal(retired.severity, 'ok');
    assert.deepEqual(used.ancestors.slice(0, 2), [keyPath(hsm, 'k'), hsmPath(hsm)]);
  });

  it('shows a version with a future nbf as not yet valid', () => {
    const a = assessItem({ kind: 'keyVersion', kid: `${hsm}/keys/k/${v1}`, enabled: true, notBefore: now + 2 * dayMs, usedBySecretServer: [] }, now, defaultThresholds);
    assert.equal(a.severity, 'notYetValid');
    assert.equal(a.description, 'valid in 2 days');
  });

  it('flags a soft-deleted key in use as expired', () => {
    const a = assessItem({ kind: 'key', keyId: `${hsm}/keys/k`, enabled: true, deleted: true, usedBySecretServer: ['ss1'] }, now, defaultThresholds);
    assert.equal(a.severity, 'expired');
    assert.match(a.description, /deleted while Secret Server uses it/);
  });

  it('propagates the worst severity to app, connection, key and HSM', () => {
    const items: WatchedItem[] = [
      secret(5),
      { ...secret(100), keyId: 'aaaaaaaa-0000-0000-0000-000000000002' } as WatchedItem,
      { kind: 'keyVersion', kid: `${hsm}/keys/k/${v1}`, enabled: true, expiresOn: now + 20 * dayMs, usedBySecretServer: [] },
    ];
    const states = propagateSeverity(assessAll(items, now, defaultThresholds));
    assert.equal(states.get(appPath(appId))?.severity, 'critical');
    assert.equal(states.get(appPath(appId))?.count, 1);
    assert.equal(states.get(secretServerPath('ss1'))?.severity, 'critical');
    assert.equal(states.get(keyVersionPath(hsm, 'k', v1))?.severity, 'warning');
    assert.equal(states.get(keyPath(hsm, 'k'))?.severity, 'warning');
    assert.equal(states.get(hsmPath(hsm))?.severity, 'warning');
    const overall = overallState(assessAll(items, now, defaultThresholds));
    assert.equal(overall.severity, 'critical');
    assert.deepEqual(overall.attention.map((a) => a.severity), ['critical', 'warning']);
  });

  it('names every path kind and nothing else', () => {
    assert.equal(expiryPathKind(secretServerPath('x')), 'secretServer');
    assert.equal(expiryPathKind(clientSecretPath(appId, 'k')), 'clientSecret');
    assert.equal(expiryPathKind(keyVersionPath('https://127.0.0.1:8443/', 'k', v1)), 'keyVersion');
    assert.equal(hsmPath('https://127.0.0.1:8443/'), '/hsm/127.0.0.1%3A8443');
    assert.equal(expiryPathKind('/other/x'), undefined);
  });
});
