import type { SandboxContext } from '../context';
import { readSecretServerCredentials, type SecretServerUserCredentials } from './seed';

/** The `secretServer` block of endpoints.json. */
export interface SecretServerConnection {
  url: string;
  /** Azure region of the (emulated) Secret Server Cloud tenant, for the region-alignment check. */
  region: string;
  users: SecretServerUserCredentials[];
}

export const secretServerRegion = 'eastus';

export function describeSecretServer(ctx: SandboxContext): SecretServerConnection {
  return { url: ctx.origins.secretServer ?? '', region: secretServerRegion, users: readSecretServerCredentials(ctx.stateDir) };
}
