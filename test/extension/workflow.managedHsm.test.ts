import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ActivationOutcome, ActivationPrompts, QuorumChoice } from '../../src/commands/activateManagedHsm';
import type { CreatePrompts, HsmSettings } from '../../src/commands/createManagedHsm';
import type { CreatePromptOptions } from '../../src/commands/managedHsmPrompts';
import { setManagedHsmPromptsTestCommand, type ManagedHsmPromptSeam } from '../../src/commands/managedHsmCommands';
import type { ManagedHsmInfo } from '../../src/azure/managedHsms';
import type { ExtensionApi } from '../../src/extension';
import { child, explorerApi, signedIn } from './explorerApi';
import { hsmRow } from './setupTree';
import { world, type World } from './sandboxWorld';

// Create Managed HSM and Activate Managed HSM as a user runs them from the Azure view, with the
// prompts answered from a script through the commands' test seam. What changed is read from the
// sandbox's own state. The key files go to a temporary folder, never the workspace.
// (Named workflow.* so it runs after the sign-in and tree suites, which expect a fresh sandbox.)

interface WorldHsm {
  name: string;
  resourceGroup: string;
  location: string;
  provisioningState: string;
  activated: boolean;
  initialAdminObjectIds: string[];
  enablePurgeProtection: boolean;
}

function worldHsm(w: World, name: string): WorldHsm | undefined {
  return (w.hsms as unknown as WorldHsm[]).find((h) => h.name === name);
}

/** Runs a progress task at once, as the notification would, with a signal nobody aborts. */
function runProgress<T>(_title: string, task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
  return task(() => undefined, new AbortController().signal);
}

class ScriptedSeam implements ManagedHsmPromptSeam {
  readonly notices: string[] = [];
  createOptions?: CreatePromptOptions;
  createDefaults?: HsmSettings;
  settings?: (defaults: HsmSettings, options: CreatePromptOptions) => HsmSettings;
  quorum?: QuorumChoice;
  folder?: string;
  readonly asked: string[] = [];

  create(options: CreatePromptOptions): CreatePrompts {
    this.createOptions = options;
    return {
      collectSettings: async (defaults) => {
        this.asked.push('settings');
        this.createDefaults = defaults;
        return this.settings?.(defaults, options);
      },
      confirmRegionMismatch: async (warning) => assert.fail(`no region warning was expected: ${warning}`),
      chooseAnotherName: async (message) => assert.fail(`the name was expected to be free: ${message}`),
      withProgress: runProgress,
    };
  }

  activate(): ActivationPrompts {
    return {
      chooseQuorum: async () => {
        this.asked.push('quorum');
        return this.quorum;
      },
      chooseKeySource: async () => {
        this.asked.push('keySource');
        return { kind: 'generate' };
      },
      chooseFolder: async (_name, reason) => {
        assert.equal(reason, undefined, 'the folder is asked once');
        this.asked.push('folder');
        return this.folder;
      },
      confirmCustody: async () => {
        this.asked.push('custody');
        return true;
      },
      withProgress: runProgress,
    };
  }

  inform(message: string): void {
    this.notices.push(message);
  }
}

