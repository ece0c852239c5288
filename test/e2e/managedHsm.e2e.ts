import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { testWorkspace } from '../../scripts/vscode/testWorkspace';
import { openViewContainer } from './support/activityBar';
import { answerModal } from './support/modalDialog';
import { notificationCenterMessages, waitForToast } from './support/notifications';
import { answerFileDialog, answerInputBox, answerQuickPick, quickInputContaining, quickPickLabels } from './support/quickInput';
import { world as sandboxWorld } from './support/sandboxWorld';
import { row as treeRow, runContextMenu, welcomeButton, widenSideBar } from './support/sideBar';
import { eventually } from './support/eventually';
import { expand, treeItemDescription, treeView } from './support/tree';
import { startWorkbench, type Workbench } from './support/workbench';

// A new administrator's first Managed HSM, in VS Code in the browser: connect Secret Server and
// say which Azure region it runs in, create the HSM from the subscription in that region, activate
// it (three generated key pairs, quorum two, saved outside the workspace), create Secret Server's
// key in it and check readiness. Files on disk and the sandbox's state are checked as well as the
// UI. The screenshots hsm-*.png land in test-results/screenshots/ for the README.

interface SandboxFile {
  hsms: { name: string; resourceGroup: string }[];
  secretServer: { url: string; region: string; users: { username: string; password: string; otpSecret?: string; canManageKeys: boolean }[] };
}

interface WorldHsm {
  name: string;
  location: string;
  activated: boolean;
  provisioningState: string;
  enableSoftDelete: boolean;
  softDeleteRetentionInDays: number;
  enablePurgeProtection: boolean;
  keys: { name: string; kty?: string }[];
  roleAssignments: { scope: string; principalId: string; roleDefinitionId: string }[];
  securityDomainDownload?: { required?: number; certificateCount?: number; certificates?: unknown[] };
}

const hsmName = 'contoso-mhsm-e2e';
const keyName = 'secret-server-key';

