import * as assert from 'node:assert/strict';
import { limits, parsePageMessage, type PageMessage } from '../../src/protocol/keyManagementForm';

// The page is untrusted: the host acts on a message only if parsePageMessage accepts it. These
// messages are what a compromised or buggy page could post.

const guid = '2f1c8a4e-7b1d-4f5e-9a3c-1d2e3f4a5b6c';
const secretValue = 'Sx8Q~not-a-real-secret-value-0123456789';

function goodSave(): Record<string, unknown> {
  return {
    type: 'save',
    requestId: 'r1-a',
    form: {
      connectionId: 'https://ss.example.test admin',
      typeId: 3,
      tenantId: guid,
      principalId: guid,
      keyUrl: 'https://contoso.managedhsm.azure.net/keys/ss-key',
      secret: { kind: 'typed', value: secretValue },
      confirmed: true,
    },
  };
}

function accepted(raw: unknown): PageMessage {
  const r = parsePageMessage(raw);
  if (!r.ok) assert.fail(`expected the message to be accepted, got: ${r.reason}`);
  return r.message;
}

function rejected(raw: unknown): string {
  const r = parsePageMessage(raw);
  assert.equal(r.ok, false, 'expected the message to be rejected');
  return r.ok ? '' : r.reason;
}

describe('key management form protocol: parsePageMessage', () => {
  it('accepts each well-formed message type', () => {
    assert.deepEqual(accepted({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(accepted({ type: 'pickKey', requestId: 'abc' }), { type: 'pickKey', requestId: 'abc' });
    assert.deepEqual(accepted({ type: 'refresh', requestId: 'abc' }), { type: 'refresh', requestId: 'abc' });
    assert.deepEqual(accepted({ type: 'cancelRotation', requestId: 'abc' }), { type: 'cancelRotation', requestId: 'abc' });
    assert.deepEqual(accepted({ type: 'selectConnection', requestId: 'x_1', connectionId: 'https://ss admin' }), {
      type: 'selectConnection',
      requestId: 'x_1',
      connectionId: 'https://ss admin',
    });
    const save = accepted(goodSave());
    assert.equal(save.type, 'save');
    assert.equal(save.type === 'save' && save.form.secret?.kind, 'typed');
  });

  it('accepts a stored-secret reference and a save without a secret (type None)', () => {
    const stored = goodSave();
    (stored.form as Record<string, unknown>).secret = { kind: 'stored', keyId: guid };
    const m = accepted(stored);
    assert.deepEqual(m.type === 'save' && m.form.secret, { kind: 'stored', keyId: guid });
    const none = goodSave();
    delete (none.form as Record<string, unknown>).secret;
    assert.equal(accepted(none).type, 'save');
  });

  it('rejects values that are not plain objects', () => {
    for (const raw of [null, undefined, 'ready', 42, true, [], [{ type: 'ready' }], new Date(), new Map([['type', 'ready']])]) {
      rejected(raw);
    }
    class Fake {
      type = 'ready';
    }
    rejected(new Fake());
  });

  it('rejects unknown and wrongly typed message types', () => {
    assert.match(rejected({ type: 'deleteEverything', requestId: 'a' }), /unknown message type/);
    assert.match(rejected({ type: 42 }), /not a string/);
    rejected({ type: 'READY' });
    rejected({});
  });

  it('rejects missing and extra fields', () => {
    assert.match(rejected({ type: 'pickKey' }), /lacks 'requestId'/);
    assert.match(rejected({ type: 'ready', extra: 1 }), /unknown key 'extra'/);
    assert.match(rejected({ type: 'selectConnection', requestId: 'a' }), /lacks 'connectionId'/);
    const save = goodSave();
    delete (save.form as Record<string, unknown>).keyUrl;
    assert.match(rejected(save), /lacks 'keyUrl'/);
    const extra = goodSave();
    (extra.form as Record<string, unknown>).azureManagedHsmPrincipalSecret = 'x';
    assert.match(rejected(extra), /unknown key/);
  });

  it('rejects wrong field types', () => {
    const cases: [string, unknown][] = [
      ['typeId', '3'],
      ['typeId', 3.5],
      ['typeId', -1],
      ['typeId', Number.MAX_VALUE],
      ['confirmed', 'true'],
      ['tenantId', 42],
      ['keyUrl', { href: 'https://x' }],
      ['connectionId', ''],
      ['secret', 'plain string'],
      ['secret', { kind: 'typed' }],
      ['secret', { kind: 'typed', value: 1 }],
      ['secret', { kind: 'stored', keyId: 'not-a-guid' }],
      ['secret', { kind: 'stored', keyId: guid, value: 'both' }],
      ['secret', { kind: 'environment', value: 'x' }],
    ];
    for (const [field, value] of cases) {
      const save = goodSave();
      (save.form as Record<string, unknown>)[field] = value;
      rejected(save);
    }
  });

  it('rejects request ids that are empty, too long or carry markup', () => {
    rejected({ type: 'pickKey', requestId: '' });
    rejected({ type: 'pickKey', requestId: 'a'.repeat(limits.requestId + 1) });
    rejected({ type: 'pickKey', requestId: '<img src=x onerror=alert(1)>' });
    rejected({ type: 'pickKey', requestId: 7 });
  });

  it('rejects huge strings in every field', () => {
    const huge = 'a'.repeat(1_000_000);
    for (const field of ['connectionId', 'tenantId', 'principalId', 'keyUrl']) {
      const save = goodSave();
      (save.form as Record<string, unknown>)[field] = huge;
      assert.match(rejected(save), /longer than/);
    }
    const secret = goodSave();
    (secret.form as Record<string, unknown>).secret = { kind: 'typed', value: 'x'.repeat(limits.secret + 1) };
    assert.match(rejected(secret), /longer than/);
    rejected({ type: 'selectConnection', requestId: 'a', connectionId: huge });
  });

  it('rejects prototype-pollution keys at every level', () => {
    rejected(JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'));
    rejected(JSON.parse('{"type":"pickKey","requestId":"a","constructor":{"prototype":{"polluted":true}}}'));
    const save = goodSave();
    const form = JSON.parse(JSON.stringify(save.form)) as Record<string, unknown>;
    const polluted = JSON.parse(`{"type":"save","requestId":"a","form":${JSON.stringify({ ...form }).replace(/^\{/, '{"__proto__":{"isAdmin":true},')}}`);
    assert.match(rejected(polluted), /forbidden key '__proto__'/);
    const secretPolluted = JSON.parse(
      `{"type":"save","requestId":"a","form":${JSON.stringify({ ...form, secret: undefined }).replace(/\}$/, ',"secret":{"kind":"typed","value":"x","__proto__":{}}}')}}`,
    );
    rejected(secretPolluted);
    // An object literal with __proto__ changes the prototype instead: not a plain object.
    rejected({ __proto__: { type: 'ready' } });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  it('rejects symbol keys and getters that throw without crashing', () => {
    rejected({ type: 'ready', [Symbol('x')]: 1 });
    const hostile = {};
    Object.defineProperty(hostile, 'type', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const r = parsePageMessage(hostile);
    assert.equal(r.ok, false);
  });

  it('never repeats a field value (which could be the secret) in its reason', () => {
    const save = goodSave();
    (save.form as Record<string, unknown>).confirmed = secretValue;
    const reason = rejected(save);
    assert.ok(!reason.includes(secretValue), 'the reason repeated the value');
    const long = goodSave();
    (long.form as Record<string, unknown>).secret = { kind: 'typed', value: `${secretValue}${'y'.repeat(2000)}` };
    assert.ok(!rejected(long).includes(secretValue));
  });
});
