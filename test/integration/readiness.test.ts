import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { servicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { createApplication } from '../../src/azure/graph/applications';
import { addClientSecret, type NewClientSecret } from '../../src/azure/graph/clientSecrets';
import { createGraphClient } from '../../src/azure/graph/graphClient';
import { ensureServicePrincipal } from '../../src/azure/graph/servicePrincipals';
import { ManagedHsmKeys } from '../../src/azure/keys';
import { ManagedHsmRbac } from '../../src/azure/localRbac';
import { ActionableError } from '../../src/core/actionableError';
import { keyScope, managedHsmRoleIds } from '../../src/core/managedHsmRoles';
import type { ReadinessFacts } from '../../src/core/readiness/facts';
import type { Finding } from '../../src/core/readiness/finding';
import { buildReadinessReport, renderReadinessMarkdown } from '../../src/core/readiness/report';
import { evaluateReadiness } from '../../src/core/readiness/rules';
import { gatherFacts, type GatherFactsInput, type HsmLocator } from '../../src/readiness/gatherFacts';
import { runReadinessCheck } from '../../src/readiness/readinessCheck';
import { getKeyManagement, listKeyManagementTypes, updateKeyManagement } from '../../src/secretServer/keyManagement';
import { findKeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { followRotation, getRotationStatus } from '../../src/secretServer/rotation';
import { SecretServerSession } from '../../src/secretServer/session';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';

// The readiness check end to end: the seed's Task 1 made through src/azure (app, secret, service
// principal, key, role), Secret Server configured with the key, then gatherFacts + the rules
// against the sandbox — and the seeded non-compliant keys, app and HSM, each failing for its reason.

describe('readiness check against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let cloud: AzureCloud;
  let admin: TokenCredential;
  let tenantId: string;
  let eus: HsmLocator & { uri: string };
  let weu: HsmLocator & { uri: string };
  let keys: ManagedHsmKeys;
  let rbac: ManagedHsmRbac;
  let app: { appId: string; secret: NewClientSecret; spObjectId: string };
  let readyKeyId: string;
  let ssUser: { username: string; password: string };
  const readyKey = 'ss-ready-key';

  const newSession = (url = sandbox.endpoints.secretServer.url, maxRetries?: number) =>
    new SecretServerSession({ url, username: ssUser.username, caPem: cloud.caPem, maxRetries, credentials: { getPassword: async () => ssUser.password } });

  const input = (keyId: string, extra: Partial<GatherFactsInput> = {}): GatherFactsInput => ({
    cloud,
    credential: admin,
    tenantId,
    keyId,
    hsm: eus,
    app: { appId: app.appId, secretKeyId: app.secret.keyId, getSecret: async () => app.secret.secretText },
    secretServerRegion: sandbox.endpoints.secretServer.region,
    ...extra,
  });

  const check = async (i: GatherFactsInput): Promise<{ facts: ReadinessFacts; findings: Finding[]; byId: (id: string) => Finding }> => {
    const { facts } = await gatherFacts(i);
    const findings = evaluateReadiness(facts, new Date());
    const byId = (id: string) => {
      const f = findings.find((x) => x.id === id);
      assert.ok(f, `no finding ${id}`);
      return f;
    };
    return { facts, findings, byId };
  };

  before(async () => {
    sandbox = await startSandboxProcess(['--secrets', '30', '--rotation-rate', '150', '--maintenance-delay', '200'], undefined, { requestLog: true });
    const ep = sandbox.endpoints;
    cloud = sandboxCloud(ep, sandbox.caPem);
    tenantId = ep.tenantId;
    admin = await servicePrincipalCredential(cloud, tenantId, ep.admin.clientId, ep.admin.clientSecret);
    const hsmOf = (name: string) => {
      const h = ep.hsms.find((x) => x.name === name)!;
      return { subscriptionId: h.subscriptionId, resourceGroup: h.resourceGroup, name: h.name, uri: h.uri };
    };
    eus = hsmOf('contoso-mhsm-eus');
    weu = hsmOf('contoso-mhsm-weu');
    ssUser = ep.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;

    // Task 1, as an administrator does it.
    const graph = await createGraphClient(cloud, admin);
    const registration = await createApplication(graph, 'Secret Server (readiness test)');
    const { servicePrincipal } = await ensureServicePrincipal(graph, registration.appId);
    const secret = await addClientSecret(graph, registration.id, { displayName: 'Secret Server', expiresOn: new Date(Date.now() + 365 * 86_400_000) });
    app = { appId: registration.appId, secret, spObjectId: servicePrincipal.id };
    keys = new ManagedHsmKeys(cloud, admin, eus.uri, { displayName: eus.name, pollIntervalMs: 20 });
    rbac = new ManagedHsmRbac(cloud, admin, eus.uri, { displayName: eus.name });
    readyKeyId = (await keys.createSecretServerKey(readyKey)).versionlessId;
    const grant = (name: string) => rbac.createRoleAssignment({ scope: keyScope(name), roleDefinitionId: managedHsmRoleIds.cryptoUser, principalId: servicePrincipal.id });
    await grant(readyKey);
    // The app may use the seeded non-compliant keys too, so the live test reaches their real problem.
    for (const name of ['aes128-key', 'rsa-signing-key', 'disabled-key', 'expiring-key']) await grant(name);

    // Task 2 and 3: Secret Server uses the new key, versionless; the rotation runs to its end.
    const session = newSession();
    const type = findKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm')!;
    const since = await getRotationStatus(session);
    await updateKeyManagement(session, { type, azureManagedHsm: { tenantId, principalId: app.appId, principalSecret: secret.secretText, keyUrl: readyKeyId } });
    let last;
    for await (const progress of followRotation(session, { since, pollIntervalMs: 100 })) last = progress;
    assert.equal(last?.state, 'succeeded');
  });

  after(async () => {
    await sandbox?.stop();
  });

  it('a setup made like Task 1 passes every rule, including the live wrap and unwrap as the app', async () => {
    const session = newSession();
    const result = await runReadinessCheck({ ...input(readyKeyId), secretServer: { session } });
    const notPassing = result.findings.filter((f) => f.status !== 'pass').map((f) => `${f.id}: ${f.status}: ${f.reason}`);
    assert.deepEqual(notPassing, []);
    assert.equal(result.report.verdict, 'ready');
    const reminders = result.findings.filter((f) => f.reminder).map((f) => f.id);
    assert.deepEqual(reminders, ['hsm.securityDomainBackup', 'hsm.fullBackup']);
    assert.ok(result.findings.some((f) => f.id === 'access.probe' && /wrapped and unwrapped/.test(f.reason)));
    assert.ok(result.findings.some((f) => f.id === 'secretServer.usesKey' && /without a version/.test(f.reason)));
    assert.equal(result.facts.app.state === 'known' && result.facts.app.value.usedSecret?.source, 'given');
    // No secret anywhere in what the user sees or the facts kept.
    assert.equal(result.markdown.includes(app.secret.secretText), false);
    assert.equal(JSON.stringify(result.facts).includes(app.secret.secretText), false);
    assert.match(result.markdown, /\*\*✓ Ready\*\*/);
  });

  it('finds the HSM without a locator and tells the stored secret by its hint', async () => {
    const { facts, byId } = await check(input(readyKeyId, { hsm: undefined, app: { appId: app.appId, getSecret: async () => app.secret.secretText } }));
    assert.equal(facts.hsm.state === 'known' && facts.hsm.value.name, 'contoso-mhsm-eus');
    assert.equal(byId('hsm.region').status, 'pass');
    assert.deepEqual(facts.app.state === 'known' && facts.app.value.usedSecret, { keyId: app.secret.keyId, source: 'storedValue' });
  });

  it('runs independent calls concurrently', async () => {
    const { timings } = await gatherFacts({ ...input(readyKeyId), secretServer: { session: newSession() } });
    const independent = ['getKey', 'getRotationPolicy', 'getManagedHsm', 'healthcheck', 'getKeyManagement', 'getRotationStatus'];
    const picked = independent.map((name) => {
      const t = timings.find((x) => x.call === name);
      assert.ok(t, `no timing for ${name}`);
      return t;
    });
    const lastStart = Math.max(...picked.map((t) => t.startMs));
    const firstEnd = Math.min(...picked.map((t) => t.startMs + t.durationMs));
    assert.ok(lastStart < firstEnd, `every independent call starts before any of them ends (${JSON.stringify(picked)})`);
    assert.ok(timings.every((t) => t.ok), JSON.stringify(timings.filter((t) => !t.ok)));
    // The role assignments need the service principal's object id, and follow it.
    const sp = timings.find((t) => t.call === 'getServicePrincipal')!;
    const roles = timings.find((t) => t.call === 'listRoleAssignments')!;
    assert.ok(roles.startMs >= sp.startMs + sp.durationMs - 1);
  });

  it('makes each Azure call once (the key is read once, by the administrator; the probe goes straight to wrap)', async () => {
    // A fresh administrator credential: its sign-ins count too. No Secret Server here: the sandbox's
    // Secret Server makes HSM and Entra calls of its own (its healthcheck unwraps its master key).
    const ep = sandbox.endpoints;
    const freshAdmin = await servicePrincipalCredential(cloud, tenantId, ep.admin.clientId, ep.admin.clientSecret);
    const calls = await loggedCalls(sandbox, () => gatherFacts({ ...input(readyKeyId), credential: freshAdmin }));
    assert.ok(calls.length > 10, `request log captured: ${calls.map((c) => c.call).join('\n')}`);
    // Key Vault's challenge protocol sends each client's first request without a token (401).
    const answered = calls.filter((c) => c.status !== 401);
    const counts = tally(answered);
    const keyRead = `hsm GET /keys/${readyKey}`;
    const repeated = [...counts].filter(([call, n]) => n > 1 && !call.startsWith('entra '));
    assert.deepEqual(repeated, [], `calls made more than once:\n${answered.map((c) => c.call).join('\n')}`);
    assert.equal(counts.get(keyRead), 1, 'the key is read once, by the administrator');
    // One token per identity and audience: the administrator for ARM, the HSM and Graph; the app for the HSM.
    const tokens = answered.filter((c) => /^entra POST .*\/token$/.test(c.call));
    assert.equal(tokens.length, 4, answered.map((c) => c.call).join('\n'));
    // One sign-in discovery per identity (the administrator's fresh credential and the app's).
    assert.equal(answered.filter((c) => /^entra GET .*openid-configuration$/.test(c.call)).length, 2);
    for (const expected of ['arm GET', 'graph GET', `hsm GET /keys/${readyKey}/rotationpolicy`, 'hsm GET /providers/Microsoft.Authorization/roleAssignments']) {
      assert.ok(answered.some((c) => c.call.startsWith(expected)), `expected a call ${expected}`);
    }
    assert.equal(answered.filter((c) => /\/wrapkey$/.test(c.call)).length, 1);
    assert.equal(answered.filter((c) => /\/unwrapkey$/.test(c.call)).length, 1);
  });

  it('makes each Secret Server call once, signing in once', async () => {
    const calls = await loggedCalls(sandbox, () => gatherFacts({ ...input(readyKeyId), secretServer: { session: newSession() } }));
    const ss = calls.filter((c) => c.service === 'secretServer');
    assert.deepEqual(
      ss.map((c) => c.call).sort(),
      [
        'secretServer GET /api/v1/configuration/security/rotate-secret-keys-status',
        'secretServer GET /api/v1/healthcheck',
        'secretServer GET /api/v1/key-management',
        'secretServer POST /oauth2/token',
      ],
    );
  });

  describe('the seeded non-compliant keys', () => {
    it('aes128-key: oct-HSM, but the HSM refuses A256KW, so it is not 256 bits', async () => {
      const { byId, findings, facts } = await check(input(`${eus.uri}keys/aes128-key`));
      assert.equal(byId('key.type').status, 'pass');
      const size = byId('key.size');
      assert.equal(size.status, 'fail', size.reason);
      assert.match(size.reason, /not 256 bits/);
      assert.match(size.reason, /128-bit/);
      const probe = byId('access.probe');
      assert.equal(probe.status, 'fail');
      assert.match(probe.reason, /while wrapping a test value \(A256KW\)/);
      assert.equal(byId('access.role').status, 'pass');
      assert.equal(buildReadinessReport(facts.target, findings, new Date()).verdict, 'notReady');
    });

    it('rsa-signing-key: the wrong type and size', async () => {
      const { byId } = await check(input(`${eus.uri}keys/rsa-signing-key`));
      const type = byId('key.type');
      assert.equal(type.status, 'fail');
      assert.match(type.reason, /RSA-HSM/);
      assert.equal(type.fix?.id, 'createSecretServerKey');
      assert.match(byId('key.size').reason, /2048-bit RSA-HSM/);
      assert.equal(byId('access.probe').status, 'fail');
    });

    it('disabled-key: disabled, and the live wrap refused, both offering to enable it', async () => {
      const { byId } = await check(input(`${eus.uri}keys/disabled-key`));
      const enabled = byId('key.enabled');
      assert.equal(enabled.status, 'fail');
      assert.equal(enabled.fix?.id, 'enableKey');
      const probe = byId('access.probe');
      assert.equal(probe.status, 'fail');
      assert.match(probe.reason, /disabled/);
      assert.equal(probe.fix?.id, 'enableKey');
    });

    it('expiring-key: the current version expires in 10 days', async () => {
      const { byId } = await check(input(`${eus.uri}keys/expiring-key`));
      const expiry = byId('key.expiry');
      assert.equal(expiry.status, 'warn');
      assert.match(expiry.reason, /in (9|10) days/);
      assert.equal(expiry.fix?.id, 'extendKeyExpiry');
      assert.equal(byId('access.probe').status, 'pass');
    });
  });

  describe('the seeded app expiringApp', () => {
    const seeded = () => {
      const e = sandbox.endpoints.expiringApp;
      return { appId: e.clientId, getSecret: async () => e.clientSecret };
    };

    it('its secret expires in 5 days: the check warns urgently, while its key works', async () => {
      const { byId, facts } = await check(input(`${eus.uri}keys/secret-server-key`, { app: seeded() }));
      const secret = byId('clientSecrets.expiry');
      assert.equal(secret.status, 'warn');
      assert.match(secret.reason, /in (4|5) days, very soon/);
      assert.equal(secret.fix?.id, 'addClientSecret');
      assert.equal(facts.app.state === 'known' && facts.app.value.usedSecret?.source, 'storedValue');
      assert.equal(byId('access.role').status, 'pass');
      assert.equal(byId('access.probe').status, 'pass');
    });

    it('it holds Crypto User only on secret-server-key, so another key is refused', async () => {
      const { byId } = await check(input(readyKeyId, { app: seeded() }));
      const role = byId('access.role');
      assert.equal(role.status, 'fail');
      assert.match(role.reason, /holds Crypto User on \/keys\/secret-server-key instead/);
      const probe = byId('access.probe');
      assert.equal(probe.status, 'fail');
      assert.match(probe.reason, /while wrapping a test value \(A256KW\): .*local RBAC does not allow/);
      assert.equal(probe.fix?.id, 'grantCryptoUser');
    });
  });

  it('the HSM contoso-mhsm-weu is not activated, has no purge protection and is in another region', async () => {
    const { byId, findings } = await check(input(`${weu.uri}keys/any-key`, { hsm: undefined }));
    assert.equal(byId('hsm.activated').status, 'fail');
    assert.equal(byId('hsm.purgeProtection').status, 'warn');
    const region = byId('hsm.region');
    assert.equal(region.status, 'fail');
    assert.match(region.reason, /westeurope but Secret Server is in eastus/);
    const keyRule = byId('key.enabled');
    assert.equal(keyRule.status, 'unknown');
    assert.match(keyRule.reason, /^Not checked: .*not activated/);
    assert.match(byId('access.probe').reason, /not activated/);
    assert.ok(findings.filter((f) => f.group === 'hsm' && f.reminder).length === 2);
  });

  it('a Secret Server configured with a different key says which key it uses', async () => {
    const session = newSession();
    const { byId } = await check(input(`${eus.uri}keys/secret-server-key`, { app: { appId: sandbox.endpoints.expiringApp.clientId }, secretServer: { session } }));
    const uses = byId('secretServer.usesKey');
    assert.equal(uses.status, 'warn');
    assert.match(uses.reason, new RegExp(`uses another key \\(${escapeRegExp(readyKeyId)}\\)`));
    assert.equal(uses.fix?.id, 'configureSecretServer');
    assert.match(byId('secretServer.configuration').reason, new RegExp(`signs in as app ${app.appId}`));
    assert.equal(byId('secretServer.reachable').status, 'pass');
    assert.equal(byId('secretServer.rotation').status, 'pass');
    assert.equal(byId('secretServer.readOnlyMode').status, 'pass');
    // Without the app's secret the live test cannot run, and says so.
    assert.equal(byId('access.probe').status, 'unknown');
    assert.equal(byId('access.probe').fix?.id, 'enterClientSecret');
    assert.equal((await getKeyManagement(session)).azureManagedHsm.keyUrl, readyKeyId, 'checking changed nothing');
  });

  it('one failing service leaves only its own part unknown', async () => {
    const unreachable = newSession('https://127.0.0.1:1', 0);
    const { byId } = await check(input(readyKeyId, { hsm: { ...eus, resourceGroup: 'rg-does-not-exist' }, secretServer: { session: unreachable } }));
    const hsm = byId('hsm.activated');
    assert.equal(hsm.status, 'unknown');
    assert.match(hsm.reason, /^Not checked: Could not read the Managed HSM/);
    assert.equal(byId('secretServer.reachable').status, 'fail');
    assert.equal(byId('secretServer.usesKey').status, 'unknown');
    for (const id of ['key.type', 'key.size', 'key.enabled', 'access.role', 'access.probe', 'clientSecrets.expiry']) assert.equal(byId(id).status, 'pass', id);
  });

  it('cancelling rejects as cancelled and reports nothing', async () => {
    const controller = new AbortController();
    const pending = gatherFacts({ ...input(readyKeyId), abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await assert.rejects(pending, (err: unknown) => err instanceof ActionableError && err.kind === 'cancelled');
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(gatherFacts({ ...input(readyKeyId), abortSignal: aborted.signal }), (err: unknown) => err instanceof ActionableError && err.kind === 'cancelled');
  });

  it('refuses a key identifier of another cloud before calling anything', async () => {
    await assert.rejects(gatherFacts(input('https://contoso.vault.azure.net/keys/k')), (err: unknown) => err instanceof ActionableError && err.kind === 'invalidInput' && /Key Vault vault/.test(err.message));
  });

  it('renders the failing report as Markdown a user can read', async () => {
    const { facts, findings } = await check(input(`${eus.uri}keys/disabled-key`));
    const md = renderReadinessMarkdown(buildReadinessReport(facts.target, findings, new Date()));
    assert.match(md, /^# Secret Server readiness: key disabled-key/);
    assert.match(md, /\*\*✗ Not ready\*\*/);
    assert.match(md, /- ✗ \*\*Key is enabled\*\* — The key version is disabled/);
    assert.match(md, /Fix: Enable the key version/);
  });
});

interface LoggedCall {
  service: string;
  /** 'service METHOD path' (the sandbox logs paths without their query). */
  call: string;
  status: number;
}

/** The requests the sandbox logged while `run` ran, once it has stopped writing. */
async function loggedCalls(sandbox: SandboxHandle, run: () => Promise<unknown>): Promise<LoggedCall[]> {
  await settle(sandbox);
  const from = sandbox.output().length;
  await run();
  await settle(sandbox);
  return sandbox
    .output()
    .slice(from)
    .split('\n')
    .map((l) => /^\[(\w+)\] (\w+) (\S+) -> (\d+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, service, method, path, status]) => ({ service, call: `${service} ${method} ${path}`, status: Number(status) }));
}

async function settle(sandbox: SandboxHandle): Promise<void> {
  let length = -1;
  while (length !== sandbox.output().length) {
    length = sandbox.output().length;
    await new Promise((r) => setTimeout(r, 150));
  }
}

function tally(calls: LoggedCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.call, (counts.get(c.call) ?? 0) + 1);
  return counts;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
