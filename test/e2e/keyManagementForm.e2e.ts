import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { openViewContainer } from './support/activityBar';
import { eventually } from './support/eventually';
import { answerModal } from './support/modalDialog';
import { answerInputBox as answerInput } from './support/quickInput';
import { browserStorage } from './support/browserStorage';
import { confirmMaintenance, errorText, fieldValue, saveAndWait, setField } from './support/keyManagementFormPage';
import { row, welcomeButton } from './support/sideBar';
import { toast } from './support/notifications';
import { screenshotsDir } from './support/screenshots';
import { searchFiles } from './support/secretSearch';
import { contextMenu, expand, treeItemDescription, treeItems, treeView } from './support/tree';
import { provokeCspViolation, violationsBesides, watchCspViolations, webviewContent, type CspViolation } from './support/webview';
import { startWorkbench, type Workbench } from './support/workbench';
import { testResultsDir } from '../../scripts/vscode/testWorkspace';
import { getKeyManagement } from '../../src/secretServer/keyManagement';
import { getRotationStatus } from '../../src/secretServer/rotation';
import { SecretServerSession } from '../../src/secretServer/session';
import { adminCredential, keyClient } from '../support/azureClients';
import { graphClient } from '../support/graphClient';
import type { SandboxEndpoints } from '../support/sandboxProcess';

// Task 2 and Task 3 as a new user does them in VS Code in the browser: sign in, add the Secret
// Server connection, open the key management form from the key in the Azure tree, see a wrong
// secret and a non-compliant key refused next to their fields before Secret Server is asked,
// save a working configuration, follow the rotation to 100 %, switch to a new key version, and
// turn key management off again. Along the way the page runs under its CSP without a single
// violation, and at the end the principal secret is searched for everywhere VS Code writes.

type SandboxFile = SandboxEndpoints;

const formCommand = 'Configure Secret Server Key Management…';

