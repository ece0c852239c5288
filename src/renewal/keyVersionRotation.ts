import * as l10n from '@vscode/l10n';
import { formatKeyIdentifier, parseKeyIdentifier, type KeyIdentifier } from '../core/keyIdentifier';
import { canRetireOldVersion, newSwitchRecord, versionInUseProblem, type KeyVersionSwitchRecord } from '../core/expiry/waitingPeriod';
import { causeOf, RenewalError } from './renewalError';
import type { RenewalKeys, RenewalProbe, RenewalProgress, RenewalSecretServer, VerifyOptions } from './renewalDeps';
import { healthProblem, waitForHealthy } from './verifyHealth';

// The seed's four steps for rotating the key safely: create a new version, switch Secret Server to
// it (a versioned URL, so what it uses is explicit), wait at least a day, and only then set an
// expiry on or disable the previous version. startKeyVersionRotation does the first two and
// returns the switch record to persist; retireOldKeyVersion does the last, and refuses before the
// waiting period ends or while Secret Server still uses the old version.

export type KeyVersionStep = 'check' | 'createVersion' | 'proveNewVersion' | 'switchSecretServer' | 'followRotation' | 'verify' | 'record';
export type RetireStep = 'waitingPeriod' | 'inUse' | 'verify' | 'retire' | 'verifyAfter';

export interface KeyVersionDeps {
  /** Key operations on the HSM Secret Server's key lives in. */
  keys: RenewalKeys;
  secretServer: RenewalSecretServer;
  probe: RenewalProbe;
}

export interface KeyVersionRotationRequest {
  connectionId: string;
  /** The app Secret Server uses, and its current secret (the PUT replaces the whole configuration). */
  appId: string;
  principalSecret: () => Promise<string>;
  /** The clock the waiting period runs on (the sandbox's in tests). */
  now: () => number;
  minimumWaitDays?: number;
  onProgress?: (p: RenewalProgress<KeyVersionStep>) => void;
  verify?: VerifyOptions;
}

export interface KeyVersionRotationResult {
  record: KeyVersionSwitchRecord;
  /** The versioned identifier Secret Server now uses. */
  newKeyUrl: string;
}

type Reporter<S extends string> = (step: S, phase: RenewalProgress<S>['phase'], message: string, percent?: number) => void;

function failer<S extends string>(report: Reporter<S>) {
  return (step: S, failure: string, situation: string, err?: unknown): RenewalError<S> => {
    const cause = err === undefined ? undefined : causeOf(err);
    const error = new RenewalError(step, cause ? `${failure} ${cause.message}` : failure, situation, cause?.kind ?? 'conflict', cause?.detail);
    report(step, 'failed', error.message);
    return error;
  };
}

