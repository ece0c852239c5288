import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { StoredClientSecrets } from '../../../src/commands/setup/storedClientSecrets';
import type { KeyVersionSwitchRecord } from '../../../src/core/expiry/waitingPeriod';
import type { ExtensionApi } from '../../../src/extension';
import { getKeyManagement, listKeyManagementTypes, updateKeyManagement } from '../../../src/secretServer/keyManagement';
import { findKeyManagementType } from '../../../src/secretServer/keyManagementTypes';
import { getRotationStatus } from '../../../src/secretServer/rotation';
import { interpretRotation } from '../../../src/secretServer/rotationProgress';
import { SecretServerSession } from '../../../src/secretServer/session';
import { childRows, explorerApi, signedIn } from '../../extension/explorerApi';
import { installScriptedUi, ScriptedUi, type Answer } from '../../extension/scriptedSetupUi';
import { keyRow } from '../../extension/setupTree';
import { hsmOf, world } from '../../extension/sandboxWorld';
import { addFaults, clearFaults, type FaultRuleInput } from './faultControl';
import { errorsShown, watchErrors, type ErrorWatch } from './errorWatch';
import { sandboxEndpoints } from '../../extension/sandboxConfig';
import { waitUntil } from './waitUntil';
import { adminCredential } from '../../support/azureClients';
import { graphClient } from '../../support/graphClient';
import type { SandboxEndpoints as SandboxFile } from '../../support/sandboxProcess';
import { unhandledRejections } from './unhandledRejections';

// Rotate Key Version (mhsm.rotateKeyVersion) under the faults of issue #10 that matter for its two
// writes, the HSM's key rotation (a new version) and Secret Server's key management save (the
// switch, which starts a secret key rotation): a 429 with Retry-After (retried: one new version,
// Secret Server switched to it) and the answer cut after the service acted (one message; never
// more than one new version, and Secret Server left on an enabled version of the key).
// Left out: 500 ms latency and 503 (the same retry policies as the 429), token expiry (the main
// matrix covers the HSM client's bearer policy). Not covered: Renew Client Secret (not done for
// time; its writes use the same Graph and Secret Server clients as cases already here), and Retire
// Previous Key Version (it needs the sandbox clock moved past the waiting period, and the clock
// only moves forward, for every later suite too).

const hsmName = 'contoso-mhsm-eus';
const keyName = 'secret-server-key';
const caseTimeoutMs = 150_000;

const faults: { name: string; rule: Pick<FaultRuleInput, 'kind' | 'times' | 'retryAfterSeconds'>; mustSucceed: boolean }[] = [
  { name: '429 with Retry-After', rule: { kind: 'throttle', retryAfterSeconds: 1, times: 1 }, mustSucceed: true },
  { name: 'answer cut after the service acted', rule: { kind: 'truncate', times: 1 }, mustSucceed: false },
];

const writes: { name: string; target: Pick<FaultRuleInput, 'service' | 'method' | 'path'> }[] = [
  { name: 'the HSM key rotation', target: { service: 'hsm', method: 'POST', path: `^/keys/${keyName}/rotate$` } },
  { name: 'the Secret Server switch', target: { service: 'secretServer', method: 'PUT', path: '^/api/v1/key-management$' } },
];

