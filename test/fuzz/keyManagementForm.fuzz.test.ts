import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { limits, parsePageMessage, type PageMessage } from '../../src/protocol/keyManagementForm';
import { runs } from './fuzzRuns';

const TARGET = 'webview protocol (parsePageMessage)';

// The webview is untrusted: parsePageMessage must never throw, must refuse anything off-spec
// (wrong types, extra or prototype-polluting keys, oversized strings), must accept every valid
// message, and must hand back only the fields the protocol names.

const requestId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const guid = fc.uuid();
const secret = fc.oneof(
  fc.record({ kind: fc.constant('typed' as const), value: fc.string({ minLength: 1, maxLength: limits.secret }) }),
  fc.record({ kind: fc.constant('stored' as const), keyId: guid }),
);
const form = fc.record(
  {
    connectionId: fc.string({ minLength: 1, maxLength: 80 }),
    typeId: fc.nat(),
    tenantId: fc.oneof(fc.constant(''), guid),
    principalId: fc.oneof(fc.constant(''), guid),
    keyUrl: fc.string({ maxLength: 200 }),
    confirmed: fc.boolean(),
    secret,
  },
  { requiredKeys: ['connectionId', 'typeId', 'tenantId', 'principalId', 'keyUrl', 'confirmed'], noNullPrototype: true },
);
const validMessage: fc.Arbitrary<PageMessage> = fc.oneof(
  fc.constant({ type: 'ready' as const }),
  fc.record({ type: fc.constantFrom('pickKey' as const, 'cancelRotation' as const, 'refresh' as const), requestId }),
  fc.record({ type: fc.constant('selectConnection' as const), requestId, connectionId: fc.string({ minLength: 1, maxLength: 80 }) }),
  fc.record({ type: fc.constant('save' as const), requestId, form }),
);

const pollutingKey = fc.constantFrom('__proto__', 'constructor', 'prototype');
const unknownKey = fc.string({ maxLength: 12 }).filter((k) => !['type', 'requestId', 'connectionId', 'form', 'connectionId', 'typeId', 'tenantId', 'principalId', 'keyUrl', 'confirmed', 'secret', 'kind', 'value', 'keyId'].includes(k));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.string({ minLength: limits.keyUrl + 1, maxLength: limits.keyUrl + 40 }),
  fc.constantFrom(null, undefined, NaN, -1, 1.5, 2 ** 60, '', [], {}, true),
  fc.letrec<{ deep: unknown }>((tie) => ({ deep: fc.oneof({ depthSize: 'small' }, fc.constant({}), fc.record({ form: tie('deep') })) })).deep,
);

