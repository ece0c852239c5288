import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import {
  managedHsmNameProblem,
  normaliseRegion,
  regionMismatchWarning,
  retentionProblem,
  securityDomainLimits,
  securityDomainQuorumProblem,
} from '../../src/core/securityDomainPolicy';
import { runs } from './fuzzRuns';

const TARGET = 'Managed HSM name and security domain validators';

// Managed HSM names, the security domain quorum and retention: each validator agrees with the rule
// written independently here, for any input, and never throws.

// Valid names: a letter, then runs of letters and digits joined by single hyphens, 3–24 long.
const hsmName = fc
  .tuple(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,5}$/), fc.array(fc.stringMatching(/^[a-zA-Z0-9]{1,6}$/), { maxLength: 5 }))
  .map(([first, rest]) => [first, ...rest].join('-'))
  .filter((n) => n.length >= 3 && n.length <= 24);
const anyNumber = fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 2.5, -0));

describe('fuzz: Managed HSM and security domain validators (src/core/securityDomainPolicy.ts)', () => {
  it('managedHsmNameProblem accepts exactly the names Azure allows', () => {
    fc.assert(
      fc.property(fc.oneof(hsmName, fc.string({ maxLength: 30 }), fc.stringMatching(/^[a-zA-Z0-9-]{0,26}$/), fc.string({ unit: 'grapheme', maxLength: 26 })), (name) => {
        const valid = name.length >= 3 && name.length <= 24 && /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/.test(name) && !name.includes('--');
        const problem = managedHsmNameProblem(name);
        assert.equal(problem === undefined, valid, `${JSON.stringify(name)}: ${problem}`);
        if (problem !== undefined) assert.ok(problem.length > 0);
      }),
      runs(TARGET),
    );
  });

  it('securityDomainQuorumProblem and retentionProblem accept exactly the documented ranges', () => {
    const { minCertificates, maxCertificates, minQuorum, maxQuorum } = securityDomainLimits;
    fc.assert(
      fc.property(anyNumber, anyNumber, fc.oneof(fc.integer({ min: 0, max: 120 }), anyNumber), (count, required, days) => {
        const quorumOk =
          Number.isInteger(count) && count >= minCertificates && count <= maxCertificates && Number.isInteger(required) && required >= minQuorum && required <= maxQuorum && required <= count;
        assert.equal(securityDomainQuorumProblem(count, required) === undefined, quorumOk, `${count} certificates, quorum ${required}`);
        assert.equal(retentionProblem(days) === undefined, Number.isInteger(days) && days >= 7 && days <= 90, `${days} days`);
      }),
      runs(TARGET),
    );
  });

  it('region comparison ignores case and any whitespace and warns only on a real mismatch', () => {
    const region = fc.oneof(fc.constantFrom('East US', 'eastus', 'West Europe', 'westeurope', 'UK South'), fc.stringMatching(/^[A-Za-z0-9 ]{0,20}$/));
    fc.assert(
      fc.property(region, fc.option(region, { nil: undefined }), fc.constantFrom(' ', '\t', '\n', '\u00a0', '  ', ''), fc.boolean(), (hsmRegion, ssRegion, ws, upper) => {
        // The same region spelled differently never warns.
        const respelled = (upper ? hsmRegion.toUpperCase() : hsmRegion.toLowerCase()).split('').join(ws);
        assert.equal(regionMismatchWarning(hsmRegion, respelled || undefined), undefined, `${JSON.stringify(hsmRegion)} vs ${JSON.stringify(respelled)}`);
        const compact = (r: string) => r.split(/\s/).join('').toLowerCase();
        const warning = regionMismatchWarning(hsmRegion, ssRegion);
        assert.equal(warning !== undefined, !!ssRegion && compact(hsmRegion) !== compact(ssRegion));
        assert.equal(normaliseRegion(normaliseRegion(hsmRegion)), normaliseRegion(hsmRegion));
      }),
      runs(TARGET),
    );
  });
});
