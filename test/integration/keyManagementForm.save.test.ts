import * as assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/core-auth';
import { clientSecretKey, type SecretStore } from '../../src/auth/secretStore';
import { servicePrincipalCredential } from '../../src/auth/servicePrincipalCredential';
import { sandboxCloud, type AzureCloud } from '../../src/azure/cloud';
import { createApplication } from '../../src/azure/graph/applications';
import { addClientSecret, type NewClientSecret } from '../../src/azure/graph/clientSecrets';
import { createGraphClient } from '../../src/azure/graph/graphClient';
import { ensureServicePrincipal } from '../../src/azure/graph/servicePrincipals';
import { ManagedHsmKeys } from '../../src/azure/keys';
import { ManagedHsmRbac } from '../../src/azure/localRbac';
import { keyScope, managedHsmRoleIds } from '../../src/core/managedHsmRoles';
import type { FormInput, HostMessage } from '../../src/protocol/keyManagementForm';
import { getKeyManagement, getKeyManagementAudit } from '../../src/secretServer/keyManagement';
import { followRotation } from '../../src/secretServer/rotation';
import { SecretServerSession } from '../../src/secretServer/session';
import { loadConnectionState } from '../../src/webview/connectionStateLoader';
import type { KeyManagementFormDeps } from '../../src/webview/keyManagementFormDeps';
import { saveKeyManagement, type SaveOutcome } from '../../src/webview/keyManagementSave';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';

// The form's Save against the sandbox, without the webview: the three validation levels refuse a
// wrong secret, a non-compliant key and a Key Vault URL before anything is sent; a good
// configuration is saved and its rotation followed; then a new key version, then None. The
// secret must appear in no message to the page and no log line.

