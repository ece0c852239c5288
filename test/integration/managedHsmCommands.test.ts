import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { startSandboxProcess, type SandboxEndpoints, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential } from '../support/azureClients';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { ActionableError } from '../../src/core/actionableError';
import { getManagedHsm, type ManagedHsmInfo } from '../../src/azure/managedHsms';
import { createManagedHsmCommand, type CreatePrompts, type HsmSettings } from '../../src/commands/createManagedHsm';
import { activateManagedHsm, type ActivationPrompts, type QuorumChoice } from '../../src/commands/activateManagedHsm';

// The Create and Activate Managed HSM flows with scripted answers in place of VS Code's prompts,
// against the sandbox: the region warning, a taken name, cancelling after key generation, a failed
// download, and the whole way to an activated HSM.

const progress = <T>(_title: string, task: (report: (m: string) => void, signal: AbortSignal) => Promise<T>) => task(() => undefined, new AbortController().signal);

describe('Create and Activate Managed HSM commands (scripted prompts)', function () {
  let handle: SandboxHandle;
  let ep: SandboxEndpoints;
  let cloud: AzureCloud;
  let credential: TokenCredential;
  let root: string;
  const logLines: string[] = [];
  const saved = { provisioning: process.env.SANDBOX_HSM_PROVISIONING_MS, securityDomain: process.env.SANDBOX_SECURITY_DOMAIN_MS };

  const createPrompts = (settings: Partial<HsmSettings>, answers: { mismatch?: boolean; otherName?: string } = {}) => {
    const seen = { warnings: [] as string[], defaults: undefined as HsmSettings | undefined, renames: [] as string[] };
    const prompts: CreatePrompts = {
      collectSettings: (defaults) => {
        seen.defaults = defaults;
        return Promise.resolve({ ...defaults, ...settings });
      },
      confirmRegionMismatch: (warning) => {
        seen.warnings.push(warning);
        return Promise.resolve(answers.mismatch ?? false);
      },
      chooseAnotherName: (message) => {
        seen.renames.push(message);
        return Promise.resolve(answers.otherName);
      },
      withProgress: progress,
    };
    return { prompts, seen };
  };
  const createDeps = (prompts: CreatePrompts) => ({
    cloud,
    credential,
    prompts,
    subscriptionId: ep.subscriptions[0].id,
    tenantId: ep.tenantId,
    signedInObjectId: ep.admin.objectId,
    secretServerRegion: ep.secretServer.region,
    log: (line: string) => logLines.push(line),
    pollIntervalMs: 50,
  });
  const activationPrompts = (folder: string | undefined, quorum: QuorumChoice = { certificateCount: 3, required: 2 }): ActivationPrompts => ({
    chooseQuorum: () => Promise.resolve(quorum),
    chooseKeySource: () => Promise.resolve({ kind: 'generate' }),
    chooseFolder: () => Promise.resolve(folder),
    confirmCustody: () => Promise.resolve(true),
    withProgress: progress,
  });
  const activateDeps = (prompts: ActivationPrompts) => ({ cloud, credential, prompts, now: () => new Date(), log: (line: string) => logLines.push(line), pollIntervalMs: 50 });

  before(async function () {
    process.env.SANDBOX_HSM_PROVISIONING_MS = '300';
    process.env.SANDBOX_SECURITY_DOMAIN_MS = '200';
    handle = await startSandboxProcess();
    ep = handle.endpoints;
    cloud = sandboxCloud(ep, handle.caPem);
    credential = adminCredential(ep, handle.caPem);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-cmd-'));
  });

  after(async () => {
    for (const [name, value] of [['SANDBOX_HSM_PROVISIONING_MS', saved.provisioning], ['SANDBOX_SECURITY_DOMAIN_MS', saved.securityDomain]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(root, { recursive: true, force: true });
    await handle?.stop();
  });

  it('defaults to the Secret Server region, the signed-in user and purge protection; a declined region warning creates nothing', async () => {
    const before = await handle.digest();
    const { prompts, seen } = createPrompts({ name: 'mhsm-cmd-weu', resourceGroup: 'rg-cmd', newResourceGroup: true, location: 'westeurope' });
    assert.equal(await createManagedHsmCommand(createDeps(prompts)), undefined);
    assert.equal(seen.defaults?.location, ep.secretServer.region);
    assert.deepEqual(seen.defaults?.initialAdminObjectIds, [ep.admin.objectId]);
    assert.equal(seen.defaults?.enablePurgeProtection, true);
    assert.equal(seen.warnings.length, 1);
    assert.match(seen.warnings[0], /same region/);
    assert.equal(await handle.digest(), before);
  });

  it('asks for another name when the chosen one is taken, then creates the HSM not activated', async () => {
    const { prompts, seen } = createPrompts({ name: ep.hsms[0].name, resourceGroup: 'rg-cmd', newResourceGroup: true }, { otherName: 'mhsm-cmd-eus' });
    const hsm = await createManagedHsmCommand(createDeps(prompts));
    assert.equal(seen.warnings.length, 0);
    assert.equal(seen.renames.length, 1);
    assert.match(seen.renames[0], /already in use/);
    assert.equal(hsm?.name, 'mhsm-cmd-eus');
    assert.equal(hsm?.location, ep.secretServer.region);
    assert.equal(hsm?.activated, false);
    assert.equal(hsm?.provisioningState, 'Succeeded');
  });

  describe('activation', () => {
    let hsm: ManagedHsmInfo;
    before(async () => {
      hsm = await getManagedHsm(cloud, credential, ep.subscriptions[0].id, 'rg-cmd', 'mhsm-cmd-eus');
    });

    it('refuses a quorum larger than the number of key pairs before generating anything', async () => {
      const err = await activateManagedHsm(activateDeps(activationPrompts(path.join(root, 'never'), { certificateCount: 3, required: 4 })), hsm).catch((e: unknown) => e);
      assert.ok(err instanceof ActionableError);
      assert.equal(err.kind, 'invalidInput');
      assert.equal(fs.existsSync(path.join(root, 'never')), false);
    });

    it('writes nothing and says so when the user cancels after the key pairs were generated', async () => {
      const outcome = await activateManagedHsm(activateDeps(activationPrompts(undefined)), hsm);
      assert.equal(outcome.status, 'cancelled');
      assert.match(outcome.status === 'cancelled' ? outcome.message : '', /after the key pairs were generated\. Nothing was written/);
      assert.deepEqual(fs.readdirSync(root), []);
      assert.equal((await getManagedHsm(cloud, credential, ep.subscriptions[0].id, 'rg-cmd', 'mhsm-cmd-eus')).activated, false);
    });

    it('does not claim activation when the download fails, and names the unused keys', async () => {
      const folder = path.join(root, 'failed');
      await handle.control('POST', '/faults', { service: 'hsm', method: 'POST', path: '^/securitydomain/download$', kind: 'unavailable', probability: 1, retryAfterSeconds: 0 });
      try {
        const err = await activateManagedHsm(activateDeps(activationPrompts(folder)), hsm).catch((e: unknown) => e);
        assert.ok(err instanceof ActionableError);
        assert.match(err.message, /is not activated\. The private keys saved in .* were not used/);
      } finally {
        await handle.control('DELETE', '/faults');
      }
      assert.equal(fs.readdirSync(folder).filter((f) => f.endsWith('.key')).length, 3);
      assert.equal(fs.readdirSync(folder).some((f) => f.includes('SecurityDomain')), false);
      assert.equal((await getManagedHsm(cloud, credential, ep.subscriptions[0].id, 'rg-cmd', 'mhsm-cmd-eus')).activated, false);
    });

    it('activates with three generated key pairs and quorum two, saving keys and security domain owner-only', async () => {
      const folder = path.join(root, 'activated');
      const outcome = await activateManagedHsm(activateDeps(activationPrompts(folder)), hsm);
      assert.equal(outcome.status, 'activated');
      if (outcome.status !== 'activated') return;
      assert.equal(outcome.privateKeyFiles.length, 3);
      for (const file of [...outcome.privateKeyFiles, outcome.securityDomainFile]) assert.equal(fs.statSync(file).mode & 0o777, 0o600, file);
      assert.equal((await getManagedHsm(cloud, credential, ep.subscriptions[0].id, 'rg-cmd', 'mhsm-cmd-eus')).activated, true);
      // Nothing of the private keys reached the log.
      const log = logLines.join('\n');
      assert.doesNotMatch(log, /PRIVATE KEY/);
      assert.equal((await activateManagedHsm(activateDeps(activationPrompts(folder)), { ...hsm, activated: true })).status, 'alreadyActive');
    });
  });
});
