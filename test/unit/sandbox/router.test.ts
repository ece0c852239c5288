import * as assert from 'node:assert/strict';
import { Router } from '../../../sandbox/http/router';
import { HttpError } from '../../../sandbox/http/exchange';

describe('sandbox router', () => {
  const ok = () => ({ status: 200 });
  const router = new Router()
    .on('GET', '/keys/:name/:version?', ok)
    .on('POST', '/keys/:name/create', ok)
    .on('GET', /^\/v1\.0\/applications\(appId='(?<appId>[^']*)'\)$/, ok);

  it('matches an optional last segment present or absent', () => {
    assert.deepEqual(router.resolve('GET', '/keys/a').params, { name: 'a' });
    assert.deepEqual(router.resolve('GET', '/keys/a/0123').params, { name: 'a', version: '0123' });
  });

  it('percent-decodes parameters', () => {
    assert.equal(router.resolve('GET', '/keys/a%2Db').params.name, 'a-b');
  });

  it('compares literal segments case-insensitively, as Azure does', () => {
    assert.ok(router.resolve('POST', '/KEYS/a/Create'));
  });

  it('answers 405 for a known path under another method and 404 for an unknown path', () => {
    assert.throws(() => router.resolve('DELETE', '/keys/a/create'), (e: unknown) => e instanceof HttpError && e.status === 405);
    assert.throws(() => router.resolve('GET', '/secrets/a'), (e: unknown) => e instanceof HttpError && e.status === 404);
    assert.throws(() => router.resolve('GET', '/keys/a/b/c'), (e: unknown) => e instanceof HttpError && e.status === 404);
  });

  it('takes named groups from a RegExp route', () => {
    assert.deepEqual(router.resolve('GET', "/v1.0/applications(appId='x-1')").params, { appId: 'x-1' });
  });
});
