import * as fs from 'node:fs';
import * as path from 'node:path';
import { SandboxClock } from './clock';
import { FaultRegistry } from './faults';
import { ErrorReplyRegistry } from './errorReplies';
import { TokenService } from './entra/tokens';
import { WorldStore, writeFileAtomic } from './state/store';
import { ensureTlsMaterial } from './tls/certificates';
import { publicClientIds, seedWorld, type SeedCredentials } from './seed';
import { startServiceListener, type ServiceListener } from './http/listener';
import type { Router } from './http/router';
import type { ErrorStyle } from './http/exchange';
import type { SandboxContext } from './context';
import { createEntraRouter, entraErrorStyle } from './entra/routes';
import { createArmRouter, armErrorStyle } from './arm/routes';
import { createGraphRouter, graphErrorStyle } from './graph/routes';
import { createHsmRouter, hsmErrorStyle } from './hsm/routes';
import { createControlRouter, controlErrorStyle } from './control/routes';
import { createSecretServer } from './secretServer/secretServer';
import { secretServerErrorStyle } from './secretServer/errorStyle';
import { describeSecretServer, type SecretServerConnection } from './secretServer/connection';

export interface SandboxOptions {
  stateDir: string;
  /** 0 = free ports (reused on restart); N = control on N, the services on N+1… */
  port?: number;
  host?: string;
  reset?: boolean;
  /** Extra keys seeded on the activated HSM (first start only). */
  keys?: number;
  /** Versions of each extra key (default 1). */
  keyVersions?: number;
  quiet?: boolean;
  /** Secrets seeded in the emulated Secret Server (first start only). */
  secrets?: number;
  /** Secret key rotation pace in secrets per second. */
  rotationRate?: number;
  /** How long the Secret Server takes to enter maintenance mode before a rotation, in ms. */
  maintenanceDelayMs?: number;
}

export interface RunningSandbox {
  context: SandboxContext;
  endpointsFile: string;
  endpoints: Endpoints;
  close(): Promise<void>;
}

export interface Endpoints {
  ca: string;
  tenantId: string;
  authorityHost: string;
  armEndpoint: string;
  graphEndpoint: string;
  control: string;
  subscriptions: { id: string; name: string }[];
  /** The tenant the admin is a guest of whose Conditional Access requires MFA (user tokens fail). */
  mfaTenant?: { id: string; name: string; defaultDomain: string };
  hsms: { name: string; resourceGroup: string; subscriptionId: string; location: string; uri: string; activated: boolean }[];
  admin: SeedCredentials['admin'];
  expiringApp: SeedCredentials['expiringApp'];
  operator: SeedCredentials['operator'];
  publicClientIds: Record<string, string>;
  secretServer: SecretServerConnection;
  pid: number;
}

