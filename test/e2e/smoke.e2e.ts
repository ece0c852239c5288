import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import nls from '../../package.nls.json';
import { testWorkspace } from '../../scripts/vscode/testWorkspace';
import { openViewContainer } from './support/activityBar';
import { readClipboard } from './support/clipboard';
import { openFile, runCommand } from './support/commandPalette';
import { notificationMessage, waitForToast } from './support/notifications';
import { treeItemLabels, treeItems, treeView } from './support/tree';
import { startWorkbench, type Workbench } from './support/workbench';

describe('Smoke: the extension in a real VS Code in Chromium', function () {
  let wb: Workbench;

  before(async () => {
    wb = await startWorkbench();
  });

  afterEach(async function () {
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

  it('runs a command from the palette and shows its notification', async () => {
    await runCommand(wb.page, 'Sandbox sign-in: Forget cached access tokens');
    const notification = await waitForToast(wb.page, /cached access tokens forgotten/);
    assert.match(await notificationMessage(notification), /the next request gets new ones/);
    await wb.screenshot('smoke-notification');
  });

  it('opens a view container from the Activity Bar and finds a tree item', async () => {
    await openViewContainer(wb.page, 'Explorer');
    const files = treeView(wb.page, 'Files Explorer');
    await treeItems(files, 'README.md').waitFor({ state: 'visible', timeout: 20_000 });
    assert.ok((await treeItemLabels(files)).includes('README.md'));
  });

  it('copies a file path to the clipboard, where the test can read it back', async () => {
    await openFile(wb.page, 'README.md');
    await runCommand(wb.page, 'File: Copy Path of Active File');
    assert.equal(await readClipboard(wb.page), path.join(testWorkspace, 'README.md'));
  });
});
