import * as assert from 'node:assert/strict';
import { failed } from '../../../src/core/readiness/facts';
import {
  completedSteps,
  keyManagementRotated,
  noFacts,
  readinessPassed,
  usableBySecretServer,
  walkthroughContextKey,
  walkthroughSteps,
  type SeenKey,
  type WalkthroughFacts,
} from '../../../src/core/walkthrough/walkthroughSteps';
import { assignment, error, evaluate, readyFacts } from '../../support/readinessFacts';

const hsmUri = 'https://contoso-mhsm-eus.managedhsm.azure.net/';
const clientId = '11111111-1111-4111-8111-111111111111';
const ssKey: SeenKey = { hsmUri, name: 'secret-server-master', enabled: true, keyType: 'oct-HSM', keyOps: ['wrapKey', 'unwrapKey'] };

/** A readiness outcome as the command returns it, from the real rules. */
function outcome(facts = readyFacts()) {
  return { findings: evaluate(facts).map((f) => ({ id: f.id, status: f.status })) };
}

/** Every step done, each from its own fact. */
function allDone(): WalkthroughFacts {
  return {
    ...noFacts,
    signedIn: true,
    activatedHsms: 1,
    apps: [{ clientId }],
    keys: [ssKey],
    grants: [{ clientId, scope: '/keys/secret-server-master' }],
    readiness: [outcome()],
    secretServers: [{ provider: 'azureManagedHsm', keyUrl: `${hsmUri}keys/secret-server-master`, rotationState: 'succeeded', rotationDone: true }],
    watchedSecretServerSecrets: 1,
    expiryNotificationsEnabled: true,
  };
}

describe('getting-started walkthrough steps', () => {
  it('has the nine steps of the seed, in order, each with its own context key', () => {
    assert.deepEqual([...walkthroughSteps], ['signIn', 'managedHsm', 'appRegistration', 'key', 'role', 'readiness', 'secretServer', 'keyManagement', 'expiryWarnings']);
    assert.equal(walkthroughContextKey('role'), 'mhsm.walkthrough.role');
  });

  it('completes nothing before anything is seen', () => assert.deepEqual([...completedSteps(noFacts)], []));

  it('completes every step when each fact is there', () => assert.deepEqual([...completedSteps(allDone())].sort(), [...walkthroughSteps].sort()));

  it('counts an HSM only when it is activated and the user is signed in', () => {
    assert.ok(!completedSteps({ ...noFacts, signedIn: true }).has('managedHsm'));
    assert.ok(completedSteps({ ...noFacts, signedIn: true, activatedHsms: 1 }).has('managedHsm'));
    assert.ok(!completedSteps({ ...noFacts, activatedHsms: 1 }).has('managedHsm'));
  });

  describe('the key', () => {
    it('accepts an enabled oct-HSM key with wrapKey and unwrapKey (size unreported, or 256)', () => {
      assert.ok(usableBySecretServer(ssKey));
      assert.ok(usableBySecretServer({ ...ssKey, keySize: 256, keyOps: ['unwrapKey', 'wrapKey', 'encrypt'] }));
    });
    for (const [why, key] of [
      ['RSA', { ...ssKey, keyType: 'RSA-HSM', keySize: 2048 }],
      ['128 bits', { ...ssKey, keySize: 128 }],
      ['disabled', { ...ssKey, enabled: false }],
      ['no unwrapKey', { ...ssKey, keyOps: ['wrapKey'] }],
      ['type unknown (a listing entry)', { hsmUri, name: 'k', enabled: true }],
    ] as [string, SeenKey][]) {
      it(`refuses a key that is ${why}`, () => {
        assert.ok(!usableBySecretServer(key));
        assert.ok(!completedSteps({ ...noFacts, keys: [key] }).has('key'));
      });
    }
  });

  describe('the role', () => {
    it('needs the grant to be for a known app and on a usable key', () => {
      const facts = allDone();
      const only = (f: Partial<WalkthroughFacts>) => completedSteps({ ...noFacts, ...f }).has('role');
      assert.ok(only({ apps: facts.apps, keys: facts.keys, grants: facts.grants }));
      assert.ok(!only({ keys: facts.keys, grants: facts.grants }), 'an app the extension never saw');
      assert.ok(!only({ apps: facts.apps, grants: facts.grants }), 'a key the extension never saw');
      assert.ok(!only({ apps: facts.apps, keys: facts.keys, grants: [{ clientId, scope: '/keys' }] }), 'a grant wider than one key');
      assert.ok(!only({ apps: facts.apps, keys: [{ ...ssKey, keyType: 'RSA-HSM' }], grants: facts.grants }), 'a key Secret Server cannot use');
    });
    it('is proven by a passing readiness report as well', () => assert.ok(completedSteps({ ...noFacts, readiness: [outcome()] }).has('role')));
  });

  describe('the readiness check', () => {
    it('passes when the real rules pass', () => assert.ok(readinessPassed(outcome())));
    it('allows only the region rule to wait for the Secret Server connection', () => {
      const facts = readyFacts();
      facts.secretServerRegion = undefined;
      const result = outcome(facts);
      assert.equal(result.findings.find((f) => f.id === 'hsm.region')?.status, 'unknown');
      assert.ok(readinessPassed(result));
    });
    it('fails when the app holds no role on the key', () => {
      const facts = readyFacts();
      facts.roleAssignments = { ...facts.roleAssignments, value: [assignment('/keys/other-key')] } as typeof facts.roleAssignments;
      assert.ok(!readinessPassed(outcome(facts)));
      assert.ok(!completedSteps({ ...noFacts, readiness: [outcome(facts)] }).has('readiness'));
    });
    it('fails when the live wrap and unwrap could not run', () => {
      const facts = readyFacts();
      facts.probe = failed(error('No client secret to sign in with.', 'authentication'));
      assert.ok(!readinessPassed(outcome(facts)));
    });
    it('fails on a disabled key', () => {
      const facts = readyFacts();
      facts.key = { ...facts.key, value: { ...(facts.key as { value: object }).value, enabled: false } } as typeof facts.key;
      assert.ok(!readinessPassed(outcome(facts)));
    });
  });

  describe('Secret Server', () => {
    it('ticks the connection as soon as one loaded', () => assert.ok(completedSteps({ ...noFacts, secretServers: [{ provider: 'none' }] }).has('secretServer')));
    it('ticks key management only for a Managed HSM key whose rotation succeeded', () => {
      const ok = { provider: 'azureManagedHsm', keyUrl: `${hsmUri}keys/k`, rotationState: 'succeeded', rotationDone: true };
      assert.ok(keyManagementRotated(ok));
      assert.ok(!keyManagementRotated({ ...ok, rotationState: 'running', rotationDone: false }), 'still rotating');
      assert.ok(!keyManagementRotated({ ...ok, rotationState: 'failed' }), 'the rotation failed');
      assert.ok(!keyManagementRotated({ ...ok, provider: 'none' }), 'key management off');
      assert.ok(!keyManagementRotated({ ...ok, keyUrl: undefined }), 'no key');
    });
  });

  it('ticks expiry warnings only with a watched secret Secret Server uses and notifications on', () => {
    assert.ok(completedSteps({ ...noFacts, watchedSecretServerSecrets: 1, expiryNotificationsEnabled: true }).has('expiryWarnings'));
    assert.ok(!completedSteps({ ...noFacts, watchedSecretServerSecrets: 1, expiryNotificationsEnabled: false }).has('expiryWarnings'));
    assert.ok(!completedSteps({ ...noFacts, watchedSecretServerSecrets: 0 }).has('expiryWarnings'));
  });
});
