import * as assert from 'node:assert/strict';
import * as tls from 'node:tls';
import type { CancellationTokenLike } from '../../src/secretServer/cancellation';
import { getHealth, getNodes, getVersion, probeHealth } from '../../src/secretServer/health';
import {
  allKeyManagementAudit,
  getKeyManagement,
  getKeyManagementAudit,
  getKeyManagementStub,
  listKeyManagementTypes,
  updateKeyManagement,
  type AzureManagedHsmUpdate,
  type KeyManagementAuditEntry,
} from '../../src/secretServer/keyManagement';
import { requireKeyManagementType, type KeyManagementType } from '../../src/secretServer/keyManagementTypes';
import { getReadOnlyMode, setReadOnlyMode } from '../../src/secretServer/readOnlyMode';
import { cancelRotation, followRotation, getRotationStatus, startRotation } from '../../src/secretServer/rotation';
import type { RotationProgress, RotationStatus } from '../../src/secretServer/rotationProgress';
import { SecretServerSession, type SessionEvent } from '../../src/secretServer/session';
import { adminCredential, keyClient } from '../support/azureClients';
import { startSandboxProcess, type SandboxHandle } from '../support/sandboxProcess';
import { rejectsActionable } from '../support/actionableAssertions';
import { oneTimeCode } from '../support/oneTimeCode';

// The Secret Server client end to end against the sandbox's emulated Secret Server, over HTTPS with
// the sandbox CA passed the way the extension passes a configured CA. A small seeded set and a
// fast rotation pace keep each rotation to a couple of seconds while still spanning several polls.

interface SeededUser {
  username: string;
  password: string;
  otpSecret?: string;
  canManageKeys: boolean;
}

interface SecretServerBlock {
  url: string;
  region: string;
  users: SeededUser[];
}

const refused = (promise: Promise<unknown>) => rejectsActionable(promise);

/** What an authenticator app shows at the sandbox's time (RFC 6238). */
function totp(base32: string, nowSeconds: number): string {
  return oneTimeCode(base32, nowSeconds * 1000);
}

