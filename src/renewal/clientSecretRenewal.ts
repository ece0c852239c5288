import * as l10n from '@vscode/l10n';
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
  const untouched = l10n.t('Nothing was changed: Secret Server and the app still use the old secret.');
  const newUnused = l10n.t('A new client secret exists on the app but is not used yet; the old one still works and Secret Server still uses it. Retry, or remove the new secret from the app.');
  const inDoubt = l10n.t('Secret Server may already have the new secret; the old secret is kept and still works. Check Secret Server\'s key management and health before removing anything.');

  // 1. Check that this app is what Secret Server uses, and read the key URL to keep.
  report('check', 'started', l10n.t('Reading Secret Server\'s key management and the app\'s client secrets.'));
  let keyUrl: string;
  let tenantId: string;
  try {
    const config = await deps.secretServer.readConfig();
    if (config.provider !== 'azureManagedHsm' || !config.keyUrl || !config.tenantId) {
      throw fail('check', l10n.t('Secret Server is not configured for Azure Managed HSM, so there is no client secret to renew in it.'), untouched);
    }
    if ((config.principalId ?? '').toLowerCase() !== appId) {
      throw fail('check', l10n.t('Secret Server uses app {0}, not {1}.', config.principalId ?? '(none)', req.appId), l10n.t('{0} Renew the secret of the app Secret Server uses.', untouched));
    }
    const parsed = parseKeyIdentifier(config.keyUrl);
    if (!parsed.ok) throw fail('check', l10n.t('Secret Server\'s key URL is not usable: {0}', parsed.reason), untouched);
    keyUrl = config.keyUrl;
    tenantId = config.tenantId;
    const existing = await deps.secrets.list();
    if (!existing.some((s) => s.keyId.toLowerCase() === req.oldKeyId.toLowerCase())) {
      throw fail('check', l10n.t('The app has no client secret with id {0}; it may have been renewed already.', req.oldKeyId), l10n.t('{0} Refresh the tree.', untouched));
    }
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('check', l10n.t('Could not read the current configuration.'), untouched, err);
  }
  report('check', 'done', l10n.t('Secret Server uses this app; the old secret is in place.'));

  // 2. Create the new secret.
  report('createSecret', 'started', l10n.t('Creating a new client secret on the app.'));
  let created: Awaited<ReturnType<RenewalAppSecrets['add']>>;
  try {
    created = await deps.secrets.add(req.newSecretDisplayName ?? l10n.t('Secret Server (renewed)'), req.newSecretExpiresOn);
  } catch (err) {
    throw fail('createSecret', l10n.t('Could not create a new client secret.'), untouched, err);
  }
  const secretText = created.secretText;
  const newSecret: ClientSecretInfo = { keyId: created.keyId, displayName: created.displayName, hint: created.hint, startDateTime: created.startDateTime, endDateTime: created.endDateTime };
  try {
    await req.keepNewSecret?.(created.keyId, secretText);
  } catch (err) {
    throw fail('createSecret', l10n.t('Could not keep the new secret.'), newUnused, err);
  }
  report('createSecret', 'done', l10n.t('Created client secret {0}… (id {1}).', newSecret.hint ?? '', newSecret.keyId));

  // 3. Prove the new secret before Secret Server sees it.
  report('proveNewSecret', 'started', l10n.t('Wrapping and unwrapping a test value with the new secret.'));
  let first = await deps.probe(appId, secretText, keyUrl);
  const attempts = Math.max(1, req.proveNewSecret?.attempts ?? 6);
  for (let i = 1; i < attempts && !first.ok && first.step === 'token'; i++) {
    report('proveNewSecret', 'started', l10n.t('Entra ID does not accept the new secret yet; trying again shortly.'));
    await delay(req.proveNewSecret?.intervalMs ?? 5000, undefined, l10n.t('Waiting for the new secret to be accepted'));
    first = await deps.probe(appId, secretText, keyUrl);
  }
  if (!first.ok) throw fail('proveNewSecret', l10n.t('The new secret cannot use the key yet ({0}): {1}', first.step, first.error.message), newUnused);
  report('proveNewSecret', 'done', l10n.t('The new secret wraps and unwraps with Secret Server\'s key.'));

  // 4. Give Secret Server the new secret, same key URL.
  report('updateSecretServer', 'started', l10n.t('Saving the new secret in Secret Server (maintenance mode and a secret key rotation follow).'));
  let since;
  try {
    since = (await deps.secretServer.update({ tenantId, principalId: req.appId, principalSecret: secretText, keyUrl })).since;
  } catch (err) {
    throw fail('updateSecretServer', l10n.t('Secret Server did not accept the new secret.'), newUnused, err);
  }
  report('updateSecretServer', 'done', l10n.t('Secret Server accepted the new secret.'));

  // 5. Follow the rotation to its end.
  report('followRotation', 'started', l10n.t('Following the secret key rotation.'));
  try {
    const last = await deps.secretServer.follow(since, (p) => report('followRotation', 'started', p.message ?? `Rotation ${p.state}.`, p.percent));
    if (last.state !== 'succeeded') {
      throw fail('followRotation', l10n.t('The secret key rotation ended as \'{0}\'{1}', last.state, last.message ? `: ${last.message}` : '.'), inDoubt);
    }
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('followRotation', l10n.t('Could not follow the secret key rotation.'), inDoubt, err);
  }
  report('followRotation', 'done', l10n.t('The secret key rotation succeeded.'));

  // 6. Prove it in use: healthy Secret Server, and the new secret still wraps and unwraps.
  report('verify', 'started', l10n.t('Checking Secret Server\'s health and probing the key with the new secret.'));
  try {
    const health = await waitForHealthy(deps.secretServer, req.verify);
    const problem = healthProblem(health);
    if (problem) throw fail('verify', problem, inDoubt);
    const second = await deps.probe(appId, secretText, keyUrl);
    if (!second.ok) throw fail('verify', l10n.t('The new secret failed the wrap/unwrap check ({0}): {1}', second.step, second.error.message), inDoubt);
  } catch (err) {
    if (err instanceof RenewalError) throw err;
    throw fail('verify', l10n.t('Could not verify Secret Server after the change.'), inDoubt, err);
  }
  report('verify', 'done', l10n.t('Secret Server is healthy and the new secret works.'));

  // 7. Only now: offer to remove the old secret.
  const proven = l10n.t('Secret Server uses the new secret and is healthy');
  if (!(await req.confirmRemoveOld())) {
    report('removeOldSecret', 'done', l10n.t('{0}; the old secret was kept at your request.', proven));
    return { newSecret, oldRemoved: false };
  }
  report('removeOldSecret', 'started', l10n.t('Removing the old client secret.'));
  try {
    await deps.secrets.remove(req.oldKeyId);
  } catch (err) {
    throw fail('removeOldSecret', l10n.t('Could not remove the old client secret.'), l10n.t('{0}; remove the old secret (id {1}) from the app later.', proven, req.oldKeyId), err);
  }
  report('removeOldSecret', 'done', l10n.t('{0}; the old secret was removed.', proven));
  return { newSecret, oldRemoved: true };
}
