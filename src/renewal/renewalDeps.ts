import type { ProbeResult } from '../azure/keyProbe';
import type { ClientSecretInfo, NewClientSecret } from '../azure/graph/clientSecrets';
import type { KeyChanges, KeyInfo } from '../azure/keys';
import type { SecretServerHealth } from '../secretServer/health';
import type { AzureManagedHsmUpdate } from '../secretServer/keyManagement';
import type { ProviderKind } from '../secretServer/keyManagementTypes';
import type { RotationProgress, RotationStatus } from '../secretServer/rotationProgress';

// The narrow surface the renewal flows need. The live implementation (liveRenewalDeps.ts) wires
// the real Graph, Managed HSM and Secret Server clients; the composition root builds it per
// connection. Nothing here holds a secret longer than a call.

/** Secret Server's key management as the flows need to see it (the principal secret is never returned). */
export interface SecretServerKeyConfig {
  provider?: ProviderKind;
  tenantId?: string;
  principalId?: string;
  keyUrl?: string;
}

export interface RenewalSecretServer {
  readConfig(): Promise<SecretServerKeyConfig>;
  /**
   * Saves new Azure Managed HSM settings (the caller's UI has already confirmed that maintenance
   * mode will be entered and a secret key rotation triggered). Returns the rotation status read
   * just before saving, so following does not mistake the last run for this one.
   */
  update(settings: AzureManagedHsmUpdate): Promise<{ since: RotationStatus }>;
  /** Follows the rotation the update started to its end, reporting each poll. */
  follow(since: RotationStatus, onProgress: (p: RotationProgress) => void): Promise<RotationProgress>;
  health(): Promise<SecretServerHealth>;
}

/** Client secrets of one app registration (Graph). */
export interface RenewalAppSecrets {
  list(): Promise<ClientSecretInfo[]>;
  add(displayName: string, expiresOn: Date): Promise<NewClientSecret>;
  remove(keyId: string): Promise<void>;
}

/** A wrap and unwrap with the app's own credential, exactly as Secret Server will do it. */
export type RenewalProbe = (clientId: string, clientSecret: string, keyUrl: string) => Promise<ProbeResult>;

/** The key operations of one Managed HSM (ManagedHsmKeys satisfies it). */
export interface RenewalKeys {
  getKey(name: string, version?: string): Promise<KeyInfo>;
  rotateKey(name: string): Promise<KeyInfo>;
  updateKey(name: string, version: string | undefined, changes: KeyChanges): Promise<KeyInfo>;
}

export type RenewalPhase = 'started' | 'done' | 'failed';

export interface RenewalProgress<Step extends string> {
  step: Step;
  phase: RenewalPhase;
  /** One sentence, never a secret. */
  message: string;
  /** Rotation progress 0..100 while following. */
  percent?: number;
}

/** How long to wait for Secret Server to report healthy (and out of maintenance) after a change. */
export interface VerifyOptions {
  attempts?: number;
  intervalMs?: number;
}