describe('key management form: save against the sandbox', function () {
  this.timeout(180_000);
  let sandbox: SandboxHandle;
  let cloud: AzureCloud;
  let admin: TokenCredential;
  let tenantId: string;
  let hsmUri: string;
  let app: { appId: string; secret: NewClientSecret };
  let keyId: string;
  let ssUser: { username: string; password: string };
  const connectionId = 'sandbox admin';
  const posted: HostMessage[] = [];
  const logged: string[] = [];
  const stored = new Map<string, string>();

  const secrets: SecretStore = {
    get: async (k) => stored.get(k),
    store: async (k, v) => void stored.set(k, v),
    delete: async (k) => void stored.delete(k),
  };

  const session = () =>
    new SecretServerSession({ url: sandbox.endpoints.secretServer.url, username: ssUser.username, caPem: cloud.caPem, credentials: { getPassword: async () => ssUser.password } });

  const deps = (): KeyManagementFormDeps => ({
    log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
    cloud: () => cloud,
    listConnections: () => [{ id: connectionId, label: 'Sandbox Secret Server' }],
    getSession: async () => session(),
    credential: () => admin,
    secrets,
    now: () => new Date(),
  });

  async function save(form: Partial<FormInput>): Promise<SaveOutcome> {
    const s = session();
    const loaded = await loadConnectionState(connectionId, s);
    const hsmType = loaded.state.types.find((t) => t.kind === 'azureManagedHsm');
    assert.ok(hsmType, 'the server offers Azure Managed HSM');
    const full: FormInput = {
      connectionId,
      typeId: hsmType.id,
      tenantId,
      principalId: app.appId,
      keyUrl: keyId,
      secret: { kind: 'typed', value: app.secret.secretText },
      confirmed: true,
      ...form,
    };
    return saveKeyManagement({ deps: deps(), session: s, loaded, requestId: 'r1', post: (m) => posted.push(m) }, full);
  }

  async function followToEnd(outcome: SaveOutcome): Promise<string | undefined> {
    assert.ok(outcome.ok, outcome.ok ? '' : `not saved: ${outcome.summary} ${JSON.stringify(outcome.errors)}`);
    let last;
    for await (const p of followRotation(session(), { since: outcome.since, pollIntervalMs: 100 })) last = p;
    return last?.state;
  }

  const auditCount = async () => (await getKeyManagementAudit(session(), { take: 1 })).total;

  before(async () => {
    sandbox = await startSandboxProcess(['--secrets', '20', '--rotation-rate', '200', '--maintenance-delay', '200']);
    const ep = sandbox.endpoints;
    cloud = sandboxCloud(ep, sandbox.caPem);
    tenantId = ep.tenantId;
    admin = await servicePrincipalCredential(cloud, tenantId, ep.admin.clientId, ep.admin.clientSecret);
    ssUser = ep.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
    const eus = ep.hsms.find((h) => h.name === 'contoso-mhsm-eus')!;
    hsmUri = eus.uri;

    // Task 1, as an administrator does it.
    const graph = await createGraphClient(cloud, admin);
    const registration = await createApplication(graph, 'Secret Server (form test)');
    const { servicePrincipal } = await ensureServicePrincipal(graph, registration.appId);
    const secret = await addClientSecret(graph, registration.id, { displayName: 'Secret Server', expiresOn: new Date(Date.now() + 365 * 86_400_000) });
    app = { appId: registration.appId, secret };
    const keys = new ManagedHsmKeys(cloud, admin, hsmUri, { displayName: eus.name, pollIntervalMs: 20 });
    const rbac = new ManagedHsmRbac(cloud, admin, hsmUri, { displayName: eus.name });
    keyId = (await keys.createSecretServerKey('ss-form-key')).versionlessId;
    for (const name of ['ss-form-key', 'aes128-key']) {
      await rbac.createRoleAssignment({ scope: keyScope(name), roleDefinitionId: managedHsmRoleIds.cryptoUser, principalId: servicePrincipal.id });
    }
  });

  after(async () => {
    await sandbox?.stop();
  });

  it('shows the current configuration, the published types and the server health when opened', async () => {
    const { state } = await loadConnectionState(connectionId, session());
    assert.equal(state.current.kind, 'none');
    assert.ok(state.types.some((t) => t.kind === 'none'));
    assert.ok(state.types.some((t) => t.kind === 'azureManagedHsm'));
    assert.equal(state.health?.healthy, true);
    assert.equal(state.lastRotation?.done, true);
  });

  it('refuses a Key Vault URL at the field level, before any network call to Azure', async () => {
    const outcome = await save({ keyUrl: 'https://contoso.vault.azure.net/keys/ss-form-key' });
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? (outcome.errors.keyUrl ?? '') : '', /Key Vault vault, not a Managed HSM/);
  });

  it('refuses a wrong secret next to the secret field, and nothing reaches Secret Server', async () => {
    const before = await auditCount();
    const outcome = await save({ secret: { kind: 'typed', value: 'wrong-secret-value-123' } });
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && outcome.errors.principalSecret, `expected a secret error, got ${JSON.stringify(!outcome.ok && outcome.errors)}`);
    assert.match(!outcome.ok ? (outcome.errors.principalSecret ?? '') : '', /AADSTS7000215|secret/i);
    assert.equal((await getKeyManagement(session())).provider, 'none');
    assert.equal(await auditCount(), before);
  });

  it('refuses a non-compliant key (AES-128) next to the key field', async () => {
    const outcome = await save({ keyUrl: `${hsmUri.replace(/\/$/, '')}/keys/aes128-key` });
    assert.equal(outcome.ok, false);
    assert.match(!outcome.ok ? (outcome.errors.keyUrl ?? '') : '', /256|size/i);
    assert.equal((await getKeyManagement(session())).provider, 'none');
  });

  it('saves a good configuration (with the stored secret) and the rotation reaches its end', async () => {
    stored.set(clientSecretKey({ tenantId, clientId: app.appId, keyId: app.secret.keyId }), app.secret.secretText);
    const outcome = await save({ secret: { kind: 'stored', keyId: app.secret.keyId } });
    assert.equal(await followToEnd(outcome), 'succeeded');
    const config = await getKeyManagement(session());
    assert.equal(config.provider, 'azureManagedHsm');
    assert.equal(config.azureManagedHsm.keyUrl, keyId);
    const { state } = await loadConnectionState(connectionId, session());
    assert.equal(state.current.keyUrl, keyId);
    assert.equal(state.lastRotation?.state, 'succeeded');
    assert.ok(state.latestAudit?.action, 'the latest audit entry is shown');
  });

  it('switches to a new key version, then back to None, with the same checks', async () => {
    const keys = new ManagedHsmKeys(cloud, admin, hsmUri, { pollIntervalMs: 20 });
    const rotated = await keys.createSecretServerKey('ss-form-key');
    assert.equal(await followToEnd(await save({ keyUrl: rotated.id })), 'succeeded');
    assert.equal((await getKeyManagement(session())).azureManagedHsm.keyUrl, rotated.id);

    const { state } = await loadConnectionState(connectionId, session());
    const none = state.types.find((t) => t.kind === 'none')!;
    const refused = await save({ typeId: none.id, secret: undefined, confirmed: false });
    assert.ok(!refused.ok && refused.errors.confirm, 'the confirmation is required');
    assert.equal(await followToEnd(await save({ typeId: none.id, secret: undefined, tenantId: '', principalId: '', keyUrl: '' })), 'succeeded');
    assert.equal((await getKeyManagement(session())).provider, 'none');
  });

  it('never put the principal secret in a message to the page or a log line', () => {
    const everything = JSON.stringify(posted) + logged.join('\n');
    assert.ok(posted.length > 0);
    assert.equal(everything.includes(app.secret.secretText), false);
    assert.equal(everything.includes('wrong-secret-value-123'), false);
  });
});
