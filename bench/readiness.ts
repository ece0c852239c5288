import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { TokenCredential } from '@azure/core-auth';
import { servicePrincipalCredential } from '../src/auth/servicePrincipalCredential';
import { sandboxCloud, type AzureCloud } from '../src/azure/cloud';
import { addClientSecret, getApplicationSecretsByAppId } from '../src/azure/graph/clientSecrets';
import { createApplication } from '../src/azure/graph/applications';
import { createGraphClient } from '../src/azure/graph/graphClient';
import { ensureServicePrincipal, getServicePrincipalByAppId } from '../src/azure/graph/servicePrincipals';
import { probeKey } from '../src/azure/keyProbe';
import { ManagedHsmKeys } from '../src/azure/keys';
import { ManagedHsmRbac } from '../src/azure/localRbac';
import { getManagedHsm } from '../src/azure/managedHsms';
import { keyScope, managedHsmRoleIds } from '../src/core/managedHsmRoles';
import type { GatherFactsInput } from '../src/readiness/gatherFacts';
import { runReadinessCheck } from '../src/readiness/readinessCheck';
import { getHealth } from '../src/secretServer/health';
import { getKeyManagement } from '../src/secretServer/keyManagement';
import { getRotationStatus } from '../src/secretServer/rotation';
import { SecretServerSession } from '../src/secretServer/session';
import { startSandboxProcess, type SandboxHandle } from '../test/support/sandboxProcess';
import { ownCpuMs, processTreeCpuMs } from './processCpu';
import { latencies, setLatency } from './sandboxLatency';
import { ratio, spread, type BudgetLine, type Spread } from './stats';

// The readiness check for one key (with its app, the live wrap/unwrap and a connected Secret
// Server) against the same calls made one after another, alternating A/B. The sandbox's request
// log tells whether the check made any call twice.

const runs = Number(process.env.BENCH_READINESS_RUNS ?? 7);

interface Setup {
  sandbox: SandboxHandle;
  cloud: AzureCloud;
  admin: TokenCredential;
  input: () => GatherFactsInput;
}

async function setUp(): Promise<Setup> {
  const sandbox = await startSandboxProcess(['--secrets', '30'], undefined, { requestLog: true });
  const ep = sandbox.endpoints;
  const cloud = sandboxCloud(ep, sandbox.caPem);
  const tenantId = ep.tenantId;
  const admin = await servicePrincipalCredential(cloud, tenantId, ep.admin.clientId, ep.admin.clientSecret);
  const h = ep.hsms.find((x) => x.activated)!;
  const hsm = { subscriptionId: h.subscriptionId, resourceGroup: h.resourceGroup, name: h.name };
  // Task 1 through src/azure: an app with a secret, a Secret Server key, the key-scoped role.
  const graph = await createGraphClient(cloud, admin);
  const registration = await createApplication(graph, 'Secret Server (benchmark)');
  const { servicePrincipal } = await ensureServicePrincipal(graph, registration.appId);
  const secret = await addClientSecret(graph, registration.id, { displayName: 'benchmark', expiresOn: new Date(Date.now() + 365 * 86_400_000) });
  const keys = new ManagedHsmKeys(cloud, admin, h.uri, { displayName: h.name });
  const keyId = (await keys.createSecretServerKey('bench-ready-key')).versionlessId;
  await new ManagedHsmRbac(cloud, admin, h.uri).createRoleAssignment({ scope: keyScope('bench-ready-key'), roleDefinitionId: managedHsmRoleIds.cryptoUser, principalId: servicePrincipal.id });
  const user = ep.secretServer.users.find((u) => u.canManageKeys && !u.otpSecret)!;
  const input = (): GatherFactsInput => ({
    cloud,
    credential: admin,
    tenantId,
    keyId,
    hsm,
    app: { appId: registration.appId, secretKeyId: secret.keyId, getSecret: async () => secret.secretText },
    // A new session per run, as a new check opens (its sign-in is one of the calls).
    secretServer: { session: new SecretServerSession({ url: ep.secretServer.url, username: user.username, caPem: sandbox.caPem, credentials: { getPassword: async () => user.password } }) },
    secretServerRegion: ep.secretServer.region,
  });
  return { sandbox, cloud, admin, input };
}

