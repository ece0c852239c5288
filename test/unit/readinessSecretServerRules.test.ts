import * as assert from 'node:assert/strict';
import { failed, known, type ReadinessFacts, type SecretServerConfigurationFacts, type SecretServerFacts } from '../../src/core/readiness/facts';
import { appId, error, evaluate, finding, hsmUri, keyName, otherVersion, readyFacts, version } from '../support/readinessFacts';

function withSecretServer(change: Partial<SecretServerFacts>): ReadinessFacts {
  const facts = readyFacts();
  facts.secretServer = { ...facts.secretServer!, ...change };
  return facts;
}

function withConfig(config: SecretServerConfigurationFacts, keyVersion?: string): ReadinessFacts {
  const facts = withSecretServer({ configuration: known(config) });
  if (keyVersion) {
    facts.target.keyVersion = keyVersion;
    facts.target.keyId = `${hsmUri}keys/${keyName}/${keyVersion}`;
  }
  return facts;
}

const hsmConfig = (keyUrl: string, principalId = appId): SecretServerConfigurationFacts => ({ provider: 'azureManagedHsm', principalId, keyUrl });
const uses = (facts: ReadinessFacts) => finding(facts, 'secretServer.usesKey');

describe('readiness rules: Secret Server', () => {
  it('without a connection there are no Secret Server findings', () => {
    const facts = readyFacts();
    facts.secretServer = undefined;
    assert.deepEqual(evaluate(facts).filter((f) => f.group === 'secretServer'), []);
  });

  describe('reachable and healthy', () => {
    it('unreachable fails with the reason', () => {
      const f = finding(withSecretServer({ health: failed(error('Checking Secret Server health failed because the server could not be reached (ECONNREFUSED).', 'unavailable')) }), 'secretServer.reachable');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /could not be reached: Checking Secret Server health failed/);
    });

    it('unhealthy fails with the server\'s words', () => {
      const f = finding(withSecretServer({ health: known({ healthy: false, reason: 'Database unavailable' }) }), 'secretServer.reachable');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /unhealthy: Database unavailable/);
    });

    it('a key management provider it cannot use fails', () => {
      const f = finding(withSecretServer({ health: known({ healthy: false, keyManagementHealthy: false, reason: 'AccessDenied: wrap refused' }) }), 'secretServer.reachable');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /cannot use its key management provider: AccessDenied/);
    });
  });

  describe('uses exactly this key', () => {
    it('key management None warns and offers to configure it', () => {
      const facts = withConfig({ provider: 'none', typeName: 'None' });
      assert.equal(finding(facts, 'secretServer.configuration').status, 'pass');
      const f = uses(facts);
      assert.equal(f.status, 'warn');
      assert.match(f.reason, /does not use this key yet \(key management type: None\)/);
      assert.equal(f.fix?.id, 'configureSecretServer');
    });

    it('a different key warns and names it', () => {
      const f = uses(withConfig(hsmConfig(`${hsmUri}keys/another-key`)));
      assert.equal(f.status, 'warn');
      assert.match(f.reason, /uses another key \(https:\/\/contoso-mhsm\.managedhsm\.azure\.net\/keys\/another-key\)/);
    });

    it('the same key name on another HSM is another key', () => {
      assert.equal(uses(withConfig(hsmConfig(`https://other-mhsm.managedhsm.azure.net/keys/${keyName}`))).status, 'warn');
    });

    it('versionless in Secret Server and in the check passes', () => {
      const f = uses(withConfig(hsmConfig(`${hsmUri}keys/${keyName}`)));
      assert.equal(f.status, 'pass');
      assert.match(f.reason, /without a version/);
    });

    it('the same key with another key-name case passes', () => {
      assert.equal(uses(withConfig(hsmConfig(`${hsmUri}keys/${keyName.toUpperCase()}`))).status, 'pass');
    });

    it('versionless in Secret Server, checking the current version, passes', () => {
      assert.equal(uses(withConfig(hsmConfig(`${hsmUri}keys/${keyName}`), version)).status, 'pass');
    });

    it('versionless in Secret Server, checking an older version, warns', () => {
      const facts = withConfig(hsmConfig(`${hsmUri}keys/${keyName}`), otherVersion);
      const f = uses(facts);
      assert.equal(f.status, 'warn');
      assert.match(f.reason, new RegExp(`current version ${version}, not the version checked \\(${otherVersion}\\)`));
    });

    it('exactly this version passes', () => {
      const f = uses(withConfig(hsmConfig(`${hsmUri}keys/${keyName}/${version}`), version));
      assert.equal(f.status, 'pass');
      assert.match(f.reason, /exactly this key version/);
    });

    it('a version that is the current one passes a versionless check', () => {
      assert.equal(uses(withConfig(hsmConfig(`${hsmUri}keys/${keyName}/${version}`))).status, 'pass');
    });

    it('another version warns', () => {
      const f = uses(withConfig(hsmConfig(`${hsmUri}keys/${keyName}/${otherVersion}`), version));
      assert.equal(f.status, 'warn');
      assert.match(f.reason, new RegExp(`uses version ${otherVersion} of this key, not the version checked`));
    });

    it('another version than the current one warns a versionless check', () => {
      const f = uses(withConfig(hsmConfig(`${hsmUri}keys/${keyName}/${otherVersion}`)));
      assert.equal(f.status, 'warn');
      assert.match(f.reason, new RegExp(`not the current version \\(${version}\\)`));
    });

    it('an unreadable configuration leaves both rules unknown', () => {
      const facts = withSecretServer({ configuration: failed(error('Reading the Secret Server key management configuration failed because access was denied.', 'forbidden')) });
      assert.equal(finding(facts, 'secretServer.configuration').status, 'unknown');
      assert.equal(uses(facts).status, 'unknown');
    });

    it('signing in as another app warns on the configuration', () => {
      const f = finding(withConfig(hsmConfig(`${hsmUri}keys/${keyName}`, '99999999-9999-4999-8999-999999999999')), 'secretServer.configuration');
      assert.equal(f.status, 'warn');
      assert.match(f.reason, /signs in as app 99999999/);
    });
  });

  describe('rotation state and read-only mode', () => {
    it('a running rotation warns with its progress', () => {
      const f = finding(withSecretServer({ rotation: known({ state: 'running', lastStatus: 'Running', secretsProcessed: 120, totalSecrets: 300 }) }), 'secretServer.rotation');
      assert.equal(f.status, 'warn');
      assert.match(f.reason, /is running \(120 of 300 secrets\)/);
    });

    it('a failed last rotation warns with its message', () => {
      const f = finding(withSecretServer({ rotation: known({ state: 'failed', lastStatus: 'RolledBack', message: 'rolled back after restart' }) }), 'secretServer.rotation');
      assert.equal(f.status, 'warn');
      assert.match(f.reason, /RolledBack\): rolled back after restart/);
    });

    it('an idle server passes', () => {
      assert.equal(finding(withSecretServer({ rotation: known({ state: 'idle', lastStatus: 'NeverRun' }) }), 'secretServer.rotation').status, 'pass');
    });

    it('read-only mode on warns and offers to turn it off', () => {
      const f = finding(withSecretServer({ health: known({ healthy: true, readOnlyMode: true }) }), 'secretServer.readOnlyMode');
      assert.equal(f.status, 'warn');
      assert.equal(f.fix?.id, 'disableReadOnlyMode');
    });

    it('read-only mode during a rotation warns without a fix', () => {
      const f = finding(
        withSecretServer({ health: known({ healthy: true, readOnlyMode: true }), rotation: known({ state: 'running', secretsProcessed: 1, totalSecrets: 2 }) }),
        'secretServer.readOnlyMode',
      );
      assert.equal(f.status, 'warn');
      assert.equal(f.fix, undefined);
      assert.match(f.reason, /running secret key rotation/);
    });

    it('an unreachable server leaves read-only mode unknown', () => {
      assert.equal(finding(withSecretServer({ health: failed(error('unreachable', 'unavailable')) }), 'secretServer.readOnlyMode').status, 'unknown');
    });
  });
});
