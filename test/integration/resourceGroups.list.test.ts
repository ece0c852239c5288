import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { startSandboxProcess, type SandboxEndpoints, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential } from '../support/azureClients';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { ensureResourceGroup, listResourceGroups } from '../../src/azure/resourceGroups';
import { ActionableError } from '../../src/core/actionableError';

// The resource groups the Create Managed HSM picker offers, read from the sandbox's ARM.

describe('listResourceGroups against the sandbox ARM', () => {
  let handle: SandboxHandle;
  let ep: SandboxEndpoints;
  let cloud: AzureCloud;
  let credential: TokenCredential;

  before(async () => {
    handle = await startSandboxProcess();
    ep = handle.endpoints;
    cloud = sandboxCloud(ep, handle.caPem);
    credential = adminCredential(ep, handle.caPem);
  });

  after(async () => handle?.stop());

  it('lists the seeded groups, sorted, and a group created afterwards', async () => {
    const subscriptionId = ep.subscriptions[0].id;
    const before = await listResourceGroups(cloud, credential, subscriptionId);
    assert.ok(before.length >= 2, `the seeded groups are listed (${before.join(', ')})`);
    assert.deepEqual(before, [...before].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })));
    await ensureResourceGroup(cloud, credential, subscriptionId, 'AAA-list-test', 'eastus');
    const after = await listResourceGroups(cloud, credential, subscriptionId);
    assert.equal(after[0], 'AAA-list-test', 'the new group is listed, in order');
    assert.equal(after.length, before.length + 1);
  });

  it('answers an unknown subscription with an ActionableError, not a crash', async () => {
    await assert.rejects(listResourceGroups(cloud, credential, '00000000-0000-0000-0000-00000000dead'), (err: unknown) => {
      assert.ok(err instanceof ActionableError);
      assert.match(err.message, /resource groups|subscription/i);
      return true;
    });
  });
});
