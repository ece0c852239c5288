import * as assert from 'node:assert/strict';
import { maskSecrets } from '../../src/core/secretMask';

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
});
