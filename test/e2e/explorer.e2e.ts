import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { Locator } from 'playwright-core';
import { openViewContainer } from './support/activityBar';
import { readClipboard } from './support/clipboard';
import { eventually } from './support/eventually';
import { answerModal } from './support/modalDialog';
import { notificationMessage, toast, waitForToast } from './support/notifications';
import { answerInputBox } from './support/quickInput';
import { row, scrollTo, togglePane, welcomeButton, widenSideBar } from './support/sideBar';
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
    const message = await answerModal(wb.page, 'Allow');
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
    if (await dialog.isVisible()) await answerModal(wb.page, 'Allow');
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
    await answerInputBox(wb.page, '(1/3)', undefined); // the URL is prefilled from the sandbox file
    await answerInputBox(wb.page, '(2/3)', admin.username);
    await answerInputBox(wb.page, '(3/3)', admin.password);
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
