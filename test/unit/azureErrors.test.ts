import * as assert from 'node:assert/strict';
import { RestError, createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { AggregateAuthenticationError, AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { ActionableError } from '../../src/core/actionableError';
import { toActionableError } from '../../src/azure/azureErrors';

// Real error objects of the @azure packages, shaped as the SDKs build them from real service
// answers (bodies from shared/reference/azure-api.md §2.4, §7, §8, §9).

function restError(status: number, body: unknown, opts: { code?: string; message?: string; headers?: Record<string, string> } = {}): RestError {
  const request = createPipelineRequest({ url: 'https://contoso-mhsm-eus.managedhsm.azure.net/keys?api-version=7.6' });
  const bodyAsText = typeof body === 'string' ? body : JSON.stringify(body);
  const response: PipelineResponse = { status, request, headers: createHttpHeaders(opts.headers ?? {}), bodyAsText };
  const error = (body as { error?: { code?: string; message?: string } })?.error;
  return new RestError(opts.message ?? error?.message ?? `status ${status}`, { code: opts.code ?? error?.code, statusCode: status, request, response });
}

function entraBody(code: number, error: string, description: string) {
  return {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: 0d6d1c3a-5f1a-4bd5-9a5e-2b4c8c0c1a00\r\nCorrelation ID: 3c7b0e44-8f0e-4e2b-9d4c-6f0a1c2b3d4e\r\nTimestamp: 2025-01-01 00:00:00Z`,
    error_codes: [code],
    timestamp: '2025-01-01 00:00:00Z',
    trace_id: '0d6d1c3a-5f1a-4bd5-9a5e-2b4c8c0c1a00',
    correlation_id: '3c7b0e44-8f0e-4e2b-9d4c-6f0a1c2b3d4e',
  };
}

const appId = '1b0f6b4c-2a5e-4c1d-8e9f-0a1b2c3d4e5f';

function expectKind(err: ActionableError, kind: ActionableError['kind'], ...patterns: RegExp[]): void {
  assert.ok(err instanceof ActionableError);
  assert.equal(err.kind, kind, err.message);
  for (const p of patterns) assert.match(err.message, p);
  assert.match(err.message, /^Could not .+: .+; .+\.$/);
}

describe('toActionableError', () => {
  it('tells a Managed HSM data-plane AccessDenied apart, naming the data action, scope and role', () => {
    const err = toActionableError(
      restError(403, {
        error: { code: 'AccessDenied', message: 'Not authorized to access Microsoft.KeyVault/managedHsm/keys/read/action on /keys (Activity ID: 5a0c3d0e-1111-2222-3333-444455556666)' },
      }, { headers: { 'x-ms-request-id': '5a0c3d0e-1111-2222-3333-444455556666' } }),
      'list keys of contoso-mhsm-eus',
    );
    expectKind(err, 'accessDenied', /^Could not list keys of contoso-mhsm-eus/, /Microsoft\.KeyVault\/managedHsm\/keys\/read\/action on \/keys/, /Managed HSM Crypto User/);
    assert.equal(err.code, 'AccessDenied');
    assert.equal(err.statusCode, 403);
    assert.match(err.detail, /x-ms-request-id: 5a0c3d0e/);
  });

  it('suggests Crypto Officer for purge and recover', () => {
    const err = toActionableError(
      restError(403, { error: { code: 'AccessDenied', message: 'Not authorized to access Microsoft.KeyVault/managedHsm/keys/deletedKeys/delete on /keys/old (Activity ID: x)' } }),
      'purge key old',
    );
    expectKind(err, 'accessDenied', /Crypto Officer/, /on \/keys\/old/);
  });

  it('tells an ARM AuthorizationFailed (control plane) apart as forbidden', () => {
    const message =
      "The client 'c0ffee00-0000-0000-0000-000000000001' with object id 'c0ffee00-0000-0000-0000-000000000001' does not have authorization to perform action 'Microsoft.KeyVault/managedHSMs/read' over scope '/subscriptions/8d65815f-a5b6-402f-9298-045155da7d74' or the scope is invalid. If access was recently granted, please refresh your credentials.";
    const err = toActionableError(restError(403, { error: { code: 'AuthorizationFailed', message } }), 'list the Managed HSMs of subscription 8d65815f');
    expectKind(err, 'forbidden', /Microsoft\.KeyVault\/managedHSMs\/read/, /\/subscriptions\/8d65815f-a5b6-402f-9298-045155da7d74/);
    assert.equal(err.code, 'AuthorizationFailed');
  });

  it('recognises an HSM that is not activated, by the sandbox code and by looser wording', () => {
    const sandbox = toActionableError(
      restError(400, { error: { code: 'HsmNotActivated', message: "The Managed HSM 'contoso-mhsm-weu' is not activated. Download its security domain to activate it." } }),
      'list keys of contoso-mhsm-weu',
    );
    expectKind(sandbox, 'notActivated', /security domain/);
    const loose = toActionableError(restError(400, { error: { code: 'BadParameter', message: 'Operation not allowed: the HSM is not yet activated.' } }), 'create key k');
    expectKind(loose, 'notActivated');
  });

  it('maps KeyNotFound to notFound, reading the code from the body when the error has none', () => {
    const err = toActionableError(
      restError(404, { error: { code: 'KeyNotFound', message: 'A key with (name/id) nope was not found in this key vault.' } }, { code: undefined, message: 'not found' }),
      'read key nope',
    );
    expectKind(err, 'notFound', /does not exist/);
    assert.equal(err.code, 'KeyNotFound');
  });

  it('says recover or purge for a name held by a soft-deleted key (409)', () => {
    const message = 'Key retired-key is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the key can only be recovered or purged.';
    const err = toActionableError(restError(409, { error: { code: 'Conflict', message, innererror: { code: 'ObjectIsDeletedButRecoverable' } } }), 'create key retired-key');
    expectKind(err, 'conflict', /recover/, /purge/);
  });

  it('reports throttling and unavailability that outlasted the retries', () => {
    expectKind(toActionableError(restError(429, { error: { code: 'TooManyRequests', message: 'Too many requests.' } }), 'list keys'), 'throttled', /wait a minute/);
    expectKind(toActionableError(restError(503, { error: { code: 'ServiceUnavailable', message: 'Unavailable.' } }), 'list keys'), 'unavailable', /503/);
  });

  it('turns a Graph Authorization_RequestDenied into consentRequired with a way out', () => {
    const err = toActionableError(
      restError(403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', innerError: { 'request-id': 'r1' } } }),
      'create the app registration "Secret Server"',
    );
    expectKind(err, 'consentRequired', /administrator/, /az commands/);
  });

  it('explains Entra sign-in failures of an app by AADSTS code, with the ids kept for support', () => {
    const wrong = toActionableError(
      new AuthenticationError(401, entraBody(7000215, 'invalid_client', `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`)),
      `sign in as app ${appId}`,
    );
    expectKind(wrong, 'authentication', /client secret of app 1b0f6b4c/, /not its secret ID/);
    assert.equal(wrong.code, 'AADSTS7000215');
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.detail, /trace id: 0d6d1c3a/);

    const expired = toActionableError(
      new AuthenticationError(401, entraBody(7000222, 'invalid_client', `The provided client secret keys for app '${appId}' are expired.`)),
      `sign in as app ${appId}`,
    );
    expectKind(expired, 'authentication', /has expired/, /new client secret/);
    assert.equal(expired.code, 'AADSTS7000222');

    const unknownApp = toActionableError(
      new AuthenticationError(400, entraBody(700016, 'unauthorized_client', `Application with identifier '${appId}' was not found in the directory 'Contoso'.`)),
      'sign in',
    );
    expectKind(unknownApp, 'authentication', /was not found in the tenant/, /client ID/);

    const unknownTenant = toActionableError(new AuthenticationError(400, entraBody(90002, 'invalid_tenant', "Tenant 'nope' not found.")), 'sign in');
    expectKind(unknownTenant, 'authentication', /tenant was not found/);
  });

  it('turns consent errors into consentRequired', () => {
    const err = toActionableError(
      new AuthenticationError(400, entraBody(65001, 'invalid_grant', "The user or administrator has not consented to use the application with ID 'x'.")),
      'sign in to Microsoft Graph',
    );
    expectKind(err, 'consentRequired', /admin consent/);
  });

  it('reads the Entra error inside an AggregateAuthenticationError', () => {
    const inner = new AuthenticationError(401, entraBody(7000222, 'invalid_client', `The provided client secret keys for app '${appId}' are expired.`));
    const err = toActionableError(new AggregateAuthenticationError([new CredentialUnavailableError('no env'), inner], 'ChainedTokenCredential authentication failed.'), 'sign in');
    expectKind(err, 'authentication', /expired/);
    assert.equal(err.code, 'AADSTS7000222');
  });

  it('reports an unreachable sign-in endpoint and an unreachable service', () => {
    const unavailable = toActionableError(new CredentialUnavailableError('ClientSecretCredential: endpoints_resolution_error: Endpoints cannot be resolved'), 'sign in');
    expectKind(unavailable, 'authentication', /could not be reached/);
    const refused = new RestError('connect ECONNREFUSED 127.0.0.1:1', { code: 'REQUEST_SEND_ERROR' });
    expectKind(toActionableError(refused, 'list subscriptions'), 'unavailable', /ECONNREFUSED/);
  });

  it('treats aborts as cancelled and passes ActionableErrors through', () => {
    const abort = new Error('The operation was aborted.');
    abort.name = 'AbortError';
    assert.equal(toActionableError(abort, 'list keys').kind, 'cancelled');
    const own = new ActionableError('Could not x: y; z.', 'invalidInput');
    assert.equal(toActionableError(own, 'anything'), own);
  });

  it('never lets a secret through, known or shaped like one', () => {
    const secret = 'Zx8Q~abcdefghijklmnopqrstuvwxyz0123456789';
    const echoed = restError(400, { error: { code: 'BadParameter', message: `Bad value ${secret} in client_secret=${secret}` } });
    const err = toActionableError(echoed, 'add a client secret', [secret]);
    assert.ok(!err.message.includes(secret));
    assert.ok(!err.detail.includes(secret));
    const shaped = toActionableError(restError(400, { error: { code: 'BadParameter', message: 'rejected client_secret=hunter2hunter2' } }), 'sign in');
    assert.ok(!shaped.message.includes('hunter2hunter2') && !shaped.detail.includes('hunter2hunter2'));
  });

  it('keeps one sentence for anything unknown', () => {
    const err = toActionableError(new TypeError('Cannot read properties of undefined (reading "x")\n    at foo (bar.js:1:1)'), 'refresh the tree');
    expectKind(err, 'unexpected', /Cannot read properties of undefined/);
    assert.ok(!err.message.includes('bar.js'));
  });

  it('turns a thrown value String() cannot convert (a null-prototype object) into an error instead of throwing', () => {
    const thrown = Object.assign(Object.create(null) as object, { statusCode: 500, message: { text: 'not a string' } });
    const err = toActionableError(thrown, 'list keys');
    assert.ok(err instanceof ActionableError);
    assert.equal(err.kind, 'unavailable');
    assert.ok(toActionableError(Object.create(null), 'list keys') instanceof ActionableError);
  });
});