/** The check's calls, each awaited before the next starts: the physical sum of its parts. */
async function oneAfterAnother(i: GatherFactsInput): Promise<void> {
  const keys = new ManagedHsmKeys(i.cloud, i.credential, i.keyId.replace(/\/keys\/.*$/, '/'));
  const name = i.keyId.replace(/^.*\/keys\//, '').split('/')[0];
  await keys.getKey(name);
  await keys.getRotationPolicy(name);
  await getManagedHsm(i.cloud, i.credential, i.hsm!.subscriptionId, i.hsm!.resourceGroup, i.hsm!.name);
  const graph = await createGraphClient(i.cloud, i.credential);
  await getApplicationSecretsByAppId(graph, i.app!.appId);
  const sp = await getServicePrincipalByAppId(graph, i.app!.appId);
  await new ManagedHsmRbac(i.cloud, i.credential, i.keyId.replace(/\/keys\/.*$/, '/')).listRoleAssignmentsForPrincipal(sp!.id, '/');
  const secret = await i.app!.getSecret!();
  await probeKey(i.cloud, await servicePrincipalCredential(i.cloud, i.tenantId, i.app!.appId, secret!), i.keyId);
  const session = i.secretServer!.session;
  await getHealth(session);
  await getKeyManagement(session);
  await getRotationStatus(session);
}

/** Requests the sandbox logged since `from` (its output offset), as `[service] METHOD path -> status`. */
function requestsSince(sandbox: SandboxHandle, from: number): { line: string; status: number }[] {
  return sandbox
    .output()
    .slice(from)
    .split('\n')
    .map((l) => /^\[(\w+)\] (\w+) (\S+) -> (\d+)/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ line: `${m[1]} ${m[2]} ${m[3]}`, status: Number(m[4]) }));
}

export interface ReadinessResult {
  runs: number;
  /**
   * cpu: mean CPU time per run (all threads) of this process (the client) and of the sandbox's
   * processes. With nothing to wait for, no schedule finishes before the cores have done that
   * work: floorRatio = (client + sandbox) of the check / cores / the calls one after another.
   */
  byLatency: { latencyMs: number; check: Spread; oneAfterAnother: Spread; ratio: number; cpu?: { check: { clientMs: number; sandboxMs: number }; oneAfterAnother: { clientMs: number; sandboxMs: number }; floorRatio: number } }[];
  requests: { total: number; challenges: number; tokenRequests: number; repeated: string[] };
  budgets: BudgetLine[];
}

