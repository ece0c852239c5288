import * as assert from 'node:assert/strict';
import { managedHsmRoleIds } from '../../src/core/managedHsmRoles';
import { failed, known, notChecked, type ReadinessFacts, type RoleAssignmentFacts } from '../../src/core/readiness/facts';
import { appId, assignment, at, dayMs, error, finding, keyName, readyFacts } from '../support/readinessFacts';

function withAssignments(list: RoleAssignmentFacts[]): ReadinessFacts {
  const facts = readyFacts();
  facts.roleAssignments = known(list);
  return facts;
}

function statuses(facts: ReadinessFacts): [string, string] {
  return [finding(facts, 'access.role').status, finding(facts, 'access.broaderGrants').status];
}

describe('readiness rules: access', () => {
  describe('Crypto User at the key scope, broader grants', () => {
    it('/keys/<name> passes both rules', () => {
      assert.deepEqual(statuses(withAssignments([assignment(`/keys/${keyName}`)])), ['pass', 'pass']);
    });

    it('the key name and the keys segment compare case-insensitively', () => {
      assert.deepEqual(statuses(withAssignments([assignment(`/Keys/${keyName.toUpperCase()}`)])), ['pass', 'pass']);
    });

    it("'/' gives access but warns on both rules", () => {
      const facts = withAssignments([assignment('/')]);
      assert.deepEqual(statuses(facts), ['warn', 'warn']);
      const role = finding(facts, 'access.role');
      assert.match(role.reason, /only through Managed HSM Crypto User at \//);
      assert.equal(role.fix?.id, 'grantCryptoUser');
      const broader = finding(facts, 'access.broaderGrants');
      assert.match(broader.reason, /Managed HSM Crypto User at \//);
      assert.equal(broader.fix?.id, 'reviewRoleAssignments');
    });

    it("'/keys' warns on both rules", () => {
      assert.deepEqual(statuses(withAssignments([assignment('/keys')])), ['warn', 'warn']);
    });

    it('Crypto User on another key fails and says where it is', () => {
      const facts = withAssignments([assignment('/keys/another-key')]);
      const role = finding(facts, 'access.role');
      assert.equal(role.status, 'fail');
      assert.match(role.reason, /holds Crypto User on \/keys\/another-key instead/);
      assert.equal(role.fix?.id, 'grantCryptoUser');
      assert.equal(finding(facts, 'access.broaderGrants').status, 'pass', 'another key is not broader for this key');
    });

    it('a key name that only starts like this one is another key', () => {
      assert.equal(finding(withAssignments([assignment(`/keys/${keyName}-old`)]), 'access.role').status, 'fail');
    });

    it('no assignment fails', () => {
      const role = finding(withAssignments([]), 'access.role');
      assert.equal(role.status, 'fail');
      assert.match(role.reason, new RegExp(`no role that allows wrap and unwrap on /keys/${keyName}`));
    });

    it('a stronger role beside Crypto User is flagged', () => {
      const facts = withAssignments([assignment(`/keys/${keyName}`), assignment(`/keys/${keyName}`, managedHsmRoleIds.cryptoOfficer), assignment('/', managedHsmRoleIds.administrator)]);
      assert.deepEqual(statuses(facts), ['pass', 'warn']);
      assert.match(finding(facts, 'access.broaderGrants').reason, /Managed HSM Crypto Officer at \/keys\/secret-server-key, Managed HSM Administrator at \//);
    });

    it('Crypto Service Encryption User on the key warns (not the documented role) but is not broader', () => {
      const facts = withAssignments([assignment(`/keys/${keyName}`, managedHsmRoleIds.cryptoServiceEncryptionUser)]);
      assert.deepEqual(statuses(facts), ['warn', 'pass']);
      assert.match(finding(facts, 'access.role').reason, /Crypto Service Encryption User/);
    });

    it('an app without a service principal fails with the grant fix', () => {
      const facts = readyFacts();
      facts.servicePrincipal = known({ found: false });
      facts.roleAssignments = notChecked('the app has no service principal.');
      const role = finding(facts, 'access.role');
      assert.equal(role.status, 'fail');
      assert.match(role.reason, new RegExp(`app ${appId} has no service principal`));
      assert.equal(role.fix?.id, 'grantCryptoUser');
    });

    it('unreadable assignments are unknown with the reason', () => {
      const facts = readyFacts();
      facts.roleAssignments = failed(error("Could not list the role assignments of x in contoso-mhsm: the Managed HSM's local RBAC does not allow it.", 'accessDenied'));
      const role = finding(facts, 'access.role');
      assert.equal(role.status, 'unknown');
      assert.match(role.reason, /^Not checked: Could not list the role assignments/);
    });

    it('without an app the rules are unknown and offer to choose one', () => {
      const facts = readyFacts();
      facts.target.appId = undefined;
      for (const part of ['app', 'servicePrincipal', 'roleAssignments', 'probe'] as const) facts[part] = notChecked('no app registration is part of this check.');
      for (const id of ['access.role', 'access.broaderGrants', 'access.probe', 'clientSecrets.expiry']) {
        const f = finding(facts, id);
        assert.equal(f.status, 'unknown', id);
        assert.equal(f.fix?.id, 'chooseApp', id);
      }
    });
  });

  describe('the live probe', () => {
    it('passes with the time it took', () => {
      const f = finding(readyFacts(), 'access.probe');
      assert.equal(f.status, 'pass');
      assert.match(f.reason, /in 42 ms/);
    });

    it('an expired client secret fails at sign-in and offers a new secret', () => {
      const facts = readyFacts();
      facts.probe = known({ ok: false, step: 'token', error: error('Could not sign in as app x: the client secret has expired (Entra AADSTS7000222).', 'authentication', 'AADSTS7000222', 401), durationMs: 3 });
      const f = finding(facts, 'access.probe');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /^The live test failed while signing in as the app: Could not sign in/);
      assert.equal(f.fix?.id, 'addClientSecret');
    });

    it('a wrong client secret offers to enter it again', () => {
      const facts = readyFacts();
      facts.probe = known({ ok: false, step: 'token', error: error('Could not sign in: the client secret is wrong.', 'authentication', 'AADSTS7000215', 401), durationMs: 3 });
      assert.equal(finding(facts, 'access.probe').fix?.id, 'enterClientSecret');
    });

    it('access denied at the wrap offers the grant', () => {
      const facts = readyFacts();
      facts.probe = known({ ok: false, step: 'wrap', error: error("Could not wrap a test value with key 'k' as the app registration: the Managed HSM's local RBAC does not allow keys/wrap/action.", 'accessDenied', 'AccessDenied', 403), durationMs: 3 });
      const f = finding(facts, 'access.probe');
      assert.match(f.reason, /while wrapping a test value/);
      assert.equal(f.fix?.id, 'grantCryptoUser');
    });

    it('a wrap refused on a disabled key offers to enable it', () => {
      const facts = readyFacts();
      if (facts.key.state === 'known') facts.key = known({ ...facts.key.value, enabled: false });
      facts.probe = known({ ok: false, step: 'wrap', error: error('Could not wrap: Operation wrapKey is not allowed on a disabled key.', 'forbidden', 'Forbidden', 403), durationMs: 3 });
      assert.equal(finding(facts, 'access.probe').fix?.id, 'enableKey');
    });

    it('a wrap refused on an expired key offers a later expiry', () => {
      const facts = readyFacts();
      if (facts.key.state === 'known') facts.key = known({ ...facts.key.value, expiresOn: at(-dayMs) });
      facts.probe = known({ ok: false, step: 'wrap', error: error('Could not wrap: expired.', 'forbidden', 'Forbidden', 403), durationMs: 3 });
      assert.equal(finding(facts, 'access.probe').fix?.id, 'extendKeyExpiry');
    });

    it('without the client secret the probe is unknown and asks for it', () => {
      const facts = readyFacts();
      facts.probe = notChecked("the app's client secret is not available to VS Code, so the check cannot sign in as the app.");
      const f = finding(facts, 'access.probe');
      assert.equal(f.status, 'unknown');
      assert.equal(f.fix?.id, 'enterClientSecret');
      assert.match(f.reason, /client secret is not available/);
    });
  });
});
