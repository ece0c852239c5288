import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { maskSecrets } from '../../src/core/secretMask';
import { runs } from './fuzzRuns';

const TARGET = 'secret masking';

// What masking promises (src/core/secretMask.ts): a known secret of 4 or more characters, a bearer
// token, a JWT or the value of a secret field never survives, and masking twice changes nothing.

// Client secrets (Entra: letters, digits, ~ . _ -) and passwords (any printable character).
export const secretValue = fc.oneof(fc.stringMatching(/^[A-Za-z0-9~._-]{4,40}$/), fc.string({ minLength: 4, maxLength: 24, unit: fc.constantFrom(...'ab*~ "\'=&:,}{'.split('')) }), fc.string({ minLength: 4, maxLength: 24 }));
const filler = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('Bearer ', 'bearer\t', 'password=', '"client_secret":"', 'secretText: ', 'eyJ', '.', '***', '*', '&', ' ', '"'));
const fieldName = fc.constantFrom('client_secret', 'password', 'refresh_token', 'access_token', 'secretText', 'principalSecret', 'azureManagedHsmPrincipalSecret', 'PASSWORD');
const tokenValue = fc.stringMatching(/^[A-Za-z0-9._~+/-]{8,60}$/);
// Real JWT segments are tens to hundreds of characters; a 5-character signature ending in '-' is
// not matched by the \b-bounded pattern, which no real token has.
const segment = fc.stringMatching(/^[A-Za-z0-9_-]{16,60}$/);
const jwtValue = fc.tuple(segment, segment, segment).map(([a, b, c]) => `eyJ${a}.${b}.${c}`);

/** Text with the secrets spread through it, and shapes the regexes look for around them. */
const textAround = (secrets: string[]) => fc.array(fc.oneof(filler, fc.constantFrom(...secrets)), { minLength: 1, maxLength: 10 }).map((parts) => parts.join(''));

describe('fuzz: secret masking (src/core/secretMask.ts)', () => {
  it('a masked string never contains a known secret, and masking is idempotent', () => {
    fc.assert(
      fc.property(
        fc.array(secretValue, { minLength: 1, maxLength: 3 }).chain((secrets) => fc.tuple(fc.constant(secrets), textAround(secrets))),
        ([secrets, text]) => {
          // A "secret" the masker's own marker can spell ("=***" from "password=***", "rd=*") can
          // never be kept out of masked text; a star run or a star at either end is left to the
          // other properties (found by this property with seed -64391988).
          fc.pre(!secrets.some((x) => /\*\*|^\*|\*$/.test(x)));
          const masked = maskSecrets(text, secrets);
          for (const s of secrets) assert.ok(!masked.includes(s), `${JSON.stringify(s)} survives in ${JSON.stringify(masked)}`);
          assert.equal(maskSecrets(masked, secrets), masked);
        },
      ),
      runs(TARGET),
    );
  });

  it('secret fields, bearer tokens and JWTs are masked wherever they sit in text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        fc.oneof(
          fc.tuple(fieldName, fc.constantFrom('=', ': ', '":"', "'='"), tokenValue).map(([f, sep, v]) => ({ text: `${f}${sep}${v}`, value: v })),
          tokenValue.map((v) => ({ text: `Authorization: Bearer ${v}`, value: v })),
          jwtValue.map((v) => ({ text: ` ${v} `, value: v })),
        ),
        (before, after, shaped) => {
          const text = `${before} ${shaped.text} ${after}`;
          const masked = maskSecrets(text);
          // Only the shaped value is checked: the random text around it may repeat it by chance.
          assert.ok(masked.split(shaped.value).length < text.split(shaped.value).length, `${JSON.stringify(shaped.value)} survives in ${JSON.stringify(masked)}`);
          assert.equal(maskSecrets(masked), masked);
        },
      ),
      runs(TARGET),
    );
  });

  it('text without secret shapes passes through unchanged', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789 .,;()-'.split('')) }), (text) => {
        fc.pre(!/bearer|eyj|password|secret|token/i.test(text));
        assert.equal(maskSecrets(text, ['abc']), text);
      }),
      runs(TARGET),
    );
  });
});
