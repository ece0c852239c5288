import type { ScanRules } from '../core/expiry/referenceScanner';
import type { Assessment } from '../core/expiry/watchedItem';
import type { ExpirySnapshot } from './expiryWatch';

// What the VS Code parts of the expiry watch need from the composition root — nothing more.

/** The watch (ExpiryWatch satisfies it). */
export interface ExpirySource {
  snapshot(): ExpirySnapshot;
  onDidChange(listener: () => void): { dispose(): void };
  /** Re-assesses at the current time, so thresholds crossed by time passing show up. */
  recompute(): void;
}

/** Which hosts count as Managed HSMs in the signed-in cloud (and the sandbox's origins). */
export type HsmScanRules = () => Pick<ScanRules, 'dnsSuffixes' | 'origins'>;

/** The user-facing actions the expiry UI links to; the composition root implements them. */
export interface ExpiryActions {
  /** Starts the guided client-secret renewal (clientSecretRenewal.ts) for this secret. */
  renewClientSecret(target: { appId: string; keyId: string }): Thenable<unknown> | Promise<unknown> | void;
  /** Reveals the object with this expiry path in the tree. */
  reveal(path: string): Thenable<unknown> | Promise<unknown> | void;
}

/** The part of a Memento (context.globalState) the notifications keep their record in. */
export interface ExpiryStateStore {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface ExpirySettings {
  notificationsEnabled(): boolean;
  workspaceScanEnabled(): boolean;
  workspaceScanMaxFiles(): number;
}

/** Output-channel logging; never pass a secret. */
export type ExpiryLog = (line: string) => void;

export function isRenewable(a: Assessment): boolean {
  return a.item.kind === 'clientSecret' && a.severity !== 'ok' && a.severity !== 'notYetValid';
}
