import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import nls from '../../package.nls.json';
import { signInThroughAccountsMenu } from './accountsMenu';
import { getWithToken, jwtPayload, sandboxEndpoints } from './sandboxConfig';

const hsmScope = 'https://managedhsm.azure.net/.default';
const armScope = 'https://management.azure.com/.default';
const extensionId = `${manifest.publisher}.${manifest.name}`;

describe('Sign-in through vscode.authentication in a real extension host', () => {
  it('runs the extension under development', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    assert.equal(extension.packageJSON.displayName, nls.displayName);
  });

  it('has the sandbox provider in place of the built-in Microsoft one', () => {
    assert.equal(vscode.extensions.getExtension('vscode.microsoft-authentication'), undefined);
    assert.ok(vscode.extensions.getExtension('mhsm-sandbox.sandbox-signin'), 'the sandbox sign-in extension is not installed');
  });

  it('is signed out until the user signs in', async () => {
    assert.equal(await vscode.authentication.getSession('microsoft', [hsmScope], { silent: true }), undefined);
  });

  let hsmToken = '';
  it('after sign-in, getSession with createIfNone returns a Managed HSM token the sandbox accepts', async () => {
    const { endpoints, caPem } = sandboxEndpoints();
    await signInThroughAccountsMenu('microsoft', extensionId, [hsmScope]);
    const session = await vscode.authentication.getSession('microsoft', [hsmScope], { createIfNone: true });
    assert.equal(session.account.label, endpoints.admin.username);
    assert.deepEqual(session.scopes, [hsmScope]);
    hsmToken = session.accessToken;
    const claims = jwtPayload(hsmToken);
    assert.equal(claims.aud, 'https://managedhsm.azure.net');
    assert.equal(claims.tid, endpoints.tenantId);
    assert.equal(claims.appid, 'aebc6443-996d-45c2-90f0-388ff96faa56');

    const hsm = endpoints.hsms.find((h) => h.activated);
    assert.ok(hsm, 'the seeded world has an activated HSM');
    const res = await getWithToken(`${hsm.uri.replace(/\/$/, '')}/keys?api-version=7.5`, hsmToken, caPem);
    assert.equal(res.status, 200, `GET /keys answered ${res.status}`);
  });

  it('gets an ARM token for the same account with a different audience (one resource per token)', async () => {
    const session = await vscode.authentication.getSession('microsoft', [armScope], { createIfNone: true });
    const claims = jwtPayload(session.accessToken);
    assert.equal(claims.aud, 'https://management.azure.com/');
    assert.notEqual(claims.aud, jwtPayload(hsmToken).aud);
    assert.equal(claims.oid, jwtPayload(hsmToken).oid);
  });

  it('gets further resources silently once signed in', async () => {
    const session = await vscode.authentication.getSession('microsoft', ['https://graph.microsoft.com/.default'], { silent: true });
    assert.ok(session, 'no silent session after sign-in');
    assert.equal(jwtPayload(session.accessToken).aud, 'https://graph.microsoft.com');
  });

  it('honours VSCODE_TENANT and echoes the requested scopes', async () => {
    const { endpoints } = sandboxEndpoints();
    const scopes = [hsmScope, `VSCODE_TENANT:${endpoints.tenantId}`];
    const session = await vscode.authentication.getSession('microsoft', scopes, { createIfNone: true });
    assert.deepEqual(session.scopes, scopes);
    assert.equal(jwtPayload(session.accessToken).tid, endpoints.tenantId);
  });

  it('answers a silent request for an unknown tenant with no session, as the built-in provider does', async () => {
    assert.equal(await vscode.authentication.getSession('microsoft', [armScope, 'VSCODE_TENANT:no-such-tenant.example'], { silent: true }), undefined);
  });
});
