import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import manifest from '../../package.json';
import nls from '../../package.nls.json';
import { zipListing } from '../../scripts/package/zipListing';
import { repoRoot } from '../../scripts/vscode/paths';
import { openViewContainer } from './support/activityBar';
import { runCommand } from './support/commandPalette';
import { answerModal } from './support/modalDialog';
import { row, welcomeButton } from './support/sideBar';
import { treeItemDescription, treeView } from './support/tree';
import { startWorkbench, vsixForTests, type Workbench } from './support/workbench';

// The .vsix a user installs, not the source folder: `npm run package` (or MHSM_E2E_VSIX), then
// `code-server --install-extension`, then the extension used in the browser. Any other UI test runs
// the same way with MHSM_E2E_EXTENSION=installed.

const id = `${manifest.publisher}.${manifest.name}`;

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe('Installed package: the .vsix in a real VS Code in Chromium', function () {
  let wb: Workbench;
  let vsix: string;

  before(async () => {
    vsix = await vsixForTests();
    wb = await startWorkbench({ extension: 'installed' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-installed-${this.currentTest.title}`);
  });

  after(async () => {
    await wb?.close();
  });

  it('is installed from the .vsix: code-server lists it, and its folder is an unpacked copy of the package', async () => {
    assert.equal(wb.extensionSource, 'installed');
    const listed = await wb.server.listExtensions();
    assert.ok(listed.includes(`${id}@${manifest.version}`), `code-server --list-extensions --show-versions: ${listed.join(', ')}`);

    const folders = fs.readdirSync(wb.server.extensionsDir).filter((f) => f.startsWith(`${id}-`));
    assert.deepEqual(folders, [`${id}-${manifest.version}`]);
    const folder = path.join(wb.server.extensionsDir, folders[0]);
    assert.ok(!fs.lstatSync(folder).isSymbolicLink(), 'a copy, not a link to the project');
    assert.ok(!fs.realpathSync(folder).startsWith(repoRoot + path.sep), 'outside the project folder');

    // Exactly the package's files (VS Code adds its own .vsixmanifest): no sources, no maps.
    const packaged = zipListing(vsix)
      .map((e) => e.name)
      .filter((n) => n.startsWith('extension/'))
      .map((n) => n.slice('extension/'.length))
      .sort();
    assert.deepEqual(filesUnder(folder).filter((f) => f !== '.vsixmanifest'), packaged);
  });

  it('runs from the installed copy: signing in lists the sandbox tenant in the Azure view', async () => {
    await openViewContainer(wb.page, 'Managed HSM');
    const signIn = await welcomeButton(wb.page, 'Sign in to Azure…');
    await signIn.click();
    assert.match(await answerModal(wb.page, 'Allow'), /wants to sign in/);
    const tenant = await row(treeView(wb.page, 'Azure'), 'Contoso (sandbox)');
    assert.equal(await treeItemDescription(tenant), 'contoso.onmicrosoft.com');
    await wb.screenshot('installed-package-azure-view');
  });

  it('shows in the Extensions view with its icon from the installed folder, its version and source VSIX', async () => {
    await runCommand(wb.page, 'Extensions: Show Installed Extensions');
    const entry = wb.page.locator('.extensions-viewlet .extension-list-item').filter({ hasText: nls.displayName }).first();
    await entry.waitFor({ state: 'visible', timeout: 30_000 });
    const icon = entry.locator('img.icon');
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    // The workbench loads the icon from where the extension lives: the installed copy.
    const iconPath = new URL((await icon.getAttribute('src')) ?? '', wb.server.url).searchParams.get('path');
    assert.equal(iconPath, path.join(wb.server.extensionsDir, `${id}-${manifest.version}`, 'media', 'icon.png'));
    await entry.click();
    const editor = wb.page.locator('.extension-editor');
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    // The Installation table: the version, and where it came from ("Source: VSIX").
    for (const text of [manifest.version, 'VSIX']) {
      await editor.getByText(text, { exact: true }).filter({ visible: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    }
    await wb.screenshot('installed-package-extensions-view');
  });
});
