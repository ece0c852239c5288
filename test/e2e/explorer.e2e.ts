import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { openViewContainer } from './support/activityBar';
import { readClipboard } from './support/clipboard';
import { eventually } from './support/eventually';
import { notificationMessage, toast, waitForToast } from './support/notifications';
import { contextMenu, expand, treeItemDescription, treeItemLabels, treeItems, treeView } from './support/tree';
import { startWorkbench, type Workbench } from './support/workbench';
import { listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { SecretServerSession } from '../../src/secretServer/session';

// The explorer as a person uses it in VS Code in the browser: sign in from the welcome view, see
// the guest tenant that requires MFA fail on its own, walk subscription → HSM → keys, page with "Load more…", open versions and role assignments, copy a
// key URL, see the not-activated HSM's error, add a Secret Server connection. The screenshots
// land in test-results/screenshots/ for the README.

interface SandboxFile {
  ca: string;
  tenantId: string;
  mfaTenant?: { id: string; name: string; defaultDomain: string };
  hsms: { name: string; uri: string }[];
  expiringApp: { clientId: string; clientSecret: string; displayName: string };
  secretServer: { url: string; users: { username: string; password: string; otpSecret?: string; canManageKeys: boolean }[] };
}

async function welcomeButton(page: Page, text: string): Promise<Locator> {
  const button = page.locator('.welcome-view-content a.monaco-button, .welcome-view-content .monaco-button').filter({ hasText: text }).first();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  return button;
}

async function row(tree: Locator, label: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const item = treeItems(tree, label).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs });
  return item;
}

/**
 * Answers the modal sign-in dialog. (support/dialogs.ts looks for '.dialog-message-text', which
 * this VS Code version does not render; the dialog's whole text is read instead.)
 */
async function allowDialog(page: Page, button: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20_000 });
  const message = (await dialog.textContent()) ?? '';
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return message;
}

/** Scrolls a (virtual) tree from the top down until the row is rendered, as a person scrolls to it. */
async function scrollTo(tree: Locator, label: string | RegExp, hasText?: string): Promise<Locator> {
  const page = tree.page();
  await tree.hover();
  await page.mouse.wheel(0, -20_000);
  for (let i = 0; i < 80; i++) {
    const rows = treeItems(tree, label);
    const item = (hasText ? rows.filter({ hasText }) : rows).first();
    // A row rendered at the view's bottom edge sits under the next pane's header: scroll on until
    // it has room below it (or the tree ends), as a person would before clicking it.
    if ((await item.isVisible()) && (await clearOfBottomEdge(tree, item))) return item;
    await tree.hover();
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(100);
  }
  return row(tree, label, 5_000);
}

async function clearOfBottomEdge(tree: Locator, item: Locator): Promise<boolean> {
  const [view, row] = await Promise.all([tree.boundingBox(), item.boundingBox()]);
  if (!view || !row) return false;
  if (row.y + row.height <= view.y + view.height - 2 * row.height) return true;
  // The last row of the whole tree cannot move up any further.
  return (await item.getAttribute('data-last-element')) === 'true';
}

/** Collapses or expands a view's section in the side bar by its header. */
async function togglePane(page: Page, viewName: string): Promise<void> {
  const header = page.locator('.pane-header').filter({ has: page.locator('h3.title', { hasText: new RegExp(`^${viewName}$`) }) }).first();
  await header.waitFor({ state: 'visible', timeout: 15_000 });
  await header.click({ position: { x: 30, y: 10 } });
}

/** Drags the side bar's edge so that descriptions are readable in the screenshots. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = box.x + box.width + 1;
  await page.mouse.move(edge, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Waits for the input box titled `title`, types into it and accepts it. */
async function answerInput(page: Page, title: string, value: string | undefined): Promise<void> {
  const widget = page.locator('.quick-input-widget').filter({ has: page.locator('.quick-input-title', { hasText: title }) });
  await widget.waitFor({ state: 'visible', timeout: 15_000 });
  const input = widget.locator('.quick-input-box input');
  if (value !== undefined) await input.fill(value);
  await input.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 15_000 });
}

