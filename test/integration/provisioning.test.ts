import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { startSandboxProcess, type SandboxEndpoints, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential } from '../support/azureClients';
import { rejectsActionable } from '../support/actionableAssertions';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { checkManagedHsmName, cloudWithCreatedHsm, createManagedHsm, type NewManagedHsm, type ProvisioningProgress } from '../../src/azure/managedHsmProvisioning';
import { getManagedHsm } from '../../src/azure/managedHsms';
import { SecurityDomainClient } from '../../src/azure/securityDomain';
import { generateSecurityDomainKeyPairs, securityDomainJwkFromCertificate, type SecurityDomainKeyPair } from '../../src/azure/securityDomainKeys';
import { writeKeyPairFiles, writeSecurityDomainFile } from '../../src/azure/securityDomainFiles';

// The product's provisioning and activation functions against the sandbox: create a resource
// group and an HSM with progress, refuse what Azure refuses, download the security domain with
// locally generated key pairs, and never claim activation the HSM did not report.

describe('provisioning and activating a Managed HSM (product functions)', function () {
  let handle: SandboxHandle;
  let ep: SandboxEndpoints;
  let cloud: AzureCloud;
  let credential: TokenCredential;
  let subscriptionId: string;
  let folder: string;
  let pairs: SecurityDomainKeyPair[];
  const saved = { provisioning: process.env.SANDBOX_HSM_PROVISIONING_MS, securityDomain: process.env.SANDBOX_SECURITY_DOMAIN_MS };

  const request = (name: string, extra: Partial<NewManagedHsm> = {}): NewManagedHsm => ({
    subscriptionId,
    resourceGroup: 'rg-product',
    createResourceGroup: true,
    name,
    location: 'East US',
    tenantId: ep.tenantId,
    initialAdminObjectIds: [ep.admin.objectId],
    softDeleteRetentionInDays: 7,
    enablePurgeProtection: true,
    publicNetworkAccess: 'Enabled',
    ...extra,
  });

  before(async function () {
    process.env.SANDBOX_HSM_PROVISIONING_MS = '400';
    process.env.SANDBOX_SECURITY_DOMAIN_MS = '300';
    handle = await startSandboxProcess();
    ep = handle.endpoints;
    cloud = sandboxCloud(ep, handle.caPem);
    credential = adminCredential(ep, handle.caPem);
    subscriptionId = ep.subscriptions[0].id;
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-sd-'));
    pairs = await generateSecurityDomainKeyPairs(3, { namePrefix: 'mhsm-product-sd', now: new Date() });
  });

  after(async () => {
    for (const [name, value] of [['SANDBOX_HSM_PROVISIONING_MS', saved.provisioning], ['SANDBOX_SECURITY_DOMAIN_MS', saved.securityDomain]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(folder, { recursive: true, force: true });
    await handle?.stop();
  });

  it('checks names: taken anywhere, invalid (refused locally), free', async () => {
    assert.deepEqual(await checkManagedHsmName(cloud, credential, subscriptionId, ep.hsms[0].name).then((r) => [r.available, r.reason]), [false, 'AlreadyExists']);
    const invalid = await checkManagedHsmName(cloud, credential, subscriptionId, 'x--y');
    assert.equal(invalid.available, false);
    assert.equal(invalid.reason, 'AccountNameInvalid');
    assert.equal((await checkManagedHsmName(cloud, credential, subscriptionId, 'mhsm-product')).available, true);
  });

  it('refuses a bad name or retention before sending anything', async () => {
    const before = await handle.digest();
    assert.equal((await rejectsActionable(createManagedHsm(cloud, credential, request('9lives')))).kind, 'invalidInput');
    assert.equal((await rejectsActionable(createManagedHsm(cloud, credential, request('mhsm-product', { softDeleteRetentionInDays: 120 })))).kind, 'invalidInput');
    assert.equal(await handle.digest(), before);
  });

  it('creates the resource group and the HSM, reporting progress, and returns it provisioned but not activated', async () => {
    const progress: ProvisioningProgress[] = [];
    const hsm = await createManagedHsm(cloud, credential, request('mhsm-product'), { pollIntervalMs: 50, onProgress: (p) => progress.push(p) });
    assert.equal(hsm.provisioningState, 'Succeeded');
    assert.equal(hsm.activated, false);
    assert.equal(hsm.location, 'eastus');
    assert.equal(hsm.resourceGroup, 'rg-product');
    assert.equal(hsm.purgeProtection, true);
    const stages = progress.map((p) => p.stage);
    assert.ok(stages.includes('resourceGroup') && stages.includes('submitted') && stages.includes('provisioning'), stages.join());
    assert.equal(stages.at(-1), 'succeeded');
    assert.match(progress.find((p) => p.stage === 'resourceGroup' && /Created/.test(p.message))?.message ?? '', /Created resource group rg-product in eastus/);
  });

  it('refuses a taken name with the service reason, and a region without Managed HSM', async () => {
    const taken = await rejectsActionable(createManagedHsm(cloud, credential, request(ep.hsms[0].name), { pollIntervalMs: 50 }));
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.code, 'ConflictError');
    assert.match(taken.message, /already in use/);
    const region = await rejectsActionable(createManagedHsm(cloud, credential, request('mhsm-product-2', { location: 'antarctica', createResourceGroup: false }), { pollIntervalMs: 50 }));
    assert.equal(region.statusCode, 400);
    assert.equal(region.code, 'LocationNotAvailableForResourceType');
  });

  it('stops waiting when cancelled after submission and says the HSM keeps provisioning', async () => {
    const controller = new AbortController();
    const cancelled = await rejectsActionable(
      createManagedHsm(cloud, credential, request('mhsm-product-cancel'), {
        pollIntervalMs: 50,
        abortSignal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'submitted') controller.abort();
        },
      }),
    );
    assert.equal(cancelled.kind, 'cancelled');
    assert.match(cancelled.message, /keeps provisioning/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await getManagedHsm(cloud, credential, subscriptionId, 'rg-product', 'mhsm-product-cancel')).provisioningState, 'Succeeded');
  });

  it('writes private keys once with owner-only permissions, and leaves nothing behind when a name is taken', async () => {
    const written = await writeKeyPairFiles(folder, pairs);
    assert.equal(written.privateKeys.length, 3);
    for (const file of written.privateKeys) {
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.match(fs.readFileSync(file, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    }
    // Existing certificates can be reused: their JWK is the one generated with them.
    assert.deepEqual(securityDomainJwkFromCertificate(fs.readFileSync(written.certificates[0], 'utf8'), pairs[0].name), pairs[0].jwk);

    const others = await generateSecurityDomainKeyPairs(1, { namePrefix: 'mhsm-other', now: new Date() });
    const clash = [...others, pairs[0]];
    const before = fs.readdirSync(folder).sort();
    await assert.rejects(writeKeyPairFiles(folder, clash), /already exists there\. Nothing was left behind/);
    assert.deepEqual(fs.readdirSync(folder).sort(), before);
    assert.equal(fs.readFileSync(written.privateKeys[0], 'utf8'), pairs[0].privateKeyPem);
  });

  describe('security domain download', () => {
    let client: SecurityDomainClient;
    let hsmUri: string;

    before(async () => {
      hsmUri = (await getManagedHsm(cloud, credential, subscriptionId, 'rg-product', 'mhsm-product')).hsmUri;
      // The sandbox's environment lists HSMs by origin; one created now is added from ARM's answer.
      assert.throws(() => new SecurityDomainClient(cloud, credential, hsmUri), /not one of the Managed HSMs/);
      cloud = cloudWithCreatedHsm(cloud, hsmUri);
      client = new SecurityDomainClient(cloud, credential, hsmUri, 'mhsm-product');
    });

    it('refuses fewer than three certificates or a quorum above the count before sending anything', async () => {
      const before = await handle.digest();
      const few = await rejectsActionable(client.download(pairs.slice(0, 2).map((p) => p.jwk), 2));
      assert.equal(few.kind, 'invalidInput');
      assert.match(few.message, /at least 3 certificates/);
      const quorum = await rejectsActionable(client.download(pairs.map((p) => p.jwk), 4));
      assert.match(quorum.message, /quorum \(4\) cannot be larger than the number of certificates \(3\)/);
      assert.equal(await handle.digest(), before);
    });

    it('does not claim activation when the download fails', async () => {
      const fault = await handle.control('POST', '/faults', { service: 'hsm', method: 'POST', path: '^/securitydomain/download$', kind: 'unavailable', probability: 1, retryAfterSeconds: 0 });
      assert.equal(fault.status, 201);
      try {
        const failed = await rejectsActionable(client.download(pairs.map((p) => p.jwk), 2));
        assert.equal(failed.statusCode, 503);
      } finally {
        await handle.control('DELETE', '/faults');
      }
      assert.equal((await getManagedHsm(cloud, credential, subscriptionId, 'rg-product', 'mhsm-product')).activated, false);
    });

    it('downloads with three key pairs and quorum two, saves the file owner-only, and waits until the HSM is activated', async () => {
      const securityDomain = await client.download(pairs.map((p) => p.jwk), 2);
      const file = await writeSecurityDomainFile(folder, 'mhsm-product', securityDomain);
      assert.equal(path.basename(file), 'mhsm-product-SecurityDomain.json');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as { SharedKeys: { required: number } }).SharedKeys.required, 2);
      // A second save never overwrites the first.
      assert.equal(path.basename(await writeSecurityDomainFile(folder, 'mhsm-product', securityDomain)), 'mhsm-product-SecurityDomain-2.json');

      const seen: string[] = [];
      const done = await client.waitForActivation({ pollIntervalMs: 50, onProgress: (s) => seen.push(s.status) });
      assert.equal(done.status, 'Success');
      assert.equal(seen[0], 'InProgress');
      assert.equal((await getManagedHsm(cloud, credential, subscriptionId, 'rg-product', 'mhsm-product')).activated, true);
    });

    it('reports a second download on an activated HSM as a conflict', async () => {
      const again = await rejectsActionable(client.download(pairs.map((p) => p.jwk), 2));
      assert.equal(again.statusCode, 409);
    });
  });
});
