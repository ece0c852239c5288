import * as assert from 'node:assert/strict';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { adminCredential, keyClient } from '../support/azureClients';
import { activeHsmUri, assertPasswordsUnchanged, health, hsmBody, login, readAllPasswords, rotationStatus, seededSettings, ssCall, typeId, user, waitForRotation, type KeyManagementModel } from './secretServer.support';

// A stop (SIGTERM) in the middle of a secret key rotation, then a start on the same state
// directory: the server resumes when it can and rolls back when the new key is gone, says which,
// and loses no secret either way.

describe('sandbox: Secret Server restarted during a secret key rotation', function () {
  let h: SandboxHandle;
  let token: string;
  let hsmId: number;
  let original: Map<number, string>;

  before(async () => {
    h = await startSandboxProcess(['--secrets', '80', '--rotation-rate', '25', '--maintenance-delay', '100']);
    token = (await login(h, user(h, 'admin'))).accessToken;
    hsmId = await typeId(h, token, 'AzureManagedHsm');
    original = await readAllPasswords(h, token);
  });

  after(async () => {
    await h?.stop();
  });

  async function waitForProgress(atLeast: number): Promise<void> {
    for (;;) {
      const status = await rotationStatus(h, token);
      assert.equal(status.lastStatus, 'Running', status.message);
      if (status.progressStatus.secretsProcessed >= atLeast) return;
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  it('resumes where it stopped and says so', async () => {
    const res = await ssCall(h, 'PUT', '/api/v1/key-management', token, hsmBody(hsmId, seededSettings(h)));
    assert.equal(res.status, 200, res.text);
    await waitForProgress(10);
    await h.restart();

    const status = await rotationStatus(h, token);
    assert.equal(status.lastStatus, 'Running');
    assert.match(status.message, /interrupted by a restart and resumed at \d+ of 80/);
    const resumedAt = Number(/resumed at (\d+)/.exec(status.message)![1]);
    assert.ok(resumedAt >= 10 && resumedAt < 80, `resumed at ${resumedAt}`);
    assert.match(h.output(), /\[secretServer\] The secret key rotation was interrupted by a restart and resumed at \d+ of 80/);
    assert.equal((await health(h)).readOnlyMode, true, 'still in maintenance mode after the restart');

    const done = (await waitForRotation(h, token)).pop()!;
    assert.equal(done.lastStatus, 'Success');
    assert.match(done.message, /Resumed after a restart/);
    assert.equal((await health(h)).healthy, true);
    await assertPasswordsUnchanged(h, token, original);
  });

  it('rolls back when the new key is gone by the time it starts again, and says so', async () => {
    const ep = h.endpoints;
    const keys = keyClient(activeHsmUri(h), adminCredential(ep, h.caPem), h.caPem);
    await keys.createKey('secret-server-key-2', 'oct-HSM', { keySize: 256, keyOps: ['wrapKey', 'unwrapKey'] });
    const before = (await ssCall(h, 'GET', '/api/v1/key-management', token)).body as KeyManagementModel;
    const settings = { tenantId: ep.tenantId, clientId: ep.admin.clientId, clientSecret: ep.admin.clientSecret, keyUrl: `${activeHsmUri(h)}keys/secret-server-key-2` };
    const res = await ssCall(h, 'PUT', '/api/v1/key-management', token, hsmBody(hsmId, settings));
    assert.equal(res.status, 200, res.text);
    await waitForProgress(10);
    // The run holds both master keys in memory and goes on; a restart must find its way without the new one.
    await (await keys.beginDeleteKey('secret-server-key-2', { intervalInMs: 10 })).pollUntilDone();
    await h.restart();

    const status = await rotationStatus(h, token);
    assert.equal(status.lastStatus, 'Cancelling');
    assert.match(status.message, /interrupted by a restart and is being rolled back/);
    assert.match(status.message, /secret-server-key-2/);
    assert.match(h.output(), /\[secretServer\] The secret key rotation was interrupted by a restart and is being rolled back/);

    const done = (await waitForRotation(h, token)).pop()!;
    assert.equal(done.lastStatus, 'RolledBack');
    assert.match(done.message, /rolled back after a restart/);
    const after = (await ssCall(h, 'GET', '/api/v1/key-management', token)).body as KeyManagementModel;
    assert.equal(after.azureManagedHsmKeyUrl, before.azureManagedHsmKeyUrl, 'the previous configuration is in force');
    assert.equal(after.keyManagementConfigId, before.keyManagementConfigId);
    assert.equal((await health(h)).healthy, true);
    assert.equal((await health(h)).readOnlyMode, false);
    await assertPasswordsUnchanged(h, token, original);
  });
});
