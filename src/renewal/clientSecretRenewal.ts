import { parseKeyIdentifier } from '../core/keyIdentifier';
import { delay } from '../secretServer/cancellation';
import type { ClientSecretInfo } from '../azure/graph/clientSecrets';
import { causeOf, RenewalError } from './renewalError';
import type { RenewalAppSecrets, RenewalProbe, RenewalProgress, RenewalSecretServer, VerifyOptions } from './renewalDeps';
import { healthProblem, waitForHealthy } from './verifyHealth';

// Guided client-secret renewal. The order is the safety: a new secret is created and proven
// (wrap/unwrap with the app's own credential) before Secret Server gets it; Secret Server is
// switched and its rotation followed; Secret Server's health and a second probe prove the new
// secret in use; only then is the old secret offered for removal. The old secret is never removed
// before that proof — each failure leaves it in place and says so.

export type ClientSecretRenewalStep = 'check' | 'createSecret' | 'proveNewSecret' | 'updateSecretServer' | 'followRotation' | 'verify' | 'removeOldSecret';

export interface ClientSecretRenewalDeps {
  secrets: RenewalAppSecrets;
  secretServer: RenewalSecretServer;
  probe: RenewalProbe;
}

export interface ClientSecretRenewalRequest {
  /** The app registration's client id; must be the principal Secret Server uses. */
  appId: string;
  /** The Graph keyId of the secret being replaced. */
  oldKeyId: string;
  newSecretExpiresOn: Date;
  newSecretDisplayName?: string;
  /**
   * Asked once the new secret is proven in use: whether to remove the old one now. Returning false
   * keeps it (the user can remove it later from the tree).
   */
  confirmRemoveOld: () => Promise<boolean>;
  /** Receives the new value once, e.g. to keep it in SecretStorage; never log it. */
  keepNewSecret?: (keyId: string, secretText: string) => Promise<void>;
  onProgress?: (p: RenewalProgress<ClientSecretRenewalStep>) => void;
  verify?: VerifyOptions;
  /**
   * A brand-new secret can take a little while before Entra ID accepts it; sign-in failures of
   * the first probe are retried this often (default 6, every 5 s).
   */
  proveNewSecret?: VerifyOptions;
}

export interface ClientSecretRenewalResult {
  /** The new secret's metadata (never its value). */
  newSecret: ClientSecretInfo;
  oldRemoved: boolean;
}

