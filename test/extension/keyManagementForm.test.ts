import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import type { SecretStore } from '../../src/auth/secretStore';
import { sandboxCloud, type SandboxEndpointsFile } from '../../src/azure/cloud';
import { getReadOnlyMode } from '../../src/secretServer/readOnlyMode';
import { getRotationStatus, startRotation } from '../../src/secretServer/rotation';
import { SecretServerSession } from '../../src/secretServer/session';
import { registerKeyManagementForm } from '../../src/webview/keyManagementFeature';
import type { KeyManagementFormDeps } from '../../src/webview/keyManagementFormDeps';

// The key management form in a real extension host: the panel's HTML carries a CSP with a fresh
// nonce and loads only the bundled page, and the page really runs under that CSP — its `ready`
// handshake reaches the host, which answers, and the page then asks for the connection's state.

const extensionId = `${manifest.publisher}.${manifest.name}`;

interface Endpoints extends SandboxEndpointsFile {
  hsms: { name: string; uri: string }[];
  secretServer: { url: string; users: { username: string; password: string; otpSecret?: string; canManageKeys: boolean }[] };
}

function sandbox(): { e: Endpoints; caPem: string } {
  const file = vscode.workspace.getConfiguration('mhsm.sandbox').get<string>('endpointsFile') || process.env.MHSM_SANDBOX_ENDPOINTS;
  if (!file) throw new Error('mhsm.sandbox.endpointsFile is not set');
  const e = JSON.parse(fs.readFileSync(file, 'utf8')) as Endpoints;
  return { e, caPem: fs.readFileSync(e.ca, 'utf8') };
}

function until<T>(what: string, ms: number, register: (done: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    register((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

describe('Key management form in a real extension host', () => {
  const subscriptions: vscode.Disposable[] = [];
  after(() => {
    for (const d of subscriptions.splice(0)) d.dispose();
  });

  it('renders a CSP with a per-render nonce, runs the page under it and completes the ready handshake', async function () {
    this.timeout(90_000);
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    const { e, caPem } = sandbox();
    const user = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret);
    assert.ok(user, 'the sandbox has a key manager without two-factor authentication');
    const cloud = sandboxCloud(e, caPem);
    const logged: string[] = [];
    const stored = new Map<string, string>();
    const secrets: SecretStore = { get: async (k) => stored.get(k), store: async (k, v) => void stored.set(k, v), delete: async (k) => void stored.delete(k) };
    let listed = 0;
    let initSent: (v: true) => void = () => undefined;
    let sessionAsked: (id: string) => void = () => undefined;
    const initialised = until<true>('the host to answer ready with init', 45_000, (done) => (initSent = done));
    const selected = until<string>('the page to ask for the connection', 45_000, (done) => (sessionAsked = done));

    const deps: KeyManagementFormDeps = {
      log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
      cloud: () => cloud,
      listConnections: () => {
        listed++;
        initSent(true);
        return [{ id: 'sandbox', label: 'Sandbox Secret Server' }];
      },
      getSession: async (id) => {
        sessionAsked(id);
        return new SecretServerSession({ url: e.secretServer.url, username: user.username, caPem, credentials: { getPassword: async () => user.password } });
      },
      credential: () => ({ getToken: async () => null }),
      secrets,
      now: () => new Date(),
    };
    const feature = registerKeyManagementForm({ extensionUri: extension.extensionUri, subscriptions }, deps);
    const keyUrl = `${e.hsms[0].uri.replace(/\/$/, '')}/keys/some-key`;
    const panel = feature.openForm({ keyUrl });

    const html = panel.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'the page has no CSP meta tag');
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(csp)?.[1];
    assert.ok(nonce, `no script nonce in the CSP: ${csp}`);
    assert.match(csp, /^default-src 'none';/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0][1].includes(`nonce="${nonce}"`));
    assert.equal(scripts[0][2].trim(), '');
    assert.match(scripts[0][1], /src="[^"]+\/dist\/webview\/keyManagementForm\.js"/);
    assert.ok(!/<style[\s>]|\sstyle=/.test(html));
    const options = panel.webviewPanel.webview.options;
    assert.deepEqual(
      (options.localResourceRoots ?? []).map((u) => u.path.slice(extension.extensionUri.path.length)),
      ['/dist/webview', '/media'],
    );

    // The page's script ran (it was allowed by the nonce) and spoke the protocol.
    await initialised;
    assert.equal(await selected, 'sandbox');

    // A new panel renders a new nonce.
    panel.dispose();
    const again = feature.openForm({});
    const nonce2 = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(again.html)?.[1];
    assert.ok(nonce2);
    assert.notEqual(nonce2, nonce);
    // Closed only once its page has loaded too (disposing mid-open only makes the workbench log noise).
    const before = listed;
    for (let i = 0; i < 150 && listed === before; i++) await new Promise((r) => setTimeout(r, 200));
    assert.ok(listed > before, 'the second page did not complete its ready handshake');
    again.dispose();
    assert.ok(!logged.some((l) => /malformed message/.test(l)), `the host rejected a page message: ${logged.join('\n')}`);
  });

  it('follows a rotation under a progress notification and cancels it on request, outliving the form', async function () {
    this.timeout(120_000);
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    const { e, caPem } = sandbox();
    const user = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret);
    assert.ok(user);
    const session = () => new SecretServerSession({ url: e.secretServer.url, username: user.username, caPem, credentials: { getPassword: async () => user.password } });
    const logged: string[] = [];
    let pageReady = 0;
    const deps: KeyManagementFormDeps = {
      log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
      cloud: () => sandboxCloud(e, caPem),
      listConnections: () => {
        pageReady++;
        return [{ id: 'sandbox', label: 'Sandbox Secret Server' }];
      },
      getSession: async () => session(),
      credential: () => ({ getToken: async () => null }),
      secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined },
      now: () => new Date(),
      rotationPollMs: 200,
    };
    const feature = registerKeyManagementForm({ extensionUri: extension.extensionUri, subscriptions }, deps);
    // The form is opened and closed again: following does not depend on it.
    const form = feature.openForm({});
    for (let i = 0; i < 150 && pageReady === 0; i++) await new Promise((r) => setTimeout(r, 200));
    form.dispose();

    const s = session();
    const since = await getRotationStatus(s);
    await startRotation(s);
    const updates: string[] = [];
    feature.followers.onDidUpdate((u) => updates.push(u.rotation.state));
    const followed = feature.followers.follow('sandbox', 'Sandbox Secret Server', s, since);
    assert.equal(feature.followers.isFollowing('sandbox'), true);
    await feature.followers.cancel('sandbox');
    const final = await followed;
    assert.equal(final.rotation.state, 'cancelled', `ended as ${final.rotation.state}: ${final.rotation.message ?? ''}`);
    assert.equal(final.rotation.done, true);
    assert.ok(final.audit?.action, 'the latest audit entry is reported');
    assert.ok(updates.length > 0 && updates[updates.length - 1] === 'cancelled');
    assert.ok(logged.some((l) => /cancel requested/.test(l)));
    // Leave the server as the next suites expect it: no rotation, maintenance mode off.
    for (let i = 0; i < 100 && (await getReadOnlyMode(s)); i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await getReadOnlyMode(s), false);
  });
});