export async function benchReadiness(log: (line: string) => void): Promise<ReadinessResult> {
  const setup = await setUp();
  try {
    const result: ReadinessResult = { runs, byLatency: [], requests: { total: 0, challenges: 0, tokenRequests: 0, repeated: [] }, budgets: [] };
    // Which calls one check makes, at 0 ms (warm admin token, as after the tree has loaded).
    await runReadinessCheck(setup.input());
    await new Promise((r) => setTimeout(r, 500)); // the warm-up's last log lines
    const from = setup.sandbox.output().length;
    const report = await runReadinessCheck(setup.input());
    await new Promise((r) => setTimeout(r, 500)); // the log line follows the response
    const calls = requestsSince(setup.sandbox, from);
    if (process.env.BENCH_DEBUG) log(calls.map((c) => `${c.line} ${c.status}`).join('\n'));
    const token = (c: { line: string }) => / POST \/[^/]+\/oauth2\/v2\.0\/token$/.test(c.line);
    const counted = calls.filter((c) => c.status !== 401 && !token(c));
    const seen = new Map<string, number>();
    for (const c of counted) seen.set(c.line, (seen.get(c.line) ?? 0) + 1);
    result.requests = {
      total: calls.length,
      challenges: calls.filter((c) => c.status === 401).length,
      tokenRequests: calls.filter(token).length,
      repeated: [...seen].filter(([, n]) => n > 1).map(([l, n]) => `${l} ×${n}`),
    };
    const failing = report.findings.filter((f) => f.status === 'fail');
    if (failing.length) throw new Error(`the benchmark's setup is not ready: ${failing.map((f) => f.id).join(', ')}`);
    log(`readiness: one check made ${calls.length} requests (${result.requests.challenges} auth challenges, ${result.requests.tokenRequests} token requests); repeated: ${result.requests.repeated.join(', ') || 'none'}`);

    for (const latencyMs of latencies) {
      await setLatency(setup.sandbox, latencyMs);
      const a: number[] = [];
      const b: number[] = [];
      const cpu = { a: { client: 0, sandbox: 0 }, b: { client: 0, sandbox: 0 } };
      let cpuKnown = true;
      for (let i = 0; i < runs; i++) {
        const order = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
        for (const side of order) {
          // The /proc scan before the own reading and after it, so its cost is not the client's.
          const sandbox0 = processTreeCpuMs(setup.sandbox.pid);
          const client0 = ownCpuMs();
          const t0 = performance.now();
          if (side === 'a') {
            const checked = await runReadinessCheck(setup.input());
            // The critical path: when each call started and ended, from the check's start.
            if (process.env.BENCH_DEBUG && i === runs - 1) log(checked.timings.map((t) => `    ${t.call} ${Math.round(t.startMs)}–${Math.round(t.startMs + t.durationMs)} ms`).join('\n'));
          }
          else await oneAfterAnother(setup.input());
          (side === 'a' ? a : b).push(performance.now() - t0);
          const client1 = ownCpuMs();
          const sandbox1 = processTreeCpuMs(setup.sandbox.pid);
          cpu[side as 'a' | 'b'].client += client1 - client0;
          if (sandbox0 === undefined || sandbox1 === undefined) cpuKnown = false;
          else cpu[side as 'a' | 'b'].sandbox += sandbox1 - sandbox0;
        }
      }
      const check = spread(a);
      const sequential = spread(b);
      const r = ratio(check.median, sequential.median);
      const perRun = (x: { client: number; sandbox: number }) => ({ clientMs: Math.round(x.client / runs), sandboxMs: Math.round(x.sandbox / runs) });
      const cpuFigures = cpuKnown ? { check: perRun(cpu.a), oneAfterAnother: perRun(cpu.b), floorRatio: ratio((cpu.a.client + cpu.a.sandbox) / runs / os.cpus().length, sequential.median) } : undefined;
      const cpuText = cpuFigures ? `; CPU per check: client ${cpuFigures.check.clientMs} ms, sandbox ${cpuFigures.check.sandboxMs} ms, so on ${os.cpus().length} cores no schedule beats ${cpuFigures.floorRatio}×` : '';
      log(`  ${latencyMs} ms latency: check ${check.median} ms, one after another ${sequential.median} ms (×${r})${cpuText}`);
      result.byLatency.push({ latencyMs, check, oneAfterAnother: sequential, ratio: r, cpu: cpuFigures });
      result.budgets.push({ benchmark: 'Readiness check, one key', latencyMs, measured: `${check.median} ms${cpuText}`, baseline: `${sequential.median} ms`, ratio: r, budget: '≤ 0.5× the calls one after another', kept: r <= 0.5 });
    }
    result.budgets.push({
      benchmark: 'Readiness check: no call made twice',
      measured: result.requests.repeated.length ? result.requests.repeated.join(', ') : 'none repeated',
      budget: '0 repeated calls',
      kept: result.requests.repeated.length === 0,
    });
    return result;
  } finally {
    await setup.sandbox.stop();
  }
}
