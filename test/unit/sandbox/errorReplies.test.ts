import * as assert from 'node:assert/strict';
import { ErrorReplyRegistry } from '../../../sandbox/errorReplies';
import type { SandboxRequest } from '../../../sandbox/http/exchange';

function request(method: string, path: string, body: string, contentType: string, query = ''): SandboxRequest {
  return { method, origin: 'https://127.0.0.1:1', path, trailingSlash: false, query: new URLSearchParams(query), headers: { 'content-type': contentType }, body: Buffer.from(body), params: {} };
}

describe('sandbox error replies', () => {
  it('quotes a form field, a JSON property at any depth and a query parameter', () => {
    const r = new ErrorReplyRegistry();
    assert.equal(typeof r.add({ service: 'entra', path: 'token$', status: 401, code: 'invalid_client', message: "secret '{request:client_secret}' of {request:client_id}" }), 'object');
    const form = r.decide('entra', request('POST', '/t/oauth2/v2.0/token', 'client_id=app&client_secret=s%22x', 'application/x-www-form-urlencoded'));
    assert.deepEqual(form, { status: 401, code: 'invalid_client', message: `secret 's"x' of app` });

    r.clear();
    r.add({ service: '*', message: '{request:principalSecret}|{request:missing}|{request:q}' });
    const json = r.decide('secretServer', request('PUT', '/api/v1/key-management', JSON.stringify({ a: { PrincipalSecret: 'deep' } }), 'application/json', 'q=1'));
    assert.equal(json?.message, 'deep||1');
    assert.equal(json?.status, 400);
  });

  it('answers only matching requests, as often as allowed, never on the control API', () => {
    const r = new ErrorReplyRegistry();
    r.add({ service: '*', method: 'post', path: '^/x$', message: 'm', times: 1, bodyContains: 'app-1' });
    assert.equal(r.decide('control', request('POST', '/x', 'app-1', 'text/plain')), undefined);
    assert.equal(r.decide('arm', request('GET', '/x', 'app-1', 'text/plain')), undefined);
    assert.equal(r.decide('arm', request('POST', '/x', 'app-2', 'text/plain')), undefined);
    assert.ok(r.decide('arm', request('POST', '/x', 'app-1', 'text/plain')));
    assert.equal(r.decide('arm', request('POST', '/x', 'app-1', 'text/plain')), undefined);
    assert.equal(r.list()[0].fired, 1);
  });

  it('refuses bad rules with a sentence', () => {
    const r = new ErrorReplyRegistry();
    assert.match(r.add({}) as string, /message/);
    assert.match(r.add({ message: 'm', status: 200 }) as string, /400 to 599/);
    assert.match(r.add({ message: 'm', path: '(' }) as string, /regular expression/);
    assert.match(r.add({ message: 'm', bodyContains: '' }) as string, /bodyContains/);
  });
});
