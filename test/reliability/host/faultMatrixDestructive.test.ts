import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { explorerApi, signedIn } from '../../extension/explorerApi';
import { installScriptedUi, ScriptedUi } from '../../extension/scriptedSetupUi';
import { hsmRow, keyRoleAssignmentRows, keyRow, versionRows } from '../../extension/setupTree';
import { hsmOf, world, type World } from '../../extension/sandboxWorld';
import { addFaults, clearFaults, type FaultRuleInput } from './faultControl';
import { errorsShown, watchErrors, type ErrorWatch } from './errorWatch';
import { unhandledRejections } from './unhandledRejections';

// The destructive and changing Azure commands the main matrix does not cover, each on an object
// made for the case (so a fault cannot hide behind "already gone"), under the two faults that
// matter for a write that removes or changes something:
// - 429 with Retry-After: the client must retry and the change is made exactly once (a retried
//   DELETE must not turn into a "not found" error);
// - the answer cut after the service acted: the one message must say the change may have been
//   made, and the sandbox must show the object either changed or untouched, never half-done.
// Latency, 503 and token expiry go through the same retry and bearer policies as the main
// matrix's writes (same SDK clients), so they are not repeated here to keep the run short.

const hsmName = 'contoso-mhsm-eus';
const contoso = 'Contoso (sandbox)';
const caseTimeoutMs = 90_000;

interface Case {
  api: ExtensionApi;
  ui: ScriptedUi;
  tag: string;
  state: Record<string, unknown>;
}

interface Action {
  name: string;
  target: (c: Case) => Pick<FaultRuleInput, 'service' | 'method' | 'path'>;
  /** Makes the object this case changes (without faults). */
  setup(c: Case): Promise<void>;
  run(c: Case): Promise<unknown>;
  /** Whether the change is visible in the sandbox. */
  done(c: Case, w: World): boolean;
}

const faults: { name: string; rule: Pick<FaultRuleInput, 'kind' | 'times' | 'retryAfterSeconds'>; mustSucceed: boolean }[] = [
  { name: '429 with Retry-After', rule: { kind: 'throttle', retryAfterSeconds: 1, times: 1 }, mustSucceed: true },
  { name: 'answer cut after the service acted', rule: { kind: 'truncate', times: 1 }, mustSucceed: false },
];

async function newKey(c: Case): Promise<string> {
  const name = `rel-d-${c.tag}`;
  c.ui.script({ input: name });
  await vscode.commands.executeCommand('mhsm.createSecretServerKey', (await hsmRow(c.api, hsmName)).node);
  c.api.azure.refresh();
  return name;
}

const keyOf = (w: World, name: string) => hsmOf(w, hsmName).keys.find((k) => k.name === name);

const actions: Action[] = [
  {
    name: 'Delete key',
    target: (c) => ({ service: 'hsm', method: 'DELETE', path: `^/keys/${c.state.key as string}$` }),
    setup: async (c) => void (c.state.key = await newKey(c)),
    run: async (c) => {
      c.ui.script({ confirm: 'Delete' });
      return vscode.commands.executeCommand('mhsm.deleteKey', (await keyRow(c.api, hsmName, c.state.key as string)).node);
    },
    done: (c, w) => !keyOf(w, c.state.key as string) && hsmOf(w, hsmName).deletedKeys.filter((d) => d.key.name === c.state.key).length === 1,
  },
  {
    name: 'Disable key version',
    target: (c) => ({ service: 'hsm', method: 'PATCH', path: `^/keys/${c.state.key as string}/` }),
    setup: async (c) => void (c.state.key = await newKey(c)),
    run: async (c) => {
      const [version] = await versionRows(c.api, await keyRow(c.api, hsmName, c.state.key as string));
      c.ui.script({ confirm: 'Disable' });
      return vscode.commands.executeCommand('mhsm.disableKeyVersion', version.node);
    },
    done: (c, w) => keyOf(w, c.state.key as string)!.versions.every((v) => !v.enabled),
  },
  {
    name: 'Set key version expiry',
    target: (c) => ({ service: 'hsm', method: 'PATCH', path: `^/keys/${c.state.key as string}/` }),
    setup: async (c) => void (c.state.key = await newKey(c)),
    run: async (c) => {
      const [version] = await versionRows(c.api, await keyRow(c.api, hsmName, c.state.key as string));
      c.ui.script({ input: '2037-12-31' }, { confirm: 'Set expiry' });
      return vscode.commands.executeCommand('mhsm.setKeyVersionExpiry', version.node);
    },
    done: (c, w) => keyOf(w, c.state.key as string)!.versions.every((v) => v.exp !== undefined),
  },
  {
    name: 'Remove role assignment',
    target: () => ({ service: 'hsm', method: 'DELETE', path: 'roleAssignments' }),
    setup: async (c) => {
      c.state.key = await newKey(c);
      const appName = c.state.appName as string;
      c.ui.script({ input: appName }, { pick: appName });
      await vscode.commands.executeCommand('mhsm.grantSecretServerAccess', (await keyRow(c.api, hsmName, c.state.key as string)).node);
      c.api.azure.refresh();
    },
    run: async (c) => {
      const rows = await keyRoleAssignmentRows(c.api, await keyRow(c.api, hsmName, c.state.key as string));
      const row = rows.find((r) => r.tooltip.includes(c.state.principalId as string));
      assert.ok(row, 'the grant made in setup is listed');
      c.ui.script({ confirm: 'Remove' });
      return vscode.commands.executeCommand('mhsm.deleteRoleAssignment', row.node);
    },
    done: (c, w) => !hsmOf(w, hsmName).roleAssignments.some((a) => a.principalId === c.state.principalId && a.scope === `/keys/${c.state.key as string}`),
  },
  {
    name: 'Remove client secret',
    target: () => ({ service: 'graph', method: 'POST', path: 'removePassword$' }),
    setup: async (c) => {
      const appName = c.state.appName as string;
      c.ui.script({ pick: contoso }, { input: appName }, { pick: appName }, { input: `rel-rm ${c.tag}` }, { pick: '6 months' }, { confirm: "Don't keep" }, { pick: /Done/ });
      assert.ok(await vscode.commands.executeCommand('mhsm.addClientSecret'), 'the secret to remove was added');
    },
    run: async (c) => {
      const appName = c.state.appName as string;
      c.ui.script({ pick: contoso }, { input: appName }, { pick: appName }, { pick: new RegExp(`rel-rm ${c.tag}`) }, { confirm: 'Remove' });
      return vscode.commands.executeCommand('mhsm.removeClientSecret');
    },
    done: (c, w) => !w.applications.find((a) => a.displayName === c.state.appName)!.passwordCredentials.some((p) => p.displayName === `rel-rm ${c.tag}`),
  },
  {
    name: 'Delete app registration',
    target: () => ({ service: 'graph', method: 'DELETE', path: '^/v1.0/applications/' }),
    setup: async (c) => {
      c.state.victim = `Reliability delete ${c.tag}`;
      c.ui.script({ pick: contoso }, { input: c.state.victim as string }, { input: 'Secret Server' }, { pick: '12 months' }, { confirm: "Don't keep" }, { pick: /Done/ });
      assert.ok(await vscode.commands.executeCommand('mhsm.createAppRegistration'), 'the app to delete was created');
    },
    run: async (c) => {
      const victim = c.state.victim as string;
      c.ui.script({ pick: contoso }, { input: victim }, { pick: victim }, { confirm: 'Delete' });
      return vscode.commands.executeCommand('mhsm.deleteAppRegistration');
    },
    done: (c, w) => !w.applications.some((a) => a.displayName === c.state.victim),
  },
];

