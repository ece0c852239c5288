import type { TokenCredential } from '@azure/core-auth';
import type { SecretStore } from '../auth/secretStore';
import type { AzureCloud } from '../azure/cloud';
import type { Finding } from '../core/readiness/finding';
import type { SecretServerSession } from '../secretServer/session';

// What the key management form and the Rotate Secret Keys command need from the rest of the
// extension — no more. The composition root (extension.ts) satisfies it from Services and the
// Secret Server explorer; tests satisfy it from the sandbox.

export interface FormLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface FormConnection {
  /** The connection's identity (ConnectionStore's `<url> <username>`). */
  id: string;
  /** What the user reads in the connection list. */
  label: string;
}

/** A key chosen in the Azure tree; the tenant is the HSM's. */
export interface PickedKey {
  keyUrl: string;
  tenantId?: string;
}

/** Everything the form's second validation level needs to judge a key and an app together. */
export interface FormReadinessInput {
  cloud: AzureCloud;
  tenantId: string;
  keyUrl: string;
  appId: string;
  /** The principal secret; call once, never log. */
  getSecret: () => Promise<string>;
  session: SecretServerSession;
  /** The time expiries are judged against. */
  now: () => Date;
  abortSignal?: AbortSignal;
}

export interface KeyManagementFormDeps {
  readonly log: FormLogger;
  /** The cloud the user is signed in to: key URLs must name one of its Managed HSMs. */
  cloud(): AzureCloud;
  listConnections(): FormConnection[] | Promise<FormConnection[]>;
  /** A signed-in session (asks for the password if needed); rejects with an ActionableError. */
  getSession(connectionId: string): Promise<SecretServerSession>;
  /**
   * The readiness rules for the key and app, including the live wrap/unwrap with the app's own
   * credentials. Default (when absent): readinessForForm, built from `credential`.
   */
  checkReadiness?(input: FormReadinessInput): Promise<Finding[]>;
  /** The signed-in administrator's credential for a tenant, for the readiness check's reads. */
  credential(tenantId: string): TokenCredential;
  /** VS Code SecretStorage: where client secrets created by the extension are kept. */
  readonly secrets: SecretStore;
  /** Shows a QuickPick of the keys in the Azure tree; undefined when the user dismissed it. */
  pickKey?(): Promise<PickedKey | undefined>;
  /** Called after a configuration was saved or a rotation ended, so the tree shows it. */
  refreshConnection?(connectionId: string): void;
  now(): Date;
  /**
   * A modal question with buttons; the chosen button or undefined. Default: VS Code's modal
   * warning. The extension passes the setup commands' prompt seam, so tests can answer it.
   */
  confirm?(message: string, detail: string | undefined, buttons: readonly string[]): Promise<string | undefined>;
  /** Time between rotation status reads; default 2000 ms. */
  readonly rotationPollMs?: number;
}
