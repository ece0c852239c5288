import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AppSetupResult } from '../../src/commands/setup/createAppRegistration';
import type { CreatedKey, CreatedVersion } from '../../src/commands/setup/createKeys';
import type { GrantResult } from '../../src/commands/setup/grantSecretServerAccess';
import type { ReadinessCommandResult } from '../../src/commands/setup/checkReadiness';
import type { ExtensionApi } from '../../src/extension';
import { explorerApi, signedIn } from './explorerApi';
import { installScriptedUi, ScriptedUi } from './scriptedSetupUi';
import { hsmRow, keyRow } from './setupTree';
import { hsmOf, world } from './sandboxWorld';

// The seed's Task 1 as a new user performs it with the setup commands — app registration and
// client secret, key, role — then the readiness check, all against the sandbox, with every prompt
// answered from a script. Results are read from the sandbox's own state, not the extension's.
// (Named workflow.* so it runs after the sign-in and tree suites, which expect a fresh sandbox.)

const hsmName = 'contoso-mhsm-eus';
const cryptoUser = '21dbd100-6940-42c2-9190-5d6cb909625b';
const day = 86_400_000;

describe('Setting up Azure for Secret Server (Task 1) in a real extension host', () => {
  let api: ExtensionApi;
  let ui: ScriptedUi;
  const suffix = randomUUID().slice(0, 8);
  const appName = `Secret Server ${suffix}`;
  const keyName = `ss-task1-${suffix}`;
  let app: AppSetupResult;

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
  });

  beforeEach(async () => {
    ui = new ScriptedUi();
    await installScriptedUi(api, ui);
  });

  afterEach(() => ui.assertDone());

  after(async () => installScriptedUi(api, undefined));

  it('creates the app registration, its service principal and a 12-month client secret, with Back to correct the name', async () => {
    const started = Date.now();
    ui.script(
      // The admin reaches two tenants (Fabrikam requires MFA), so the command asks which one.
      {
        pick: 'Contoso (sandbox)',
        checkPick: (items) => assert.deepEqual(items.map((i) => i.label), ['Contoso (sandbox)', 'Fabrikam (sandbox, MFA required)']),
      },
      { input: 'first name' },
      { back: 'input' },
      { input: appName, checkInput: (o) => assert.equal(o.value, 'first name', 'Back keeps the earlier answer') },
      { input: 'Secret Server' },
      {
        pick: '12 months',
        checkPick: (items) => {
          assert.deepEqual(items.map((i) => i.label), ['3 months', '6 months', '12 months', '18 months', '24 months'], 'no "never expires" choice');
          assert.equal(items.find((i) => i.picked)?.label, '12 months');
        },
      },
      { confirm: 'Keep in VS Code' },
      { pick: /Copy the secret value/, checkPick: (_items, o) => assert.match(o.placeHolder ?? '', /Tenant ID .* · Client ID [0-9a-f-]{36}/) },
      { pick: /Done/ },
    );
    app = (await vscode.commands.executeCommand<AppSetupResult>('mhsm.createAppRegistration'))!;
    assert.ok(app, 'the command returned its result');
    assert.equal(ui.copied, 1);
    assert.equal(app.handOff.stored, true);
    assert.equal(JSON.stringify(app).includes('secretText'), false, 'the result carries no secret value');

    const w = await world();
    const created = w.applications.find((a) => a.appId === app.clientId);
    assert.ok(created, 'the app registration exists in Entra');
    assert.equal(created.displayName, appName);
    assert.equal(created.passwordCredentials.length, 1);
    assert.equal(created.passwordCredentials[0].displayName, 'Secret Server');
    const months = (Date.parse(created.passwordCredentials[0].endDateTime) - started) / day;
    assert.ok(months > 360 && months < 370, `expires in about 12 months (${months.toFixed(0)} days)`);
    const sp = w.servicePrincipals.find((s) => s.appId === app.clientId);
    assert.ok(sp, 'its service principal exists');
    assert.equal(sp.id, app.servicePrincipalObjectId);
  });

  it('adds a second client secret (6 months, not kept) to the existing app, chosen by name', async () => {
    ui.script(
      { pick: 'Contoso (sandbox)' },
      { input: appName.slice(0, 16) },
      { pick: appName },
      { input: 'Secret Server renewal' },
      { pick: '6 months' },
      { confirm: "Don't keep" },
      { pick: /Done/ },
    );
    const result = (await vscode.commands.executeCommand<AppSetupResult>('mhsm.addClientSecret'))!;
    assert.equal(result.clientId, app.clientId);
    assert.equal(result.handOff.stored, false);
    const creds = (await world()).applications.find((a) => a.appId === app.clientId)!.passwordCredentials;
    assert.deepEqual(creds.map((c) => c.displayName).sort(), ['Secret Server', 'Secret Server renewal']);
  });

  it('refuses to create a key in an HSM that is not activated, and says why', async () => {
    const before = JSON.stringify(hsmOf(await world(), 'contoso-mhsm-weu').keys);
    const weu = await hsmRow(api, 'contoso-mhsm-weu');
    const result = await vscode.commands.executeCommand('mhsm.createSecretServerKey', weu.node);
    assert.equal(result, undefined, 'no key was created');
    assert.deepEqual(ui.prompts, [], 'nothing was asked');
    assert.equal(JSON.stringify(hsmOf(await world(), 'contoso-mhsm-weu').keys), before);
  });

  it('creates the Secret Server key: name checked against Managed HSM rules, oct-HSM 256, wrapKey+unwrapKey, not exportable', async () => {
    const eus = await hsmRow(api, hsmName);
    ui.script({
      input: keyName,
      checkInput: (o) => {
        assert.match(o.validate?.('has_underscore') ?? '', /letters, digits and hyphens/);
        assert.match(o.validate?.('x'.repeat(128)) ?? '', /at most 127/);
        assert.equal(o.validate?.('good-name-1'), undefined);
      },
    });
    const created = (await vscode.commands.executeCommand<CreatedKey>('mhsm.createSecretServerKey', eus.node))!;
    assert.equal(created.name, keyName);
    const key = hsmOf(await world(), hsmName).keys.find((k) => k.name === keyName);
    assert.ok(key, 'the key exists in the HSM');
    assert.equal(key.kty, 'oct-HSM');
    assert.equal(key.keySize, 256);
    assert.deepEqual([...key.versions[0].keyOps].sort(), ['unwrapKey', 'wrapKey']);
    assert.equal(key.versions[0].exportable, false);
    assert.ok((await keyRow(api, hsmName, keyName)).contextValue.includes('secretServerCompatible'), 'the new key shows in the tree as compatible');
  });

  it('explains a name held by a soft-deleted key and recovers it instead of failing with 409', async () => {
    const eus = await hsmRow(api, hsmName);
    ui.script(
      { input: 'retired-key' },
      {
        confirm: 'Recover',
        checkConfirm: (message, detail, buttons) => {
          assert.match(message, /belongs to a deleted key/);
          assert.match(detail ?? '', /purge protection/);
          assert.deepEqual(buttons, ['Recover'], 'no purge offered when the HSM has purge protection');
        },
      },
    );
    const created = (await vscode.commands.executeCommand<CreatedKey>('mhsm.createSecretServerKey', eus.node))!;
    assert.equal(created.recovered, true);
    const hsm = hsmOf(await world(), hsmName);
    assert.ok(hsm.keys.some((k) => k.name === 'retired-key'));
    assert.ok(!hsm.deletedKeys.some((d) => d.key.name === 'retired-key'));
  });

  it('labels the other key types of the generic "Create key" as not usable by Secret Server', async () => {
    const eus = await hsmRow(api, hsmName);
    ui.script(
      { input: `rsa-${suffix}` },
      {
        pick: 'RSA 2048 (RSA-HSM)',
        checkPick: (items) => {
          assert.equal(items.filter((i) => i.description === 'usable by Secret Server').length, 1);
          assert.ok(items.filter((i) => i.label !== items[0].label).every((i) => i.description === 'not usable by Secret Server'));
        },
      },
    );
    await vscode.commands.executeCommand('mhsm.createKey', eus.node);
    assert.equal(hsmOf(await world(), hsmName).keys.find((k) => k.name === `rsa-${suffix}`)?.kty, 'RSA-HSM');
  });

  it("grants Crypto User at /keys/<name> to the app's service principal object id, and is idempotent", async () => {
    const key = await keyRow(api, hsmName, keyName);
    const grant = async () => {
      ui.script({ input: appName }, { pick: appName });
      return (await vscode.commands.executeCommand<GrantResult>('mhsm.grantSecretServerAccess', key.node))!;
    };
    const first = await grant();
    assert.equal(first.created, true);
    assert.equal(first.principalId, app.servicePrincipalObjectId);
    const mine = () => hsmOf(w, hsmName).roleAssignments.filter((a) => a.principalId === app.servicePrincipalObjectId);
    let w = await world();
    assert.equal(mine().length, 1);
    assert.equal(mine()[0].scope, `/keys/${keyName}`);
    assert.match(mine()[0].roleDefinitionId, new RegExp(`${cryptoUser}$`));

    const second = await grant();
    assert.equal(second.created, false);
    w = await world();
    assert.equal(mine().length, 1, 'running it again created nothing');
    assert.match(ui.notices.join('\n'), /already holds Managed HSM Crypto User/);
  });

  it('warns when the app already holds a role at a broader scope than the key', async () => {
    const key = await keyRow(api, hsmName, keyName);
    const automation = 'Sandbox administrator automation';
    ui.script({ input: automation }, { pick: automation });
    const result = (await vscode.commands.executeCommand<GrantResult>('mhsm.grantSecretServerAccess', key.node))!;
    assert.deepEqual(result.broaderScopes, ['/']);
    assert.match(ui.notices.join('\n'), /also holds .* at \/, which reaches more keys than Secret Server needs/);
  });

  it('runs the readiness check with the stored secret: the live wrap/unwrap passes and nothing fails', async () => {
    const key = await keyRow(api, hsmName, keyName);
    const saved = vscode.Uri.file(path.join(os.tmpdir(), `mhsm-readiness-${suffix}.md`));
    ui.script({ pick: `App ${app.clientId}` }, { pick: /Save as Markdown/ }, { save: saved }, { pick: /Done/ });
    const result = (await vscode.commands.executeCommand<ReadinessCommandResult>('mhsm.checkReadiness', key.node))!;
    assert.equal(fs.readFileSync(saved.fsPath, 'utf8'), result.markdown, 'the report was saved as Markdown');
    fs.rmSync(saved.fsPath, { force: true });
    const byId = new Map(result.findings.map((f) => [f.id, f]));
    const failing = result.findings.filter((f) => f.status === 'fail');
    assert.deepEqual(failing.map((f) => `${f.id}: ${f.reason}`), []);
    assert.equal(byId.get('access.role')?.status, 'pass');
    assert.equal([...byId.entries()].find(([id]) => id.startsWith('access.probe') || id.startsWith('access.live'))?.[1].status, 'pass', result.findings.map((f) => `${f.id}=${f.status}`).join(', '));
    assert.match(result.markdown, new RegExp(keyName));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'mhsm-report');
    assert.ok(doc, 'the report is open as a read-only mhsm-report: document');
    assert.equal(doc.getText(), result.markdown);
  });

  it('shows a seeded non-compliant key failing with its reason, and the offered fix turns it green', async () => {
    const key = await keyRow(api, hsmName, 'disabled-key');
    ui.script({ pick: 'Check the key and HSM only' }, { pick: 'Enable the key version' }, { pick: /Done/ });
    const result = (await vscode.commands.executeCommand<ReadinessCommandResult>('mhsm.checkReadiness', key.node))!;
    assert.deepEqual(result.appliedFixes, ['enableKey']);
    assert.equal(result.findings.find((f) => f.id === 'key.enabled')?.status, 'pass');
    const disabled = hsmOf(await world(), hsmName).keys.find((k) => k.name === 'disabled-key')!;
    assert.equal(disabled.versions[0].enabled, true, 'the version is enabled in the HSM');
  });

  it("judges a key's expiry by the user's thresholds (mhsm.expiry.warningDays / criticalDays), not the defaults", async () => {
    // expiring-key's current version expires 10 days after seeding.
    const key = await keyRow(api, hsmName, 'expiring-key');
    const config = () => vscode.workspace.getConfiguration('mhsm.expiry');
    const expiryWith = async (warningDays: number | undefined, criticalDays: number | undefined) => {
      await config().update('warningDays', warningDays, vscode.ConfigurationTarget.Global);
      await config().update('criticalDays', criticalDays, vscode.ConfigurationTarget.Global);
      ui.script({ pick: 'Check the key and HSM only' }, { pick: /Done/ });
      const result = (await vscode.commands.executeCommand<ReadinessCommandResult>('mhsm.checkReadiness', key.node))!;
      return result.findings.find((f) => f.id === 'key.expiry')?.status;
    };
    try {
      assert.equal(await expiryWith(undefined, undefined), 'warn', 'defaults 30/7: inside the warning window');
      assert.equal(await expiryWith(45, 14), 'fail', '45/14: inside the critical window');
      assert.equal(await expiryWith(5, 2), 'pass', '5/2: outside both windows');
    } finally {
      await config().update('warningDays', undefined, vscode.ConfigurationTarget.Global);
      await config().update('criticalDays', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('from the Command Palette, walks the user to the HSM with picks before asking for the key name', async () => {
    ui.script({ pick: 'Contoso (sandbox)' }, { pick: 'Contoso Sandbox Subscription' }, { pick: hsmName }, { input: `ss-palette-${suffix}` });
    const created = (await vscode.commands.executeCommand<CreatedKey>('mhsm.createSecretServerKey'))!;
    assert.equal(created.name, `ss-palette-${suffix}`);
    assert.equal(hsmOf(await world(), hsmName).keys.find((k) => k.name === created.name)?.kty, 'oct-HSM');
  });

  it("offers the missing role as a one-click fix in the readiness check, and the check turns green after it", async () => {
    const key = await keyRow(api, hsmName, `ss-palette-${suffix}`);
    ui.script({ pick: `App ${app.clientId}` }, { pick: /Grant/ }, { pick: /Done/ });
    const result = (await vscode.commands.executeCommand<ReadinessCommandResult>('mhsm.checkReadiness', key.node))!;
    assert.deepEqual(result.appliedFixes, ['grantCryptoUser']);
    assert.equal(result.findings.find((f) => f.id === 'access.role')?.status, 'pass');
    assert.deepEqual(result.findings.filter((f) => f.status === 'fail').map((f) => f.id), []);
    const granted = hsmOf(await world(), hsmName).roleAssignments.filter((a) => a.scope === `/keys/ss-palette-${suffix}`);
    assert.deepEqual(granted.map((a) => a.principalId), [app.servicePrincipalObjectId]);
  });

  it('creates a new key version and explains the next steps', async () => {
    const key = await keyRow(api, hsmName, keyName);
    ui.script({ confirm: 'Create version' });
    const created = (await vscode.commands.executeCommand<CreatedVersion>('mhsm.createKeyVersion', key.node))!;
    const versions = hsmOf(await world(), hsmName).keys.find((k) => k.name === keyName)!.versions;
    assert.equal(versions.length, 2);
    assert.ok(versions.some((v) => v.version === created.version));
    assert.match(ui.notices.join('\n'), /switch Secret Server to it .* wait at least a day .* disabling version/);
  });

  it('changes nothing when the user cancels a wizard', async () => {
    // Apps, service principals and HSMs: what the commands would have changed (tokens issued meanwhile do not count).
    const azureState = async () => {
      const w = await world();
      return JSON.stringify([w.applications, w.servicePrincipals, w.hsms.map((h) => [h.keys, h.deletedKeys, h.roleAssignments])]);
    };
    const before = await azureState();
    ui.script({ pick: 'Contoso (sandbox)' }, { input: `cancelled-${suffix}` }, { input: undefined });
    await vscode.commands.executeCommand('mhsm.createAppRegistration');
    const eus = await hsmRow(api, hsmName);
    ui.script({ input: undefined });
    await vscode.commands.executeCommand('mhsm.createSecretServerKey', eus.node);
    assert.ok((await azureState()) === before, 'the sandbox state changed');
  });
});
