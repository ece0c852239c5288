import { secretServerKeySpec } from '../secretServerKey';

// The getting-started walkthrough's steps and when each is done. A step is done only by state
// the extension has seen from the services (a listing, a command's answer, a readiness report),
// never by a click on its button. Later steps check that what they build on is there too, so a
// grant for an app or key the extension has never seen does not tick "Grant the role".

export const walkthroughSteps = [
  'signIn',
  'managedHsm',
  'appRegistration',
  'key',
  'role',
  'readiness',
  'secretServer',
  'keyManagement',
  'expiryWarnings',
] as const;

export type WalkthroughStep = (typeof walkthroughSteps)[number];

/** The context key a step's completionEvents listens to (`onContext:<key>`). */
export function walkthroughContextKey(step: WalkthroughStep): string {
  return `mhsm.walkthrough.${step}`;
}

/** A key as a listing or a read of it describes it. */
export interface SeenKey {
  hsmUri: string;
  name: string;
  enabled: boolean;
  keyType?: string;
  keySize?: number;
  keyOps?: readonly string[];
}

/** An app registration with a client secret the extension created or keeps. */
export interface KnownApp {
  clientId: string;
}

/** Managed HSM Crypto User granted at /keys/<name> to an app's service principal. */
export interface SeenGrant {
  clientId: string;
  scope: string;
}

export interface ReadinessOutcome {
  findings: readonly { id: string; status: 'pass' | 'warn' | 'fail' | 'unknown' }[];
}

/** One Secret Server connection as its last successful load showed it. */
export interface SeenSecretServer {
  provider?: string;
  keyUrl?: string;
  rotationState?: string;
  rotationDone?: boolean;
}

export interface WalkthroughFacts {
  signedIn: boolean;
  /** Activated HSMs listed in the Azure view. */
  activatedHsms: number;
  apps: readonly KnownApp[];
  keys: readonly SeenKey[];
  grants: readonly SeenGrant[];
  readiness: readonly ReadinessOutcome[];
  secretServers: readonly SeenSecretServer[];
  /** Client secrets the expiry watch follows for an app a Secret Server uses. */
  watchedSecretServerSecrets: number;
  expiryNotificationsEnabled: boolean;
}

export const noFacts: WalkthroughFacts = {
  signedIn: false,
  activatedHsms: 0,
  apps: [],
  keys: [],
  grants: [],
  readiness: [],
  secretServers: [],
  watchedSecretServerSecrets: 0,
  expiryNotificationsEnabled: true,
};

/** Enabled oct-HSM with wrapKey and unwrapKey (Managed HSM never reports an oct key's size). */
export function usableBySecretServer(key: SeenKey): boolean {
  return (
    key.enabled &&
    key.keyType === secretServerKeySpec.keyType &&
    secretServerKeySpec.keyOps.every((op) => key.keyOps?.includes(op)) &&
    (key.keySize === undefined || key.keySize === secretServerKeySpec.keySize)
  );
}

/**
 * Every rule that could run passed, including the live wrap/unwrap as the app. Only the region
 * rule may be unknown: it needs the Secret Server's region, which a later step supplies.
 */
export function readinessPassed(outcome: ReadinessOutcome): boolean {
  const status = (id: string) => outcome.findings.find((f) => f.id === id)?.status;
  if (status('access.probe') !== 'pass' || status('access.role') !== 'pass') return false;
  return outcome.findings.every((f) => f.status === 'pass' || f.status === 'warn' || (f.status === 'unknown' && f.id === 'hsm.region'));
}

/** Secret Server protects its master key with a Managed HSM key and its rotation ran to success. */
export function keyManagementRotated(server: SeenSecretServer): boolean {
  return server.provider === 'azureManagedHsm' && !!server.keyUrl && server.rotationDone === true && server.rotationState === 'succeeded';
}

function keyNameOfScope(scope: string): string | undefined {
  const match = /^\/keys\/([^/]+)$/i.exec(scope);
  return match?.[1];
}

/** Which steps the facts complete. */
export function completedSteps(facts: WalkthroughFacts): Set<WalkthroughStep> {
  const done = new Set<WalkthroughStep>();
  if (facts.signedIn) done.add('signIn');
  if (facts.signedIn && facts.activatedHsms > 0) done.add('managedHsm');
  if (facts.apps.length > 0) done.add('appRegistration');
  const usable = facts.keys.filter(usableBySecretServer);
  if (usable.length > 0) done.add('key');
  const known = new Set(facts.apps.map((a) => a.clientId.toLowerCase()));
  const usableNames = new Set(usable.map((k) => k.name.toLowerCase()));
  const granted = facts.grants.some((g) => known.has(g.clientId.toLowerCase()) && usableNames.has(keyNameOfScope(g.scope)?.toLowerCase() ?? ''));
  const passed = facts.readiness.some(readinessPassed);
  // A passing readiness report proves the grant too (its role rule and live wrap as the app).
  if (granted || passed) done.add('role');
  if (passed) done.add('readiness');
  if (facts.secretServers.length > 0) done.add('secretServer');
  if (facts.secretServers.some(keyManagementRotated)) done.add('keyManagement');
  if (facts.watchedSecretServerSecrets > 0 && facts.expiryNotificationsEnabled) done.add('expiryWarnings');
  return done;
}
