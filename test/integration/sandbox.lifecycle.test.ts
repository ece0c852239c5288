import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { startSandboxProcess, httpsJson, type SandboxHandle } from '../support/sandboxProcess';

describe('sandbox lifecycle: endpoints.json, TLS, restarts, clock', function () {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startSandboxProcess();
  });
  after(async () => {
    await sandbox?.stop();
  });

  it('publishes every endpoint of the contract in endpoints.json', () => {
    const ep = sandbox.endpoints;
    assert.ok(path.isAbsolute(ep.ca) && fs.readFileSync(ep.ca, 'utf8').includes('BEGIN CERTIFICATE'));
    assert.match(ep.tenantId, /^[0-9a-f-]{36}$/);
    for (const url of [ep.authorityHost, ep.armEndpoint, ep.graphEndpoint, ep.control]) assert.match(url, /^https:\/\/127\.0\.0\.1:\d+/);
    assert.ok(ep.control.endsWith('/_sandbox'));
    assert.equal(ep.subscriptions.length, 1);
    assert.deepEqual(ep.hsms.map((h) => [h.location, h.activated]), [['eastus', true], ['westeurope', false]]);
    for (const h of ep.hsms) assert.match(h.uri, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok(ep.admin.clientId && ep.admin.clientSecret && ep.admin.objectId && ep.admin.username && ep.admin.password);
  });

  it('serves a certificate for 127.0.0.1 and localhost signed by the published CA, and nothing without it', async () => {
    const port = Number(new URL(sandbox.endpoints.armEndpoint).port);
    for (const servername of ['127.0.0.1', 'localhost']) {
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: sandbox.caPem, servername: servername === '127.0.0.1' ? undefined : servername }, () => {
          resolve(socket.authorized);
          socket.end();
        });
        socket.on('error', reject);
      });
      assert.ok(authorized, servername);
    }
    await assert.rejects(httpsJson('GET', `${sandbox.endpoints.control}/clock`, ''), /certificate/);
  });

  it('moves the clock forward only, and keeps the offset across a restart', async () => {
    const before = (await sandbox.control('GET', '/clock')).body as { nowSeconds: number };
    const moved = await sandbox.control('POST', '/clock', { advanceDays: 3 });
    assert.equal(moved.status, 200);
    const after = moved.body as { nowSeconds: number; offsetMs: number };
    assert.ok(after.nowSeconds - before.nowSeconds >= 3 * 86_400);
    assert.equal((await sandbox.control('POST', '/clock', { advanceSeconds: -5 })).status, 400);
    assert.equal((await sandbox.control('POST', '/clock', { advanceSeconds: 'soon' })).status, 400);

    const ports = { arm: sandbox.endpoints.armEndpoint, hsm: sandbox.endpoints.hsms[0].uri };
    const digest = await sandbox.digest();
    await sandbox.restart();
    assert.equal(sandbox.endpoints.armEndpoint, ports.arm, 'ports are reused so stored URLs stay valid');
    assert.equal(sandbox.endpoints.hsms[0].uri, ports.hsm);
    assert.equal(await sandbox.digest(), digest, 'the world is unchanged by a restart');
    const clock = (await sandbox.control('GET', '/clock')).body as { offsetMs: number };
    assert.equal(clock.offsetMs, after.offsetMs);
  });

  it('shuts down cleanly on SIGTERM, removing endpoints.json so that nothing waits on dead ports', async () => {
    const file = path.join(sandbox.stateDir, 'endpoints.json');
    assert.ok(fs.existsSync(file));
    await sandbox.stopProcess();
    assert.ok(!fs.existsSync(file));
    assert.match(sandbox.output(), /SIGTERM: shutting down/);
    assert.ok(fs.existsSync(path.join(sandbox.stateDir, 'world.json')), 'the state stays for the next start');
  });

  it('starts over with --reset', async () => {
    const tenant = sandbox.endpoints.tenantId;
    const again = await startSandboxProcess(['--reset'], sandbox.stateDir);
    try {
      assert.notEqual(again.endpoints.tenantId, tenant);
      assert.equal((await again.control('GET', '/clock')).status, 200);
    } finally {
      await again.stopProcess();
    }
  });
});
