import * as assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dialog, FrameLocator, Locator, Page } from 'playwright-core';
import { openViewContainer } from './support/activityBar';
import { readClipboard } from './support/clipboard';
import { eventually } from './support/eventually';
import { answerModal } from './support/modalDialog';
import { answerInputBox as answerInput } from './support/quickInput';
import { browserStorage } from './support/browserStorage';
import { confirmMaintenance, saveAndWait, setField } from './support/keyManagementFormPage';
import { row, welcomeButton } from './support/sideBar';
import { runCommand } from './support/commandPalette';
import { sandboxControl } from './support/sandboxControl';
import { SecretScan, type Needle } from './support/secretScan';
import { contextMenu, expand, treeItemDescription, treeItems, treeView } from './support/tree';
import { provokeCspViolation, violationsBesides, watchCspViolations, webviewContent, type CspViolation } from './support/webview';
import { startWorkbench, type Workbench } from './support/workbench';
import { testResultsDir, testWorkspace } from '../../scripts/vscode/testWorkspace';
import { roleDefinitionIds, RbacTestClient } from '../support/rbacClient';
import { adminCredential } from '../support/azureClients';
import { graphClient } from '../support/graphClient';
import type { SandboxEndpoints } from '../support/sandboxProcess';

// Issue #10, "Secret hygiene" and "Webview and input security", in VS Code in Chromium. The run
// signs in (Entra tokens), adds a Secret Server connection (the password), saves key management
// with a client secret through the form (the readiness probe signs in as the app with it) and
// meets services that echo the secret in their errors. Then every place the run could have left
// text is searched for the password, the client secret and any token the sandbox issued. Along
// the way an app registration with a hostile display name and server errors with hostile text
// must render as the characters they are in the tree, its tooltips, a notification and the
// webview, and the webview runs under its CSP without a violation.

/** Everything HTML, Markdown, VS Code's link and icon syntax and Unicode can do to a name (Graph allows 256 characters). */
const hostileName = '<img src=x onerror=alert(1)><script>alert(2)</script> [x](command:mhsm.deleteKey) ![](https://evil.example/p.png) $(alert) \u202Egnp.exe p\u200Dаypal';
/** Server messages may be long; the page and the toast must still show text, not markup. */
const hostileMessage = `<img src=x onerror=alert(3)> [run](command:mhsm.deleteKey) <b>bold</b> \u202Eevil ${'L'.repeat(5000)}`;

/** Elements hostile text would have made had it been parsed as HTML or Markdown. */
async function injectedElements(root: Page | FrameLocator): Promise<number> {
  // VS Code's own acquireVsCodeApi script (#_vscodeApiScript) is the one inline script a webview has.
  const selectors = ['img[src="x"]', 'img[src^="https://evil"]', 'a[href^="command:mhsm.deleteKey"]', 'a[data-href^="command:mhsm.deleteKey"]', 'script:not([nonce]):not([src]):not(#_vscodeApiScript)'];
  let n = 0;
  for (const s of selectors) n += await root.locator(s).count();
  return n;
}

