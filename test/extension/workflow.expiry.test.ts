import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { appPath, clientSecretPath, hsmPath, keyPath, keyVersionPath, secretServerPath } from '../../src/core/expiry/expiryPath';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/treeNode';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { getKeyManagement, listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { SecretServerSession } from '../../src/secretServer/session';
import { child, childRows, explorerApi, signedIn, type Row } from './explorerApi';
import { world } from './sandboxWorld';
import { sandboxEndpoints } from './sandboxConfig';

// The expiry watch in the running extension: a Secret Server whose key management signs in with
// the seeded app, whose only client secret expires five days after seeding, shows critical in the
// status bar, on its tree rows (decorations propagate to the connection) and inline in a workspace
// file that mentions the app's client id.

interface ConnectionNodeLike {
  connection: { id: string };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The key's row, pressing "Load more…" until its page is loaded. */
async function keyRow(api: ExtensionApi, keysFolder: TreeNode, name: string): Promise<Row> {
  for (let page = 0; page < 10; page++) {
    const rows = await childRows(api.azure, keysFolder);
    const found = rows.find((r) => r.label === name);
    if (found) return found;
    const more = rows.find((r) => r.contextValue === 'mhsm.loadMore');
    if (!more) break;
    await vscode.commands.executeCommand('mhsm.loadMore', more.node);
  }
  throw new Error(`no key ${name} in the listing`);
}

describe('Expiry watch in a real extension host', () => {
  let api: ExtensionApi;
  let connection: Row;
  let fileUri: vscode.Uri | undefined;

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
    const { endpoints: e, caPem } = sandboxEndpoints();
    const admin = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    const hsm = e.hsms.find((h) => h.name === 'contoso-mhsm-eus')!;
    // Secret Server configured by its administrator to wrap with the HSM key, signing in as the
    // seeded app (Crypto User on /keys/secret-server-key).
    const session = new SecretServerSession({ url: e.secretServer.url, username: admin.username, caPem, credentials: { getPassword: async () => admin.password } });
    const type = findKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm');
    assert.ok(type, 'the sandbox offers Azure Managed HSM');
    const keyUrl = `${hsm.uri.replace(/\/$/, '')}/keys/secret-server-key`;
    // Unchanged when an earlier suite left it so (a save would start another rotation).
    const current = await getKeyManagement(session);
    if (current.azureManagedHsm.keyUrl !== keyUrl || current.azureManagedHsm.principalId !== e.expiringApp.clientId) {
      await updateKeyManagement(session, { type, azureManagedHsm: { tenantId: e.tenantId, principalId: e.expiringApp.clientId, principalSecret: e.expiringApp.clientSecret, keyUrl } });
    }

    await api.addSecretServerConnection({ url: e.secretServer.url, username: admin.username, password: admin.password });
    connection = (await childRows(api.secretServer)).find((r) => r.description === admin.username)!;
    assert.ok(connection, 'the connection is listed');
    await vscode.commands.executeCommand('mhsm.refresh', connection.node);
    await childRows(api.secretServer, connection.node);
  });

  after(async () => {
    if (fileUri) await vscode.workspace.fs.delete(fileUri).then(undefined, () => undefined);
  });

