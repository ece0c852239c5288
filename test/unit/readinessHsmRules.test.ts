import * as assert from 'node:assert/strict';
import { failed, known, type HsmFacts, type ReadinessFacts } from '../../src/core/readiness/facts';
import { error, evaluate, finding, readyFacts } from '../support/readinessFacts';

function withHsm(change: Partial<HsmFacts>, region?: string | null): ReadinessFacts {
  const facts = readyFacts();
  if (facts.hsm.state === 'known') facts.hsm = known({ ...facts.hsm.value, ...change });
  if (region !== undefined) facts.secretServerRegion = region ?? undefined;
  return facts;
}

describe('readiness rules: the HSM', () => {
  it('an HSM that is not activated fails and says how to activate it', () => {
    const f = finding(withHsm({ activated: false, activationStatus: 'NotActivated' }), 'hsm.activated');
    assert.equal(f.status, 'fail');
    assert.match(f.reason, /'contoso-mhsm' is not activated \(NotActivated\)/);
    assert.match(f.reason, /security domain/);
  });

  it('soft delete off fails', () => {
    assert.equal(finding(withHsm({ softDelete: false }), 'hsm.softDelete').status, 'fail');
  });

  it('soft delete on names the retention', () => {
    assert.match(finding(readyFacts(), 'hsm.softDelete').reason, /90 days/);
  });

  it('purge protection off warns with the fix', () => {
    const f = finding(withHsm({ purgeProtection: false }), 'hsm.purgeProtection');
    assert.equal(f.status, 'warn');
    assert.equal(f.fix?.id, 'enablePurgeProtection');
  });

  describe('region', () => {
    it('the same region passes', () => {
      assert.equal(finding(withHsm({ location: 'eastus' }, 'eastus'), 'hsm.region').status, 'pass');
    });
    it('spelling and case do not matter', () => {
      assert.equal(finding(withHsm({ location: 'eastus' }, 'East US'), 'hsm.region').status, 'pass');
      assert.equal(finding(withHsm({ location: 'EastUS' }, 'eastus'), 'hsm.region').status, 'pass');
    });
    it('another region fails and names both', () => {
      const f = finding(withHsm({ location: 'westeurope' }, 'eastus'), 'hsm.region');
      assert.equal(f.status, 'fail');
      assert.match(f.reason, /westeurope but Secret Server is in eastus/);
      assert.equal(f.fix, undefined, 'an HSM cannot be moved');
    });
    it('an unknown Secret Server region is unknown, with a way to set it', () => {
      const f = finding(withHsm({}, null), 'hsm.region');
      assert.equal(f.status, 'unknown');
      assert.equal(f.fix?.id, 'setSecretServerRegion');
    });
  });

  it('reminders for the security domain and full backups pass as reminders', () => {
    for (const id of ['hsm.securityDomainBackup', 'hsm.fullBackup']) {
      const f = finding(readyFacts(), id);
      assert.equal(f.status, 'pass');
      assert.equal(f.reminder, true);
      assert.match(f.reason, /^Reminder/);
    }
  });

  it('an unreadable HSM leaves its rules unknown but keeps the reminders', () => {
    const facts = readyFacts();
    facts.hsm = failed(error('Could not find the Managed HSM https://x in the 1 subscription(s) you can read.', 'notFound'));
    const hsm = evaluate(facts).filter((f) => f.group === 'hsm');
    assert.deepEqual(
      hsm.map((f) => [f.id, f.status]),
      [
        ['hsm.activated', 'unknown'],
        ['hsm.softDelete', 'unknown'],
        ['hsm.purgeProtection', 'unknown'],
        ['hsm.region', 'unknown'],
        ['hsm.securityDomainBackup', 'pass'],
        ['hsm.fullBackup', 'pass'],
      ],
    );
    assert.match(hsm[0].reason, /^Not checked: Could not find the Managed HSM/);
  });
});