const fixedOffsets: Record<string, number> = { control: 0, entra: 1, arm: 2, graph: 3, secretServer: 4 };

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const stateDir = path.resolve(options.stateDir);
  const host = options.host ?? '127.0.0.1';
  if (options.reset) fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const worldFile = path.join(stateDir, 'world.json');
  const credentialsFile = path.join(stateDir, 'seed-credentials.json');
  const endpointsFile = path.join(stateDir, 'endpoints.json');
  // A stale endpoints.json would point waiting tools at dead ports: it appears again once every listener is up.
  fs.rmSync(endpointsFile, { force: true });

  let store = WorldStore.load(worldFile);
  let credentials: SeedCredentials;
  if (!store || !fs.existsSync(credentialsFile)) {
    const seeded = seedWorld({ nowSeconds: Math.floor(Date.now() / 1000), extraKeys: options.keys ?? 30, extraKeyVersions: options.keyVersions });
    store = new WorldStore(worldFile, seeded.world);
    credentials = seeded.credentials;
    writeFileAtomic(credentialsFile, JSON.stringify(credentials, null, 2));
    store.mutate(() => undefined);
  } else {
    credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as SeedCredentials;
  }
  const worldStore = store;

  const clock = new SandboxClock(worldStore.world.clockOffsetMs, (offset) => worldStore.mutate((w) => (w.clockOffsetMs = offset)));
  const tls = await ensureTlsMaterial(stateDir, new Date());
  const tokens = TokenService.load(stateDir);
  const faults = new FaultRegistry();
  const errorReplies = new ErrorReplyRegistry();
  const listeners: ServiceListener[] = [];
  let endpointsWritten = false;
  const log = options.quiet ? () => undefined : (line: string) => console.log(line);

  const context: SandboxContext = {
    stateDir,
    host,
    store: worldStore,
    clock,
    tokens,
    faults,
    errorReplies,
    tls,
    credentials,
    origins: { control: '', authority: '', arm: '', graph: '', hsms: {} },
    log,
    startHsmListener: async (name) => {
      const existing = context.origins.hsms[name];
      if (existing) return existing;
      const listener = await listen(`hsm:${name}`, 'hsm', createHsmRouter(context, name), hsmErrorStyle);
      context.origins.hsms[name] = listener.origin;
      // An HSM created at run time joins the contract that tools read.
      if (endpointsWritten) writeFileAtomic(endpointsFile, JSON.stringify(describeEndpoints(context), null, 2));
      return listener.origin;
    },
  };

  const portFor = (key: string): number => {
    if (options.port && options.port > 0) {
      if (key in fixedOffsets) return options.port + fixedOffsets[key];
      const index = worldStore.world.hsms.findIndex((h) => `hsm:${h.name}` === key);
      return options.port + 10 + Math.max(0, index);
    }
    return worldStore.world.ports[key] ?? 0;
  };

  async function listen(key: string, service: string, router: Router, errorStyle: ErrorStyle): Promise<ServiceListener> {
    const base = { service, router, errorStyle, tls, faults, errorReplies, host, log, clock: context.clock };
    let listener: ServiceListener;
    try {
      listener = await startServiceListener({ ...base, port: portFor(key) });
    } catch (err) {
      // The port remembered from the last run is taken: move, and say so (stored URLs will change).
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (options.port ?? 0) > 0) throw err;
      log(`[sandbox] port ${portFor(key)} for ${key} is in use; choosing another`);
      listener = await startServiceListener({ ...base, port: 0 });
    }
    listeners.push(listener);
    if (worldStore.world.ports[key] !== listener.port) worldStore.mutate((w) => (w.ports[key] = listener.port));
    return listener;
  }

  let secretServer: ReturnType<typeof createSecretServer> | undefined;
  try {
    context.origins.control = (await listen('control', 'control', createControlRouter(context), controlErrorStyle)).origin;
    context.origins.authority = (await listen('entra', 'entra', createEntraRouter(context), entraErrorStyle)).origin;
    context.origins.arm = (await listen('arm', 'arm', createArmRouter(context), armErrorStyle)).origin;
    context.origins.graph = (await listen('graph', 'graph', createGraphRouter(context), graphErrorStyle)).origin;
    for (const hsm of worldStore.world.hsms) await context.startHsmListener(hsm.name);
    secretServer = createSecretServer(context, {
      secrets: options.secrets,
      speed: { secretsPerSecond: options.rotationRate, maintenanceDelayMs: options.maintenanceDelayMs },
    });
    context.origins.secretServer = (await listen('secretServer', 'secretServer', secretServer.router, secretServerErrorStyle)).origin;
    await secretServer.start();
  } catch (err) {
    secretServer?.close();
    await Promise.all(listeners.map((l) => l.close()));
    throw err;
  }

  const endpoints = describeEndpoints(context);
  writeFileAtomic(endpointsFile, JSON.stringify(endpoints, null, 2));
  endpointsWritten = true;

  return {
    context,
    endpointsFile,
    endpoints,
    close: async () => {
      secretServer?.close();
      await Promise.all(listeners.map((l) => l.close()));
      worldStore.save();
      fs.rmSync(endpointsFile, { force: true });
    },
  };
}

export function describeEndpoints(ctx: SandboxContext): Endpoints {
  const world = ctx.store.world;
  return {
    ca: ctx.tls.caFile,
    tenantId: world.tenants[0].id,
    authorityHost: ctx.origins.authority,
    armEndpoint: ctx.origins.arm,
    graphEndpoint: ctx.origins.graph,
    control: `${ctx.origins.control}/_sandbox`,
    subscriptions: world.subscriptions.map((s) => ({ id: s.subscriptionId, name: s.displayName })),
    ...mfaTenantOf(world),
    hsms: world.hsms.filter((h) => ctx.origins.hsms[h.name]).map((h) => ({
      name: h.name,
      resourceGroup: h.resourceGroup,
      subscriptionId: h.subscriptionId,
      location: h.location,
      uri: `${ctx.origins.hsms[h.name]}/`,
      activated: h.activated,
    })),
    admin: ctx.credentials.admin,
    expiringApp: ctx.credentials.expiringApp,
    operator: ctx.credentials.operator,
    publicClientIds: { ...publicClientIds },
    secretServer: describeSecretServer(ctx),
    pid: process.pid,
  };
}

function mfaTenantOf(world: SandboxContext['store']['world']): Pick<Endpoints, 'mfaTenant'> {
  const t = world.tenants.find((x) => x.requireMfaPolicyId);
  return t ? { mfaTenant: { id: t.id, name: t.displayName, defaultDomain: t.defaultDomain } } : {};
}
