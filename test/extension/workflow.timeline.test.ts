import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { retireOldKeyVersionCommand, rotateKeyVersionCommand } from '../../src/commands/setup/keyVersionRotationCommands';
import { renewClientSecretCommand } from '../../src/commands/setup/renewClientSecret';
import type { SetupDeps } from '../../src/commands/setup/setupDeps';
import { StoredClientSecrets } from '../../src/commands/setup/storedClientSecrets';
import { ManagedHsmKeys } from '../../src/azure/keys';
import { clientSecretPath } from '../../src/core/expiry/expiryPath';
import type { KeyVersionSwitchRecord } from '../../src/core/expiry/waitingPeriod';
import type { ExtensionApi } from '../../src/extension';
import { getHealth } from '../../src/secretServer/health';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { getKeyManagement, listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { getRotationStatus } from '../../src/secretServer/rotation';
import { interpretRotation } from '../../src/secretServer/rotationProgress';
import { SecretServerSession } from '../../src/secretServer/session';
import { childRows, explorerApi, signedIn, type Row } from './explorerApi';
import { advanceSandboxClock, hsmOf, world } from './sandboxWorld';
import { installScriptedUi, ScriptedUi } from './scriptedSetupUi';
import { keyRow, versionRows } from './setupTree';
import { sandboxEndpoints, type SandboxSecretServerUser } from './sandboxConfig';

// Time moves on the sandbox clock, and the extension judges expiry by the services' time (their
// Date headers): the seeded client secret expires and Secret Server turns unhealthy; the guided
// renewal restores health and removes the old secret only at the end; then the key-version
// rotation switches Secret Server, refuses to retire the previous version during the waiting
// period (and while a version is in use), and retires it a simulated day later.
// This file sorts last on purpose: the sandbox clock only moves forward.

const hsmName = 'contoso-mhsm-eus';
const keyName = 'secret-server-key';

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('Expiry over time: renewal and key-version rotation in a real extension host', function () {
  this.timeout(240_000);
  let api: ExtensionApi;
  let ui: ScriptedUi;
  let admin: SandboxSecretServerUser;
  let adminSession: SecretServerSession;
  let connection: Row;
  let record: KeyVersionSwitchRecord | undefined;

  /** The connection's rows, reloaded (the next response's Date header tells the extension the time). */
  async function connectionRows(): Promise<Row[]> {
    await vscode.commands.executeCommand('mhsm.refresh', connection.node);
    return childRows(api.secretServer, connection.node);
  }

  async function healthText(): Promise<string> {
    return (await connectionRows()).find((r) => r.label === 'Health')?.description ?? '(no Health row)';
  }

  /**
   * The flows as their commands run them, on the extension's own explorer, services and secret
   * storage; called directly so that a failure reaches the test with its message (the registered
   * commands show errors instead). The registrations are checked separately.
   */
  function setupDeps(): SetupDeps {
    return { explorer: api, ui: () => ui, stored: new StoredClientSecrets(api.services.secrets, api.services.state) };
  }

  /** After the clock moved: the sign-in's cached tokens belong to the old time. */
  async function afterClockMoved(): Promise<void> {
    await vscode.commands.executeCommand('sandboxSignin.forgetTokens');
  }

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
    const { endpoints: e, caPem } = sandboxEndpoints();
    admin = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    const hsm = e.hsms.find((h) => h.name === hsmName)!;
    adminSession = new SecretServerSession({ url: e.secretServer.url, username: admin.username, caPem, credentials: { getPassword: async () => admin.password } });
    const type = findKeyManagementType(await listKeyManagementTypes(adminSession), 'azureManagedHsm');
    assert.ok(type);
    const keyUrl = `${hsm.uri.replace(/\/$/, '')}/keys/${keyName}`;
    // The guard-rails suite ends by deleting the key in use (soft delete): recover it, as an
    // administrator would, through the extension's own HSM client.
    if (hsmOf(await world(), hsmName).deletedKeys.some((d) => d.key.name === keyName)) {
      await new ManagedHsmKeys(api.services.cloud(), api.services.credential({ tenantId: e.tenantId, interactive: false }), hsm.uri, { displayName: hsmName, pollIntervalMs: 500 }).recoverKey(keyName);
    }
    // Earlier suites leave Secret Server in their own state: wait for their rotation, then start
    // from the seeded app and key (saved even when they match, so the seeded secret is the one in use).
    await until('an earlier secret key rotation to finish', async () => (interpretRotation(await getRotationStatus(adminSession)).done ? true : undefined), 180_000);
    await updateKeyManagement(adminSession, { type, azureManagedHsm: { tenantId: e.tenantId, principalId: e.expiringApp.clientId, principalSecret: e.expiringApp.clientSecret, keyUrl } });
    await api.addSecretServerConnection({ url: e.secretServer.url, username: admin.username, password: admin.password });
    connection = (await childRows(api.secretServer)).find((r) => r.description === admin.username)!;
    assert.ok(connection, 'the connection is listed');
    // A configuration change starts a secret key rotation; the next change must wait for its end.
    await until('the secret key rotation to finish', async () => (interpretRotation(await getRotationStatus(adminSession)).done ? true : undefined), 180_000);
    let lastHealth = '';
    await until('Secret Server healthy before time moves', async () => {
      lastHealth = await healthText();
      return lastHealth === 'healthy' ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; last health: ${lastHealth}`);
    });
  });

  beforeEach(async () => {
    ui = new ScriptedUi();
    await installScriptedUi(api, ui);
  });

  afterEach(() => ui.assertDone());

  after(async () => {
    await installScriptedUi(api, undefined);
  });

  it('registers the renewal and rotation commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['mhsm.renewClientSecret', 'mhsm.rotateKeyVersion', 'mhsm.retireOldKeyVersion']) assert.ok(commands.includes(id), id);
  });

  it('advancing the sandbox clock past the secret\'s expiry shows it expired and Secret Server unhealthy', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const app = (await world()).applications.find((a) => a.appId === e.expiringApp.clientId)!;
    const path = clientSecretPath(e.expiringApp.clientId, app.passwordCredentials[0].keyId);
    assert.notEqual(api.expiry.snapshot().assessments.find((a) => a.path === path)?.severity, 'expired');

    await advanceSandboxClock(6);
    await afterClockMoved();
    const health = await until('Secret Server unhealthy', async () => {
      const text = await healthText();
      return text.startsWith('unhealthy') ? text : undefined;
    });
    assert.match(health, /expired/i);
    // The local clock did not move: only the services' Date headers say the secret has expired.
    const assessment = await until('the secret judged expired', () => {
      const a = api.expiry.snapshot().assessments.find((x) => x.path === path);
      return a?.severity === 'expired' ? a : undefined;
    });
    assert.match(assessment.label, /expired/);
    assert.equal(api.expiry.snapshot().overall.severity, 'expired');
    assert.match(api.expiry.statusBar()?.tooltip ?? '', /expired/);
  });

  it('the guided renewal restores health and removes the old secret only after the new one is proven', async () => {
    const { endpoints: e } = sandboxEndpoints();
    const before = (await world()).applications.find((a) => a.appId === e.expiringApp.clientId)!;
    const oldKeyId = before.passwordCredentials[0].keyId;
    let atRemovalQuestion: Promise<{ secrets: string[]; health: string }> | undefined;
    ui.script(
      { pick: '180 days' },
      { confirm: 'Renew and rotate', checkConfirm: (_m, detail) => assert.match(detail ?? '', /Maintenance Mode will be enabled and a Secret Key Rotation will be triggered/) },
      { confirm: 'Keep in VS Code' },
      {
        confirm: 'Remove old secret',
        checkConfirm: () => {
          // Read through the sandbox, not the extension's clients: both secrets exist, Secret Server is healthy.
          atRemovalQuestion = (async () => ({
            secrets: (await world()).applications.find((a) => a.appId === e.expiringApp.clientId)!.passwordCredentials.map((p) => p.keyId),
            health: JSON.stringify(await getHealth(adminSession)),
          }))();
        },
      },
    );
    const outcome = await renewClientSecretCommand(setupDeps(), { appId: e.expiringApp.clientId, keyId: oldKeyId });
    assert.equal(outcome.oldRemoved, true);
    assert.equal(outcome.kept, true);
    // Kept means found again: the rotation below reads it from the index instead of asking.
    const stored = setupDeps().stored;
    const kept = stored.newestFor(e.tenantId, e.expiringApp.clientId);
    assert.ok(kept, 'the kept secret is in the index');
    assert.equal(kept.keyId, outcome.newKeyId, 'the kept secret is the newest one in the index');
    assert.ok((await stored.get(kept)) !== undefined, 'and its value is in SecretStorage');
    assert.ok(atRemovalQuestion, 'the removal was offered');
    const seen = await atRemovalQuestion;
    assert.ok(seen.secrets.includes(oldKeyId) && seen.secrets.includes(outcome.newKeyId), 'both secrets existed when removal was offered');
    assert.match(seen.health, /"healthy":true/);

    const after = (await world()).applications.find((a) => a.appId === e.expiringApp.clientId)!;
    assert.deepEqual(after.passwordCredentials.map((p) => p.keyId), [outcome.newKeyId]);
    assert.equal(await healthText(), 'healthy');
    const config = await getKeyManagement(adminSession);
    assert.equal(config.azureManagedHsm.principalId, e.expiringApp.clientId);
    const path = clientSecretPath(e.expiringApp.clientId, outcome.newKeyId);
    await until('the new secret watched as fine', () => (api.expiry.snapshot().assessments.find((a) => a.path === path)?.severity === 'ok' ? true : undefined));
  });

  it('rotates the key version: a new version, Secret Server switched to it, the waiting period shown in the tree', async () => {
    const key = await keyRow(api, hsmName, keyName);
    const versionsBefore = hsmOf(await world(), hsmName).keys.find((k) => k.name === keyName)!.versions.length;
    ui.script({ confirm: 'Create version and switch', checkConfirm: (_m, detail) => assert.match(detail ?? '', /at least 1 day/) });
    record = await rotateKeyVersionCommand(setupDeps(), key.node);
    const versions = hsmOf(await world(), hsmName).keys.find((k) => k.name === keyName)!.versions;
    assert.equal(versions.length, versionsBefore + 1);
    assert.ok(versions.some((v) => v.version === record!.newVersion && v.enabled));
    assert.ok(versions.some((v) => v.version === record!.oldVersion && v.enabled));
    const config = await getKeyManagement(adminSession);
    assert.match(config.azureManagedHsm.keyUrl ?? '', new RegExp(`/keys/${keyName}/${record.newVersion}$`));
    assert.equal(await healthText(), 'healthy');

    const refreshed = await keyRow(api, hsmName, keyName);
    assert.match(refreshed.description, /waiting period: .* left/);
    const rows = await versionRows(api, refreshed);
    assert.match(rows.find((r) => r.label === record!.oldVersion)?.description ?? '', /previous · waiting period/);
    assert.match(rows.find((r) => r.label === record!.newVersion)?.description ?? '', /Secret Server switched to it/);
  });

  it('refuses to retire or disable the previous version during the waiting period, and gates disabling the version in use', async () => {
    assert.ok(record);
    const before = JSON.stringify(hsmOf(await world(), hsmName).keys.find((k) => k.name === keyName));
    const key = await keyRow(api, hsmName, keyName);
    // Refused before any prompt: the scripted UI expects none.
    assert.equal(await vscode.commands.executeCommand('mhsm.retireOldKeyVersion', key.node), undefined);
    const old = (await versionRows(api, key)).find((r) => r.label === record!.oldVersion)!;
    assert.equal(await vscode.commands.executeCommand('mhsm.disableKeyVersion', old.node), undefined);
    // The version Secret Server uses: the guard rail wants the key's name typed; Escape.
    const inUse = (await versionRows(api, key)).find((r) => r.label === record!.newVersion)!;
    ui.script({ input: undefined, checkInput: (o) => assert.match(o.prompt, /Secret Server will be unable to decrypt any secret/) });
    assert.equal(await vscode.commands.executeCommand('mhsm.disableKeyVersion', inUse.node), undefined);
    assert.equal(JSON.stringify(hsmOf(await world(), hsmName).keys.find((k) => k.name === keyName)), before, 'nothing changed in the HSM');
  });

  it('a simulated day later, verifies health and the new version, then disables the previous version', async () => {
    assert.ok(record);
    await advanceSandboxClock(1.01);
    await afterClockMoved();
    await until('Secret Server read after the clock moved', async () => ((await healthText()) === 'healthy' ? true : undefined));
    const key = await until('the waiting period shown as over', async () => {
      const k = await keyRow(api, hsmName, keyName);
      return /waiting period over/.test(k.description) ? k : undefined;
    });
    ui.script({ pick: /^Disable version/ }, { confirm: `Disable version ${record.oldVersion}` });
    const outcome = await retireOldKeyVersionCommand(setupDeps(), key.node);
    assert.deepEqual(outcome, { version: record.oldVersion, action: 'disable' });
    const versions = hsmOf(await world(), hsmName).keys.find((k) => k.name === keyName)!.versions;
    assert.equal(versions.find((v) => v.version === record!.oldVersion)?.enabled, false);
    assert.equal(versions.find((v) => v.version === record!.newVersion)?.enabled, true);
    assert.equal(await healthText(), 'healthy');
  });
});