describe('Secret hygiene and hostile text in VS Code in Chromium', function () {
  let wb: Workbench;
  let sandbox: SandboxEndpoints;
  let caPem: string;
  let hsmUri: string;
  let azure: Locator;
  let ssTree: Locator;
  let form: FrameLocator;
  let csp: { violations: CspViolation[] };
  const dialogs: string[] = [];
  /** The DOM text at each screenshot: no OCR on this machine, so what the picture shows is read from the page. */
  const screenshotTexts: { name: string; text: string }[] = [];
  /** Text of every notification seen, collected as they appear. */
  const notificationTexts = new Set<string>();
  let clientSecret: string;
  let password: string;
  let hostileApp: { appId: string; id: string };
  const clipboardSentinel = `clipboard-sentinel-${Date.now()}`;

  async function shot(name: string): Promise<void> {
    await wb.screenshot(`hygiene-${name}`);
    const frameText = await webviewContent(wb.page).locator('body').innerText({ timeout: 2_000 }).catch(() => '');
    screenshotTexts.push({ name, text: `${await wb.page.locator('body').innerText()}\n${frameText}` });
  }

  async function collectNotifications(): Promise<void> {
    for (const t of await wb.page.locator('.notification-list-item-message').allTextContents()) notificationTexts.add(t);
  }

  const control = (method: string, route: string, body?: unknown) => sandboxControl(sandbox, caPem, method, route, body);

  before(async () => {
    wb = await startWorkbench({ settings: { 'workbench.tree.expandMode': 'doubleClick' }, sandboxArgs: ['--keys', '1', '--secrets', '20', '--rotation-rate', '100'] });
    sandbox = JSON.parse(fs.readFileSync(wb.sandbox.endpointsFile, 'utf8')) as SandboxEndpoints;
    caPem = fs.readFileSync(sandbox.ca, 'utf8');
    hsmUri = sandbox.hsms.find((h) => h.name === 'contoso-mhsm-eus')!.uri.replace(/\/$/, '');
    azure = treeView(wb.page, 'Azure');
    ssTree = treeView(wb.page, 'Secret Server');
    form = webviewContent(wb.page);
    const admin = sandbox.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    password = admin.password;

    // The app's owner registers an app with a hostile name, gives it a client secret and the
    // Crypto User role on the key — through the services' own APIs, as another tool would.
    const credential = adminCredential(sandbox, caPem);
    const graph = graphClient(sandbox, caPem, credential);
    const created = await graph.send('POST', '/v1.0/applications', { displayName: hostileName });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    hostileApp = created.body as { appId: string; id: string };
    const sp = await graph.send('POST', '/v1.0/servicePrincipals', { appId: hostileApp.appId });
    assert.equal(sp.status, 201, JSON.stringify(sp.body));
    const added = await graph.send('POST', `/v1.0/applications/${hostileApp.id}/addPassword`, { passwordCredential: { displayName: 'hygiene run' } });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    clientSecret = (added.body as { secretText: string }).secretText;
    const rbac = new RbacTestClient(hsmUri, credential, caPem);
    const role = await rbac.createRoleAssignment('/keys/secret-server-key', randomUUID(), roleDefinitionIds.cryptoUser, (sp.body as { id: string }).id);
    assert.equal(role.status, 201, JSON.stringify(role.body));

    wb.page.on('dialog', (d: Dialog) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
    csp = await watchCspViolations(wb.context, wb.page);
    await wb.page.reload({ timeout: 120_000 });
    await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await wb.page.evaluate((s) => navigator.clipboard.writeText(s), clipboardSentinel);
  });

  afterEach(async function () {
    if (wb) await collectNotifications().catch(() => undefined);
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`failed-hygiene-${this.currentTest.title}`);
  });

  after(async () => {
    await wb?.close();
  });

  it('signs in to Azure and adds the Secret Server connection with its password', async () => {
    await openViewContainer(wb.page, 'Managed HSM');
    await (await welcomeButton(wb.page, 'Sign in to Azure…')).click();
    assert.match(await answerModal(wb.page, 'Allow'), /wants to sign in/);
    await row(azure, 'Contoso (sandbox)');
    const admin = sandbox.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    await (await welcomeButton(wb.page, 'Add Secret Server Connection…')).click();
    await answerInput(wb.page, '(1/3)', undefined);
    await answerInput(wb.page, '(2/3)', admin.username);
    await answerInput(wb.page, '(3/3)', password);
    await row(ssTree, new URL(sandbox.secretServer.url).host);
    await shot('signed-in');
  });

  it('shows the hostile app name as text in the Azure tree and its tooltip', async () => {
    await expand(await row(azure, 'Contoso Sandbox Subscription'));
    await expand(await row(azure, 'contoso-mhsm-eus'));
    await expand(await row(azure, 'Keys'));
    await expand(await row(azure, 'secret-server-key'));
    const keyRoles = treeItems(azure, 'Role assignments').filter({ has: wb.page.locator('.label-description', { hasText: '/keys/secret-server-key' }) }).first();
    await keyRoles.waitFor({ state: 'visible', timeout: 30_000 });
    await expand(keyRoles);
    const assignment = await eventually(async () => {
      const rows = treeItems(azure, 'Managed HSM Crypto User');
      const n = await rows.count();
      for (let i = 0; i < n; i++) if ((await treeItemDescription(rows.nth(i))).includes('onerror')) return rows.nth(i);
      assert.fail('no role assignment row names the hostile app');
    }, 60_000);
    const description = await treeItemDescription(assignment);
    assert.ok(description.startsWith(`${hostileName} (ServicePrincipal`), `description: ${JSON.stringify(description)}`);
    // A tree row's aria-label is its tooltip.
    assert.ok(((await assignment.getAttribute('aria-label')) ?? '').includes(`Principal: ${hostileName}`));
    await assignment.hover();
    await shot('hostile-role-assignment');
    assert.equal(await injectedElements(wb.page), 0);
  });

  it('saves key management with the client secret through the form, whose webview runs under a nonce CSP', async () => {
    await contextMenu(await row(azure, 'secret-server-key'), 'Configure Secret Server Key Management…');
    await form.locator('#save').waitFor({ state: 'visible', timeout: 60_000 });
    const content = await form.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content', { timeout: 10_000 });
    assert.match(content ?? '', /(^|;)\s*default-src 'none'\s*(;|$)/);
    assert.match(content ?? '', /script-src 'nonce-[A-Za-z0-9_-]{16,}'/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(content ?? ''), content ?? '');
    // Every script of the extension's page carries the nonce and is a file, not inline code.
    // VS Code itself prepends acquireVsCodeApi (#_vscodeApiScript) before the page's CSP applies.
    const scripts = await form.locator('script:not(#_vscodeApiScript)').evaluateAll((els) => els.map((e) => ({ nonce: e.hasAttribute('nonce'), src: (e as HTMLScriptElement).src, inline: (e.textContent ?? '').trim().length })));
    assert.ok(scripts.length >= 1);
    for (const s of scripts) assert.ok(s.nonce && s.src && s.inline === 0, JSON.stringify(s));
    // No inline event handlers anywhere.
    assert.equal(await form.locator('[onclick],[onload],[onerror],[onmouseover]').count(), 0);

    await setField(form, 'principalId', hostileApp.appId);
    await setField(form, 'principalSecret', clientSecret);
    await confirmMaintenance(form);
    const { status, summary } = await saveAndWait(form);
    assert.match(status, /^Saved\./, `not saved: ${summary}`);
    await eventually(async () => assert.match((await form.locator('#rotation-text').textContent()) ?? '', /The last secret key rotation completed\./), 150_000, 500);
    await shot('form-saved');
  });

  it('shows the hostile app name as text in the Secret Server tree', async () => {
    const app = await eventually(async () => {
      const r = await row(ssTree, 'App registration', 5_000);
      assert.ok((await treeItemDescription(r)).includes(hostileApp.appId));
      return r;
    }, 90_000);
    assert.equal(await treeItemDescription(app), `${hostileName} (${hostileApp.appId})`);
    assert.ok(((await app.getAttribute('aria-label')) ?? '').startsWith(`App ${hostileName}\n`) || ((await app.getAttribute('aria-label')) ?? '').includes(`App ${hostileName}`));
    await app.hover();
    await shot('hostile-app-secret-server-tree');
    assert.equal(await injectedElements(wb.page), 0);
  });

  it('shows a hostile Secret Server error that quotes the secret as masked text in the form', async () => {
    await control('POST', '/error-replies', { service: 'secretServer', method: 'PUT', path: '^/api/v1/key-management$', status: 400, code: 'API_ValidationFailed', message: `${hostileMessage} secret='{request:azureManagedHsmPrincipalSecret}' again {request:azureManagedHsmPrincipalSecret}` });
    try {
      await setField(form, 'principalSecret', clientSecret);
      await confirmMaintenance(form);
      const { status, summary } = await saveAndWait(form);
      assert.doesNotMatch(status, /^Saved\./);
      const shown = `${summary}\n${(await form.locator('body').innerText()).slice(0, 20_000)}`;
      assert.ok(shown.includes('<img src=x onerror=alert(3)>'), `the server's text is not shown literally: ${summary.slice(0, 400)}`);
      assert.ok(shown.includes('[run](command:mhsm.deleteKey)'));
      assert.ok(!shown.includes(clientSecret), 'the form shows the echoed secret');
      assert.equal(await injectedElements(form), 0);
      assert.equal(await form.locator('b').count(), 0, 'a <b> from the server became an element');
      await shot('form-hostile-error');
    } finally {
      await control('DELETE', '/error-replies');
    }
  });

  it('shows a hostile sign-in error that quotes the password as plain text in a notification, with no link', async () => {
    await control('POST', '/error-replies', { service: 'secretServer', method: 'POST', path: '^/oauth2/token$', status: 400, code: 'API_AuthenticationFailed', message: `${hostileMessage} password '{request:password}' for {request:username}` });
    try {
      const other = sandbox.secretServer.users.find((u) => !u.canManageKeys)!;
      await runCommand(wb.page, 'Managed HSM: Add Secret Server Connection…');
      await answerInput(wb.page, '(1/3)', undefined);
      await answerInput(wb.page, '(2/3)', other.username);
      await answerInput(wb.page, '(3/3)', password);
      // An authentication refusal asks for a one-time code; there is none.
      const otp = wb.page.locator('.quick-input-widget').filter({ hasText: 'Two-factor authentication' });
      await otp.waitFor({ state: 'visible', timeout: 60_000 }).then(
        () => wb.page.keyboard.press('Escape'),
        () => undefined,
      );
      const toast = wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'onerror' }).first();
      await toast.waitFor({ state: 'visible', timeout: 60_000 });
      const message = (await toast.locator('.notification-list-item-message').textContent()) ?? '';
      notificationTexts.add(message);
      assert.ok(message.includes('<img src=x onerror=alert(3)>'), message.slice(0, 400));
      assert.ok(!message.includes(password), 'the notification shows the echoed password');
      assert.ok(!message.includes('\u202E'), 'a direction override reached the notification');
      // VS Code turns [label](command:…) in a message into a link; none may exist.
      const links = toast.locator('.notification-list-item-message a');
      assert.equal(await links.count(), 0, `links in the message: ${await links.evaluateAll((as) => as.map((a) => a.outerHTML).join(' '))}`);
      assert.equal(await injectedElements(wb.page), 0);
      await shot('notification-hostile-error');
      await toast.hover();
      await toast.locator('.codicon-notifications-clear').click().catch(() => wb.page.keyboard.press('Escape'));
    } finally {
      await control('DELETE', '/error-replies');
    }
  });

  it('opened no dialog and reported no CSP violation in the browser (its watcher sees the webview frame)', async () => {
    assert.deepEqual(dialogs, []);
    const canary = await provokeCspViolation(form);
    assert.deepEqual(await violationsBesides(csp, canary), []);
  });

  it('leaves no password, client secret or token anywhere the run could write', async function () {
    this.timeout(300_000);
    const stateDir = path.dirname(wb.sandbox.endpointsFile);
    const world = JSON.parse(fs.readFileSync(path.join(stateDir, 'world.json'), 'utf8')) as {
      refreshTokens?: Record<string, unknown>;
      secretServer?: { sessions?: { accessTokenHash?: string; refreshTokenHash?: string }[] };
    };
    const ssTokenHashes = new Set((world.secretServer?.sessions ?? []).flatMap((s) => [s.accessTokenHash, s.refreshTokenHash]).filter((h): h is string => !!h));
    assert.ok(ssTokenHashes.size > 0, 'the sandbox holds no Secret Server session: the run never signed in');
    const needles: Needle[] = [
      { name: 'Secret Server password', value: password },
      { name: 'client secret', value: clientSecret },
      {
        name: 'Entra access token (JWT issued by the sandbox)',
        pattern: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/g,
        confirm: (jwt) => {
          try {
            const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { iss?: string };
            // Any token with an issuer counts: the sandbox's, or one of a tenant it federates.
            return typeof claims.iss === 'string' && claims.iss.length > 0;
          } catch {
            return false;
          }
        },
      },
      { name: 'Entra refresh token', pattern: /sandbox-rt\.[0-9a-f]{64}/g },
      {
        name: 'Secret Server access/refresh token',
        pattern: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{64}(?![A-Za-z0-9_-])/g,
        confirm: (t) => ssTokenHashes.has(createHash('sha256').update(t).digest('base64url')),
      },
    ];
    const scan = new SecretScan(needles);

    // The scanner finds what it looks for (UTF-16LE inside binary, a name, a token shape).
    const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-hygiene-probe-'));
    const probe = new SecretScan(needles);
    fs.writeFileSync(path.join(probeDir, 'a.bin'), Buffer.concat([Buffer.from([0, 1]), Buffer.from(password, 'utf16le')]));
    fs.writeFileSync(path.join(probeDir, 'b.txt'), `x sandbox-rt.${'ab'.repeat(32)} y`);
    probe.files('probe', [probeDir]);
    fs.rmSync(probeDir, { recursive: true, force: true });
    assert.deepEqual(probe.hits.map((h) => h.needle).sort(), ['Entra refresh token', 'Secret Server password']);

    // The page, as the user sees it now, and the webview's DOM.
    scan.text('workbench DOM (all text and attributes)', 'page', await wb.page.locator('html').evaluate((e) => e.outerHTML));
    scan.text('webview DOM and form fields', 'key management form', await form.locator('html').evaluate((e) => e.outerHTML));
    scan.text('webview DOM and form fields', 'principal secret field', await form.locator('#principalSecret input').inputValue());
    // Error messages shown: every notification seen during the run, and the notification centre.
    for (const t of notificationTexts) scan.text('notifications shown', 'toast', t);
    await runCommand(wb.page, 'Notifications: Show Notifications');
    for (const t of await wb.page.locator('.notifications-center .notification-list-item-message').allTextContents()) scan.text('notifications shown', 'notification centre', t);
    // Screenshots: what each showed, as DOM text (no OCR here), and below the PNG files themselves.
    for (const s of screenshotTexts) scan.text('screenshot text (DOM at capture, no OCR)', s.name, s.text);
    // The clipboard: no flow here copies a secret, so it still holds what the test put there.
    const clipboard = await readClipboard(wb.page);
    scan.text('clipboard', 'navigator.clipboard', clipboard);
    assert.equal(clipboard, clipboardSentinel, 'a flow that copies nothing changed the clipboard');
    // Browser storage, where VS Code in the browser keeps webview state and extension state.
    // SecretStorage ("secret://" keys) is the one place secrets belong; it is left out.
    const stored = await browserStorage(wb.page);
    let secretStorageEntries = 0;
    for (const s of stored) {
      if (/secret:\/\//.test(s.where)) secretStorageEntries++;
      else scan.text('browser storage (IndexedDB, localStorage, sessionStorage; webview state)', s.where, s.text);
    }

    // Files. code-server's user data: output channel logs, settings, state databases.
    const userData = path.join(wb.server.runDir, 'user-data');
    const logs = path.join(userData, 'logs');
    assert.ok(scan.files('output channel and extension host logs (user-data/logs)', [logs]) > 0);
    const outputChannelLog = [...(function* walk(d: string): Generator<string> {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) yield* walk(path.join(d, e.name));
        else yield path.join(d, e.name);
      }
    })(logs)].filter((f) => /Managed HSM/.test(path.basename(f)) || fs.readFileSync(f, 'utf8').includes('Secret Server'));
    assert.ok(outputChannelLog.length > 0, 'the extension\'s output channel log was not found');
    assert.ok(fs.existsSync(path.join(userData, 'User', 'settings.json')));
    scan.files('user settings.json', [path.join(userData, 'User', 'settings.json')]);
    scan.files('workspace settings and files', [testWorkspace]);
    scan.files('globalState and extension global storage (User/globalStorage, state.vscdb raw bytes)', [path.join(userData, 'User', 'globalStorage')]);
    scan.files('workspaceState (User/workspaceStorage, state.vscdb raw bytes)', [path.join(userData, 'User', 'workspaceStorage')]);
    scan.files('rest of code-server user data (History, caches, machine id)', [userData]);
    scan.files('code-server run dir (extensions, home, tmp)', [wb.server.runDir]);
    // Every test artefact: logs, screenshots (bytes and names), the sandbox's and the server's log.
    assert.ok(fs.readdirSync(path.join(testResultsDir, 'screenshots')).some((f) => f.startsWith('hygiene-')));
    scan.files('test-results (screenshots, code-server log, sandbox log, other artefacts)', [testResultsDir]);
    scan.files('code-server log (if outside test-results)', [wb.server.logFile]);

    console.log(scan.report());
    const databases = [...new Set(stored.map((s) => /^indexedDB:([^/]+)/.exec(s.where)?.[1]).filter(Boolean))];
    console.log(`        (browser IndexedDB databases searched: ${databases.join(', ')}; SecretStorage entries left out: ${secretStorageEntries})`);
    assert.deepEqual(scan.hits, []);
    assert.ok(scan.summary().length >= 12, `only ${scan.summary().length} locations searched`);
  });
});