describe('Managed HSM: create and activate one for Secret Server in VS Code in Chromium', function () {
  let wb: Workbench;
  let sandbox: SandboxFile;
  let azure: Locator;
  let saveDir: string;
  let reportFile: string | undefined;

  const world = async (): Promise<WorldHsm> => {
    const hsm = ((await sandboxWorld(wb.sandbox.endpointsFile)) as unknown as { hsms: WorldHsm[] }).hsms.find((h) => h.name === hsmName);
    assert.ok(hsm, `The sandbox has no HSM ${hsmName}.`);
    return hsm;
  };

  before(async () => {
    wb = await startWorkbench({ settings: { 'workbench.tree.expandMode': 'doubleClick' } });
    sandbox = JSON.parse(fs.readFileSync(wb.sandbox.endpointsFile, 'utf8')) as SandboxFile;
    azure = treeView(wb.page, 'Azure');
    // Outside the workspace, as the command proposes: private keys must not land in source control.
    saveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-e2e-security-domain-'));
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !wb) return;
    await wb.screenshot(`failed-hsm-${this.currentTest.title}`);
    // What the extension said (errors included) explains most failures; messages hold no secrets.
    const messages = await notificationCenterMessages(wb.page).catch((err: unknown) => [`(notifications unreadable: ${String(err)})`]);
    console.log(`Notifications:\n  ${messages.join('\n  ')}`);
    await wb.page.keyboard.press('Escape');
  });

  after(async () => {
    await wb?.close();
    if (saveDir) fs.rmSync(saveDir, { recursive: true, force: true });
    if (reportFile) fs.rmSync(reportFile, { force: true });
  });

  it('signs in, adds the Secret Server connection and sets its Azure region', async () => {
    await openViewContainer(wb.page, 'Managed HSM');
    await widenSideBar(wb.page, 620);
    await (await welcomeButton(wb.page, 'Sign in to Azure…')).click();
    assert.match(await answerModal(wb.page, 'Allow'), /wants to sign in/);
    await treeRow(azure, 'Contoso Sandbox Subscription', 60_000);

    const admin = sandbox.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    await (await welcomeButton(wb.page, 'Add Secret Server Connection…')).click();
    await answerInputBox(wb.page, '(1/3)', undefined);
    await answerInputBox(wb.page, '(2/3)', admin.username);
    await answerInputBox(wb.page, '(3/3)', admin.password);
    const ssTree = treeView(wb.page, 'Secret Server');
    const host = new URL(sandbox.secretServer.url).host;
    const connection = await treeRow(ssTree, host);
    assert.equal(await treeItemDescription(connection), admin.username);

    await runContextMenu(connection, 'Set Azure Region…');
    await answerQuickPick(wb.page, `Azure region of ${host}`, sandbox.secretServer.region);
    await eventually(async () => assert.equal(await treeItemDescription(await treeRow(ssTree, host)), `${admin.username} · ${sandbox.secretServer.region}`), 15_000);
    await wb.screenshot('hsm-secret-server-region');
  });

  it("creates the HSM from the subscription's context menu in the Secret Server's region", async () => {
    await runContextMenu(await treeRow(azure, 'Contoso Sandbox Subscription'), 'Create Managed HSM…');
    await answerInputBox(wb.page, 'Create Managed HSM (1/6)', hsmName, 60_000);
    await answerQuickPick(wb.page, 'Create Managed HSM (2/6)', sandbox.hsms[0]!.resourceGroup);
    const regions = quickInputContaining(wb.page, 'Create Managed HSM (3/6)');
    await regions.waitFor({ state: 'visible', timeout: 15_000 });
    // The region list starts with the Secret Server's region, marked as such.
    const first = regions.locator('.monaco-list-row').first();
    await eventually(async () => assert.equal((await quickPickLabels(regions))[0], sandbox.secretServer.region), 10_000);
    assert.match((await first.textContent()) ?? '', /the Secret Server's region/);
    await wb.screenshot('hsm-create-region');
    await answerQuickPick(wb.page, 'Create Managed HSM (3/6)', undefined, sandbox.secretServer.region);
    await answerInputBox(wb.page, 'Create Managed HSM (4/6)', undefined);
    await answerQuickPick(wb.page, 'Create Managed HSM (5/6)', undefined, 'Purge protection on');
    await answerQuickPick(wb.page, 'Create Managed HSM (6/6)', undefined, 'Enabled');

    await waitForToast(wb.page, `Managed HSM ${hsmName} was created in ${sandbox.secretServer.region}`, 90_000);
    await expand(await treeRow(azure, 'Contoso Sandbox Subscription'));
    const row = await treeRow(azure, hsmName, 30_000);
    assert.equal(await treeItemDescription(row), `${sandbox.secretServer.region} · not activated`);
    await wb.screenshot('hsm-created-not-activated');

    const hsm = await world();
    assert.equal(hsm.location, sandbox.secretServer.region);
    assert.equal(hsm.provisioningState, 'Succeeded');
    assert.equal(hsm.activated, false);
    assert.equal(hsm.enableSoftDelete, true);
    assert.equal(hsm.enablePurgeProtection, true);
  });

  it('activates it with three generated key pairs and a quorum of two, saved outside the workspace', async () => {
    await runContextMenu(await treeRow(azure, hsmName), 'Activate Managed HSM (Download Security Domain)…');
    assert.match(await answerModal(wb.page, 'Continue'), /cannot be recovered/);
    await answerQuickPick(wb.page, 'number of key pairs (N)', '3');
    await answerQuickPick(wb.page, 'quorum (M of 3)', '2');
    await answerQuickPick(wb.page, 'Security domain key pairs', 'Generate 3 new key pairs');
    await answerFileDialog(wb.page, /Where to save the private keys/, `${saveDir}/`, 'Save Here', 60_000);
    const custody = await answerModal(wb.page, 'Save and Activate');
    assert.match(custody, /Save 3 private keys and the security domain/);
    assert.match(custody, /2 of the 3 private keys/);
    assert.match(await answerModal(wb.page, 'Assign Crypto User to Me', 90_000), /Administrator does not include creating or using keys/);
    await waitForToast(wb.page, `${hsmName} is activated`, 60_000);
    await eventually(async () => assert.equal(await treeItemDescription(await treeRow(azure, hsmName)), sandbox.secretServer.region), 30_000);
    await wb.screenshot('hsm-activated');

    const files = fs.readdirSync(saveDir).sort();
    const keys = files.filter((f) => f.endsWith('.key'));
    const certs = files.filter((f) => f.endsWith('.cer'));
    assert.equal(keys.length, 3, files.join(', '));
    assert.equal(certs.length, 3, files.join(', '));
    for (const k of keys) {
      const file = path.join(saveDir, k);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, `${k} is not owner-only`);
      assert.match(fs.readFileSync(file, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    }
    const sdFile = path.join(saveDir, `${hsmName}-SecurityDomain.json`);
    assert.ok(files.includes(path.basename(sdFile)), files.join(', '));
    assert.equal(fs.statSync(sdFile).mode & 0o777, 0o600);
    const sd = JSON.parse(fs.readFileSync(sdFile, 'utf8')) as Record<string, unknown>;
    assert.ok(Object.keys(sd).length > 0);

    const hsm = await world();
    assert.equal(hsm.activated, true);
    assert.ok(hsm.roleAssignments.some((a) => a.scope === '/keys' && a.roleDefinitionId.toLowerCase().endsWith('21dbd100-6940-42c2-9190-5d6cb909625b')), JSON.stringify(hsm.roleAssignments));
  });

  it('creates the key for Secret Server in the activated HSM', async () => {
    await runContextMenu(await treeRow(azure, hsmName), 'Create Key for Secret Server…');
    await answerInputBox(wb.page, 'Create key for Secret Server', keyName);
    await waitForToast(wb.page, `Created key '${keyName}' in ${hsmName}`, 60_000);
    await expand(await treeRow(azure, hsmName));
    await expand(await treeRow(azure, 'Keys'));
    await eventually(async () => assert.match(await treeItemDescription(await treeRow(azure, keyName)), /^✓ Secret Server compatible/), 20_000);
    const hsm = await world();
    assert.ok(hsm.keys.some((k) => k.name === keyName), JSON.stringify(hsm.keys.map((k) => k.name)));
  });

  it("passes the readiness check's HSM rules for the key and reminds about full backups", async () => {
    await runContextMenu(await treeRow(azure, keyName), 'Check Secret Server Readiness');
    await answerQuickPick(wb.page, 'Check Secret Server readiness: app registration', 'Check the key and HSM only', undefined, 60_000);
    const done = quickInputContaining(wb.page, `Readiness of '${keyName}'`);
    await done.waitFor({ state: 'visible', timeout: 90_000 });
    // Saved where the dialog proposes (the workspace folder, under the suggested name); removed in after().
    const saved = path.join(testWorkspace, `readiness-${hsmName}-${keyName}.md`);
    reportFile = saved;
    await answerQuickPick(wb.page, `Readiness of '${keyName}'`, 'Save as Markdown', undefined);
    await answerFileDialog(wb.page, 'Save readiness report', undefined, 'Save');
    await eventually(async () => assert.ok(fs.existsSync(saved), `${saved} was not written`), 15_000);
    await answerQuickPick(wb.page, `Readiness of '${keyName}'`, 'Done', undefined, 30_000);
    // The report stays open (as a Markdown preview) next to the tree.
    await wb.page.locator('.tabs-container .tab').filter({ hasText: `readiness-${hsmName}-${keyName}` }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.screenshot('hsm-readiness');

    const report = fs.readFileSync(saved, 'utf8');
    for (const title of ['HSM is activated', 'Soft delete is on', 'Purge protection is on', 'HSM is in the Secret Server region']) {
      assert.ok(report.includes(`- ✓ **${title}**`), `${title} did not pass:\n${report}`);
    }
    assert.match(report, /- ℹ \*\*HSM is backed up\*\* — Reminder .*full HSM backups/);
    assert.match(report, new RegExp(`The HSM is in ${sandbox.secretServer.region}, the same region as Secret Server`));
  });
});