describe('Creating and activating a Managed HSM in a real extension host', () => {
  let api: ExtensionApi;
  let seam: ScriptedSeam;
  const hsmName = `ext-hsm-${randomUUID().slice(0, 8)}`;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-sd-'));

  before(async () => {
    api = await explorerApi();
    await signedIn(api);
  });

  beforeEach(async () => {
    seam = new ScriptedSeam();
    await vscode.commands.executeCommand(setManagedHsmPromptsTestCommand, seam);
  });

  after(async () => {
    await vscode.commands.executeCommand(setManagedHsmPromptsTestCommand, undefined);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('creates the HSM from the subscription node, in eastus with the signed-in user as administrator, not activated', async () => {
    const tenant = await child(api.azure, undefined, 'Contoso (sandbox)');
    const subscription = await child(api.azure, tenant.node, 'Contoso Sandbox Subscription');
    const seeded = worldHsm(await world(), 'contoso-mhsm-eus')!;
    seam.settings = (defaults, options) => {
      assert.ok(options.resourceGroups.includes(seeded.resourceGroup), `the subscription's groups are offered (${options.resourceGroups.join(', ')})`);
      return { ...defaults, name: hsmName, resourceGroup: seeded.resourceGroup, softDeleteRetentionInDays: 7 };
    };
    const created = await vscode.commands.executeCommand<ManagedHsmInfo>('mhsm.createManagedHsm', subscription.node);
    assert.ok(created, 'the command returned the new HSM');
    assert.equal(created.name, hsmName);

    assert.ok(seam.createOptions?.regions.includes('eastus') && seam.createOptions.regions.includes('westeurope'), 'Managed HSM regions are offered');
    assert.equal(seam.createDefaults?.location, 'eastus', "the default region is the Secret Server's");
    assert.equal(seam.createDefaults?.enablePurgeProtection, true);
    assert.match(seam.createDefaults?.initialAdminObjectIds[0] ?? '', /^[0-9a-f-]{36}$/, 'the signed-in user is the administrator');

    const hsm = worldHsm(await world(), hsmName);
    assert.ok(hsm, 'the HSM exists in the sandbox');
    assert.equal(hsm.location, 'eastus');
    assert.equal(hsm.resourceGroup, seeded.resourceGroup);
    assert.equal(hsm.provisioningState, 'Succeeded');
    assert.equal(hsm.activated, false);
    assert.deepEqual(hsm.initialAdminObjectIds, seam.createDefaults?.initialAdminObjectIds);
    assert.match(seam.notices.join('\n'), new RegExp(`${hsmName} was created`));

    const shown = await hsmRow(api, hsmName);
    assert.equal(shown.contextValue, 'mhsm.hsm;notActivated', 'the refreshed view shows it, not activated');
  });

  it('cancelling after the key pairs are generated writes nothing, changes nothing and says so', async () => {
    const node = await hsmRow(api, hsmName);
    seam.quorum = { certificateCount: 3, required: 2 };
    seam.folder = undefined;
    const outcome = (await vscode.commands.executeCommand<ActivationOutcome>('mhsm.activateManagedHsm', node.node))!;
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(seam.asked, ['quorum', 'keySource', 'folder']);
    assert.equal(seam.notices.length, 1);
    assert.match(seam.notices[0], /cancelled after the key pairs were generated/);
    assert.match(seam.notices[0], /Nothing was written/);
    assert.doesNotMatch(seam.notices[0], /is activated/);
    assert.deepEqual(fs.readdirSync(folder), [], 'no file was written');
    assert.equal(worldHsm(await world(), hsmName)?.activated, false, 'the HSM was not changed');
    assert.equal((await hsmRow(api, hsmName)).contextValue, 'mhsm.hsm;notActivated');
  });

  it('activates with three generated key pairs and a quorum of two: owner-only private keys, the security domain saved, the HSM activated', async () => {
    const node = await hsmRow(api, hsmName);
    seam.quorum = { certificateCount: 3, required: 2 };
    seam.folder = folder;
    const outcome = (await vscode.commands.executeCommand<ActivationOutcome>('mhsm.activateManagedHsm', node.node))!;
    assert.equal(outcome.status, 'activated', JSON.stringify(outcome));
    if (outcome.status !== 'activated') return;
    assert.deepEqual(seam.asked, ['quorum', 'keySource', 'folder', 'custody']);

    assert.equal(outcome.privateKeyFiles.length, 3);
    assert.equal(outcome.certificateFiles.length, 3);
    for (const file of [...outcome.privateKeyFiles, outcome.securityDomainFile]) {
      assert.equal(path.dirname(file), folder, 'written in the chosen folder');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, `${path.basename(file)} is owner-only`);
    }
    for (const file of outcome.certificateFiles) assert.ok(fs.existsSync(file), `${path.basename(file)} exists`);
    assert.ok(fs.statSync(outcome.securityDomainFile).size > 0, 'the security domain file has content');

    assert.equal(worldHsm(await world(), hsmName)?.activated, true, 'the sandbox reports the HSM activated');
    assert.match(seam.notices.join('\n'), new RegExp(`${hsmName} is activated`));
    assert.match(seam.notices.join('\n'), /full backups/);
    api.azure.refresh();
    assert.equal((await hsmRow(api, hsmName)).contextValue, 'mhsm.hsm;activated', 'the view shows it activated');
  });
});