describe('Secret Server client (src/secretServer) against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let ss: SecretServerBlock;
  const user = (name: string) => {
    const found = ss.users.find((u) => u.username === name);
    if (!found) throw new Error(`the sandbox has no Secret Server user ${name}`);
    return found;
  };

  /** A session as the extension builds one; counts how often the password is asked for. */
  function connect(username: string, extra: { now?: () => number; withoutCa?: boolean; caPem?: string; password?: string; otp?: () => Promise<string | undefined> } = {}) {
    const u = user(username);
    const events: SessionEvent[] = [];
    const asked = { password: 0, otp: 0 };
    const session = new SecretServerSession({
      url: ss.url,
      username,
      caPem: extra.withoutCa ? undefined : (extra.caPem ?? sandbox.caPem),
      now: extra.now,
      retryDelayMs: 50,
      credentials: {
        getPassword: async () => {
          asked.password++;
          return extra.password ?? u.password;
        },
        getOtp: async () => {
          asked.otp++;
          if (extra.otp) return extra.otp();
          if (!u.otpSecret) return undefined;
          const clock = (await sandbox.control('GET', '/clock')).body as { nowSeconds: number };
          return totp(u.otpSecret, clock.nowSeconds);
        },
      },
      onEvent: (e) => events.push(e),
    });
    return { session, events, asked };
  }

  const advance = async (seconds: number) => assert.equal((await sandbox.control('POST', '/clock', { advanceSeconds: seconds })).status, 200);
  const types = (list: SessionEvent[]) => list.map((e) => e.type);

  before(async () => {
    sandbox = await startSandboxProcess(['--secrets', '120', '--rotation-rate', '60', '--maintenance-delay', '300']);
    ss = sandbox.endpoints.secretServer as SecretServerBlock;
  });

  after(async () => {
    await sandbox?.stop();
  });

  afterEach(async () => {
    await sandbox.control('DELETE', '/faults');
  });

  describe('connection and health', () => {
    it('checks health anonymously, before and without any sign-in', async () => {
      const health = await probeHealth(ss.url, { caPem: sandbox.caPem });
      assert.equal(health.healthy, true);
      assert.equal(health.readOnlyMode, false);
      const { session, asked } = connect('ssadmin');
      assert.equal((await getHealth(session)).healthy, true);
      assert.equal(session.isSignedIn, false);
      assert.equal(asked.password, 0);
    });

    it('reads the version and the server nodes once signed in', async () => {
      const { session } = connect('ssadmin');
      assert.match((await getVersion(session)) ?? '', /^\d+\.\d+/);
      const nodes = await getNodes(session);
      assert.ok(nodes.length >= 1);
      assert.equal(nodes[0].readonlyModeEnabled, false);
      assert.equal(nodes[0].isCurrentNode, true);
    });

    it('refuses the server when its CA is not trusted, and says what to do', async () => {
      const { session } = connect('ssadmin', { withoutCa: true });
      const e = await refused(getHealth(session));
      assert.equal(e.kind, 'unavailable');
      assert.match(e.message, /^Checking Secret Server health failed because the TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
    });

    it('trusts the extra CA it was given, not another one', async () => {
      // A public root stands in for an unrelated CA: trusted for the public internet, not for this server.
      const { session } = connect('ssadmin', { caPem: tls.rootCertificates[0] });
      const e = await refused(getHealth(session));
      assert.match(e.message, /TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
      // The same server with its own CA, in the same process after that context was made.
      assert.equal((await getHealth(connect('ssadmin').session)).healthy, true);
    });

    it('accepts the URL as a user pastes it from the browser', async () => {
      const { session } = connect('ssadmin');
      const pasted = new SecretServerSession({ url: `${ss.url}/app/#/dashboard`, username: 'ssadmin', caPem: sandbox.caPem, credentials: { getPassword: async () => user('ssadmin').password } });
      assert.equal(pasted.baseUrl, session.baseUrl);
      assert.equal(await getReadOnlyMode(pasted), false);
    });
  });

  describe('sign-in and tokens', () => {
    it('refreshes an expired access token with the newest refresh token and never asks for the password again', async () => {
      const { session, events, asked } = connect('ssadmin');
      await getReadOnlyMode(session);
      assert.deepEqual(types(events), ['signedIn']);
      assert.equal((events[0] as Extract<SessionEvent, { type: 'signedIn' }>).refreshable, true);

      // Past the 1199 s access token lifetime, inside the refresh token's extra 15 minutes.
      await advance(1250);
      assert.equal((await getKeyManagement(session)).provider, 'none');
      assert.deepEqual(types(events), ['signedIn', 'tokenRejected', 'refreshed']);

      // A second expiry only works if the client kept the refresh token issued by the first refresh:
      // the first one is spent.
      await advance(1250);
      await getReadOnlyMode(session);
      assert.deepEqual(types(events), ['signedIn', 'tokenRejected', 'refreshed', 'tokenRejected', 'refreshed']);
      assert.equal(asked.password, 1);
    });

    it('renews before expiry by its own clock, and concurrent calls share one single-use refresh', async () => {
      let offsetMs = 0;
      const { session, events, asked } = connect('ssadmin', { now: () => Date.now() + offsetMs });
      await getReadOnlyMode(session);
      offsetMs = 1199_000;
      await Promise.all([getReadOnlyMode(session), getKeyManagement(session), getRotationStatus(session), getNodes(session), getVersion(session)]);
      assert.deepEqual(types(events), ['signedIn', 'refreshed']);

      // Server-side expiry with five calls in flight: one rejection may race another, but only
      // one refresh may be spent, and no call may fail.
      await advance(1250);
      await Promise.all([getReadOnlyMode(session), getKeyManagement(session), getRotationStatus(session), getNodes(session), getVersion(session)]);
      assert.equal(types(events).filter((t) => t === 'refreshed').length, 2);
      assert.equal(types(events).filter((t) => t === 'signedIn').length, 1);
      assert.equal(asked.password, 1);
    });

    it('falls back to the password when the refresh token has expired too', async () => {
      const { session, events, asked } = connect('ssadmin');
      await getReadOnlyMode(session);
      await advance(1199 + 900 + 30);
      await getReadOnlyMode(session);
      assert.deepEqual(types(events), ['signedIn', 'tokenRejected', 'refreshRejected', 'signedIn']);
      assert.equal(asked.password, 2);
    });

    it('signs in a two-factor user with the one-time code, and asks for no code on refresh', async () => {
      const { session, events, asked } = connect('ssofficer');
      assert.equal(await getReadOnlyMode(session), false);
      assert.equal(asked.otp, 1);
      await advance(1250);
      await getReadOnlyMode(session);
      assert.deepEqual(types(events), ['signedIn', 'tokenRejected', 'refreshed']);
      assert.equal(asked.otp, 1);
    });

    it('explains a missing or wrong one-time code as a sign-in failure', async () => {
      const missing = await refused(getReadOnlyMode(connect('ssofficer', { otp: async () => undefined }).session));
      assert.equal(missing.kind, 'authentication');
      assert.match(missing.message, /^Signing in to Secret Server as ssofficer failed because Secret Server did not accept the sign-in for ssofficer \(".*two-factor.*"\); check the user name, the password and, if the account uses two-factor authentication, the one-time code/);
      const wrong = await refused(getReadOnlyMode(connect('ssofficer', { otp: async () => '000000' }).session));
      assert.equal(wrong.kind, 'authentication');
      assert.match(wrong.message, /one-time code is not valid/);
    });

    it('reports a wrong password without ever repeating it', async () => {
      const wrongPassword = 'Wrong-Password-4821!';
      const e = await refused(getKeyManagement(connect('ssadmin', { password: wrongPassword }).session));
      assert.equal(e.kind, 'authentication');
      assert.equal(e.statusCode, 400);
      assert.ok(!e.message.includes(wrongPassword) && !e.detail.includes(wrongPassword), 'the password leaked into the error');
      assert.ok(!e.message.includes(user('ssadmin').password), 'the real password appeared in the error');
    });

    it('signs out on the server and signs in afresh on the next call', async () => {
      const { session, events, asked } = connect('ssadmin');
      await session.signIn();
      assert.equal(session.isSignedIn, true);
      await session.signOut();
      assert.equal(session.isSignedIn, false);
      assert.deepEqual(events.at(-1), { type: 'signedOut', username: 'ssadmin', serverConfirmed: true });
      await getReadOnlyMode(session);
      assert.equal(asked.password, 2);
    });
  });

  describe('key management and rotation', () => {
    let admin: ReturnType<typeof connect>;
    let hsmType: KeyManagementType;
    let noneType: KeyManagementType;
    let hsmSettings: AzureManagedHsmUpdate;

    before(async () => {
      admin = connect('ssadmin');
      const available = await listKeyManagementTypes(admin.session);
      hsmType = requireKeyManagementType(available, 'azureManagedHsm');
      noneType = requireKeyManagementType(available, 'none');
      const ep = sandbox.endpoints;
      hsmSettings = {
        tenantId: ep.tenantId,
        principalId: ep.expiringApp.clientId,
        principalSecret: ep.expiringApp.clientSecret,
        keyUrl: `${ep.hsms[0].uri}keys/secret-server-key`,
      };
    });

    /** Follows a run to its end, recording every progress seen. */
    async function followToEnd(since: RotationStatus | undefined, onProgress?: (p: RotationProgress) => Promise<void>): Promise<RotationProgress[]> {
      const seen: RotationProgress[] = [];
      for await (const p of followRotation(admin.session, { since, pollIntervalMs: 100 })) {
        seen.push(p);
        await onProgress?.(p);
      }
      return seen;
    }

    it('reads the current configuration and the stub, both None on a fresh server', async () => {
      const current = await getKeyManagement(admin.session);
      const stub = await getKeyManagementStub(admin.session);
      assert.equal(current.provider, 'none');
      assert.equal(current.typeId, noneType.id);
      assert.equal(stub.provider, 'none');
      assert.deepEqual(stub.azureManagedHsm, { tenantId: undefined, principalId: undefined, keyUrl: undefined });
    });

    it('refuses a user without the key management permission with a typed forbidden error, without signing in again', async () => {
      const helpdesk = connect('sshelpdesk');
      const e = await refused(updateKeyManagement(helpdesk.session, { type: hsmType, azureManagedHsm: hsmSettings }));
      assert.equal(e.kind, 'forbidden');
      assert.equal(e.statusCode, 403);
      assert.match(e.message, /^Saving the Secret Server key management configuration \(.+\) failed because the Secret Server user sshelpdesk does not have the permission for it/);
      assert.ok(!e.message.includes(hsmSettings.principalSecret) && !e.detail.includes(hsmSettings.principalSecret), 'the principal secret leaked');
      assert.equal(helpdesk.asked.password, 1);
      assert.deepEqual(types(helpdesk.events), ['signedIn']);
      assert.equal((await getKeyManagement(admin.session)).provider, 'none');
    });

    it('refuses a wrong principal secret with the cause, and never echoes it', async () => {
      const wrongSecret = 'wrong-client-secret-value-9931';
      const e = await refused(updateKeyManagement(admin.session, { type: hsmType, azureManagedHsm: { ...hsmSettings, principalSecret: wrongSecret } }));
      assert.equal(e.kind, 'invalidInput');
      assert.equal(e.statusCode, 400);
      assert.match(e.message, /failed because Secret Server refused the request: ".*(secret|credential|AADSTS).*"; correct the values and try again\.$/i);
      assert.ok(!e.message.includes(wrongSecret) && !e.detail.includes(wrongSecret), 'the wrong secret leaked');
      assert.equal((await getKeyManagement(admin.session)).provider, 'none');
    });

    it('switches to Azure Managed HSM and follows the triggered rotation to completion, in maintenance mode', async () => {
      const since = await getRotationStatus(admin.session);
      const saved = await updateKeyManagement(admin.session, { type: hsmType, azureManagedHsm: hsmSettings });
      assert.equal(saved.provider, 'azureManagedHsm');
      assert.equal(saved.azureManagedHsm.keyUrl, hsmSettings.keyUrl);
      assert.ok(!JSON.stringify(saved).includes(hsmSettings.principalSecret), 'the principal secret came back');

      // A second change while this one rotates is refused as a conflict.
      const conflict = await refused(updateKeyManagement(admin.session, { type: noneType }));
      assert.equal(conflict.kind, 'conflict');

      const readOnlyDuring: boolean[] = [];
      const seen = await followToEnd(since, async (p) => {
        if (p.done) return;
        // Only a reading taken while the run was still going afterwards proves anything: the pace
        // is fast, so the run may end between the progress poll and this read.
        const readOnly = await getReadOnlyMode(admin.session);
        const after = await getRotationStatus(admin.session);
        if ((after.progress?.totalSecretsToProcess ?? 0) > 0 && !after.progress?.isCancelling) readOnlyDuring.push(readOnly);
      });
      const last = seen[seen.length - 1];
      assert.equal(last.state, 'succeeded');
      assert.equal(last.done, true);
      const midway = seen.filter((p) => p.state === 'running' && p.totalSecrets === 120 && (p.secretsProcessed ?? 0) > 0 && (p.secretsProcessed ?? 0) < 120);
      assert.ok(midway.length >= 1, `expected progress between polls, saw ${seen.map((p) => `${p.state}:${p.secretsProcessed ?? '-'}`).join(' ')}`);
      assert.ok(midway.every((p) => p.percent !== undefined && p.percent > 0 && p.percent < 100));
      assert.ok(readOnlyDuring.length > 0 && readOnlyDuring.every((x) => x), 'maintenance mode was not on during the rotation');
      assert.equal(await getReadOnlyMode(admin.session), false);

      const current = await getKeyManagement(admin.session);
      assert.equal(current.provider, 'azureManagedHsm');
      assert.deepEqual(current.azureManagedHsm, { tenantId: hsmSettings.tenantId, principalId: hsmSettings.principalId, keyUrl: hsmSettings.keyUrl });
      assert.equal((await getHealth(admin.session)).healthy, true);
    });

    it('reports a disabled HSM key as unhealthy, refuses changes until it is restored, and recovers', async () => {
      const keys = keyClient(sandbox.endpoints.hsms[0].uri, adminCredential(sandbox.endpoints, sandbox.caPem), sandbox.caPem);
      const key = await keys.getKey('secret-server-key');
      await keys.updateKeyProperties(key.name, key.properties.version ?? '', { enabled: false });
      try {
        const health = await getHealth(admin.session);
        assert.equal(health.healthy, false);
        assert.equal(health.keyManagementHealthy, false);
        assert.match(health.reason ?? '', /disabled/i);
        const e = await refused(updateKeyManagement(admin.session, { type: noneType }));
        assert.equal(e.kind, 'conflict');
        assert.match(e.message, /restore Secret Server’s access to the key it uses now/);
      } finally {
        await keys.updateKeyProperties(key.name, key.properties.version ?? '', { enabled: true });
      }
      assert.equal((await getHealth(admin.session)).healthy, true);
    });

    it('lists the key management audit page by page', async () => {
      const first = await getKeyManagementAudit(admin.session, { take: 1 });
      assert.equal(first.records.length, 1);
      assert.ok((first.total ?? 0) >= 1);
      assert.ok(first.records[0].dateRecorded);
      assert.equal(first.hasNext, (first.total ?? 0) > 1);
      const all: KeyManagementAuditEntry[] = [];
      for await (const entry of allKeyManagementAudit(admin.session, { take: 1 })) all.push(entry);
      assert.equal(all.length, first.total);
      assert.ok(all.some((a) => /from None to Azure Managed HSM/.test(a.notes ?? '')), 'the change to Azure Managed HSM is not in the audit');
      const found = await getKeyManagementAudit(admin.session, { searchText: 'secret-server-key', take: 50 });
      assert.ok(found.records.length >= 1 && found.records.every((a) => /secret-server-key/.test(`${a.action} ${a.displayName} ${a.notes}`)));
      assert.ok(!JSON.stringify(all).includes(hsmSettings.principalSecret), 'the principal secret appeared in the audit');
    });

    it('starts a rotation, cancels it on the server mid-run, and reports it cancelled', async () => {
      const since = await getRotationStatus(admin.session);
      await startRotation(admin.session);
      let cancelled = false;
      const seen = await followToEnd(since, async (p) => {
        if (!cancelled && p.state === 'running' && (p.secretsProcessed ?? 0) > 0) {
          cancelled = true;
          await cancelRotation(admin.session);
        }
      });
      assert.ok(cancelled, 'the rotation ended before it could be cancelled');
      assert.equal(seen[seen.length - 1].state, 'cancelled');
      assert.equal(await getReadOnlyMode(admin.session), false);
      assert.equal((await getHealth(admin.session)).healthy, true);
    });

    it('stops following when the follower is cancelled, while the rotation itself carries on', async () => {
      const since = await getRotationStatus(admin.session);
      await startRotation(admin.session);
      const controller = new AbortController();
      const e = await refused(
        (async () => {
          for await (const p of followRotation(admin.session, { since, pollIntervalMs: 100, cancellation: controller.signal })) {
            if (p.state === 'running') controller.abort();
          }
        })(),
      );
      assert.equal(e.kind, 'cancelled');
      const after = await getRotationStatus(admin.session);
      assert.ok(after.lastStatus === 'Running' || after.lastRunDate !== since.lastRunDate, 'the rotation stopped with the follower');

      // A VS Code-style cancellation token works the same way; here it is never cancelled.
      const token: CancellationTokenLike = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
      const seen: RotationProgress[] = [];
      for await (const p of followRotation(admin.session, { since, pollIntervalMs: 100, cancellation: token })) seen.push(p);
      assert.equal(seen[seen.length - 1].state, 'succeeded');
    });

    it('turns maintenance mode on and off, and a rotation is refused while it is on', async () => {
      assert.equal(await setReadOnlyMode(admin.session, true), true);
      assert.equal((await getHealth(admin.session)).readOnlyMode, true);
      assert.equal((await getNodes(admin.session))[0].readonlyModeEnabled, true);
      const e = await refused(startRotation(admin.session));
      assert.equal(e.kind, 'conflict');
      assert.match(e.message, /^Starting a secret key rotation failed because Secret Server refused the request: ".*read-only.*"; wait until/);
      assert.equal(await setReadOnlyMode(admin.session, false), false);
      assert.equal(await getReadOnlyMode(admin.session), false);
    });

    it('retries a read through throttling and a rotation start through a 503 that the server did not act on', async () => {
      await sandbox.control('POST', '/faults', { service: 'secretServer', method: 'GET', path: 'rotate-secret-keys-status$', kind: 'throttle', times: 2, retryAfterSeconds: 0 });
      assert.ok((await getRotationStatus(admin.session)).lastStatus);

      const since = await getRotationStatus(admin.session);
      await sandbox.control('POST', '/faults', { service: 'secretServer', method: 'POST', path: '/rotate-secret-keys$', kind: 'unavailable', times: 1, retryAfterSeconds: 0 });
      await startRotation(admin.session);
      const rules = ((await sandbox.control('GET', '/faults')).body as { value: { kind: string; fired: number }[] }).value;
      assert.deepEqual(rules.map((r) => [r.kind, r.fired]), [['throttle', 2], ['unavailable', 1]]);
      const seen = await followToEnd(since);
      assert.equal(seen[seen.length - 1].state, 'succeeded');
    });

    it('does not replay a rotation start whose answer was lost, and says it may have been applied', async () => {
      const since = await getRotationStatus(admin.session);
      // The server acts, then the connection dies half-way through the answer.
      await sandbox.control('POST', '/faults', { service: 'secretServer', method: 'POST', path: '/rotate-secret-keys$', kind: 'truncate', times: 1 });
      const e = await refused(startRotation(admin.session));
      assert.equal(e.kind, 'unavailable');
      assert.match(e.message, /may or may not have been applied; check the current state in Secret Server before trying again\.$/);
      // It was applied exactly once: the run exists and finishes.
      const seen = await followToEnd(since);
      assert.equal(seen[seen.length - 1].state, 'succeeded');
    });

    it('switches back to None through the same rotation', async () => {
      const since = await getRotationStatus(admin.session);
      const saved = await updateKeyManagement(admin.session, { type: noneType });
      assert.equal(saved.provider, 'none');
      const seen = await followToEnd(since);
      assert.equal(seen[seen.length - 1].state, 'succeeded');
      const current = await getKeyManagement(admin.session);
      assert.equal(current.provider, 'none');
      assert.equal(current.azureManagedHsm.keyUrl, undefined);
    });
  });
});
