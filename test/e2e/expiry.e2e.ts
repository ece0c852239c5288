import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { openViewContainer } from './support/activityBar';
import { openFile } from './support/commandPalette';
import { editorText, hoverUntil } from './support/editorHover';
import { eventually } from './support/eventually';
import { notificationMessage, waitForToast } from './support/notifications';
import { treeItemDescription, treeItems, treeView } from './support/tree';
import { startWorkbench, type Workbench } from './support/workbench';
import { testWorkspace } from '../../scripts/vscode/testWorkspace';
import { answerModal } from './support/modalDialog';
import { answerInputBox } from './support/quickInput';
import { welcomeButton } from './support/sideBar';
import { listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { SecretServerSession } from '../../src/secretServer/session';

// The expiry watch as a person sees it in VS Code in Chromium: a Secret Server whose client secret
// expires in five days shows a critical status bar item, a notification, a decorated connection
// in the Secret Server view and an inline diagnostic on the app's client id in a workspace file.
// Screenshots expiry-*.png land in test-results/screenshots/ for the README.

interface SandboxFile {
  ca: string;
  tenantId: string;
  hsms: { name: string; uri: string }[];
  expiringApp: { clientId: string; clientSecret: string; displayName: string };
  secretServer: { url: string; users: { username: string; password: string; otpSecret?: string; canManageKeys: boolean }[] };
}

const fixtureName = 'expiry-e2e-fixture.json';
const fixture = path.join(testWorkspace, fixtureName);

describe('Expiry warnings in VS Code in Chromium', function () {
  let wb: Workbench;
  let sandbox: SandboxFile;
  let ssTree: Locator;

  before(async () => {
    wb = await startWorkbench({ settings: { 'workbench.tree.expandMode': 'doubleClick' } });
    sandbox = JSON.parse(fs.readFileSync(wb.sandbox.endpointsFile, 'utf8')) as SandboxFile;
    ssTree = treeView(wb.page, 'Secret Server');
    fs.writeFileSync(fixture, `{\n  "secretServer": {\n    "clientId": "${sandbox.expiringApp.clientId}"\n  }\n}\n`);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-expiry-${this.currentTest.title}`);
  });

  after(async () => {
    fs.rmSync(fixture, { force: true });
    await wb?.close();
  });

  it('signs in and connects the Secret Server whose client secret expires in five days', async () => {
    const admin = sandbox.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    const session = new SecretServerSession({ url: sandbox.secretServer.url, username: admin.username, caPem: fs.readFileSync(sandbox.ca, 'utf8'), credentials: { getPassword: async () => admin.password } });
    const type = findKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm');
    assert.ok(type);
    const hsmUri = sandbox.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri.replace(/\/$/, '');
    await updateKeyManagement(session, {
      type,
      azureManagedHsm: { tenantId: sandbox.tenantId, principalId: sandbox.expiringApp.clientId, principalSecret: sandbox.expiringApp.clientSecret, keyUrl: `${hsmUri}/keys/secret-server-key` },
    });

    await openViewContainer(wb.page, 'Managed HSM');
    await (await welcomeButton(wb.page, 'Sign in to Azure…')).click();
    assert.match(await answerModal(wb.page, 'Allow'), /wants to sign in/);
    await (await welcomeButton(wb.page, 'Add Secret Server Connection…')).click();
    await answerInputBox(wb.page, '(1/3)', undefined);
    await answerInputBox(wb.page, '(2/3)', admin.username);
    await answerInputBox(wb.page, '(3/3)', admin.password);
    const connection = treeItems(ssTree, new URL(sandbox.secretServer.url).host).first();
    await connection.waitFor({ state: 'visible', timeout: 60_000 });
    await treeItems(ssTree, 'App registration').first().waitFor({ state: 'visible', timeout: 60_000 });
  });

  it('shows the critical state in the status bar', async () => {
    const item = wb.page.locator('.statusbar-item').filter({ hasText: /expiry warnings?/ }).first();
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match((await item.textContent()) ?? '', /\d+ expiry warnings?/);
    // The error icon marks critical (a warning would show the warning icon).
    assert.equal(await item.locator('.codicon-error').count(), 1);
    await wb.screenshot('expiry-status-bar');
  });

  it('notifies once with Renew…, Snooze and Don\'t show for this item', async () => {
    const t = await waitForToast(wb.page, new RegExp(sandbox.expiringApp.clientId), 60_000);
    assert.match(await notificationMessage(t), /expires in [45] days/);
    for (const button of ['Renew…', 'Snooze', "Don't show for this item"]) assert.equal(await t.getByRole('button', { name: button }).count(), 1, button);
    await wb.screenshot('expiry-notification');
  });

  it('decorates the connection and the secret in the Secret Server view', async () => {
    const secret = treeItems(ssTree, 'secret-server').first();
    await secret.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await treeItemDescription(secret), /^expires \d{4}-\d{2}-\d{2} \(in [45] days\)$/);
    // FileDecorations colour the label through a generated monaco-decoration class.
    await eventually(async () => {
      const classes = await secret.locator('.monaco-icon-label').first().getAttribute('class');
      assert.match(classes ?? '', /monaco-decoration-itemColor/);
    }, 30_000);
    const connection = treeItems(ssTree, new URL(sandbox.secretServer.url).host).first();
    assert.match((await connection.locator('.monaco-icon-label').first().getAttribute('class')) ?? '', /monaco-decoration-itemColor/);
    await wb.screenshot('expiry-tree');
  });

  it('marks the client id inline in a workspace file, with the expiry in the hover', async () => {
    await openFile(wb.page, fixtureName);
    const editor = wb.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout: 60_000 });
    // The CodeLens above the line moves it down when it arrives; point at the text once it is there.
    await editor.locator('.codelens-decoration').filter({ hasText: 'Renew client secret…' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    // VS Code fills one hover from several sources as each answers: the diagnostic's text first,
    // the extension's hover provider after it. Wait for the provider's part, then read both.
    const hover = await hoverUntil(wb.page, editor, editorText(editor, sandbox.expiringApp.clientId), new RegExp(`App registration\\s*${sandbox.expiringApp.clientId}`));
    assert.match((await hover.textContent()) ?? '', /expires in [45] days/);
    await wb.screenshot('expiry-diagnostic');
  });
});