describe('Reliability: destructive and changing Azure commands under 429 and a cut answer (issue #10)', function () {
  this.timeout(caseTimeoutMs * 2);
  let api: ExtensionApi;
  let watch: ErrorWatch;
  const unhandled = unhandledRejections();
  const shared: Record<string, unknown> = {};

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
    watch = watchErrors(api);
    unhandled.start();
    // One app whose service principal is granted and whose secrets are removed, made without faults.
    shared.appName = `Reliability destructive ${randomUUID().slice(0, 8)}`;
    const setup = new ScriptedUi();
    await installScriptedUi(api, setup);
    setup.script({ pick: contoso }, { input: shared.appName as string }, { input: 'Secret Server' }, { pick: '12 months' }, { confirm: "Don't keep" }, { pick: /Done/ });
    shared.principalId = (await vscode.commands.executeCommand<{ servicePrincipalObjectId: string }>('mhsm.createAppRegistration'))!.servicePrincipalObjectId;
    setup.assertDone();
  });

  after(async () => {
    await clearFaults().catch(() => undefined);
    unhandled.stop();
    watch?.dispose();
    await installScriptedUi(api, undefined);
  });

  afterEach(async () => {
    await clearFaults();
  });

  for (const action of actions) {
    for (const fault of faults) {
      it(`command: ${action.name} × ${fault.name}`, async () => {
        const ui = new ScriptedUi();
        await installScriptedUi(api, ui);
        const c: Case = { api, ui, tag: randomUUID().slice(0, 8), state: { ...shared } };
        await action.setup(c);
        ui.assertDone();
        assert.equal(action.done(c, await world()), false, 'the object is there before the command');

        await addFaults([{ ...action.target(c), ...fault.rule }]);
        const mark = watch.mark();
        const value = await Promise.race([
          action.run(c),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${caseTimeoutMs / 1000} s (endless spinner?)`)), caseTimeoutMs)),
        ]);
        const fired = await clearFaults();
        await new Promise((r) => setTimeout(r, 50));
        const errors = errorsShown(watch, mark);
        assert.ok(fired.some((f) => f.fired > 0), `the fault never reached ${JSON.stringify(action.target(c))}: the case tests nothing`);
        assert.deepEqual(unhandled.reasons, [], 'no unhandled rejection');
        const done = action.done(c, await world());
        if (value !== undefined) {
          assert.deepEqual(errors, [], 'a successful run shows no error');
          assert.ok(done, 'a run that says it succeeded made the change');
        } else {
          assert.ok(!fault.mustSucceed, `a ${fault.name} is retried, yet the command failed: ${JSON.stringify(errors)}`);
          assert.equal(errors.length, 1, `exactly one error message: ${JSON.stringify(errors)}`);
          assert.match(errors[0], /may or may not have made the change/, `a cut answer to a write says the change may have been made: ${errors[0]}`);
          ui.discardUnused();
        }
      });
    }
  }
});