export async function startKeyVersionRotation(deps: KeyVersionDeps, req: KeyVersionRotationRequest): Promise<KeyVersionRotationResult> {
  const report: Reporter<KeyVersionStep> = (step, phase, message, percent) => req.onProgress?.({ step, phase, message, percent });
  const fail = failer(report);
  const untouched = l10n.t('Nothing was changed: Secret Server still uses the current key version.');

  report('check', 'started', l10n.t('Reading Secret Server\'s key management.'));
  let key: KeyIdentifier;
  let tenantId: string;
  let oldVersion: string;
  try {
    const config = await deps.secretServer.readConfig();
    if (config.provider !== 'azureManagedHsm' || !config.keyUrl || !config.tenantId) throw fail('check', l10n.t('Secret Server is not configured for Azure Managed HSM.'), untouched);
    if ((config.principalId ?? '').toLowerCase() !== req.appId.toLowerCase()) throw fail('check', l10n.t('Secret Server uses app {0}, not {1}.', config.principalId ?? '(none)', req.appId), untouched);
    const parsed = parseKeyIdentifier(config.keyUrl);
    if (!parsed.ok) throw fail('check', l10n.t('Secret Server\'s key URL is not usable: {0}', parsed.reason), untouched);
    key = parsed.value;
    tenantId = config.tenantId;
    oldVersion = key.version ?? (await deps.keys.getKey(key.name)).version ?? '';
    if (!oldVersion) throw fail('check', l10n.t('Could not tell which version of key \'{0}\' is current.', key.name), untouched);
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('check', l10n.t('Could not read the current configuration.'), untouched, err);
  }
  report('check', 'done', l10n.t('Secret Server uses key \'{0}\' version {1}.', key.name, oldVersion));

  report('createVersion', 'started', l10n.t('Creating a new version of key \'{0}\'.', key.name));
  let newVersion: string;
  try {
    const created = await deps.keys.rotateKey(key.name);
    if (!created.version) throw new Error('The HSM did not return the new version.');
    newVersion = created.version.toLowerCase();
  } catch (err) {
    throw fail('createVersion', l10n.t('Could not create a new key version.'), untouched, err);
  }
  const newKeyUrl = formatKeyIdentifier(key.hsmUri, key.name, newVersion);
  const newUnused = l10n.t('A new key version {0} exists and is not used yet; Secret Server still uses version {1}, which stays untouched.', newVersion, oldVersion);
  report('createVersion', 'done', l10n.t('Created version {0}.', newVersion));

  report('proveNewVersion', 'started', l10n.t('Wrapping and unwrapping a test value with the new version as the app.'));
  let secret: string;
  try {
    secret = await req.principalSecret();
  } catch (err) {
    throw fail('proveNewVersion', l10n.t('The app\'s client secret is not available.'), newUnused, err);
  }
  const probe = await deps.probe(req.appId, secret, newKeyUrl);
  if (!probe.ok) throw fail('proveNewVersion', l10n.t('The new version failed the wrap/unwrap check ({0}): {1}', probe.step, probe.error.message), newUnused);
  report('proveNewVersion', 'done', l10n.t('The app can wrap and unwrap with the new version.'));

  report('switchSecretServer', 'started', l10n.t('Switching Secret Server to version {0} (maintenance mode and a secret key rotation follow).', newVersion));
  let since;
  try {
    since = (await deps.secretServer.update({ tenantId, principalId: req.appId, principalSecret: secret, keyUrl: newKeyUrl })).since;
  } catch (err) {
    throw fail('switchSecretServer', l10n.t('Secret Server did not accept the new key version.'), newUnused, err);
  }
  report('switchSecretServer', 'done', l10n.t('Secret Server accepted the new key version.'));

  const inDoubt = l10n.t('Secret Server may already use version {0}; version {1} is untouched. Do not disable either version; check Secret Server\'s health.', newVersion, oldVersion);
  report('followRotation', 'started', l10n.t('Following the secret key rotation.'));
  try {
    const last = await deps.secretServer.follow(since, (p) => report('followRotation', 'started', p.message ?? `Rotation ${p.state}.`, p.percent));
    if (last.state !== 'succeeded') throw fail('followRotation', l10n.t('The secret key rotation ended as \'{0}\'{1}', last.state, last.message ? `: ${last.message}` : '.'), inDoubt);
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('followRotation', l10n.t('Could not follow the secret key rotation.'), inDoubt, err);
  }
  report('followRotation', 'done', l10n.t('The secret key rotation succeeded.'));

  report('verify', 'started', l10n.t('Checking Secret Server\'s health.'));
  try {
    const problem = healthProblem(await waitForHealthy(deps.secretServer, req.verify));
    if (problem) throw fail('verify', problem, inDoubt);
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('verify', l10n.t('Could not read Secret Server\'s health.'), inDoubt, err);
  }
  report('verify', 'done', l10n.t('Secret Server is healthy on the new version.'));

  const record = newSwitchRecord({ keyId: key.versionlessId, connectionId: req.connectionId, switchedAtMs: req.now(), oldVersion, newVersion, minimumWaitDays: req.minimumWaitDays });
  report('record', 'done', l10n.t('Recorded the switch; version {0} stays untouched for at least {1} day(s).', oldVersion, record.minimumWaitDays));
  return { record, newKeyUrl };
}

export type RetireAction = { kind: 'disable' } | { kind: 'expire'; expiresOn: Date };

export interface RetireRequest {
  record: KeyVersionSwitchRecord;
  action: RetireAction;
  appId: string;
  principalSecret: () => Promise<string>;
  now: () => number;
  onProgress?: (p: RenewalProgress<RetireStep>) => void;
  verify?: VerifyOptions;
}

