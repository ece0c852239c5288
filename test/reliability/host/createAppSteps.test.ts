import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { explorerApi, signedIn } from '../../extension/explorerApi';
import { installScriptedUi, ScriptedUi } from '../../extension/scriptedSetupUi';
import { world } from '../../extension/sandboxWorld';
import { addFaults, clearFaults, type FaultRuleInput } from './faultControl';
import { errorsShown, watchErrors, type ErrorWatch } from './errorWatch';
import { unhandledRejections } from './unhandledRejections';

// Create App Registration is three writes: the application, its service principal, its client
// secret (role assignments are a separate command, Grant Secret Server Access). Each step is made
// to fail in turn — once refused outright (the service did nothing), once with the answer cut
// after the service acted — then the command is run again with the same name. The first run's
// one message must say which step failed and what exists; the second must finish the same app:
// exactly one app, one service principal and one client secret in the sandbox's own state.

interface Step {
  name: string;
  method: string;
  path: string;
}

const steps: Step[] = [
  { name: 'application', method: 'POST', path: '^/v1.0/applications$' },
  { name: 'service principal', method: 'POST', path: '^/v1.0/servicePrincipals$' },
  { name: 'client secret', method: 'POST', path: '/addPassword$' },
];

interface Failure {
  name: string;
  rule: Pick<FaultRuleInput, 'kind' | 'times' | 'retryAfterSeconds'>;
  /** What the first run's message must say, per step. */
  says: Record<string, RegExp>;
}

const failures: Failure[] = [
  {
    // More 503s than the client retries: the step fails and the service did nothing.
    name: 'refused (503 until the client gives up)',
    rule: { kind: 'unavailable', retryAfterSeconds: 0, times: 8 },
    says: {
      application: /Creating the application '.*' failed: .*Nothing was created\./,
      'service principal': /exists without a service principal and without a client secret: creating its service principal failed/,
      'client secret': /exists with its service principal and without a client secret: adding its client secret failed/,
    },
  },
  {
    // The service acts, then the answer is cut: the client cannot know, so it must look.
    name: 'answer cut after the service acted',
    rule: { kind: 'truncate', times: 1 },
    says: {
      application: /Creating the application '.*' failed: .*It was created all the same \(client ID [0-9a-f-]{36}\)/,
      'service principal': /exists with its service principal and without a client secret: creating its service principal failed/,
      'client secret': /exists with its service principal and without a client secret: adding its client secret failed: .*removed again/,
    },
  },
];

describe('Reliability: Create App Registration fails at each step, then resumes (issue #10)', function () {
  this.timeout(240_000);
  let api: ExtensionApi;
  let watch: ErrorWatch;
  const unhandled = unhandledRejections();

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
    watch = watchErrors(api);
    unhandled.start();
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

  async function create(ui: ScriptedUi, name: string): Promise<{ result: unknown; errors: string[] }> {
    ui.script({ pick: 'Contoso (sandbox)' }, { input: name }, { input: 'Secret Server' }, { pick: '12 months' }, { confirm: "Don't keep" }, { pick: /Done/ });
    const mark = watch.mark();
    const result = await vscode.commands.executeCommand('mhsm.createAppRegistration');
    // The wrapper shows errors asynchronously; let the event loop settle.
    await new Promise((r) => setTimeout(r, 50));
    return { result, errors: errorsShown(watch, mark) };
  }

  for (const step of steps) {
    for (const failure of failures) {
      it(`${step.name} step ${failure.name}: one message naming the step and what exists; the re-run finishes the same app`, async () => {
        const ui = new ScriptedUi();
        await installScriptedUi(api, ui);
        const name = `Reliability steps ${randomUUID().slice(0, 8)}`;

        await addFaults([{ service: 'graph', method: step.method, path: step.path, ...failure.rule }]);
        const first = await create(ui, name);
        const fired = await clearFaults();
        assert.ok(fired.some((f) => f.fired > 0), `the fault never reached ${step.method} ${step.path}`);
        assert.equal(first.result, undefined, 'the first run failed');
        assert.equal(first.errors.length, 1, `exactly one error message: ${JSON.stringify(first.errors)}`);
        assert.match(first.errors[0], failure.says[step.name]);
        assert.match(first.errors[0], /Run "Create App Registration" again with the same name/);
        assert.deepEqual(unhandled.reasons, [], 'no unhandled rejection');
        ui.discardUnused();

        const second = await create(ui, name);
        assert.deepEqual(second.errors, [], 'the re-run shows no error');
        const made = second.result as { clientId: string; servicePrincipalObjectId: string } | undefined;
        assert.ok(made, 'the re-run finished');
        ui.assertDone();

        const w = await world();
        const apps = w.applications.filter((a) => a.displayName === name);
        assert.equal(apps.length, 1, `${apps.length} app registrations named "${name}"`);
        assert.equal(apps[0].appId, made.clientId, 'the re-run finished the app the first run made');
        const sps = w.servicePrincipals.filter((s) => s.appId === apps[0].appId);
        assert.equal(sps.length, 1, `${sps.length} service principals`);
        assert.equal(apps[0].passwordCredentials.length, 1, `${apps[0].passwordCredentials.length} client secrets`);
        const resumed = !(step.name === 'application' && failure.rule.kind === 'unavailable');
        if (resumed) assert.ok(ui.notices.some((n) => /Finished the app registration/.test(n)), `the re-run says it finished the earlier app: ${JSON.stringify(ui.notices)}`);
        assert.deepEqual(unhandled.reasons, [], 'no unhandled rejection on the re-run');
      });
    }
  }
});
