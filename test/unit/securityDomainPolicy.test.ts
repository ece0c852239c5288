import * as assert from 'node:assert/strict';
import { managedHsmNameProblem, regionMismatchWarning, retentionProblem, securityDomainQuorumProblem } from '../../src/core/securityDomainPolicy';

describe('security domain and new-HSM rules', () => {
  it('accepts 3–10 certificates with a quorum of 2–10 that is not above the count', () => {
    assert.equal(securityDomainQuorumProblem(3, 2), undefined);
    assert.equal(securityDomainQuorumProblem(10, 10), undefined);
    assert.match(securityDomainQuorumProblem(2, 2) ?? '', /at least 3 certificates/);
    assert.match(securityDomainQuorumProblem(11, 2) ?? '', /at most 10/);
    assert.match(securityDomainQuorumProblem(3, 1) ?? '', /from 2 to 10/);
    assert.match(securityDomainQuorumProblem(3, 4) ?? '', /cannot be larger than the number of certificates/);
  });

  it('applies the Managed HSM name rules', () => {
    assert.equal(managedHsmNameProblem('contoso-mhsm-1'), undefined);
    for (const bad of ['ab', 'a'.repeat(25), '1abc', 'abc-', 'a--bc', 'ab_c']) assert.ok(managedHsmNameProblem(bad), bad);
  });

  it('keeps soft-delete retention within 7–90 days', () => {
    assert.equal(retentionProblem(7), undefined);
    assert.equal(retentionProblem(90), undefined);
    assert.ok(retentionProblem(6));
    assert.ok(retentionProblem(91));
    assert.ok(retentionProblem(7.5));
  });

  it('warns when the HSM region differs from the Secret Server region, whatever the spelling', () => {
    assert.equal(regionMismatchWarning('East US', 'eastus'), undefined);
    assert.equal(regionMismatchWarning('westeurope', undefined), undefined);
    assert.match(regionMismatchWarning('westeurope', 'eastus') ?? '', /in westeurope, but the Secret Server is in eastus/);
  });
});
