import type { SandboxClock } from './clock';
import type { FaultRegistry } from './faults';
import type { ErrorReplyRegistry } from './errorReplies';
import type { TokenService } from './entra/tokens';
import type { WorldStore } from './state/store';
import type { TlsMaterial } from './tls/certificates';
import type { SeedCredentials } from './seed';

/** Everything the emulated services share, handed to each when its router is built. */
export interface SandboxContext {
  stateDir: string;
  host: string;
  store: WorldStore;
  clock: SandboxClock;
  tokens: TokenService;
  faults: FaultRegistry;
  errorReplies: ErrorReplyRegistry;
  tls: TlsMaterial;
  credentials: SeedCredentials;
  /** Origins of the listeners, filled in as they start. */
  origins: {
    control: string;
    authority: string;
    arm: string;
    graph: string;
    secretServer?: string;
    hsms: Record<string, string>;
  };
  log(line: string): void;
  /** Starts the data-plane listener for an HSM created at run time and returns its origin. */
  startHsmListener(name: string): Promise<string>;
}
