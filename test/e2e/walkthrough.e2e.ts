import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { activityBarItem, openViewContainer } from './support/activityBar';
import { readClipboard } from './support/clipboard';
import { runCommand } from './support/commandPalette';
import { eventually } from './support/eventually';
import { answerModal } from './support/modalDialog';
import { answerInput, answerInputBox, pick, pickTitle, pickWithKeys, quickInput } from './support/quickInput';
import { readEndpoints, world } from './support/sandboxWorld';
import { row, scrollTo, widenSideBar } from './support/sideBar';
import { contextMenu, expand, treeView } from './support/tree';
import { clickStepButton, completedStepIds, isStepComplete, waitForStepComplete, walkthroughStep } from './support/walkthrough';
import { webviewContent } from './support/webview';
import { StepChain } from './support/stepChain';
import { startWorkbench, type Workbench } from './support/workbench';

// The getting-started walkthrough as a new user takes it in VS Code in the browser, against a
// fresh sandbox: "Managed HSM: Get Started", then each of the nine steps from its button in the
// walkthrough (or, for the key management form and the steps after the key exists, from the
// tree, as the step's text says), and after each the step's checkmark appears by itself — set
// by the extension from what it saw in Azure and Secret Server, not by the click. The test knows
// only the workbench's UI and the sandbox's control API (GET /_sandbox/world), never the source.

const hsmName = 'contoso-mhsm-eus';
const tenant = 'Contoso (sandbox)';
const subscription = 'Contoso Sandbox Subscription';
const steps = ['signIn', 'managedHsm', 'appRegistration', 'key', 'role', 'readiness', 'secretServer', 'keyManagement', 'expiryWarnings'];