  it('shows the client secret five days from expiry as critical in the status bar', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const status = await until('the status bar item', () => api.expiry.statusBar());
    assert.match(status.text, /^\$\(error\) \d+ expiry warnings?$/);
    assert.match(status.tooltip, new RegExp(`${e.expiringApp.displayName}.*${e.expiringApp.clientId}.*used by Secret Server expires in [45] days`));
    assert.equal(api.expiry.snapshot().overall.severity, 'critical');
    assert.ok(!status.tooltip.includes(e.expiringApp.clientSecret), 'no secret in the status bar');
  });

  it('notifies about the critical client secret once, naming the app and the days left', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const shown = await until('an expiry notification', () => api.expiry.notifications().find((t) => t.includes(e.expiringApp.clientId)));
    assert.match(shown, /expires in [45] days/);
    assert.ok(!shown.includes(e.expiringApp.clientSecret), 'no secret in the notification');
  });

  it('shows Secret Server healthy and the secret row as "expires … (in 4–5 days)" in the Secret Server view', async () => {
    const rows = await childRows(api.secretServer, connection.node);
    const health = rows.find((r) => r.label === 'Health');
    assert.ok(health, `a Health row among ${rows.map((r) => r.label).join(', ')}`);
    assert.equal(health.description, 'healthy');
    const app = rows.find((r) => r.label === 'App registration')!;
    const secrets = await childRows(api.secretServer, app.node);
    assert.match(String(secrets[0].description), /^expires \d{4}-\d{2}-\d{2} \(in [45] days\)$/);
    assert.equal(secrets[0].contextValue, 'mhsm.ssClientSecret');
  });

  it('decorates the secret, its app and the Secret Server connection as critical', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const secretKeyId = (await world()).applications.find((a) => a.appId === e.expiringApp.clientId)!.passwordCredentials[0].keyId;
    const connectionId = (connection.node as unknown as ConnectionNodeLike).connection.id;
    for (const path of [clientSecretPath(e.expiringApp.clientId, secretKeyId), appPath(e.expiringApp.clientId), secretServerPath(connectionId)]) {
      const decoration = api.expiry.decoration(path);
      assert.equal(decoration?.badge, '!', `critical badge on ${path}`);
      // ThemeColor.id exists at run time; its type arrived after the oldest @types/vscode we compile against.
      assert.equal((decoration?.color as { id?: string } | undefined)?.id, 'list.errorForeground');
    }
    // The tree rows carry the URIs the decorations are keyed by.
    assert.equal(connection.item.resourceUri?.scheme, 'mhsm-expiry');
    assert.equal(connection.item.resourceUri?.path, secretServerPath(connectionId));
    const app = (await childRows(api.secretServer, connection.node)).find((r) => r.label === 'App registration')!;
    const secrets = await childRows(api.secretServer, app.node);
    assert.equal(secrets[0].item.resourceUri?.path, clientSecretPath(e.expiringApp.clientId, secretKeyId));
  });

  it('watches key versions as the Azure view loads them: a version 10 days from expiry warns on it, its key and its HSM', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const hsm = e.hsms.find((h) => h.name === 'contoso-mhsm-eus')!;
    const tenant = await child(api.azure, undefined, 'Contoso (sandbox)');
    const subscription = await child(api.azure, tenant.node, 'Contoso Sandbox Subscription');
    const eus = await child(api.azure, subscription.node, 'contoso-mhsm-eus');
    assert.equal(eus.item.resourceUri?.path, hsmPath(hsm.uri));
    const keysFolder = await child(api.azure, eus.node, 'Keys');
    const expiring = await keyRow(api, keysFolder.node, 'expiring-key');
    assert.equal(expiring.item.resourceUri?.path, keyPath(hsm.uri, 'expiring-key'));
    const versions = await childRows(api.azure, (await child(api.azure, expiring.node, 'Versions')).node);
    const newest = versions[0];
    assert.equal(newest.item.resourceUri?.path, keyVersionPath(hsm.uri, 'expiring-key', newest.label));
    for (const path of [keyVersionPath(hsm.uri, 'expiring-key', newest.label), keyPath(hsm.uri, 'expiring-key')]) {
      assert.equal(api.expiry.decoration(path)?.badge, '⚠', `warning badge on ${path}`);
    }
    // The older version never expires; the HSM shows the worst below it (at least this warning).
    assert.equal(api.expiry.decoration(keyVersionPath(hsm.uri, 'expiring-key', versions[1].label)), undefined);
    assert.ok(api.expiry.decoration(hsmPath(hsm.uri))?.badge, 'the HSM carries a badge');

    // The version Secret Server uses is linked to the connection.
    const ss = await keyRow(api, keysFolder.node, 'secret-server-key');
    const ssVersions = await childRows(api.azure, (await child(api.azure, ss.node, 'Versions')).node);
    const connectionId = (connection.node as unknown as ConnectionNodeLike).connection.id;
    const used = api.expiry.snapshot().assessments.find((a) => a.path === keyVersionPath(hsm.uri, 'secret-server-key', ssVersions[0].label));
    assert.ok(used?.item.usedBySecretServer.includes(connectionId), 'the newest secret-server-key version is used by the connection');
  });

  it('marks the app client id in a workspace file with a diagnostic at its range', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    fileUri = vscode.Uri.joinPath(folder.uri, 'expiry-watch-fixture.json');
    const text = `{\n  "secretServer": {\n    "clientId": "${e.expiringApp.clientId}"\n  }\n}\n`;
    await vscode.workspace.fs.writeFile(fileUri, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fileUri));
    const diagnostics = await until('a diagnostic on the client id', () => {
      const found = vscode.languages.getDiagnostics(fileUri!).filter((d) => d.source === 'Managed HSM expiry');
      return found.length ? found : undefined;
    });
    assert.equal(diagnostics.length, 1);
    const d = diagnostics[0];
    const column = text.split('\n')[2].indexOf(e.expiringApp.clientId);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [2, column, 2, column + e.expiringApp.clientId.length]);
    assert.ok(d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning, `severity ${d.severity}`);
    assert.match(d.message, /expires in [45] days/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