describe('Key management form: Task 2 and Task 3 in VS Code in Chromium', function () {
  let wb: Workbench;
  let sandbox: SandboxFile;
  let caPem: string;
  let hsmUri: string;
  let azure: Locator;
  let ssTree: Locator;
  let form: FrameLocator;
  let csp: { violations: CspViolation[] };
  /** A client secret made for this run only, so any trace of it is this run's leak. */
  let marker: string;
  let session: SecretServerSession;
  const versionless = () => `${hsmUri}/keys/secret-server-key`;

  before(async () => {
    wb = await startWorkbench({ settings: { 'workbench.tree.expandMode': 'doubleClick' }, sandboxArgs: ['--keys', '2', '--rotation-rate', '25'] });
    sandbox = JSON.parse(fs.readFileSync(wb.sandbox.endpointsFile, 'utf8')) as SandboxFile;
    caPem = fs.readFileSync(sandbox.ca, 'utf8');
    hsmUri = sandbox.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri.replace(/\/$/, '');
    azure = treeView(wb.page, 'Azure');
    ssTree = treeView(wb.page, 'Secret Server');
    form = webviewContent(wb.page);
    const admin = sandbox.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    session = new SecretServerSession({ url: sandbox.secretServer.url, username: admin.username, caPem, credentials: { getPassword: async () => admin.password } });
    // The app's owner hands the Secret Server administrator a fresh client secret (Graph addPassword).
    const graph = graphClient(sandbox, caPem, adminCredential(sandbox, caPem));
    const added = await graph.send('POST', `/v1.0/applications(appId='${sandbox.expiringApp.clientId}')/addPassword`, { passwordCredential: { displayName: 'e2e key management form' } });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    marker = (added.body as { secretText: string }).secretText;
    assert.ok(marker.length >= 16);
    // The CSP watch starts before the webview exists; the workbench page is reloaded so that the
    // init script is in every frame from the start.
    csp = await watchCspViolations(wb.context, wb.page);
    await wb.page.reload({ timeout: 120_000 });
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-form-${this.currentTest.title}`);
  });

  after(async () => {
    await wb?.close();
  });

  it('signs in, adds the Secret Server connection and opens the form from the key, prefilled', async () => {
    await openViewContainer(wb.page, 'Managed HSM');
    await (await welcomeButton(wb.page, 'Sign in to Azure…')).click();
    assert.match(await answerModal(wb.page, 'Allow'), /wants to sign in/);
    await row(azure, 'Contoso (sandbox)');

    const admin = sandbox.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    await (await welcomeButton(wb.page, 'Add Secret Server Connection…')).click();
    await answerInput(wb.page, '(1/3)', undefined); // the URL is prefilled from the sandbox file
    await answerInput(wb.page, '(2/3)', admin.username);
    await answerInput(wb.page, '(3/3)', admin.password);
    await row(ssTree, new URL(sandbox.secretServer.url).host);
    assert.equal(await treeItemDescription(await row(ssTree, 'Key management')), 'None');

    await expand(await row(azure, 'Contoso Sandbox Subscription'));
    await expand(await row(azure, 'contoso-mhsm-eus'));
    await expand(await row(azure, 'Keys'));
    await contextMenu(await row(azure, 'secret-server-key'), formCommand);

    await form.locator('#save').waitFor({ state: 'visible', timeout: 60_000 });
    await eventually(async () => {
      assert.equal(await fieldValue(form, 'keyUrl'), versionless());
      assert.equal(await fieldValue(form, 'tenantId'), sandbox.tenantId);
      assert.match((await form.locator('#current').textContent()) ?? '', /Key Management Type\s*None/);
      assert.ok(await form.locator('#hsm-fields').isVisible(), 'the Azure Managed HSM fields are shown for a key from the tree');
    }, 45_000);
    assert.equal(await fieldValue(form, 'principalId'), '');
    assert.equal(await fieldValue(form, 'principalSecret'), '');
    await wb.screenshot('form-prefilled');
  });

  it('runs the page under a CSP with default-src \'none\' and a nonce', async () => {
    const content = await form.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content', { timeout: 10_000 });
    assert.ok(content);
    assert.match(content, /(^|;)\s*default-src 'none'\s*(;|$)/);
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]{16,})'/.exec(content)?.[1];
    assert.ok(nonce, content);
    assert.equal(await form.locator(`script[nonce]`).count(), 1);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(content), content);
  });

  it('refuses a wrong secret next to its field before Secret Server is asked', async () => {
    const before = await getKeyManagement(session);
    await setField(form, 'principalId', sandbox.expiringApp.clientId);
    await setField(form, 'principalSecret', `wrong-${marker.slice(0, 4)}-not-the-secret`);
    await confirmMaintenance(form);
    const { summary } = await saveAndWait(form);
    const message = await errorText(form, 'principalSecret');
    assert.match(message, /secret/i, `summary: ${summary}`);
    assert.equal(await form.locator('#principalSecret').getAttribute('aria-invalid'), 'true');
    assert.equal(await fieldValue(form, 'principalSecret'), '', 'the page keeps no copy of the secret');
    await wb.screenshot('form-wrong-secret');
    assert.deepEqual(await getKeyManagement(session), before, 'Secret Server was changed by a refused save');
  });

  it('refuses a non-compliant key (RSA-HSM) next to the key URL before Secret Server is asked', async () => {
    const before = await getKeyManagement(session);
    await setField(form, 'keyUrl', `${hsmUri}/keys/rsa-signing-key`);
    await setField(form, 'principalSecret', marker);
    await confirmMaintenance(form);
    const { summary } = await saveAndWait(form);
    const message = await errorText(form, 'keyUrl');
    assert.match(message, /oct-HSM/, `no clear error next to the key URL; summary: ${summary}`);
    assert.equal(await form.locator('#keyUrl').getAttribute('aria-invalid'), 'true');
    assert.equal(await fieldValue(form, 'principalSecret'), '', 'the page keeps no copy of the secret');
    await wb.screenshot('form-non-compliant-key');
    assert.deepEqual(await getKeyManagement(session), before, 'Secret Server was changed by a refused save');
  });

  /** Saves and follows the rotation the save triggers until the page shows it finished at 100 %. */
  async function saveAndFollowRotation(screenshot: string): Promise<void> {
    const since = (await getRotationStatus(session)).lastRunDate;
    await confirmMaintenance(form);
    let sawProgressToast = false;
    // Intermediate percentages the page showed while polling (how many depends on the machine's speed).
    const percentsSeen = new Set<number>();
    const toastWatch = toast(wb.page, /Secret key rotation on/).first().waitFor({ state: 'visible', timeout: 60_000 }).then(
      () => (sawProgressToast = true),
      () => undefined,
    );
    const { status, summary } = await saveAndWait(form);
    assert.match(status, /^Saved\./, `not saved: ${summary}`);
    const text = form.locator('#rotation-text');
    await eventually(
      async () => {
        const now = await getRotationStatus(session);
        assert.ok(now.lastRunDate && now.lastRunDate !== since, 'the rotation this save triggered has not finished on Secret Server');
        const shown = (await text.textContent()) ?? '';
        const running = /(\d+) of (\d+) secrets processed \((\d+) %\)/.exec(shown);
        if (running) percentsSeen.add(Number(running[3]));
        assert.match(shown, /The last secret key rotation completed\./, shown);
        assert.match(shown, /Maintenance mode is off/, shown);
        assert.equal(await form.locator('#rotation-bar').evaluate((e) => (e as HTMLProgressElement).value), 100);
      },
      150_000,
      250,
    );
    await toastWatch;
    assert.ok(sawProgressToast, 'no "Secret key rotation on …" progress notification appeared');
    // The page now shows the server as it is after the run, not as it was right after Save.
    await eventually(async () => assert.match((await form.locator('#health').textContent()) ?? '', /Secret Server is healthy/), 30_000);
    await form.locator('#rotation').scrollIntoViewIfNeeded();
    console.log(`      rotation for ${screenshot}: page showed ${percentsSeen.size ? [...percentsSeen].sort((a, b) => a - b).join(', ') + ' %' : 'no intermediate percentage'} before 100 %`);
    await wb.screenshot(screenshot);
  }

  it('saves a working configuration, follows the rotation to 100 % and shows it in the Secret Server tree', async () => {
    await setField(form, 'keyUrl', versionless());
    await setField(form, 'principalSecret', marker);
    await saveAndFollowRotation('form-rotation-complete');
    const config = await getKeyManagement(session);
    assert.equal(config.provider, 'azureManagedHsm');
    assert.equal(config.azureManagedHsm.keyUrl, versionless());
    assert.equal(config.azureManagedHsm.principalId, sandbox.expiringApp.clientId);
    await eventually(async () => {
      assert.equal(await treeItemDescription(await row(ssTree, 'Key management', 5_000)), 'Azure Managed HSM');
      assert.match(await treeItemDescription(await row(ssTree, 'Key', 5_000)), /^contoso-mhsm-eus \/ secret-server-key · latest \([0-9a-f]{32}\)/);
    }, 60_000);
    await wb.screenshot('form-secret-server-tree');
  });

  it('switches to a new key version with the same form', async () => {
    // The key's owner creates a new version in the HSM (as "Create New Key Version…" would).
    const keys = keyClient(hsmUri, adminCredential(sandbox, caPem), caPem);
    const created = await keys.createOctKey('secret-server-key', { hsm: true, keySize: 256, keyOps: ['wrapKey', 'unwrapKey'] });
    const version = created.properties.version!;
    const versioned = `${versionless()}/${version}`;
    assert.match((await form.locator('#current').textContent()) ?? '', /Key Management TypeAzureManagedHsm/);
    await setField(form, 'keyUrl', versioned);
    await setField(form, 'principalSecret', marker);
    await saveAndFollowRotation('form-new-key-version');
    assert.equal((await getKeyManagement(session)).azureManagedHsm.keyUrl, versioned);
    await eventually(async () => {
      assert.equal(await treeItemDescription(await row(ssTree, 'Key', 5_000)), `contoso-mhsm-eus / secret-server-key · version ${version}`);
    }, 60_000);
  });

  it('turns key management off (None) with the same form', async () => {
    await form.locator('#type').click();
    await form.getByRole('option', { name: 'None', exact: true }).click();
    await eventually(async () => assert.ok(await form.locator('#hsm-fields').isHidden()), 10_000, 200);
    await saveAndFollowRotation('form-none');
    assert.equal((await getKeyManagement(session)).provider, 'none');
    await eventually(async () => {
      assert.equal(await treeItemDescription(await row(ssTree, 'Key management', 5_000)), 'None');
      assert.equal(await treeItems(ssTree, 'Key').count(), 0);
    }, 60_000);
  });

  it('reported no CSP violation in the browser during the run (its watcher sees the webview frame)', async () => {
    const canary = await provokeCspViolation(form);
    assert.deepEqual(await violationsBesides(csp, canary), []);
  });

  it('leaves the principal secret nowhere: page, browser storage, output logs, settings, storage folders, test results', async () => {
    // The page: the field is empty and no element or attribute holds the value.
    assert.equal(await fieldValue(form, 'principalSecret'), '');
    const html = await form.locator('html').evaluate((e) => e.outerHTML);
    assert.ok(!html.includes(marker), 'the page\'s DOM holds the secret');
    // The workbench's browser-side storage, where VS Code web keeps webview and extension state.
    // SecretStorage ("secret://" keys) is the one allowed place and is left out.
    const stored = await browserStorage(wb.page);
    const inStorage = stored.filter((s) => !/=?secret:\/\//.test(s.where) && s.text.includes(marker)).map((s) => s.where);
    assert.deepEqual(inStorage, []);

    // The searcher must be able to find what it looks for.
    const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-e2e-probe-'));
    fs.writeFileSync(path.join(probeDir, 'probe.bin'), Buffer.concat([Buffer.from([0, 1]), Buffer.from(marker, 'utf16le')]));
    assert.equal(searchFiles([probeDir], marker).hits.length, 1);
    fs.rmSync(probeDir, { recursive: true, force: true });

    // code-server's user-data dir: logs (the extension's output channel), User/settings.json,
    // workspaceStorage and globalStorage (state.vscdb, raw bytes); and test-results (logs,
    // screenshots and their names, the sandbox log).
    const userData = path.join(wb.server.runDir, 'user-data');
    const outputLogs = searchFiles([path.join(userData, 'logs')], 'Managed HSM');
    assert.ok(outputLogs.hits.length > 0, 'the extension\'s output channel log was not found under the user-data dir');
    const { hits, filesSearched } = searchFiles([userData, wb.server.logFile, testResultsDir], marker);
    assert.ok(filesSearched > 10, `only ${filesSearched} files searched`);
    assert.ok(fs.existsSync(path.join(userData, 'User', 'settings.json')));
    assert.ok(fs.readdirSync(screenshotsDir).some((f) => f.startsWith('form-')));
    assert.deepEqual(hits, []);
  });
});
