import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { formatKeyIdentifier, hsmUriProblem, isValidKeyName, keyNameProblem, parseKeyIdentifier, type HsmHostRules } from '../../src/core/keyIdentifier';
import { runs } from './fuzzRuns';

const TARGET = 'key identifiers and key names';

// The key-URL parser and key-name validation: never throw, agree with each other, and give back
// the parts a valid identifier was built from.

const keyName = fc.stringMatching(/^[0-9a-zA-Z-]{1,127}$/);
const version = fc.stringMatching(/^[0-9a-fA-F]{32}$/);
// HSM names as Azure allows them (no '--', so never a punycode 'xn--' label the URL parser could refuse).
const hsmLabel = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { maxLength: 5 }))
  .map(([first, rest]) => [first, ...rest].join('-'))
  .filter((n) => n.length >= 3 && n.length <= 24);
const suffix = fc.constantFrom('managedhsm.azure.net', 'managedhsm.usgovcloudapi.net', 'managedhsm.azure.cn');
const rules: fc.Arbitrary<HsmHostRules | undefined> = fc.option(
  fc.record({ dnsSuffix: fc.option(suffix, { nil: undefined }), origins: fc.option(fc.array(fc.webUrl(), { maxLength: 3 }), { nil: undefined }) }),
  { nil: undefined },
);

// Hostile text: anything, URL-shaped pieces glued together, and near misses of real identifiers.
const urlPiece = fc.constantFrom('https://', 'http://', 'HTTPS://', '/keys/', '/KEYS/', '/secrets/', '/', '//', '?', '#', '@', ':', '%', '%2F', '%00', '..', '.', ' ', '\t', '\n', '\u0000', 'managedhsm.azure.net', 'vault.azure.net', ':8443', 'user:pw@');
const hostileText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.oneof(urlPiece, fc.string({ maxLength: 8 }), keyName, version), { maxLength: 12 }).map((parts) => parts.join('')),
  fc.tuple(hsmLabel, suffix, fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 })).map(([h, s, a, b]) => `https://${h}.${s}/keys/${a}/${b}`),
);

describe('fuzz: key identifiers (src/core/keyIdentifier.ts)', () => {
  it('parseKeyIdentifier never throws and either gives a reason or a consistent identifier', () => {
    fc.assert(
      fc.property(hostileText, rules, (text, r) => {
        const result = parseKeyIdentifier(text, r);
        if (!result.ok) {
          assert.equal(typeof result.reason, 'string');
          assert.ok(result.reason.length > 0);
          return;
        }
        const v = result.value;
        assert.equal(keyNameProblem(v.name), undefined, `accepted invalid name ${JSON.stringify(v.name)}`);
        if (v.version !== undefined) assert.match(v.version, /^[0-9a-fA-F]{32}$/);
        assert.ok(v.origin.startsWith('https://'));
        assert.equal(v.hsmUri, `${v.origin}/`);
        assert.equal(v.versionlessId, `${v.origin}/keys/${v.name}`);
        assert.equal(v.id, v.version ? `${v.versionlessId}/${v.version}` : v.versionlessId);
        // The canonical form parses to itself.
        const again = parseKeyIdentifier(v.id, r);
        assert.ok(again.ok, `canonical id ${v.id} was refused`);
        assert.deepEqual(again.value, v);
      }),
      runs(TARGET),
    );
  });

  it('format then parse gives the parts back, with the host rules of the HSM’s cloud', () => {
    fc.assert(
      fc.property(hsmLabel, suffix, keyName, fc.option(version, { nil: undefined }), fc.boolean(), fc.boolean(), (label, s, name, ver, slash, upper) => {
        const hsmUri = `https://${upper ? label.toUpperCase() : label}.${s}${slash ? '/' : ''}`;
        const text = formatKeyIdentifier(hsmUri, name, ver);
        const result = parseKeyIdentifier(text, { dnsSuffix: s });
        assert.ok(result.ok, `${text}: ${result.ok ? '' : result.reason}`);
        assert.equal(result.value.name, name);
        assert.equal(result.value.version, ver);
        assert.equal(result.value.hsmUri, `https://${label}.${s}/`);
        assert.equal(result.value.id, text.replace(/^https:\/\/[^/]+/, `https://${label}.${s}`));
        assert.equal(hsmUriProblem(hsmUri, { dnsSuffix: s }), undefined);
      }),
      runs(TARGET),
    );
  });

  it('keyNameProblem and isValidKeyName agree with the documented rule for any string', () => {
    fc.assert(
      fc.property(fc.oneof(keyName, fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 140 }), fc.stringMatching(/^[0-9a-zA-Z-]{120,140}$/)), (name) => {
        const problem = keyNameProblem(name);
        const valid = name.length >= 1 && name.length <= 127 && /^[0-9a-zA-Z-]+$/.test(name);
        assert.equal(problem === undefined, valid);
        assert.equal(isValidKeyName(name), valid);
        if (problem !== undefined) assert.ok(problem.length > 0);
      }),
      runs(TARGET),
    );
  });
});