/**
 * Sets an expiry on, or disables, the version Secret Server used before the switch — only after
 * the waiting period, only when Secret Server no longer uses it, only after Secret Server is
 * healthy and the new version wraps and unwraps. A disable that leaves Secret Server unhealthy is
 * undone at once.
 */
export async function retireOldKeyVersion(deps: KeyVersionDeps, req: RetireRequest): Promise<void> {
  const report: Reporter<RetireStep> = (step, phase, message, percent) => req.onProgress?.({ step, phase, message, percent });
  const fail = failer(report);
  const { record } = req;
  const kept = l10n.t('Version {0} was left untouched.', record.oldVersion);

  const wait = canRetireOldVersion(record, req.now());
  if (!wait.allowed) throw fail('waitingPeriod', l10n.t('Refused: the waiting period is not over.'), `${wait.reason} ${kept}`);
  report('waitingPeriod', 'done', wait.reason);

  const problem = await retireProblem(deps.secretServer, record.keyId, record.oldVersion);
  if (problem) throw fail('inUse', `Refused: ${problem}`, kept);
  report('inUse', 'done', l10n.t('Secret Server no longer uses version {0}.', record.oldVersion));

  report('verify', 'started', l10n.t('Checking Secret Server\'s health and probing the new version.'));
  const name = parseKeyIdentifier(record.keyId);
  if (!name.ok) throw fail('verify', l10n.t('The recorded key identifier is not usable: {0}', name.reason), kept);
  try {
    const health = healthProblem(await waitForHealthy(deps.secretServer, req.verify));
    if (health) throw fail('verify', health, kept);
    const secret = await req.principalSecret();
    const probe = await deps.probe(req.appId, secret, formatKeyIdentifier(name.value.hsmUri, name.value.name, record.newVersion));
    if (!probe.ok) throw fail('verify', l10n.t('The new version failed the wrap/unwrap check ({0}): {1}', probe.step, probe.error.message), kept);
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('verify', l10n.t('Could not verify Secret Server and the new version.'), kept, err);
  }
  report('verify', 'done', l10n.t('Secret Server is healthy and the new version wraps and unwraps.'));

  const what = req.action.kind === 'disable' ? 'Disabling' : l10n.t('Setting expiry {0} on', req.action.expiresOn.toISOString());
  report('retire', 'started', `${what} version ${record.oldVersion}.`);
  try {
    await deps.keys.updateKey(name.value.name, record.oldVersion, req.action.kind === 'disable' ? { enabled: false } : { expiresOn: req.action.expiresOn });
  } catch (err) {
    throw fail('retire', l10n.t('{0} version {1} failed.', what, record.oldVersion), kept, err);
  }
  report('retire', 'done', l10n.t('{0} version {1} done.', what, record.oldVersion));

  report('verifyAfter', 'started', l10n.t('Checking Secret Server is still healthy.'));
  const after = await deps.secretServer.health();
  if (!after.healthy && req.action.kind === 'disable') {
    // Something still needed the old version: put it back before anyone loses access.
    try {
      await deps.keys.updateKey(name.value.name, record.oldVersion, { enabled: true });
    } catch (err) {
      throw fail('verifyAfter', l10n.t('Secret Server became unhealthy after disabling the old version, and re-enabling it failed.'), l10n.t('Enable version {0} now.', record.oldVersion), err);
    }
    throw fail('verifyAfter', l10n.t('Secret Server became unhealthy after disabling the old version.'), l10n.t('Version {0} was enabled again.', record.oldVersion));
  }
  if (!after.healthy) throw fail('verifyAfter', healthProblem(after) ?? l10n.t('Secret Server reports unhealthy.'), l10n.t('Check the expiry set on version {0}.', record.oldVersion));
  report('verifyAfter', 'done', l10n.t('Secret Server is healthy.'));
}

/**
 * The guard for any "disable version" or "set expiry" action, in the tree or here: why `version`
 * of `keyId` must not be retired given Secret Server's current configuration, or undefined.
 */
export async function retireProblem(ss: RenewalSecretServer, keyId: string, version: string): Promise<string | undefined> {
  const config = await ss.readConfig();
  if (config.provider !== 'azureManagedHsm') return undefined;
  return versionInUseProblem(config.keyUrl, keyId, version);
}