describe('Getting started walkthrough in VS Code in Chromium: each step ticks itself', function () {
  let wb: Workbench;
  let page: Page;
  let azure: Locator;
  let ssTree: Locator;
  let form: FrameLocator;
  const suffix = randomUUID().slice(0, 6);
  const appName = `Secret Server walkthrough ${suffix}`;
  const keyName = `ss-walkthrough-${suffix}`;
  let clientId = '';
  let secretValue = '';
  // Each step builds on the ones before it (the walkthrough ticks in order): it names them.
  const chain = new StepChain();

  /**
   * The steps shown complete now: exactly the ones done so far, in order (`mayFollow`: a later
   * step whose state the same load may already complete).
   */
  async function assertCompleted(upTo: string, mayFollow: string[] = []): Promise<void> {
    const expected = steps.slice(0, steps.indexOf(upTo) + 1);
    await eventually(async () => assert.deepEqual((await completedStepIds(page)).filter((s) => !mayFollow.includes(s)), expected), 30_000);
  }

  /** Brings the walkthrough back to the front after a report or form took the editor. */
  async function showWalkthrough(): Promise<void> {
    await runCommand(page, 'Managed HSM: Get Started', 60_000);
    await walkthroughStep(page, 'signIn').waitFor({ state: 'visible', timeout: 60_000 });
  }

  /** A chain of quick picks under one title, e.g. tenant → subscription → HSM → Keys → key. */
  async function pickPath(title: string | RegExp, labels: (string | RegExp)[]): Promise<void> {
    for (const label of labels) await pickWithKeys(page, title, label, 60_000);
  }

  before(async () => {
    // --keys 3: the seeded keys fit the first page, so no "Load more…" in the pick lists.
    // The walkthrough is taken in the .vsix a user installs (`npm run package`), not the source folder.
    wb = await startWorkbench({ extension: 'installed', settings: { 'workbench.tree.expandMode': 'doubleClick' }, sandboxArgs: ['--keys', '3', '--rotation-rate', '25'] });
    assert.equal(wb.extensionSource, 'installed');
    page = wb.page;
    azure = treeView(page, 'Azure');
    ssTree = treeView(page, 'Secret Server');
    form = webviewContent(page);
  });

  afterEach(async function () {
    chain.record(this);
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-walkthrough-${this.currentTest.title}`);
  });

  after(async () => {
    await wb?.close();
  });

  it('opens from "Managed HSM: Get Started" with nine steps, none ticked', async () => {
    await activityBarItem(page, 'Managed HSM').waitFor({ state: 'visible', timeout: 150_000 });
    await openViewContainer(page, 'Managed HSM');
    await widenSideBar(page, 440);
    await runCommand(page, 'Managed HSM: Get Started', 60_000);
    for (const id of steps) await walkthroughStep(page, id).waitFor({ state: 'visible', timeout: 60_000 });
    assert.deepEqual(await completedStepIds(page), []);
    await wb.screenshot('walkthrough-start');
  });

  it('1. signs in from the step\'s button; the step ticks once VS Code has a session', async () => {
    chain.needs('opens from'); // the walkthrough open
    await clickStepButton(page, 'signIn', 'Sign in to Azure…');
    assert.match(await answerModal(page, 'Allow'), /wants to sign in/);
    await waitForStepComplete(page, 'signIn');
    await assertCompleted('signIn');
  });

  it('2. shows the Azure view; the step ticks when an activated HSM is listed', async () => {
    chain.needs('1.'); // the session
    assert.equal(await isStepComplete(page, 'managedHsm'), false);
    await clickStepButton(page, 'managedHsm', 'Show the Azure View');
    await row(azure, tenant, 60_000);
    await expand(await row(azure, subscription));
    await row(azure, hsmName, 60_000);
    await waitForStepComplete(page, 'managedHsm');
    await assertCompleted('managedHsm');
  });

  it('3. creates the app registration and keeps its secret; the step ticks', async () => {
    chain.needs('1.', '2.'); // the tenant from the session; the earlier steps ticked
    assert.equal(await isStepComplete(page, 'appRegistration'), false);
    await clickStepButton(page, 'appRegistration', 'Create App Registration…');
    await pickWithKeys(page, /^Create app registration for Secret Server$/, tenant, 60_000);
    await answerInput(page, /^Create app registration for Secret Server \(1\/3\)$/, appName);
    await answerInput(page, 'New client secret', undefined);
    await pickWithKeys(page, 'New client secret: expiry', '12 months');
    assert.match(await answerModal(page, 'Keep in VS Code', 60_000), /secret storage/);
    const shownOnce = `Client secret of '${appName}' — shown only now`;
    await pick(page, shownOnce, 'Copy the secret value', 60_000);
    secretValue = await eventually(async () => {
      const copied = await readClipboard(page);
      assert.ok(copied.length >= 30, 'the clipboard holds the secret value');
      return copied;
    }, 10_000);
    await pick(page, shownOnce, 'Done');
    await quickInput(page, shownOnce).waitFor({ state: 'hidden', timeout: 10_000 });
    const app = (await world(wb.sandbox.endpointsFile)).applications.find((a) => a.displayName === appName);
    assert.ok(app, 'the app registration exists in Entra ID');
    clientId = app.appId;
    await waitForStepComplete(page, 'appRegistration');
    await assertCompleted('appRegistration');
  });

  it('4. creates the key for Secret Server from the step\'s button; the step ticks', async () => {
    chain.needs('3.'); // every earlier step ticked
    assert.equal(await isStepComplete(page, 'key'), false);
    await clickStepButton(page, 'key', 'Create Key for Secret Server…');
    const title = 'Create key for Secret Server';
    await pickPath(title, [tenant, subscription, hsmName]);
    await answerInput(page, title, keyName, 60_000);
    await eventually(async () => {
      const key = (await world(wb.sandbox.endpointsFile)).hsms.find((h) => h.name === hsmName)?.keys.find((k) => k.name === keyName);
      assert.equal(key?.kty, 'oct-HSM');
    }, 60_000);
    await waitForStepComplete(page, 'key');
    await assertCompleted('key');
    await wb.screenshot('walkthrough-key');
  });

  it('5. grants the app Managed HSM Crypto User on the key from the step\'s button; the step ticks', async () => {
    chain.needs('3.', '4.'); // the app from step 3 and the key from step 4
    assert.equal(await isStepComplete(page, 'role'), false);
    await clickStepButton(page, 'role', 'Grant Secret Server Access to Key…');
    await pickPath('Grant Secret Server access to key', [tenant, subscription, hsmName, 'Keys', keyName]);
    const appTitle = `Grant access to '${keyName}': app registration`;
    await answerInput(page, appTitle, appName, 60_000);
    await pick(page, appTitle, appName, 60_000);
    await eventually(async () => {
      const hsm = (await world(wb.sandbox.endpointsFile)).hsms.find((h) => h.name === hsmName)!;
      assert.ok(hsm.roleAssignments.some((a) => a.scope === `/keys/${keyName}`), 'the role assignment exists at the key');
    }, 60_000);
    await waitForStepComplete(page, 'role');
    await assertCompleted('role');
  });

  it('6. runs the readiness check as the app; the step ticks when the rules pass', async () => {
    chain.needs('5.'); // the role from step 5
    assert.equal(await isStepComplete(page, 'readiness'), false);
    await clickStepButton(page, 'readiness', 'Check Secret Server Readiness');
    await pickPath('Check Secret Server readiness', [tenant, subscription, hsmName, 'Keys', keyName]);
    await pickWithKeys(page, 'Check Secret Server readiness: app registration', `App ${clientId}`, 60_000);
    const reportTitle = new RegExp(`^Readiness of '${keyName}': `);
    const verdict = await pickTitle(page, reportTitle, 120_000);
    // Only the region rule may wait (no Secret Server connection yet states a region).
    assert.match(verdict, /: (ready|not fully checked)$/);
    await pickWithKeys(page, reportTitle, 'Done');
    // The report opened in the editor; back to the walkthrough to see its checkmark.
    await showWalkthrough();
    await waitForStepComplete(page, 'readiness');
    await assertCompleted('readiness');
  });

  it('7. adds the Secret Server connection from the step\'s button; the step ticks when it answers', async () => {
    chain.needs('6.'); // every earlier step ticked
    assert.equal(await isStepComplete(page, 'secretServer'), false);
    const { endpoints } = readEndpoints(wb.sandbox.endpointsFile);
    const admin = endpoints.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    await clickStepButton(page, 'secretServer', 'Add Secret Server Connection…');
    await answerInputBox(page, '(1/3)', undefined, 60_000); // the URL is prefilled from the sandbox file
    await answerInputBox(page, '(2/3)', admin.username);
    await answerInputBox(page, '(3/3)', admin.password);
    await row(ssTree, new URL(endpoints.secretServer.url).host, 60_000);
    await waitForStepComplete(page, 'secretServer');
    await assertCompleted('secretServer');
  });

  it('8. configures key management from the key and follows the rotation; the step ticks when it completed', async () => {
    chain.needs('3.', '4.', '7.'); // the client ID and secret from step 3, the key from step 4, the connection from step 7
    assert.equal(await isStepComplete(page, 'keyManagement'), false);
    await expand(await row(azure, hsmName));
    await expand(await row(azure, 'Keys'));
    await contextMenu(await scrollTo(azure, keyName), 'Configure Secret Server Key Management…');
    await form.locator('#save').waitFor({ state: 'visible', timeout: 60_000 });
    await eventually(async () => assert.match(await form.locator('#keyUrl input').inputValue(), new RegExp(`/keys/${keyName}$`)), 45_000);
    for (const [id, value] of [['principalId', clientId], ['principalSecret', secretValue]]) {
      const input = form.locator(`#${id} input`);
      await input.fill(value);
      await eventually(async () => assert.equal(await input.inputValue(), value), 5_000, 100);
    }
    const confirm = form.locator('#confirm');
    if ((await confirm.getAttribute('aria-checked')) !== 'true') await confirm.click();
    await form.locator('#save').click();
    await eventually(async () => assert.match(((await form.locator('#status').textContent()) ?? '').trim(), /^Saved\./), 120_000, 500);
    await eventually(async () => assert.match((await form.locator('#rotation-text').textContent()) ?? '', /The last secret key rotation completed\./), 180_000, 500);
    // The step ticks when the Secret Server view shows the completed rotation.
    await showWalkthrough();
    await waitForStepComplete(page, 'keyManagement', 120_000);
    // The load that shows the rotation completed also gives the expiry watch the app's client
    // secret Secret Server uses, so step 9 may tick in the same moment.
    await assertCompleted('keyManagement', ['expiryWarnings']);
    await wb.screenshot('walkthrough-key-management');
  });

  it('9. shows the expiry warnings; the step ticks as the secret Secret Server uses is watched', async () => {
    chain.needs('8.'); // the configuration from step 8
    await clickStepButton(page, 'expiryWarnings', 'Show Expiry Warnings');
    await waitForStepComplete(page, 'expiryWarnings', 60_000);
    await page.keyboard.press('Escape');
    await assertCompleted('expiryWarnings');
    // The walkthrough as the user sees it at the end: every step ticked, with the step's diagram
    // (VS Code shows the image column only when the editor is wide enough: hide the side bar).
    await page.keyboard.press('Control+B');
    await page.locator('.gettingStartedSlideDetails .getting-started-media img').first().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => undefined);
    await wb.screenshot('walkthrough-complete');
    await page.keyboard.press('Control+B');
  });
});
