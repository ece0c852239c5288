import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppSetupResult } from '../../src/commands/setup/createAppRegistration';
import type { CreatedKey } from '../../src/commands/setup/createKeys';
import type { GrantResult } from '../../src/commands/setup/grantSecretServerAccess';
import { ActivityLog } from '../../src/core/activity/activityLog';
import type { ActivityRecord } from '../../src/core/activity/activityRecord';
import type { ExtensionApi } from '../../src/extension';
import { listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { explorerApi, signedIn } from './explorerApi';
import { sandboxEndpoints } from './sandboxConfig';
import { installScriptedUi, ScriptedUi } from './scriptedSetupUi';
import { hsmRow, keyRow } from './setupTree';

// The activity log (issue 12): five kinds of change made through the extension's own commands and
// sessions — app registration (with its service principal and client secret), key, role
// assignment, and a Secret Server key management save that Secret Server refuses — each found in
// the log exactly once with the right result, and no secret in the log, globalState or the
// exported files. Named "zz" so it runs last: its changes are unique-named but real.

const hsmName = 'contoso-mhsm-eus';

interface SecretServerUser {
  username: string;
  password: string;
  otpSecret?: string;
  canManageKeys: boolean;
}

describe('Activity log in a real extension host', () => {
  let api: ExtensionApi;
  let ui: ScriptedUi;
  const suffix = randomUUID().slice(0, 8);
  const appName = `Activity ${suffix}`;
  const keyName = `activity-${suffix}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-activity-'));

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
    ui = new ScriptedUi();
    await installScriptedUi(api, ui);
  });

  after(async () => {
    await installScriptedUi(api, undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records five kinds of change once each, the refused one as failed, with no secret in the log or its exports', async function () {
    this.timeout(240_000);
    const before = new Set(api.activity.log.entries().map((r) => r.id));

    // 1–3: app registration, its service principal and a client secret (value kept only in memory here).
    ui.script({ pick: 'Contoso (sandbox)' }, { input: appName }, { input: 'Secret Server' }, { pick: '12 months' }, { confirm: "Don't keep" }, { pick: /Copy the secret value/ }, { pick: /Done/ });
    const app = (await vscode.commands.executeCommand<AppSetupResult>('mhsm.createAppRegistration'))!;
    assert.ok(app, 'the app registration was created');
    assert.equal(ui.copiedTexts.length, 1, 'the secret value was copied once');
    const clientSecret = ui.copiedTexts[0];
    assert.ok(clientSecret.length >= 20);

    // 4: the key.
    ui.script({ input: keyName });
    const key = (await vscode.commands.executeCommand<CreatedKey>('mhsm.createSecretServerKey', (await hsmRow(api, hsmName)).node))!;
    assert.equal(key.name, keyName);

    // 5: the role assignment for the app on the key.
    ui.script({ input: appName }, { pick: appName });
    const grant = (await vscode.commands.executeCommand<GrantResult>('mhsm.grantSecretServerAccess', (await keyRow(api, hsmName, keyName)).node))!;
    assert.equal(grant.created, true);
    ui.assertDone();

    // 6: a Secret Server key management save that Secret Server refuses (its test wrap fails: no such key).
    const { endpoints } = sandboxEndpoints();
    const ss = (endpoints as unknown as { secretServer: { url: string; users: SecretServerUser[] } }).secretServer;
    const user = ss.users.find((u) => u.canManageKeys && !u.otpSecret);
    assert.ok(user, 'the sandbox has a key manager without two-factor authentication');
    const connection = await api.addSecretServerConnection({ url: ss.url, username: user.username, password: user.password });
    const session = await api.sessions.session(connection);
    const hsmUri = new URL(key.keyId).origin;
    const type = findKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm');
    assert.ok(type, 'Secret Server offers Azure Managed HSM');
    await assert.rejects(
      updateKeyManagement(session, {
        type,
        azureManagedHsm: { tenantId: app.tenantId, principalId: app.clientId, principalSecret: clientSecret, keyUrl: `${hsmUri}/keys/no-such-key-${suffix}` },
      }),
      (err: Error) => !err.message.includes(clientSecret),
    );

    const fresh = () => api.activity.log.entries().filter((r) => !before.has(r.id));
    const mine = fresh();
    const summary = mine.map((r) => `${r.result} ${r.action} @ ${r.target}`).join('\n');
    const one = (action: RegExp, target: RegExp | string): ActivityRecord => {
      const matches = mine.filter((r) => action.test(r.action) && (typeof target === 'string' ? r.target.includes(target) : target.test(r.target)));
      assert.equal(matches.length, 1, `exactly one "${action.source}" on ${String(target)}; recorded:\n${summary}`);
      return matches[0];
    };
    const records = [
      one(/^Create app registration$/, app.clientId),
      one(/^Create service principal$/, app.clientId),
      one(/^Add client secret$/, '/applications/'),
      one(/^Create key$/, `/keys/${keyName}`),
      one(/^Create role assignment/, hsmUri),
      one(/^Save key management \(Azure ?Managed ?HSM/i, ss.url.replace(/\/+$/, '')),
    ];
    assert.deepEqual(records.map((r) => r.result), ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed']);
    assert.ok(records[3].target.startsWith(hsmUri));
    assert.match(records[4].action, new RegExp(grant.principalId));
    assert.ok(records[5].message, 'the refusal says why');
    assert.equal(records[5].account, user.username);
    for (const r of records.slice(0, 5)) {
      assert.equal(r.service, 'Azure');
      assert.ok(r.account && r.account !== 'unknown', `${r.action}: the Azure account is named (${r.account})`);
      assert.match(r.correlationId ?? '', /\S/, `${r.action}: a correlation id from the service`);
      assert.match(r.clientRequestId ?? '', /\S/, `${r.action}: the client request id sent`);
      assert.ok(!Number.isNaN(Date.parse(r.time)));
    }
    assert.equal(mine.filter((r) => r.result === 'failed').length, 1, `one failure only:\n${summary}`);

    // The view shows them through its filter.
    assert.ok(api.activity.shown().some((r) => r.id === records[5].id));

    // Exports, written by the command (given a file, it asks nothing).
    const csvFile = vscode.Uri.file(path.join(dir, 'activity.csv'));
    const jsonFile = vscode.Uri.file(path.join(dir, 'activity.json'));
    await vscode.commands.executeCommand('mhsm.activity.export', csvFile);
    await vscode.commands.executeCommand('mhsm.activity.export', jsonFile);
    const csv = fs.readFileSync(csvFile.fsPath, 'utf8');
    const json = JSON.parse(fs.readFileSync(jsonFile.fsPath, 'utf8')) as Record<string, string>[];
    for (const r of records) {
      assert.equal(json.filter((e) => e.time === r.time && e.action === r.action && e.result === r.result).length, 1, `${r.action} once in the JSON export`);
      assert.ok(csv.includes(r.correlationId ?? r.action), `${r.action} in the CSV export`);
    }

    // Kept across restarts: a new log reading globalState finds the same records.
    const stored = await api.activity.stored();
    const reloaded = new ActivityLog({ get: <T>() => stored as T, update: async () => undefined }, { now: () => new Date(), newId: randomUUID });
    for (const r of records) assert.deepEqual(reloaded.entries().find((e) => e.id === r.id), r, `${r.action} survives a reload`);

    // No secret anywhere: the client secret value, the Secret Server password, any bearer token.
    const places = { log: JSON.stringify(api.activity.log.entries()), globalState: JSON.stringify(stored), csv, json: JSON.stringify(json) };
    for (const [where, text] of Object.entries(places)) {
      assert.ok(!text.includes(clientSecret), `the client secret value is not in the ${where}`);
      assert.ok(!text.includes(user.password), `the Secret Server password is not in the ${where}`);
      assert.ok(!/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./.test(text), `no token in the ${where}`);
      assert.ok(!/bearer\s+[A-Za-z0-9]/i.test(text), `no bearer header in the ${where}`);
    }
    console.log(`      activity: ${mine.length} new records (${records.length} checked), export ${csv.length} B CSV / ${json.length} JSON entries`);
  });
});
