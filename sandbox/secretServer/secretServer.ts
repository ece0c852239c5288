import { Router } from '../http/router';
import type { SandboxContext } from '../context';
import { AzureKeyAccess } from './azureKeyAccess';
import { KeyManagementChange } from './keyManagementChange';
import { createMachineKey, machineKey } from './machineKey';
import { protectLocally } from './masterKey';
import { registerKeyManagementRoutes } from './keyManagementRoutes';
import { RotationEngine, defaultRotationSpeed, type RotationSpeed } from './rotationEngine';
import { registerRotationRoutes } from './rotationRoutes';
import { registerSecretRoutes } from './secretRoutes';
import { registerServerRoutes } from './serverRoutes';
import { defaultSecretCount, seedSecretServer } from './seed';
import { registerTokenRoutes } from './tokenRoutes';

export interface SecretServerOptions {
  /** Secrets seeded on first start. */
  secrets?: number;
  speed?: Partial<RotationSpeed>;
}

export interface SecretServerService {
  router: Router;
  /** Runs once every listener is up: picks up a rotation a stop interrupted. */
  start(): Promise<void>;
  close(): void;
}

/** The emulated Secret Server (Cloud): OAuth2, key management, secret key rotation, maintenance mode. */
export function createSecretServer(ctx: SandboxContext, options: SecretServerOptions = {}): SecretServerService {
  if (!ctx.store.world.secretServer) {
    createMachineKey(ctx);
    const seeded = seedSecretServer(ctx.stateDir, options.secrets ?? defaultSecretCount, (key) => protectLocally(ctx, key));
    ctx.store.mutate((w) => (w.secretServer = seeded));
  }
  machineKey(ctx);
  const speed: RotationSpeed = {
    secretsPerSecond: options.speed?.secretsPerSecond ?? defaultRotationSpeed.secretsPerSecond,
    maintenanceDelayMs: options.speed?.maintenanceDelayMs ?? defaultRotationSpeed.maintenanceDelayMs,
  };
  const access = new AzureKeyAccess(ctx);
  // Resume/roll-back notices go to stdout even with --quiet: an operator must see them.
  const engine = new RotationEngine(ctx, access, speed, (line) => console.log(line));
  const change = new KeyManagementChange(ctx, access, engine, speed.maintenanceDelayMs);

  const router = new Router();
  registerTokenRoutes(router, ctx);
  registerKeyManagementRoutes(router, ctx, change);
  registerRotationRoutes(router, ctx, change, engine);
  registerServerRoutes(router, ctx, access);
  registerSecretRoutes(router, ctx, access);

  return {
    router,
    start: () => engine.recoverAfterRestart(),
    close: () => {
      engine.close();
      access.close();
    },
  };
}
