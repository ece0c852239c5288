import * as assert from 'node:assert/strict';
import { ServiceClock } from '../../src/core/serviceClock';
import { SecretServerTransport } from '../../src/secretServer/transport';
import { httpsJson, startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';

// Expiry is judged by the services' time: every sandbox service sends a Date header from the
// sandbox clock, as real services send their own, and the extension's transports pick it up.

describe('Service time from Date headers (sandbox clock)', function () {
  this.timeout(60_000);
  let sandbox: SandboxHandle;

  before(async function () {
    sandbox = await startSandboxProcess();
  });

  after(async function () {
    await sandbox?.stop();
  });

  function urls(): string[] {
    const ep = sandbox.endpoints;
    return [
      `${ep.armEndpoint}/subscriptions?api-version=2022-12-01`,
      `${ep.graphEndpoint}/v1.0/applications`,
      `${ep.authorityHost}/${ep.tenantId}/v2.0/.well-known/openid-configuration`,
      `${ep.secretServer.url.replace(/\/$/, '')}/api/v1/healthcheck`,
    ];
  }

  it('sends the sandbox clock in the Date header of every service, errors included', async function () {
    const before = Date.now();
    for (const url of urls()) {
      const res = await httpsJson('GET', url, sandbox.caPem);
      const date = Date.parse(String(res.headers.date));
      assert.ok(Math.abs(date - before) < 60_000, `${url}: Date ${res.headers.date} is now (status ${res.status})`);
    }
    await sandbox.control('POST', '/clock', { advanceDays: 6 });
    for (const url of urls()) {
      const res = await httpsJson('GET', url, sandbox.caPem);
      const ahead = Date.parse(String(res.headers.date)) - Date.now();
      assert.ok(Math.abs(ahead - 6 * 86_400_000) < 60_000, `${url}: Date ${res.headers.date} is six days ahead (status ${res.status})`);
    }
  });

  it('moves the extension\'s service clock through the Secret Server transport', async function () {
    const clock = new ServiceClock();
    const transport = new SecretServerTransport({ caPem: sandbox.caPem, observeServiceDate: (d) => clock.observe(d) });
    const { body } = await sandbox.control('GET', '/clock');
    const sandboxOffset = (body as { offsetMs: number }).offsetMs;
    assert.ok(sandboxOffset >= 6 * 86_400_000, 'the first test moved the sandbox clock');
    await transport.send({
      method: 'GET',
      url: `${sandbox.endpoints.secretServer.url.replace(/\/$/, '')}/api/v1/healthcheck`,
      replay: 'idempotent',
      operation: 'Checking Secret Server health',
    });
    assert.ok(Math.abs(clock.offset - sandboxOffset) < 3_000, `offset ${clock.offset} ≈ sandbox ${sandboxOffset}`);
    assert.ok(Math.abs(clock.now() - (Date.now() + sandboxOffset)) < 3_000);
  });
});
