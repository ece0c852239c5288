import * as path from 'node:path';
import * as fs from 'node:fs';
import * as assert from 'node:assert/strict';
import { constants, privateDecrypt, randomUUID } from 'node:crypto';
import { UsernamePasswordCredential } from '@azure/identity';
import type { RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { KeyVaultManagementClient, ManagedHsm } from '@azure/arm-keyvault';
import { httpsJson, startSandboxProcess, type SandboxEndpoints, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, appCredential, armKeyVault, armScope, keyClient } from '../support/azureClients';
import { RbacTestClient, roleDefinitionIds } from '../support/rbacClient';
import { generateSecurityDomainKeyPairs, type SecurityDomainKeyPair } from '../../src/azure/securityDomainKeys';

// Creating a Managed HSM through the sandbox's ARM (the real @azure/arm-keyvault long-running
// operation) and activating it with a security domain download on its own data plane.

const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (err) {
    return err as RestError;
  }
  assert.fail('expected the call to be refused');
}

describe('sandbox: Managed HSM provisioning and activation', function () {
  let handle: SandboxHandle;
  let ep: SandboxEndpoints;
  let ca: string;
  let subscriptionId: string;
  let adminCred: TokenCredential;
  let arm: KeyVaultManagementClient;
  let pairs: SecurityDomainKeyPair[];
  const saved = { provisioning: process.env.SANDBOX_HSM_PROVISIONING_MS, securityDomain: process.env.SANDBOX_SECURITY_DOMAIN_MS };

  const body = (location = 'eastus', extra: Record<string, unknown> = {}): ManagedHsm => ({
    location,
    sku: { family: 'B', name: 'Standard_B1' },
    properties: {
      tenantId: ep.tenantId,
      initialAdminObjectIds: [ep.admin.objectId],
      softDeleteRetentionInDays: 7,
      enablePurgeProtection: true,
      publicNetworkAccess: 'Enabled',
      ...extra,
    },
  });
  const armUrl = (path: string) => `${ep.armEndpoint}/subscriptions/${subscriptionId}${path}${path.includes('?') ? '&' : '?'}api-version=2026-02-01`;
  const bearer = async (credential: TokenCredential) => ({ authorization: `Bearer ${(await credential.getToken(armScope))!.token}` });
  const operatorCredential = () =>
    new UsernamePasswordCredential(ep.tenantId, ep.publicClientIds.vscode, ep.operator.username, ep.operator.password, {
      authorityHost: ep.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca },
    } as ConstructorParameters<typeof UsernamePasswordCredential>[4]);

  before(async function () {
    process.env.SANDBOX_HSM_PROVISIONING_MS = '400';
    process.env.SANDBOX_SECURITY_DOMAIN_MS = '300';
    handle = await startSandboxProcess();
    ep = handle.endpoints;
    ca = handle.caPem;
    subscriptionId = ep.subscriptions[0].id;
    adminCred = adminCredential(ep, ca);
    arm = armKeyVault(ep, ca, adminCred, subscriptionId);
    pairs = await generateSecurityDomainKeyPairs(4, { namePrefix: 'test-sd', now: new Date() });
  });

  after(async () => {
    process.env.SANDBOX_HSM_PROVISIONING_MS = saved.provisioning;
    process.env.SANDBOX_SECURITY_DOMAIN_MS = saved.securityDomain;
    if (saved.provisioning === undefined) delete process.env.SANDBOX_HSM_PROVISIONING_MS;
    if (saved.securityDomain === undefined) delete process.env.SANDBOX_SECURITY_DOMAIN_MS;
    await handle?.stop();
  });

  describe('resource groups', () => {
    it('creates a resource group with PUT (201), accepts the same PUT again (200) and refuses another location (409)', async () => {
      const headers = await bearer(adminCred);
      const url = armUrl('/resourcegroups/rg-provisioning');
      const created = await httpsJson('PUT', url, ca, { location: 'East US' }, headers);
      assert.equal(created.status, 201);
      assert.equal((created.body as { location: string }).location, 'eastus');
      assert.equal((await httpsJson('PUT', url, ca, { location: 'eastus' }, headers)).status, 200);
      const moved = await httpsJson('PUT', url, ca, { location: 'westeurope' }, headers);
      assert.equal(moved.status, 409);
      assert.equal(errorOf(moved.body).code, 'InvalidResourceGroupLocation');
      assert.equal((await httpsJson('GET', url, ca, undefined, headers)).status, 200);
    });

    it('refuses a resource group without a location, in an unknown one, or with a bad name, changing nothing', async () => {
      const headers = await bearer(adminCred);
      const before = await handle.digest();
      const missing = await httpsJson('PUT', armUrl('/resourcegroups/rg-x'), ca, {}, headers);
      assert.equal(errorOf(missing.body).code, 'LocationRequired');
      const unknown = await httpsJson('PUT', armUrl('/resourcegroups/rg-x'), ca, { location: 'moon' }, headers);
      assert.equal(errorOf(unknown.body).code, 'LocationNotAvailableForResourceGroup');
      const badName = await httpsJson('PUT', armUrl('/resourcegroups/rg-x.'), ca, { location: 'eastus' }, headers);
      assert.equal(badName.status, 400);
      assert.equal(await handle.digest(), before);
    });
  });

  describe('creating a Managed HSM', () => {
    it('refuses a resource group that does not exist (ARM does not create it)', async () => {
      const err = await restError(arm.managedHsms.beginCreateOrUpdateAndWait('rg-missing', 'mhsm-in-nowhere', body(), { updateIntervalInMs: 20 }));
      assert.equal(err.statusCode, 404);
      assert.equal(err.code, 'ResourceGroupNotFound');
    });

    it('refuses a name that is taken anywhere, with 409 ConflictError', async () => {
      const taken = ep.hsms[0].name;
      const err = await restError(arm.managedHsms.beginCreateOrUpdateAndWait('rg-provisioning', taken, body(), { updateIntervalInMs: 20 }));
      assert.equal(err.statusCode, 409);
      assert.equal(err.code, 'ConflictError');
      assert.match(err.message, /already in use/);
    });

    it('refuses invalid names', async () => {
      for (const name of ['ab', '1starts-with-digit', 'double--hyphen', 'ends-with-hyphen-', 'under_score', 'a'.repeat(25)]) {
        const err = await restError(arm.managedHsms.beginCreateOrUpdateAndWait('rg-provisioning', name, body(), { updateIntervalInMs: 20 }));
        assert.equal(err.statusCode, 400, name);
        assert.match(err.message, /between 3-24 alphanumeric characters/, name);
      }
    });

    it('refuses a region without Managed HSM, naming the available ones', async () => {
      const err = await restError(arm.managedHsms.beginCreateOrUpdateAndWait('rg-provisioning', 'mhsm-bad-region', body('antarctica'), { updateIntervalInMs: 20 }));
      assert.equal(err.statusCode, 400);
      assert.equal(err.code, 'LocationNotAvailableForResourceType');
      assert.match(err.message, /^The provided location 'antarctica' is not available for resource type 'Microsoft.KeyVault\/managedHSMs'\. List of available regions for the resource type is '.*eastus,/);
    });

    it('refuses bad bodies: retention outside 7–90, no administrators, another tenant', async () => {
      const before = await handle.digest();
      for (const extra of [{ softDeleteRetentionInDays: 6 }, { softDeleteRetentionInDays: 91 }, { initialAdminObjectIds: [] }, { tenantId: '00000000-0000-0000-0000-000000000001' }, { publicNetworkAccess: 'Sometimes' }]) {
        const err = await restError(arm.managedHsms.beginCreateOrUpdateAndWait('rg-provisioning', 'mhsm-bad-body', body('eastus', extra), { updateIntervalInMs: 20 }));
        assert.equal(err.statusCode, 400, JSON.stringify(extra));
      }
      const raw = await httpsJson('PUT', armUrl('/resourceGroups/rg-provisioning/providers/Microsoft.KeyVault/managedHSMs/mhsm-bad-body'), ca, '{not json', await bearer(adminCred));
      assert.equal(raw.status, 400);
      assert.equal(await handle.digest(), before);
    });

    it('refuses a caller without a role on the subscription (403 AuthorizationFailed)', async () => {
      const client = armKeyVault(ep, ca, operatorCredential(), subscriptionId);
      const err = await restError(client.managedHsms.beginCreateOrUpdateAndWait('rg-provisioning', 'mhsm-operator', body(), { updateIntervalInMs: 20 }));
      assert.equal(err.statusCode, 403);
      assert.equal(err.code, 'AuthorizationFailed');
      assert.match(err.message, /Microsoft\.KeyVault\/managedHSMs\/write/);
    });

    it('answers checkMhsmNameAvailability for taken, invalid and free names', async () => {
      const taken = await arm.managedHsms.checkMhsmNameAvailability({ name: ep.hsms[0].name });
      assert.equal(taken.nameAvailable, false);
      assert.equal(taken.reason, 'AlreadyExists');
      const invalid = await arm.managedHsms.checkMhsmNameAvailability({ name: 'a--b' });
      assert.equal(invalid.nameAvailable, false);
      assert.equal(invalid.reason, 'AccountNameInvalid');
      assert.equal((await arm.managedHsms.checkMhsmNameAvailability({ name: 'mhsm-free-name' })).nameAvailable, true);
    });

    it('provisions as a long-running operation: Provisioning, then Succeeded and not activated, with its own data plane', async () => {
      const poller = await arm.managedHsms.beginCreateOrUpdate('rg-provisioning', 'mhsm-new-eus', body(), { updateIntervalInMs: 50 });
      const during = await arm.managedHsms.get('rg-provisioning', 'mhsm-new-eus');
      assert.equal(during.properties?.provisioningState, 'Provisioning');
      const hsm = await poller.pollUntilDone();
      assert.equal(hsm.properties?.provisioningState, 'Succeeded');
      assert.equal(hsm.properties?.securityDomainProperties?.activationStatus, 'NotActivated');
      assert.equal(hsm.properties?.softDeleteRetentionInDays, 7);
      assert.equal(hsm.properties?.enablePurgeProtection, true);
      assert.equal(hsm.location, 'eastus');
      assert.deepEqual(hsm.properties?.initialAdminObjectIds, [ep.admin.objectId]);
      const hsmUri = hsm.properties?.hsmUri ?? '';
      assert.match(hsmUri, /^https:\/\/127\.0\.0\.1:\d+\/$/);

      const listed = [];
      for await (const h of arm.managedHsms.listByResourceGroup('rg-provisioning')) listed.push(h.name);
      assert.deepEqual(listed, ['mhsm-new-eus']);
      // endpoints.json, the contract other tools read, now lists it too.
      const contract = JSON.parse(fs.readFileSync(path.join(handle.stateDir, 'endpoints.json'), 'utf8')) as { hsms: { name: string; uri: string; activated: boolean }[] };
      assert.deepEqual(contract.hsms.find((h) => h.name === 'mhsm-new-eus'), { ...contract.hsms.find((h) => h.name === 'mhsm-new-eus'), uri: hsmUri, activated: false });

      const refused = await restError(keyClient(hsmUri, adminCred, ca).createOctKey('secret-server-key', { hsm: true, keySize: 256 }));
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.code, 'HsmNotActivated');

      // The initial administrator holds Managed HSM Administrator at '/'.
      const world = (await handle.control('GET', '/world')).body as { hsms: { name: string; roleAssignments: { scope: string; principalId: string; roleDefinitionId: string }[] }[] };
      const assignments = world.hsms.find((h) => h.name === 'mhsm-new-eus')!.roleAssignments;
      assert.equal(assignments.length, 1);
      assert.equal(assignments[0].scope, '/');
      assert.equal(assignments[0].principalId, ep.admin.objectId);
      assert.match(assignments[0].roleDefinitionId, /a290e904-7015-4bba-90c8-60543313cdb4$/);
    });
  });

  describe('activating with a security domain download', () => {
    let hsmUri: string;
    let sd: RbacTestClient;
    const certs = (n: number) => pairs.slice(0, n).map((p) => p.jwk);

    before(async () => {
      const hsm = await arm.managedHsms.get('rg-provisioning', 'mhsm-new-eus');
      hsmUri = hsm.properties!.hsmUri!;
      sd = new RbacTestClient(hsmUri, adminCred, ca);
    });

    it('refuses fewer than three certificates, a quorum above the count or below two, and a mismatched thumbprint, changing nothing', async () => {
      const before = await handle.digest();
      const cases: [unknown, RegExp][] = [
        [{ certificates: certs(2), required: 2 }, /between 3 and 10 certificates/],
        [{ certificates: certs(3), required: 4 }, /cannot be larger than the number of certificates/],
        [{ certificates: certs(3), required: 1 }, /from 2 to 10/],
        [{ certificates: [...certs(2), { ...pairs[2].jwk, 'x5t#S256': pairs[0].jwk['x5t#S256'] }], required: 2 }, /thumbprint/],
        [{ certificates: [...certs(2), { ...pairs[2].jwk, n: pairs[0].jwk.n }], required: 2 }, /do not match/],
        [{ certificates: [pairs[0].jwk, pairs[0].jwk, pairs[1].jwk], required: 2 }, /more than once/],
        [{ certificates: [...certs(2), { ...pairs[2].jwk, kty: 'EC' }], required: 2 }, /must be 'RSA'/],
      ];
      for (const [request, message] of cases) {
        const res = await sd.send('POST', '/securitydomain/download', request);
        assert.equal(res.status, 400, String(message));
        assert.equal(errorOf(res.body).code, 'BadParameter');
        assert.match(errorOf(res.body).message, message);
      }
      assert.equal(await handle.digest(), before);
    });

    it('refuses a caller who is not a Managed HSM Administrator (403 AccessDenied)', async () => {
      const other = new RbacTestClient(hsmUri, appCredential(ep, ca, ep.expiringApp.clientId, ep.expiringApp.clientSecret), ca);
      const res = await other.send('POST', '/securitydomain/download', { certificates: certs(3), required: 2 });
      assert.equal(res.status, 403);
      assert.equal(errorOf(res.body).code, 'AccessDenied');
      assert.match(errorOf(res.body).message, /securitydomain\/download\/action on \//);
    });

    it('downloads with three certificates and quorum two, reports InProgress then Success, and activates the HSM', async () => {
      const res = await sd.send('POST', '/securitydomain/download', { certificates: certs(3), required: 2 });
      assert.equal(res.status, 202);
      assert.equal(res.headers['azure-asyncoperation'], `${hsmUri}securitydomain/download/pending`);
      const blob = JSON.parse((res.body as { value: string }).value) as { SharedKeys: { required: number; enc_shares: { x5t_256: string; enc_key: string }[] } };
      assert.equal(blob.SharedKeys.required, 2);
      assert.deepEqual(
        blob.SharedKeys.enc_shares.map((s) => s.x5t_256),
        certs(3).map((c) => c['x5t#S256']),
      );
      // Each share opens only with its own private key.
      const share = privateDecrypt({ key: pairs[0].privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(blob.SharedKeys.enc_shares[0].enc_key, 'base64url'));
      assert.equal(share.length, 33);
      assert.throws(() => privateDecrypt({ key: pairs[1].privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(blob.SharedKeys.enc_shares[0].enc_key, 'base64url')));

      const first = await sd.send('GET', '/securitydomain/download/pending');
      assert.equal(first.status, 200);
      assert.equal((first.body as { status: string }).status, 'InProgress');
      let status = 'InProgress';
      for (let i = 0; i < 100 && status === 'InProgress'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = ((await sd.send('GET', '/securitydomain/download/pending')).body as { status: string }).status;
      }
      assert.equal(status, 'Success');

      const hsm = await arm.managedHsms.get('rg-provisioning', 'mhsm-new-eus');
      assert.equal(hsm.properties?.securityDomainProperties?.activationStatus, 'Active');
      // As on Azure, an Administrator manages roles but not keys: it grants itself Crypto User first.
      const grant = await sd.send('PUT', `/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`, {
        properties: { roleDefinitionId: roleDefinitionIds.cryptoUser, principalId: ep.admin.objectId },
      });
      assert.equal(grant.status, 201);
      const key = await keyClient(hsmUri, adminCred, ca).createOctKey('secret-server-key', { hsm: true, keySize: 256 });
      assert.equal(key.keyType, 'oct-HSM');
    });

    it('refuses a second download once the HSM is activated (409 Conflict)', async () => {
      const res = await sd.send('POST', '/securitydomain/download', { certificates: certs(3), required: 2 });
      assert.equal(res.status, 409);
      assert.equal(errorOf(res.body).code, 'Conflict');
      assert.match(errorOf(res.body).message, /already been downloaded/);
    });
  });
});
