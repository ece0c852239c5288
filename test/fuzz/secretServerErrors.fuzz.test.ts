import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { ActionableError } from '../../src/core/actionableError';
import { isExpiredTokenResponse, parseErrorBody, secretServerError } from '../../src/secretServer/responseError';
import { runs } from './fuzzRuns';

const TARGET = 'Secret Server error parser (secretServerError, parseErrorBody)';

// The Secret Server error parser turns whatever came back into one ActionableError. For
// any error-like object or body they return (never throw), finish quickly, and never repeat a
// secret given in the body: neither in the sentence nor in the detail kept for the output channel.

const secret = fc.stringMatching(/^[A-Za-z0-9~._-]{8,40}$/);
const word = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('AADSTS7000215', 'AccessDenied', 'AuthorizationFailed', 'KeyNotFound', 'ECONNRESET', 'REQUEST_SEND_ERROR', 'HsmNotActivated', 'token expired', 'read-only', 'current configuration cannot'));
/** Service text that carries the secret somewhere: as a bare echo, a form field or JSON. */
const textWith = (s: string) => fc.tuple(word, fc.constantFrom(`${s}`, `password=${s}`, `client_secret: ${s}`, `"${s}"`, `Bearer ${s}`), word).map(([a, b, c]) => `${a} ${b} ${c}`);
const status = fc.oneof(fc.constantFrom(200, 302, 400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504), fc.integer({ min: -1, max: 1000 }), fc.double());
function assertMasked(err: ActionableError, s: string): void {
  assert.ok(err instanceof ActionableError);
  assert.ok(err.message.length > 0);
  assert.ok(!err.message.includes(s), `secret in message: ${err.message}`);
  assert.ok(!err.detail.includes(s), `secret in detail: ${err.detail}`);
  assert.ok(err.code === undefined || !err.code.includes(s), `secret in code: ${err.code}`);
}

describe('fuzz: Secret Server error parser (src/secretServer/responseError.ts)', () => {
  it('secretServerError and parseErrorBody (src/secretServer/responseError.ts) handle any body and status', () => {
    const body = (s: string) =>
      fc.oneof(
        fc
          .record(
            {
              message: textWith(s),
              messageDetail: textWith(s),
              errorCode: word,
              error: word,
              error_description: textWith(s),
              modelState: fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(fc.array(textWith(s), { maxLength: 2 }), textWith(s), fc.anything({ maxDepth: 1 }))),
              exceptionMessage: textWith(s),
              exceptionType: word,
            },
            { requiredKeys: [] },
          )
          .map((o) => JSON.stringify(o)),
        textWith(s).map((t) => JSON.stringify(t)),
        textWith(s),
        textWith(s).map((t) => `<!DOCTYPE html><html><body>${t}</body></html>`),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
        fc.string({ maxLength: 5000 }),
      );
    fc.assert(
      fc.property(
        secret.chain((s) =>
          fc.tuple(fc.constant(s), body(s), status, fc.option(fc.constantFrom('application/json', 'text/html', 'text/plain', ''), { nil: undefined }), fc.boolean(), fc.option(fc.string({ maxLength: 20 }), { nil: undefined })),
        ),
        ([s, text, st, contentType, signIn, username]) => {
          fc.pre(!username?.includes(s));
          const started = performance.now();
          const parsed = parseErrorBody(text, contentType);
          assert.equal(typeof parsed.isHtml, 'boolean');
          assert.equal(typeof isExpiredTokenResponse(st, text, contentType), 'boolean');
          const res = { method: 'POST', url: 'https://ss.example/SecretServer/api/v1/key-management', status: st, contentType, text };
          const err = secretServerError(res, { operation: 'Saving the key management configuration', username, knownSecrets: [s], signIn });
          assert.ok(performance.now() - started < 1000, 'took more than a second');
          assertMasked(err, s);
          assert.ok(err.message.startsWith('Saving the key management configuration failed because '));
        },
      ),
      runs(TARGET),
    );
  });
});
