import * as assert from 'node:assert/strict';
import { maskSecrets, secretSpellings } from '../../src/core/secretMask';

describe('maskSecrets', () => {
  it('removes known secret values wherever they appear', () => {
    assert.equal(maskSecrets('secret abc8Q~xyz was refused (abc8Q~xyz)', ['abc8Q~xyz']), 'secret *** was refused (***)');
  });

  it('removes bearer tokens and JWTs', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';
    assert.equal(maskSecrets(`Authorization: Bearer ${jwt}`), 'Authorization: Bearer ***');
    assert.equal(maskSecrets(`token ${jwt} end`), 'token *** end');
  });

  it('removes secret fields in form bodies and JSON', () => {
    assert.equal(maskSecrets('grant_type=password&password=hunter2&username=a'), 'grant_type=password&password=***&username=a');
    assert.equal(maskSecrets('{"client_secret":"s3cr3t","x":1}'), '{"client_secret":"***","x":1}');
    assert.equal(maskSecrets('{"secretText": "abc"}'), '{"secretText": "***"}');
  });

  it('leaves ordinary text alone and ignores values too short to be secrets', () => {
    assert.equal(maskSecrets('Key secret-server-key was not found.', ['abc']), 'Key secret-server-key was not found.');
  });

  it('removes a known secret however a service quoted it back: JSON-escaped, \\u-escaped, URL- or form-encoded', () => {
    const secret = 'pa"ss\\w/rd+&é';
    const bodies = [
      JSON.stringify({ message: `bad secret ${secret}` }),
      JSON.stringify({ message: `bad secret ${secret}` }).replace(/\//g, '\\/'),
      '{"message":"bad secret pa\\u0022ss\\\\w/rd\\u002B\\u0026\\u00E9"}',
      '{"message":"bad secret pa\\u0022ss\\\\w/rd\\u002b\\u0026\\u00e9"}',
      `client_secret=${encodeURIComponent(secret)}&x=1`,
      `value=${new URLSearchParams({ s: secret }).toString().slice(2)}`,
    ];
    for (const body of bodies) {
      const masked = maskSecrets(body, [secret]);
      assert.ok(masked.includes('***'), masked);
      for (const part of ['pa"ss', 'pa\\"ss', 'pa\\u0022ss', 'pa%22ss']) assert.ok(!masked.includes(part), `${body} → ${masked}`);
    }
  });

  it('lists each spelling once, longest first', () => {
    assert.deepEqual(secretSpellings('abcdef-123'), ['abcdef-123']);
    const special = secretSpellings('a"b');
    assert.ok(special.includes('a\\"b') && special.includes('a\\u0022b') && special.includes('a%22b'));
    for (let i = 1; i < special.length; i++) assert.ok(special[i - 1].length >= special[i].length);
  });
});
