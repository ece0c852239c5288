import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { toActionableError } from '../../src/azure/azureErrors';
import { ActionableError } from '../../src/core/actionableError';
import { runs } from './fuzzRuns';

const TARGET = 'Azure error parser (toActionableError)';

// The Azure error parser turns whatever came back into one ActionableError. For
// any error-like object or body they return (never throw), finish quickly, and never repeat a
// secret given in the body: neither in the sentence nor in the detail kept for the output channel.

const secret = fc.stringMatching(/^[A-Za-z0-9~._-]{8,40}$/);
const word = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('AADSTS7000215', 'AccessDenied', 'AuthorizationFailed', 'KeyNotFound', 'ECONNRESET', 'REQUEST_SEND_ERROR', 'HsmNotActivated', 'token expired', 'read-only', 'current configuration cannot'));
/** Service text that carries the secret somewhere: as a bare echo, a form field or JSON. */
const textWith = (s: string) => fc.tuple(word, fc.constantFrom(`${s}`, `password=${s}`, `client_secret: ${s}`, `"${s}"`, `Bearer ${s}`), word).map(([a, b, c]) => `${a} ${b} ${c}`);
const status = fc.oneof(fc.constantFrom(200, 302, 400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504), fc.integer({ min: -1, max: 1000 }), fc.double());
/** Values of the wrong type where a string or object was expected. */
const odd = fc.constantFrom<unknown>(undefined, null, 0, -1, 1.5, NaN, true, '', [], {}, [1, 'a'], { x: { y: 1 } }, Object.create(null), Symbol('s'), 10n);
const headers = (s: string) =>
  fc.oneof(odd, fc.constantFrom(undefined, 'x-ms-request-id', `request-${s}`).map((v) => ({ get: (n: string) => (n === 'x-ms-request-id' ? v : undefined) })));

function azureBody(s: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.record({ error: fc.record({ code: word, message: textWith(s), innererror: fc.oneof(odd, fc.record({ code: word })) }, { requiredKeys: [] }) }),
    fc.record({ error: word, error_description: textWith(s), error_codes: fc.oneof(odd, fc.constant([7000215]), fc.constant(['x'])) }, { requiredKeys: [] }),
    odd,
  );
}

function azureErrorLike(s: string): fc.Arbitrary<unknown> {
  const base = fc.record(
    {
      name: fc.oneof(word, fc.constantFrom('RestError', 'AuthenticationError', 'AbortError', 'CredentialUnavailableError', 'AggregateError'), odd),
      message: fc.oneof(textWith(s), odd),
      statusCode: status,
      code: fc.oneof(word, odd),
      response: fc.record(
        { bodyAsText: fc.oneof(azureBody(s).map(bodyText), textWith(s)), parsedBody: azureBody(s), headers: headers(s), request: fc.record({ url: url(s) }) },
        { requiredKeys: [] },
      ),
      errorResponse: fc.record({ error: word, errorDescription: textWith(s), errorCodes: fc.oneof(odd, fc.constant([7000222])), traceId: fc.constantFrom('00000000-0000-0000-0000-000000000001', s) }, { requiredKeys: [] }),
      request: fc.record({ url: url(s) }),
    },
    { requiredKeys: [] },
  );
  // Wrappers: AggregateError.errors, Error.cause; and values that are not objects at all.
  return fc.oneof(
    { weight: 4, arbitrary: base },
    { weight: 1, arbitrary: fc.tuple(base, base).map(([outer, inner]) => ({ ...outer, cause: inner })) },
    { weight: 1, arbitrary: fc.array(base, { maxLength: 2 }).map((errors) => ({ name: 'AggregateError', message: 'All promises were rejected', errors })) },
    { weight: 1, arbitrary: odd },
    { weight: 1, arbitrary: textWith(s) },
  );
}

/** The body as the SDK would have read it off the wire (values JSON cannot hold become '{}'). */
function bodyText(body: unknown): string {
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return '{}';
  }
}

function url(s: string): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constantFrom('https://contoso.managedhsm.azure.net/keys/k?api-version=7.4', 'not a url', `https://h/keys/${s}`), odd);
}

function assertMasked(err: ActionableError, s: string): void {
  assert.ok(err instanceof ActionableError);
  assert.ok(err.message.length > 0);
  assert.ok(!err.message.includes(s), `secret in message: ${err.message}`);
  assert.ok(!err.detail.includes(s), `secret in detail: ${err.detail}`);
  assert.ok(err.code === undefined || !err.code.includes(s), `secret in code: ${err.code}`);
}

describe('fuzz: Azure error parser (src/azure/azureErrors.ts toActionableError)', () => {
  it('toActionableError (src/azure/azureErrors.ts) returns a masked ActionableError for any error-like value', () => {
    fc.assert(
      fc.property(secret.chain((s) => fc.tuple(fc.constant(s), azureErrorLike(s), fc.string({ maxLength: 40 }))), ([s, err, what]) => {
        fc.pre(!what.includes(s));
        const started = performance.now();
        const result = toActionableError(err, what, [s]);
        assert.ok(performance.now() - started < 1000, 'took more than a second');
        assertMasked(result, s);
      }),
      runs(TARGET),
    );
  });

});
