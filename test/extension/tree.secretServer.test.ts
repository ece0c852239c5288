import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { SecretServerSession } from '../../src/secretServer/session';
import { child, childRows, explorerApi, signedIn, type Row } from './explorerApi';
import { oneTimeCode } from '../support/oneTimeCode';
import { sandboxEndpoints } from './sandboxConfig';

// The Secret Server view against the sandbox's emulated Secret Server: add a connection (the
// password goes to SecretStorage), read its key management, then switch it to the sandbox's HSM
// key and see the key resolved to its HSM and the app registration's client secret.

interface ConnectionNodeLike {
  connection: { id: string; url: string; username: string };
}

describe('Secret Server view in a real extension host', () => {
  let api: ExtensionApi;
  let connection: Row;

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
  });

  it('is empty (the welcome shows "Add Secret Server Connection…") before a connection is added', async () => {
    assert.deepEqual(await childRows(api.secretServer), []);
  });

  it('refuses a wrong password and keeps no connection', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const admin = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    await assert.rejects(api.addSecretServerConnection({ url: e.secretServer.url, username: admin.username, password: 'not-the-password' }), (err: Error) => {
      assert.match(err.message, /Signing in to Secret Server as .* failed/);
      assert.doesNotMatch(err.message, /not-the-password/);
      return true;
    });
    assert.deepEqual(await childRows(api.secretServer), []);
  });

  it('adds a connection and shows its key management state', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const admin = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    await api.addSecretServerConnection({ url: e.secretServer.url, username: admin.username, password: admin.password });
    const roots = await childRows(api.secretServer);
    assert.equal(roots.length, 1);
    connection = roots[0];
    assert.equal(connection.label, new URL(e.secretServer.url).host);
    assert.equal(connection.description, admin.username);
    assert.equal(connection.contextValue, 'mhsm.ssConnection');
    const rows = await childRows(api.secretServer, connection.node);
    assert.deepEqual(rows.map((r) => [r.label, r.description]).slice(0, 1), [['Key management', 'None']]);
    assert.ok(rows.some((r) => r.label === 'Secret key rotation'), rows.map((r) => r.label).join(', '));
    assert.deepEqual(rows.find((r) => r.label === 'Maintenance (read-only) mode')?.description, 'off');
  });

  it('shows the Azure Managed HSM key resolved to its HSM and version, and the app registration with its client secret', async () => {
    const { endpoints: e, caPem } = sandboxEndpoints();
    const admin = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    const hsm = e.hsms.find((h) => h.name === 'contoso-mhsm-eus')!;
    // Configure Secret Server as an administrator would (the extension's own form is a later issue).
    const session = new SecretServerSession({ url: e.secretServer.url, username: admin.username, caPem, credentials: { getPassword: async () => admin.password } });
    const type = findKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm');
    assert.ok(type, 'the sandbox offers Azure Managed HSM');
    const keyUrl = `${hsm.uri.replace(/\/$/, '')}/keys/secret-server-key`;
    await updateKeyManagement(session, { type, azureManagedHsm: { tenantId: e.tenantId, principalId: e.expiringApp.clientId, principalSecret: e.expiringApp.clientSecret, keyUrl } });

    await vscode.commands.executeCommand('mhsm.refresh', connection.node);
    const rows = await childRows(api.secretServer, connection.node);
    const byLabel = new Map(rows.map((r) => [r.label, r]));
    assert.equal(byLabel.get('Key management')?.description, 'Azure Managed HSM');
    assert.match(byLabel.get('Key')?.description ?? '', /^contoso-mhsm-eus \/ secret-server-key · latest \([0-9a-f]{32}\)$/);
    const app = byLabel.get('App registration');
    assert.equal(app?.description, `${e.expiringApp.displayName} (${e.expiringApp.clientId})`);
    const secrets = await childRows(api.secretServer, app!.node);
    assert.equal(secrets.length, 1);
    assert.equal(secrets[0].label, 'secret-server');
    assert.match(secrets[0].description, /^expires \d{4}-\d{2}-\d{2} \(in [45] days\)$/);
    assert.match(byLabel.get('Secret key rotation')?.description ?? '', /^(pending|running|succeeded|ended)/);
    assert.ok(byLabel.has('Maintenance (read-only) mode'));
    assert.ok(rows.every((r) => !r.description.includes(e.expiringApp.clientSecret) && !r.tooltip.includes(e.expiringApp.clientSecret)), 'no secret in the tree');

    await vscode.commands.executeCommand('mhsm.copyClientId', app!.node);
    assert.equal(await vscode.env.clipboard.readText(), e.expiringApp.clientId);
  });

  it('asks for a one-time code when the account uses two-factor authentication', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const officer = e.secretServer.users.find((u) => u.otpSecret);
    assert.ok(officer?.otpSecret, 'the sandbox has a two-factor user');
    let asked = 0;
    await api.addSecretServerConnection({
      url: e.secretServer.url,
      username: officer.username,
      password: officer.password,
      askOtp: async () => {
        asked++;
        return oneTimeCode(officer.otpSecret!);
      },
    });
    assert.equal(asked, 1);
    const roots = await childRows(api.secretServer);
    assert.deepEqual(roots.map((r) => r.description).sort(), [e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!.username, officer.username].sort());
  });

  it('signs out (the connection stays, offering sign-in) and removes a connection', async () => {
    await vscode.commands.executeCommand('mhsm.signOutSecretServer', connection.node);
    const signedOut = await child(api.secretServer, undefined, connection.label);
    const rows = await childRows(api.secretServer, signedOut.node);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].label, 'Sign in to Secret Server…');
    assert.equal(rows[0].contextValue, 'mhsm.error;authentication');

    // The remove command confirms in a modal dialog, which extension-host tests cannot answer;
    // the store it uses is removed from directly.
    const roots = await childRows(api.secretServer);
    const target = (roots[roots.length - 1].node as unknown as ConnectionNodeLike).connection;
    await api.connections.remove(target);
    api.secretServer.refresh();
    const left = await childRows(api.secretServer);
    assert.equal(left.length, roots.length - 1);
    assert.ok(!left.some((r) => r.description === target.username));
  });
});
