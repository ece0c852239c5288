import * as assert from 'node:assert/strict';
import { clientSecretExpiry, clientSecretExpiryMonths, defaultClientSecretExpiryMonths } from '../../src/commands/setup/clientSecretExpiry';
import { appVerdict, keyVerdict, roleAssignmentVerdict, versionVerdict, type ServerUsage } from '../../src/commands/setup/secretServerUsage';

// The guard rails' judgement (does a connected Secret Server depend on this object?) and the
// client secret expiry choices, without an extension host.

const rules = { dnsSuffix: 'managedhsm.azure.net' };
const hsmUri = 'https://contoso.managedhsm.azure.net/';
const version = '0123456789abcdef0123456789abcdef';
const clientId = '11111111-2222-3333-4444-555555555555';
const server = (keyUrl?: string, principalId = clientId): ServerUsage => ({ server: 'https://ss.example', settings: { keyUrl, principalId, tenantId: 't' } });

describe('Secret Server usage of Azure objects (guard rails)', () => {
  it('a key named by a Secret Server key URL is in use, whatever the case or version; another key or HSM is free', () => {
    assert.equal(keyVerdict([server(`${hsmUri}keys/SS-Key`)], rules, { hsmUri, name: 'ss-key' }).kind, 'inUse');
    assert.equal(keyVerdict([server(`${hsmUri}keys/ss-key/${version}`)], rules, { hsmUri, name: 'ss-key' }).kind, 'inUse');
    assert.equal(keyVerdict([server(`${hsmUri}keys/ss-key`)], rules, { hsmUri, name: 'other' }).kind, 'free');
    assert.equal(keyVerdict([server('https://fabrikam.managedhsm.azure.net/keys/ss-key')], rules, { hsmUri, name: 'ss-key' }).kind, 'free');
    assert.equal(keyVerdict([], rules, { hsmUri, name: 'ss-key' }).kind, 'free');
  });

  it('a Secret Server that could not be asked makes the answer unknown, and a known use wins over it', () => {
    const unreachable: ServerUsage = { server: 'https://down.example', error: 'signed out' };
    const v = keyVerdict([unreachable], rules, { hsmUri, name: 'ss-key' });
    assert.equal(v.kind, 'unknown');
    assert.match(v.kind === 'unknown' ? v.reasons[0] : '', /down\.example.*signed out/);
    assert.equal(keyVerdict([unreachable, server(`${hsmUri}keys/ss-key`)], rules, { hsmUri, name: 'ss-key' }).kind, 'inUse');
  });

  it('a version is in use when named exactly, or when the key URL has no version', () => {
    assert.equal(versionVerdict([server(`${hsmUri}keys/ss-key/${version}`)], rules, { hsmUri, name: 'ss-key', version }).kind, 'inUse');
    assert.equal(versionVerdict([server(`${hsmUri}keys/ss-key/${'f'.repeat(32)}`)], rules, { hsmUri, name: 'ss-key', version }).kind, 'free');
    assert.equal(versionVerdict([server(`${hsmUri}keys/ss-key`)], rules, { hsmUri, name: 'ss-key', version }).kind, 'inUse');
  });

  it('an app is in use when a Secret Server signs in with its client id', () => {
    assert.equal(appVerdict([server(`${hsmUri}keys/k`, clientId.toUpperCase())], { clientId }).kind, 'inUse');
    assert.equal(appVerdict([server(`${hsmUri}keys/k`, '99999999-2222-3333-4444-555555555555')], { clientId }).kind, 'free');
  });

  it('a role assignment is in use when it is the signing-in app’s and its scope covers the key', () => {
    const usages = [server(`${hsmUri}keys/ss-key`)];
    for (const scope of ['/', '/keys', '/keys/ss-key']) assert.equal(roleAssignmentVerdict(usages, rules, { hsmUri, scope, principalClientId: clientId }).kind, 'inUse', scope);
    assert.equal(roleAssignmentVerdict(usages, rules, { hsmUri, scope: '/keys/other', principalClientId: clientId }).kind, 'free');
    assert.equal(roleAssignmentVerdict(usages, rules, { hsmUri, scope: '/keys/ss-key', principalClientId: '' }).kind, 'free', 'a user or group');
    assert.equal(roleAssignmentVerdict(usages, rules, { hsmUri, scope: '/keys/ss-key', principalClientId: undefined }).kind, 'unknown', 'Graph could not say');
  });
});

describe('Client secret expiry choices', () => {
  it('offers 3 to 24 months, 12 by default, never "no expiry"', () => {
    assert.deepEqual([...clientSecretExpiryMonths], [3, 6, 12, 18, 24]);
    assert.equal(defaultClientSecretExpiryMonths, 12);
  });

  it('adds calendar months, clamping to the end of shorter months', () => {
    assert.equal(clientSecretExpiry(new Date('2026-01-31T10:00:00Z'), 1).toISOString(), '2026-02-28T10:00:00.000Z');
    assert.equal(clientSecretExpiry(new Date('2027-08-31T00:00:00Z'), 6).toISOString(), '2028-02-29T00:00:00.000Z');
    assert.equal(clientSecretExpiry(new Date('2026-11-30T03:00:00Z'), 12).toISOString(), '2027-11-30T03:00:00.000Z');
  });
});
