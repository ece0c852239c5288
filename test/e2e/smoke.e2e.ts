import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import nls from '../../package.nls.json';
import { activityBarItem, openViewContainer } from './support/activityBar';
import { readClipboard } from './support/clipboard';
import { runCommand } from './support/commandPalette';
import { eventually } from './support/eventually';
import { answerModal } from './support/modalDialog';
import { hsmOf, world } from './support/sandboxWorld';
import { row, scrollTo, welcomeButton } from './support/sideBar';
import { contextMenu, expand, treeView } from './support/tree';
import { StepChain } from './support/stepChain';
import { startWorkbench, type Workbench } from './support/workbench';

// The first minute of a new user, as a quick check that the product works in a real VS Code at
// all: the extension is installed, its side bar opens with its welcome buttons, signing in lists
// the tenant's Managed HSM and its keys from Azure, a context-menu command copies a key's
// identifier, and its log is in the Output panel. Each test builds on the one before it.

const hsmName = 'contoso-mhsm-eus';
const keyName = 'secret-server-key';

describe('Smoke: the product in a real VS Code in Chromium', function () {
  let wb: Workbench;
  const steps = new StepChain();

  before(async () => {
    // --keys 3: the seeded keys fit the tree's first page.
    wb = await startWorkbench({ settings: { 'workbench.tree.expandMode': 'doubleClick' }, sandboxArgs: ['--keys', '3'] });
  });

  afterEach(async function () {
    steps.record(this);
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-${this.currentTest.title}`);
  });

  after(async () => {
    await wb?.close();
  });

  it('lists the extension among the installed extensions', async () => {
    await runCommand(wb.page, 'Extensions: Show Installed Extensions');
    const entry = wb.page.locator('.extensions-viewlet .extension-list-item').filter({ hasText: nls.displayName });
    await entry.first().waitFor({ state: 'visible', timeout: 30_000 });
    const file = await wb.screenshot('smoke-installed-extensions');
    assert.ok(fs.statSync(file).size > 10_000, 'the screenshot is empty');
  });

  it('opens the Managed HSM side bar with its welcome buttons while signed out', async () => {
    await activityBarItem(wb.page, 'Managed HSM').waitFor({ state: 'visible', timeout: 60_000 });
    await openViewContainer(wb.page, 'Managed HSM');
    await welcomeButton(wb.page, 'Sign in to Azure…');
    await welcomeButton(wb.page, 'Add Secret Server Connection…');
  });

  it('signs in from the welcome button and lists the tenant, the HSM and its keys from Azure', async () => {
    steps.needs('opens the Managed HSM side bar');
    await (await welcomeButton(wb.page, 'Sign in to Azure…')).click();
    assert.match(await answerModal(wb.page, 'Allow'), /wants to sign in/);
    const azure = treeView(wb.page, 'Azure');
    await row(azure, 'Contoso (sandbox)', 60_000);
    await expand(await row(azure, 'Contoso Sandbox Subscription', 60_000));
    await expand(await row(azure, hsmName, 60_000));
    await expand(await row(azure, 'Keys', 60_000));
    await scrollTo(azure, keyName);
    await wb.screenshot('smoke-azure-tree');
  });

  it('copies the key identifier from the key\'s context menu: the current version Azure holds', async () => {
    steps.needs('signs in from the welcome button');
    const azure = treeView(wb.page, 'Azure');
    await contextMenu(await scrollTo(azure, keyName), 'Copy Key Identifier');
    const key = hsmOf(await world(wb.sandbox.endpointsFile), hsmName).keys.find((k) => k.name === keyName);
    assert.ok(key, `the sandbox holds ${keyName}`);
    const hsmUri = JSON.parse(fs.readFileSync(wb.sandbox.endpointsFile, 'utf8')).hsms.find((h: { name: string }) => h.name === hsmName).uri.replace(/\/$/, '');
    const current = key.versions[key.versions.length - 1].version;
    await eventually(async () => assert.equal(await readClipboard(wb.page), `${hsmUri}/keys/${keyName}/${current}`), 10_000, 200);
  });

  it('shows its log in the Output panel, starting with its activation', async () => {
    await runCommand(wb.page, 'Managed HSM: Show Output');
    const output = wb.page.locator('.part.panel .monaco-editor .view-lines').first();
    await output.waitFor({ state: 'visible', timeout: 20_000 });
    // The editor renders spaces as no-break spaces, which \s matches.
    await eventually(async () => assert.match((await output.textContent()) ?? '', /Activated\sin\s\d/), 20_000);
  });
});
