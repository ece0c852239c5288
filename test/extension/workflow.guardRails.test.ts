import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KeyRemovalResult } from '../../src/commands/setup/keyRemoval';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { getKeyManagement, listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { SecretServerSession } from '../../src/secretServer/session';
import type { ExtensionApi } from '../../src/extension';
import { explorerApi, signedIn } from './explorerApi';
import { installScriptedUi, ScriptedUi } from './scriptedSetupUi';
import { hsmOf, world, type World } from './sandboxWorld';
import { keyRoleAssignmentRows, keyRow, versionRows } from './setupTree';
import { sandboxEndpoints } from './sandboxConfig';

// Guard rails: with a connected Secret Server that protects its master key with
// 'secret-server-key' and signs in as the seeded 'Secret Server key management' app, every
// destructive action on those objects states the consequence and waits for the typed name, and a
// cancelled one leaves the sandbox untouched; objects nobody uses get a plain confirmation.

const hsmName = 'contoso-mhsm-eus';
const inUseKey = 'secret-server-key';
const consequence = /Secret Server will be unable to decrypt any secret/;

/** What the guarded commands could change in the HSM. */
function hsmState(w: World): string {
  const h = hsmOf(w, hsmName);
  return JSON.stringify([h.keys, h.deletedKeys, h.roleAssignments]);
}

describe('Guard rails on destructive actions in a real extension host', () => {
  let api: ExtensionApi;
  let ui: ScriptedUi;

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
    const { endpoints: e, caPem } = sandboxEndpoints();
    const admin = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    // Secret Server is configured directly (as its administrator would), then connected.
    const session = new SecretServerSession({ url: e.secretServer.url, username: admin.username, caPem, credentials: { getPassword: async () => admin.password } });
    const type = findKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm');
    assert.ok(type);
    const hsm = e.hsms.find((h) => h.name === hsmName)!;
    const current = await getKeyManagement(session);
    const keyUrl = `${hsm.uri.replace(/\/$/, '')}/keys/${inUseKey}`;
    if (current.azureManagedHsm.keyUrl !== keyUrl || current.azureManagedHsm.principalId !== e.expiringApp.clientId) {
      await updateKeyManagement(session, { type, azureManagedHsm: { tenantId: e.tenantId, principalId: e.expiringApp.clientId, principalSecret: e.expiringApp.clientSecret, keyUrl } });
    }
    await api.addSecretServerConnection({ url: e.secretServer.url, username: admin.username, password: admin.password });
  });

  beforeEach(async () => {
    ui = new ScriptedUi();
    await installScriptedUi(api, ui);
  });

  afterEach(() => ui.assertDone());

  after(async () => {
    await installScriptedUi(api, undefined);
    for (const c of api.connections.list()) await api.connections.remove(c);
    api.secretServer.refresh();
  });

  /** Answers the typed-name gate by pressing Escape, after checking what it says. */
  const cancelAtTypedName = (name: string) => ({
    input: undefined,
    checkInput: (o: { prompt: string; validate?: (v: string) => string | undefined }) => {
      assert.match(o.prompt, consequence);
      assert.match(o.prompt, new RegExp(`Type '${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`));
      assert.ok(o.validate?.(`${name}x`), 'anything but the exact name is refused');
      assert.equal(o.validate?.(name), undefined);
    },
  });

  it('deleting the key Secret Server uses requires its name typed after the consequence; Escape deletes nothing', async () => {
    const before = hsmState(await world());
    const key = await keyRow(api, hsmName, inUseKey);
    ui.script(cancelAtTypedName(inUseKey));
    assert.equal(await vscode.commands.executeCommand('mhsm.deleteKey', key.node), undefined);
    assert.ok(hsmState(await world()) === before, 'the HSM changed');
  });

  it('disabling a version of that key is gated the same way; Escape changes nothing', async () => {
    const before = hsmState(await world());
    const key = await keyRow(api, hsmName, inUseKey);
    const [version] = await versionRows(api, key);
    ui.script(cancelAtTypedName(inUseKey));
    await vscode.commands.executeCommand('mhsm.disableKeyVersion', version.node);
    ui.script({ input: '2037-01-01' }, cancelAtTypedName(inUseKey));
    await vscode.commands.executeCommand('mhsm.setKeyVersionExpiry', version.node);
    assert.ok(hsmState(await world()) === before, 'the HSM changed');
  });

  it("removing the app's Crypto User assignment on that key is gated; Escape removes nothing", async () => {
    const { endpoints: e } = sandboxEndpoints();
    const before = JSON.stringify(hsmOf(await world(), hsmName).roleAssignments);
    const key = await keyRow(api, hsmName, inUseKey);
    const sp = (await world()).servicePrincipals.find((s) => s.appId === e.expiringApp.clientId)!;
    const row = (await keyRoleAssignmentRows(api, key)).find((r) => r.tooltip.includes(sp.id) && r.tooltip.includes(`/keys/${inUseKey}`));
    assert.ok(row, "the app's assignment is listed under the key");
    ui.script(cancelAtTypedName(`/keys/${inUseKey}`));
    await vscode.commands.executeCommand('mhsm.deleteRoleAssignment', row.node);
    assert.ok(JSON.stringify(hsmOf(await world(), hsmName).roleAssignments) === before, 'the role assignments changed');
  });

  it("removing a client secret of, or deleting, the app Secret Server signs in as is gated; Escape changes nothing", async () => {
    const { endpoints: e } = sandboxEndpoints();
    const app = () => world().then((w) => JSON.stringify(w.applications.find((a) => a.appId === e.expiringApp.clientId)));
    const before = await app();
    assert.ok(before);
    // The admin reaches two tenants (Fabrikam requires MFA): the commands ask which one first.
    ui.script({ pick: 'Contoso (sandbox)' }, { input: e.expiringApp.displayName.slice(0, 20) }, { pick: e.expiringApp.displayName }, { pick: /secret-server/ }, cancelAtTypedName('secret-server'));
    await vscode.commands.executeCommand('mhsm.removeClientSecret');
    ui.script({ pick: 'Contoso (sandbox)' }, { input: e.expiringApp.displayName }, { pick: e.expiringApp.displayName }, cancelAtTypedName(e.expiringApp.displayName));
    await vscode.commands.executeCommand('mhsm.deleteAppRegistration');
    assert.ok((await app()) === before, 'the app registration changed');
  });

  it('objects nobody uses get a plain confirmation: dismissing keeps the key, confirming deletes it', async () => {
    const key = await keyRow(api, hsmName, 'aes128-key');
    ui.script({
      confirm: undefined,
      checkConfirm: (message, detail, buttons) => {
        assert.match(message, /Delete key 'aes128-key'/);
        assert.match(detail ?? '', /recoverable for 90 days/);
        assert.deepEqual(buttons, ['Delete']);
      },
    });
    await vscode.commands.executeCommand('mhsm.deleteKey', key.node);
    assert.ok(hsmOf(await world(), hsmName).keys.some((k) => k.name === 'aes128-key'));
    ui.script({ confirm: 'Delete' });
    const removed = (await vscode.commands.executeCommand<KeyRemovalResult>('mhsm.deleteKey', key.node))!;
    assert.equal(removed.inUse, false);
    const hsm = hsmOf(await world(), hsmName);
    assert.ok(!hsm.keys.some((k) => k.name === 'aes128-key'));
    assert.ok(hsm.deletedKeys.some((d) => d.key.name === 'aes128-key'), 'soft-deleted, so still recoverable');
  });

  it('purging is refused with the reason on an HSM with purge protection', async () => {
    const before = JSON.stringify(hsmOf(await world(), hsmName).deletedKeys);
    const key = await keyRow(api, hsmName, inUseKey);
    assert.equal(await vscode.commands.executeCommand('mhsm.purgeDeletedKey', key.node, 'aes128-key'), undefined);
    assert.deepEqual(ui.prompts, [], 'refused before asking anything');
    assert.ok(JSON.stringify(hsmOf(await world(), hsmName).deletedKeys) === before, 'the deleted keys changed');
  });

  it('typing the exact name goes ahead even for the key in use', async () => {
    const key = await keyRow(api, hsmName, inUseKey);
    ui.script({ input: inUseKey });
    const removed = (await vscode.commands.executeCommand<KeyRemovalResult>('mhsm.deleteKey', key.node))!;
    assert.equal(removed.inUse, true);
    assert.ok(hsmOf(await world(), hsmName).deletedKeys.some((d) => d.key.name === inUseKey));
  });
});