describe('Explorer: the Managed HSM views in VS Code in Chromium', function () {
  let wb: Workbench;
  let azure: Locator;
  let sandbox: SandboxFile;

  before(async () => {
    // Single clicks select (and run a row's command); the twistie expands, as expand() uses it.
    wb = await startWorkbench({ settings: { 'workbench.tree.expandMode': 'doubleClick' } });
    sandbox = JSON.parse(fs.readFileSync(wb.sandbox.endpointsFile, 'utf8')) as SandboxFile;
    azure = treeView(wb.page, 'Azure');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-explorer-${this.currentTest.title}`);
  });

  after(async () => {
    await wb?.close();
  });

  it('offers "Sign in to Azure…" when signed out, and shows the tenant after sign-in', async () => {
    await openViewContainer(wb.page, 'Managed HSM');
    // The Azure tree gets the whole side bar until the Secret Server part.
    await togglePane(wb.page, 'Secret Server');
    await widenSideBar(wb.page, 620);
    const signIn = await welcomeButton(wb.page, 'Sign in to Azure…');
    await wb.screenshot('explorer-signed-out');
    await signIn.click();
    const message = await allowDialog(wb.page, 'Allow');
    assert.match(message, /wants to sign in/);
    const tenant = await row(azure, 'Contoso (sandbox)');
    assert.equal(await treeItemDescription(tenant), 'contoso.onmicrosoft.com');
  });

  it('shows a tenant that requires MFA with its error and fix, and Contoso keeps working', async () => {
    const mfa = sandbox.mfaTenant;
    assert.ok(mfa, 'the sandbox seeded a tenant that requires MFA');
    const tenant = await row(azure, mfa.name);
    assert.equal(await treeItemDescription(tenant), mfa.defaultDomain);
    const error = await row(azure, 'Sign in to tenant…');
    assert.match(await treeItemDescription(error), /^Multi-factor authentication, Conditional Access or a new sign-in is needed for tenant/);
    // The other tenant is unaffected.
    await row(azure, 'Contoso Sandbox Subscription');
    await wb.screenshot('explorer-failing-tenant');

    // The fix the node offers: an interactive sign-in to that tenant, which Entra refuses until
    // MFA is done (the sandbox has no MFA to offer), said in a notification that names it.
    await error.click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    const notice = toast(wb.page, /AADSTS50076/).first();
    await Promise.race([dialog.waitFor({ state: 'visible', timeout: 30_000 }), notice.waitFor({ state: 'visible', timeout: 30_000 })]);
    if (await dialog.isVisible()) await allowDialog(wb.page, 'Allow');
    const message = await notificationMessage(await waitForToast(wb.page, /AADSTS50076/, 30_000));
    assert.match(message, /Conditional Access or MFA policy blocked the sign-in/);
    await row(azure, 'Contoso Sandbox Subscription');
  });

  it('expands subscription → HSM → Keys and shows 25 keys and "Load more…"', async () => {
    await expand(await row(azure, 'Contoso Sandbox Subscription'));
    const eus = await row(azure, 'contoso-mhsm-eus');
    assert.equal(await treeItemDescription(eus), 'eastus');
    assert.equal(await treeItemDescription(await row(azure, 'contoso-mhsm-weu')), 'westeurope · not activated');
    await expand(eus);
    await expand(await row(azure, 'Keys'));
    await row(azure, 'aes128-key');
    const labels = await treeItemLabels(azure);
    assert.ok(labels.includes('bulk-key-0001'), labels.join(', '));
    await wb.screenshot('explorer-keys');
  });

  it('loads the keys after the first 25 with "Load more…"', async () => {
    const loadMore = await scrollTo(azure, 'Load more…');
    await loadMore.click();
    await scrollTo(azure, 'secret-server-key');
    assert.equal(await treeItems(azure, 'Load more…').count(), 0);
    // The row shows with the listing; its type and operations follow once the key is read.
    await eventually(async () => assert.match(await treeItemDescription(await row(azure, 'secret-server-key')), /^✓ Secret Server compatible · oct-HSM/), 20_000);
    await wb.screenshot('explorer-load-more');
  });

  it('copies a key identifier from the context menu', async () => {
    await contextMenu(await scrollTo(azure, 'secret-server-key'), 'Copy Key Identifier');
    const hsmUri = sandbox.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri.replace(/\/$/, '');
    await eventually(async () => assert.match(await readClipboard(wb.page), new RegExp(`^${hsmUri}/keys/secret-server-key/[0-9a-f]{32}$`)), 10_000);
  });

  it('opens a key\'s versions and role assignments', async () => {
    await expand(await scrollTo(azure, 'secret-server-key'));
    await expand(await scrollTo(azure, 'Versions'));
    await expand(await scrollTo(azure, 'Role assignments', '/keys/secret-server-key'));
    await scrollTo(azure, 'Managed HSM Crypto User');
    const descriptions = await Promise.all((await treeItems(azure, 'Managed HSM Crypto User').all()).map((r) => treeItemDescription(r)));
    assert.ok(descriptions.some((d) => d.startsWith('Secret Server key management (ServicePrincipal')), descriptions.join('; '));
    await azure.hover();
    await wb.page.mouse.wheel(0, 400);
    await wb.screenshot('explorer-versions-and-roles');
  });

  it('shows the not-activated HSM as an error node with its fix', async () => {
    await expand(await scrollTo(azure, 'contoso-mhsm-weu'));
    const error = await scrollTo(azure, 'HSM not activated');
    assert.match(await treeItemDescription(error), /not activated: download its security domain/);
    await wb.screenshot('explorer-not-activated');
  });

  it('adds a Secret Server connection and shows its key management', async () => {
    const admin = sandbox.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    // Secret Server already protects its master key with the sandbox HSM's key, as an
    // administrator would have set up (the extension's own form is a later issue).
    const session = new SecretServerSession({ url: sandbox.secretServer.url, username: admin.username, caPem: fs.readFileSync(sandbox.ca, 'utf8'), credentials: { getPassword: async () => admin.password } });
    const type = findKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm');
    assert.ok(type);
    const hsmUri = sandbox.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri.replace(/\/$/, '');
    await updateKeyManagement(session, {
      type,
      azureManagedHsm: { tenantId: sandbox.tenantId, principalId: sandbox.expiringApp.clientId, principalSecret: sandbox.expiringApp.clientSecret, keyUrl: `${hsmUri}/keys/secret-server-key` },
    });

    await togglePane(wb.page, 'Azure');
    await togglePane(wb.page, 'Secret Server');
    const add = await welcomeButton(wb.page, 'Add Secret Server Connection…');
    await add.click();
    await answerInput(wb.page, '(1/3)', undefined); // the URL is prefilled from the sandbox file
    await answerInput(wb.page, '(2/3)', admin.username);
    await answerInput(wb.page, '(3/3)', admin.password);
    const ssTree = treeView(wb.page, 'Secret Server');
    const connection = await row(ssTree, new URL(sandbox.secretServer.url).host);
    assert.equal(await treeItemDescription(connection), admin.username);
    assert.equal(await treeItemDescription(await row(ssTree, 'Key management')), 'Azure Managed HSM');
    assert.match(await treeItemDescription(await row(ssTree, 'Key')), /^contoso-mhsm-eus \/ secret-server-key · latest \([0-9a-f]{32}\)$/);
    const app = await row(ssTree, 'App registration');
    assert.equal(await treeItemDescription(app), `${sandbox.expiringApp.displayName} (${sandbox.expiringApp.clientId})`);
    assert.match(await treeItemDescription(await row(ssTree, 'secret-server')), /^expires \d{4}-\d{2}-\d{2} \(in [45] days\)$/);
    await row(ssTree, 'Maintenance (read-only) mode');
    await wb.screenshot('explorer-secret-server');
  });
});