/** A path to every own key of a valid message, so a mutation can reach any depth. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((k) => [[...prefix, k], ...paths((value as Record<string, unknown>)[k], [...prefix, k])]);
}

type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'addKey'; key: string; value: unknown; json: boolean };

/** Applies one mutation to a deep copy; JSON.parse gives __proto__ as an own key, as postMessage would. */
function mutate(message: PageMessage, at: string[], m: Mutation): unknown {
  const copy = structuredClone(message) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const key of at.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = at[at.length - 1];
  if (m.kind === 'set') target[last] = m.value;
  else if (m.kind === 'delete') delete target[last];
  else {
    const holder = (at.length > 1 ? target : copy) as Record<string, unknown>;
    Object.defineProperty(holder, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
    if (m.json) return JSON.parse(JSON.stringify(copy, (_k, v: unknown) => (v === undefined ? null : v)));
  }
  return copy;
}

/** `raw` without keys whose value is undefined (an absent optional field, as the parser reads it). */
function withoutUndefined(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
}

/** The fields each message type may carry, and nothing more, at every level. */
function assertOnlyProtocolFields(m: PageMessage): void {
  const own = (o: object) => Reflect.ownKeys(o).sort();
  const expected: Record<PageMessage['type'], string[]> = {
    ready: ['type'],
    pickKey: ['requestId', 'type'],
    cancelRotation: ['requestId', 'type'],
    refresh: ['requestId', 'type'],
    selectConnection: ['connectionId', 'requestId', 'type'],
    save: ['form', 'requestId', 'type'],
  };
  assert.deepEqual(own(m), expected[m.type]);
  assertWellTyped(m);
  if (m.type === 'save') {
    const formKeys = ['confirmed', 'connectionId', 'keyUrl', 'principalId', 'tenantId', 'typeId', ...(m.form.secret ? ['secret'] : [])].sort();
    assert.deepEqual(own(m.form), formKeys);
    assert.equal(Object.getPrototypeOf(m.form), Object.prototype);
    if (m.form.secret) assert.deepEqual(own(m.form.secret), m.form.secret.kind === 'typed' ? ['kind', 'value'] : ['keyId', 'kind']);
  }
}

const guidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every value has the protocol's type and stays within its limit. */
function assertWellTyped(m: PageMessage): void {
  const text = (v: unknown, max: number, allowEmpty = false) => {
    assert.equal(typeof v, 'string');
    assert.ok((v as string).length <= max && (allowEmpty || (v as string).length > 0), `length ${(v as string).length} outside 0..${max}`);
  };
  if ('requestId' in m) assert.match(m.requestId, /^[A-Za-z0-9_-]{1,64}$/);
  if (m.type === 'selectConnection') text(m.connectionId, limits.connectionId);
  if (m.type !== 'save') return;
  const f = m.form;
  text(f.connectionId, limits.connectionId);
  assert.ok(typeof f.typeId === 'number' && Number.isSafeInteger(f.typeId) && f.typeId >= 0);
  text(f.tenantId, limits.guidField, true);
  text(f.principalId, limits.guidField, true);
  text(f.keyUrl, limits.keyUrl, true);
  assert.equal(typeof f.confirmed, 'boolean');
  if (f.secret?.kind === 'typed') text(f.secret.value, limits.secret);
  else if (f.secret) assert.match(f.secret.keyId, guidShape);
}

function mustNotThrow(raw: unknown): ReturnType<typeof parsePageMessage> {
  const result = parsePageMessage(raw);
  if (!result.ok) assert.ok(typeof result.reason === 'string' && result.reason.length > 0 && result.reason.length < 200);
  return result;
}

describe('fuzz: webview protocol validator (src/protocol/keyManagementForm.ts parsePageMessage)', () => {
  it('accepts every valid message and returns exactly its fields', () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        // As postMessage delivers it: a plain JSON copy.
        const raw: unknown = JSON.parse(JSON.stringify(message));
        const result = mustNotThrow(raw);
        assert.ok(result.ok, result.ok ? '' : result.reason);
        assert.deepEqual(result.message, raw);
        assertOnlyProtocolFields(result.message);
      }),
      runs(TARGET),
    );
  });

  it('never throws on arbitrary values and JSON, and accepts only well-formed messages', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 4, withNullPrototype: true, withMap: true }), fc.jsonValue({ maxDepth: 4 }), fc.record({ type: fc.string(), requestId: fc.anything() })), (raw) => {
        const result = mustNotThrow(raw);
        if (result.ok) {
          assertOnlyProtocolFields(result.message);
          assert.deepEqual(mustNotThrow(JSON.parse(JSON.stringify(result.message))), result);
        }
      }),
      runs(TARGET),
    );
  });

  it('rejects a valid message with one hostile change: wrong type, missing, extra or polluting key, huge or deep value', () => {
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), value: hostileValue }),
      fc.constant({ kind: 'delete' as const }),
      fc.record({ kind: fc.constant('addKey' as const), key: fc.oneof(pollutingKey, unknownKey), value: hostileValue, json: fc.boolean() }),
    );
    fc.assert(
      fc.property(
        validMessage.chain((m) => fc.tuple(fc.constant(m), fc.constantFrom(...paths(m)), mutation)),
        ([message, at, m]) => {
          const raw = mutate(message, at, m);
          const result = mustNotThrow(raw);
          if (m.kind !== 'set') {
            // Optional fields (form.secret) may be deleted; anything added must be refused.
            const optional = m.kind === 'delete' && at.join('.') === 'form.secret';
            assert.equal(result.ok, optional, `${m.kind} ${at.join('.')} ${'key' in m ? JSON.stringify(m.key) : ''}`);
          } else if (result.ok) {
            // A replaced value may still be valid (a string for a string); then it is returned as given, nothing more.
            assertOnlyProtocolFields(result.message);
            assert.deepEqual(result.message, withoutUndefined(raw));
          }
          assert.equal(({} as Record<string, unknown>).polluted, undefined);
        },
      ),
      runs(TARGET),
    );
  });
});
