import * as assert from 'node:assert/strict';
import { isExpiredTokenResponse, parseErrorBody, secretServerError, type FailedResponse } from '../../src/secretServer/responseError';
import { parseTokenResponse } from '../../src/secretServer/tokenResponse';

const res = (status: number, body: unknown, contentType = 'application/json'): FailedResponse => ({
  method: 'PUT',
  url: 'https://ss.example.com/api/v1/key-management',
  status,
  contentType,
  text: typeof body === 'string' ? body : JSON.stringify(body),
});
const ctx = { operation: 'Saving the key management configuration', username: 'ssadmin' };

describe('Secret Server error bodies', () => {
  it('reads the 400 BadRequestResponse with its model state', () => {
    const body = parseErrorBody(JSON.stringify({ message: 'The request is invalid.', messageDetail: 'd', errorCode: 'API_ValidationFailed', modelState: { 'args.azureManagedHsmKeyUrl': ['Not a Managed HSM key URL.'] } }));
    assert.equal(body.message, 'The request is invalid.');
    assert.equal(body.errorCode, 'API_ValidationFailed');
    assert.deepEqual(body.modelState, { 'args.azureManagedHsmKeyUrl': ['Not a Managed HSM key URL.'] });
  });

  it('reads the token endpoint variants {message} and {error}', () => {
    assert.equal(parseErrorBody('{"error":"Login failed."}').message, 'Login failed.');
    assert.equal(parseErrorBody('{"message":"Invalid OTP"}').message, 'Invalid OTP');
  });

  it('turns a validation failure into one sentence with the field, and keeps the code and status', () => {
    const e = secretServerError(res(400, { message: 'The request is invalid.', errorCode: 'API_ValidationFailed', modelState: { 'args.azureManagedHsmKeyUrl': ['Not a Managed HSM key URL.'] } }), ctx);
    assert.equal(e.kind, 'invalidInput');
    assert.equal(e.code, 'API_ValidationFailed');
    assert.equal(e.statusCode, 400);
    assert.match(e.message, /^Saving the key management configuration failed because Secret Server refused the request: "The request is invalid" \(azureManagedHsmKeyUrl: Not a Managed HSM key URL\); correct the values and try again\.$/);
  });

  it('classifies refusals caused by a running rotation or maintenance mode as conflicts', () => {
    assert.equal(secretServerError(res(400, { message: 'A secret key rotation is already running.', errorCode: 'API_RotationInProgress' }), ctx).kind, 'conflict');
    assert.equal(secretServerError(res(400, { message: 'Secret Server is in read-only mode.' }), ctx).kind, 'conflict');
  });

  it('tells the user to restore the current key when the configuration in force no longer works', () => {
    const e = secretServerError(res(400, { message: 'The current key management configuration can no longer unwrap the master key, so key management cannot be changed: the key is disabled.', errorCode: 'API_CurrentKeyManagementUnavailable' }), ctx);
    assert.equal(e.kind, 'conflict');
    assert.match(e.message, /; restore Secret Server’s access to the key it uses now .*, then try again\.$/);
  });

  it('never lets a known secret or a token through, in the message or the detail', () => {
    const secret = 'Xy7~verySecretValue.123';
    const e = secretServerError(res(400, { message: `Client secret ${secret} was rejected`, messageDetail: `access_token=abc.def.ghi Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl` }), { ...ctx, knownSecrets: [secret] });
    assert.doesNotMatch(e.message, /verySecret/);
    assert.doesNotMatch(e.detail, /verySecret/);
    assert.doesNotMatch(e.detail, /eyJhbGci/);
    assert.match(e.message, /Client secret \*\*\* was rejected/);
  });

  it('tells a permission refusal from an expired token', () => {
    assert.equal(isExpiredTokenResponse(401, '{"message":"Authentication failed."}'), true);
    assert.equal(isExpiredTokenResponse(403, '{"message":"Authentication failed."}'), true);
    assert.equal(isExpiredTokenResponse(403, '{"message":"The access token has expired."}'), true);
    assert.equal(isExpiredTokenResponse(403, '{"message":"Access Denied"}'), false);
    assert.equal(isExpiredTokenResponse(403, '{"message":"You do not have permission to administer key management."}'), false);
    assert.equal(isExpiredTokenResponse(400, '{"message":"Authentication failed."}'), false);

    const forbidden = secretServerError(res(403, { message: 'Access Denied' }), ctx);
    assert.equal(forbidden.kind, 'forbidden');
    assert.match(forbidden.message, /the Secret Server user ssadmin does not have the permission for it \("Access Denied"\); ask a Secret Server administrator/);
    assert.equal(secretServerError(res(401, { message: 'Authentication failed.' }), ctx).kind, 'authentication');
  });

  it('explains sign-in failures without echoing the password', () => {
    const e = secretServerError(res(400, { error: 'Login failed.' }), { operation: 'Signing in to Secret Server as ssadmin', username: 'ssadmin', signIn: true, knownSecrets: ['hunter2-password'] });
    assert.equal(e.kind, 'authentication');
    assert.match(e.message, /did not accept the sign-in for ssadmin \("Login failed"\); check the user name, the password and, if the account uses two-factor authentication, the one-time code/);
  });

  it('recognises an HTML page, a 404, throttling, an internal error and an outage', () => {
    const html = secretServerError(res(200, '<!DOCTYPE html><html><body>Login</body></html>', 'text/html'), ctx);
    assert.equal(html.kind, 'unexpected');
    assert.match(html.message, /ss\.example\.com answered with a web page instead of the Secret Server REST API/);
    assert.equal(secretServerError(res(404, ''), ctx).kind, 'notFound');
    assert.equal(secretServerError(res(429, { message: 'slow down' }), ctx).kind, 'throttled');
    const internal = secretServerError(res(500, { message: 'An error has occurred.', exceptionMessage: 'The master key could not be unwrapped.', exceptionType: 'KeyUnavailable', stackTrace: '' }), ctx);
    assert.equal(internal.kind, 'unexpected');
    assert.match(internal.message, /internal error \("The master key could not be unwrapped"\)/);
    assert.equal(secretServerError(res(503, 'Service Unavailable', 'text/plain'), ctx).kind, 'unavailable');
  });
});

describe('Secret Server token responses', () => {
  it('reads the token, the refresh token and the lifetime, as a number or a string', () => {
    assert.deepEqual(parseTokenResponse('{"access_token":"a","token_type":"bearer","expires_in":1199,"refresh_token":"r"}'), { accessToken: 'a', refreshToken: 'r', expiresInSeconds: 1199 });
    assert.equal(parseTokenResponse('{"access_token":"a","expires_in":"600"}')?.expiresInSeconds, 600);
  });

  it('assumes the default session length when expires_in is missing, and rejects a body without a token', () => {
    assert.deepEqual(parseTokenResponse('{"access_token":"a"}'), { accessToken: 'a', refreshToken: undefined, expiresInSeconds: 1200 });
    assert.equal(parseTokenResponse('{"token":"a"}'), undefined);
    assert.equal(parseTokenResponse('<html>'), undefined);
  });
});