export async function renewClientSecret(deps: ClientSecretRenewalDeps, req: ClientSecretRenewalRequest): Promise<ClientSecretRenewalResult> {
  const report = (step: ClientSecretRenewalStep, phase: RenewalProgress<ClientSecretRenewalStep>['phase'], message: string, percent?: number) =>
    req.onProgress?.({ step, phase, message, percent });
  const fail = (step: ClientSecretRenewalStep, failure: string, situation: string, err?: unknown): RenewalError<ClientSecretRenewalStep> => {
    const cause = err === undefined ? undefined : causeOf(err);
    const error = new RenewalError(step, cause ? `${failure} ${cause.message}` : failure, situation, cause?.kind ?? 'conflict', cause?.detail);
    report(step, 'failed', error.message);
    return error;
  };
  const appId = req.appId.toLowerCase();
  const untouched = 'Nothing was changed: Secret Server and the app still use the old secret.';
  const newUnused = 'A new client secret exists on the app but is not used yet; the old one still works and Secret Server still uses it. Retry, or remove the new secret from the app.';
  const inDoubt = 'Secret Server may already have the new secret; the old secret is kept and still works. Check Secret Server\'s key management and health before removing anything.';

  // 1. Check that this app is what Secret Server uses, and read the key URL to keep.
  report('check', 'started', 'Reading Secret Server\'s key management and the app\'s client secrets.');
  let keyUrl: string;
  let tenantId: string;
  try {
    const config = await deps.secretServer.readConfig();
    if (config.provider !== 'azureManagedHsm' || !config.keyUrl || !config.tenantId) {
      throw fail('check', 'Secret Server is not configured for Azure Managed HSM, so there is no client secret to renew in it.', untouched);
    }
    if ((config.principalId ?? '').toLowerCase() !== appId) {
      throw fail('check', `Secret Server uses app ${config.principalId ?? '(none)'}, not ${req.appId}.`, `${untouched} Renew the secret of the app Secret Server uses.`);
    }
    const parsed = parseKeyIdentifier(config.keyUrl);
    if (!parsed.ok) throw fail('check', `Secret Server's key URL is not usable: ${parsed.reason}`, untouched);
    keyUrl = config.keyUrl;
    tenantId = config.tenantId;
    const existing = await deps.secrets.list();
    if (!existing.some((s) => s.keyId.toLowerCase() === req.oldKeyId.toLowerCase())) {
      throw fail('check', `The app has no client secret with id ${req.oldKeyId}; it may have been renewed already.`, `${untouched} Refresh the tree.`);
    }
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('check', 'Could not read the current configuration.', untouched, err);
  }
  report('check', 'done', 'Secret Server uses this app; the old secret is in place.');

  // 2. Create the new secret.
  report('createSecret', 'started', 'Creating a new client secret on the app.');
  let created: Awaited<ReturnType<RenewalAppSecrets['add']>>;
  try {
    created = await deps.secrets.add(req.newSecretDisplayName ?? 'Secret Server (renewed)', req.newSecretExpiresOn);
  } catch (err) {
    throw fail('createSecret', 'Could not create a new client secret.', untouched, err);
  }
  const secretText = created.secretText;
  const newSecret: ClientSecretInfo = { keyId: created.keyId, displayName: created.displayName, hint: created.hint, startDateTime: created.startDateTime, endDateTime: created.endDateTime };
  try {
    await req.keepNewSecret?.(created.keyId, secretText);
  } catch (err) {
    throw fail('createSecret', 'Could not keep the new secret.', newUnused, err);
  }
  report('createSecret', 'done', `Created client secret ${newSecret.hint ?? ''}… (id ${newSecret.keyId}).`);

  // 3. Prove the new secret before Secret Server sees it.
  report('proveNewSecret', 'started', 'Wrapping and unwrapping a test value with the new secret.');
  let first = await deps.probe(appId, secretText, keyUrl);
  const attempts = Math.max(1, req.proveNewSecret?.attempts ?? 6);
  for (let i = 1; i < attempts && !first.ok && first.step === 'token'; i++) {
    report('proveNewSecret', 'started', 'Entra ID does not accept the new secret yet; trying again shortly.');
    await delay(req.proveNewSecret?.intervalMs ?? 5000, undefined, 'Waiting for the new secret to be accepted');
    first = await deps.probe(appId, secretText, keyUrl);
  }
  if (!first.ok) throw fail('proveNewSecret', `The new secret cannot use the key yet (${first.step}): ${first.error.message}`, newUnused);
  report('proveNewSecret', 'done', 'The new secret wraps and unwraps with Secret Server\'s key.');

  // 4. Give Secret Server the new secret, same key URL.
  report('updateSecretServer', 'started', 'Saving the new secret in Secret Server (maintenance mode and a secret key rotation follow).');
  let since;
  try {
    since = (await deps.secretServer.update({ tenantId, principalId: req.appId, principalSecret: secretText, keyUrl })).since;
  } catch (err) {
    throw fail('updateSecretServer', 'Secret Server did not accept the new secret.', newUnused, err);
  }
  report('updateSecretServer', 'done', 'Secret Server accepted the new secret.');

  // 5. Follow the rotation to its end.
  report('followRotation', 'started', 'Following the secret key rotation.');
  try {
    const last = await deps.secretServer.follow(since, (p) => report('followRotation', 'started', p.message ?? `Rotation ${p.state}.`, p.percent));
    if (last.state !== 'succeeded') {
      throw fail('followRotation', `The secret key rotation ended as '${last.state}'${last.message ? `: ${last.message}` : '.'}`, inDoubt);
    }
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('followRotation', 'Could not follow the secret key rotation.', inDoubt, err);
  }
  report('followRotation', 'done', 'The secret key rotation succeeded.');

  // 6. Prove it in use: healthy Secret Server, and the new secret still wraps and unwraps.
  report('verify', 'started', 'Checking Secret Server\'s health and probing the key with the new secret.');
  try {
    const health = await waitForHealthy(deps.secretServer, req.verify);
    const problem = healthProblem(health);
    if (problem) throw fail('verify', problem, inDoubt);
    const second = await deps.probe(appId, secretText, keyUrl);
    if (!second.ok) throw fail('verify', `The new secret failed the wrap/unwrap check (${second.step}): ${second.error.message}`, inDoubt);
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('verify', 'Could not verify Secret Server after the change.', inDoubt, err);
  }
  report('verify', 'done', 'Secret Server is healthy and the new secret works.');

  // 7. Only now: offer to remove the old secret.
  const proven = 'Secret Server uses the new secret and is healthy';
  if (!(await req.confirmRemoveOld())) {
    report('removeOldSecret', 'done', `${proven}; the old secret was kept at your request.`);
    return { newSecret, oldRemoved: false };
  }
  report('removeOldSecret', 'started', 'Removing the old client secret.');
  try {
    await deps.secrets.remove(req.oldKeyId);
  } catch (err) {
    throw fail('removeOldSecret', 'Could not remove the old client secret.', `${proven}; remove the old secret (id ${req.oldKeyId}) from the app later.`, err);
  }
  report('removeOldSecret', 'done', `${proven}; the old secret was removed.`);
  return { newSecret, oldRemoved: true };
}