describe('Reliability: Rotate Key Version under faults (issue #10)', function () {
  this.timeout(caseTimeoutMs * 2);
  const { endpoints: e, caPem } = sandboxEndpoints();
  const admin = e.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
  const observer = new SecretServerSession({ url: e.secretServer.url, username: admin.username, caPem, credentials: { getPassword: async () => admin.password } });
  let api: ExtensionApi;
  let watch: ErrorWatch;
  let ui: ScriptedUi;
  const unhandled = unhandledRejections();
  const figures = { cases: 0, succeeded: 0, clearError: 0 };
  const rotationIdle = async () => (interpretRotation(await getRotationStatus(observer)).done ? true : undefined);
  const versionsOf = async () => hsmOf(await world(), hsmName).keys.find((k) => k.name === keyName)?.versions ?? [];

  // The client secret to type when VS Code keeps none: the one this suite made, when it set it.
  let typedSecret: string | undefined;

  /** A new client secret of the seeded app, added by the tenant's administrator. */
  async function newClientSecret(): Promise<string> {
    const file = e as unknown as SandboxFile;
    const graph = graphClient(file, caPem, adminCredential(file, caPem));
    const added = await graph.send('POST', `/v1.0/applications(appId='${e.expiringApp.clientId}')/addPassword`, { passwordCredential: { displayName: 'reliability: Rotate Key Version' } });
    assert.equal(added.status, 200, `Graph addPassword answered HTTP ${added.status}`);
    return (added.body as { secretText: string }).secretText;
  }

  before(async function () {
    api = await explorerApi();
    await signedIn(api);
    await waitUntil('an earlier secret key rotation to finish', 180_000, rotationIdle);
    const config = await getKeyManagement(observer);
    const usesSeededSetup = config.azureManagedHsm.principalId === e.expiringApp.clientId && new RegExp(`/keys/${keyName}(/|$)`).test(config.azureManagedHsm.keyUrl ?? '');
    const knownSecret = new StoredClientSecrets(api.services.secrets, api.services.state).newestFor(e.tenantId, e.expiringApp.clientId);
    if (!usesSeededSetup || !knownSecret) {
      // Alone, Secret Server starts on its seeded configuration; after a suite that renewed the
      // secret Secret Server uses without keeping it in VS Code, nobody knows that secret. Either
      // way this suite sets up its own state: it gives the app a client secret of its own (Graph,
      // as the app's owner) and switches Secret Server to the seeded app and key with it.
      const type = findKeyManagementType(await listKeyManagementTypes(observer), 'azureManagedHsm');
      assert.ok(type, 'Secret Server offers Azure Managed HSM');
      const uri = e.hsms.find((h) => h.name === hsmName)!.uri.replace(/\/$/, '');
      const secret = await newClientSecret();
      await updateKeyManagement(observer, { type, azureManagedHsm: { tenantId: e.tenantId, principalId: e.expiringApp.clientId, principalSecret: secret, keyUrl: usesSeededSetup && config.azureManagedHsm.keyUrl ? config.azureManagedHsm.keyUrl : `${uri}/keys/${keyName}` } });
      await waitUntil('the secret key rotation of the switch to finish', 180_000, rotationIdle);
      typedSecret = secret;
    }
    watch = watchErrors(api);
    ui = new ScriptedUi();
    await installScriptedUi(api, ui);
    unhandled.start();
    await api.addSecretServerConnection({ url: e.secretServer.url, username: admin.username, password: admin.password });
  });

  after(async () => {
    await clearFaults().catch(() => undefined);
    if (api) await installScriptedUi(api, undefined);
    unhandled.stop();
    watch?.dispose();
    console.log(`[reliability] Rotate Key Version matrix: ${figures.cases} cases: ${figures.succeeded} succeeded, ${figures.clearError} ended in one clear error.`);
  });

  afterEach(async () => {
    await clearFaults();
    ui?.discardUnused();
  });

  for (const write of writes) {
    for (const fault of faults) {
      it(`command: Rotate Key Version × ${fault.name} on ${write.name}`, async () => {
        await waitUntil('no secret key rotation running before the case', 120_000, rotationIdle);
        assert.ok((await childRows(api.secretServer)).some((r) => r.description === admin.username), 'the connection is listed');
        const versionsBefore = await versionsOf();
        const answers: Answer[] = [{ confirm: 'Create version and switch' }];
        // The secret Secret Server uses now: kept in VS Code by an earlier renewal, else typed.
        if (!new StoredClientSecrets(api.services.secrets, api.services.state).newestFor(e.tenantId, e.expiringApp.clientId)) answers.push({ input: typedSecret });
        ui.script(...answers);
        const key = await keyRow(api, hsmName, keyName);

        await addFaults([{ ...write.target, ...fault.rule }]);
        const mark = watch.mark();
        const value = await Promise.race([
          Promise.resolve(vscode.commands.executeCommand<KeyVersionSwitchRecord | undefined>('mhsm.rotateKeyVersion', key.node)).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${caseTimeoutMs / 1000} s (endless spinner?)`)), caseTimeoutMs)),
        ]);
        const fired = await clearFaults();
        await new Promise((r) => setTimeout(r, 50));
        const errors = errorsShown(watch, mark);
        figures.cases++;

        assert.ok(fired.some((f) => f.fired > 0), `the fault reached ${write.name}`);
        assert.deepEqual(unhandled.reasons, [], 'no unhandled rejection');
        assert.ok(!(value instanceof Error), `the command wrapper let an error through: ${String(value)}`);
        await waitUntil('the secret key rotation to end on the server', 120_000, rotationIdle);
        const versions = await versionsOf();
        const added = versions.filter((v) => !versionsBefore.some((b) => b.version === v.version));
        assert.ok(added.length <= 1, `at most one new version, got ${added.length}`);
        const keyUrl = (await getKeyManagement(observer)).azureManagedHsm.keyUrl ?? '';
        const usedVersion = keyUrl.split('/keys/')[1]?.split('/')[1];
        if (usedVersion) assert.ok(versions.some((v) => v.version === usedVersion && v.enabled), `Secret Server uses an enabled version of the key (${keyUrl})`);
        if (value !== undefined) {
          const record = value as KeyVersionSwitchRecord;
          assert.deepEqual(errors, [], 'a successful rotation shows no error');
          assert.equal(added.length, 1, 'one new version');
          assert.equal(record.newVersion, added[0].version);
          assert.equal(usedVersion, record.newVersion, 'Secret Server switched to the new version');
          figures.succeeded++;
        } else {
          assert.ok(!fault.mustSucceed, `a ${fault.name} is retried, yet the command failed: ${JSON.stringify(errors)}`);
          assert.equal(errors.length, 1, `exactly one error message, got: ${JSON.stringify(errors)}`);
          assert.doesNotMatch(errors[0], /unexpected error/, 'the error names the problem');
          figures.clearError++;
        }
      });
    }
  }
});
