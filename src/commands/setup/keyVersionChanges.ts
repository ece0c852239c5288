import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';
import { canRetireOldVersion } from '../../core/expiry/waitingPeriod';
import { SwitchRecordStore } from '../../expiry/switchRecordStore';
import { confirmDestructive, hostRules, secretServerUsages } from './guardRail';
import { withSetupProgress } from './progress';
import { keysFor, refreshAzure, type SetupDeps } from './setupDeps';
import { resolveKey, type KeyTarget } from './setupTargets';
import { versionVerdict } from './secretServerUsage';
import { inputOne } from './wizard';

// Disabling a version or giving it an expiry date: rotation step 4 of the seed, harmful when a
// Secret Server still wraps with that version (or names the key without a version).

export interface VersionChangeResult {
  name: string;
  version: string;
  enabled: boolean;
  expiresOn?: string;
  inUse: boolean;
}

export async function disableKeyVersionCommand(deps: SetupDeps, node?: unknown): Promise<VersionChangeResult> {
  const target = await resolveKey(deps, node, l10n.t('Disable key version'), { version: true });
  const version = versionOf(target);
  refuseDuringWaitingPeriod(deps, target, version);
  const verdict = await check(deps, target, version);
  await confirmDestructive(deps, verdict, {
    action: l10n.t('Disable version {0} of key \'{1}\'', version, target.key.name),
    button: l10n.t('Disable'),
    name: target.key.name,
    effect: l10n.t('The HSM then refuses every operation with this version until it is enabled again.'),
  });
  const updated = await withSetupProgress(l10n.t('Disabling version {0}', version), (step) => keysFor(deps, target.hsm).updateKey(target.key.name, version, { enabled: false }, { abortSignal: step.signal }));
  refreshAzure(deps, target.node);
  return { name: target.key.name, version, enabled: updated.enabled, expiresOn: updated.expiresOn?.toISOString(), inUse: verdict.kind === 'inUse' };
}

export async function setKeyVersionExpiryCommand(deps: SetupDeps, node?: unknown): Promise<VersionChangeResult> {
  const target = await resolveKey(deps, node, l10n.t('Set key version expiry'), { version: true });
  const version = versionOf(target);
  const now = deps.explorer.services.now();
  const text = await inputOne(deps.ui(), {
    title: l10n.t('Expiry of version {0} of \'{1}\'', version, target.key.name),
    prompt: l10n.t('Expiry date (UTC), YYYY-MM-DD. After it the HSM refuses to wrap with this version; unwrap keeps working.'),
    placeHolder: 'YYYY-MM-DD',
    validate: (v) => expiryProblem(v, now),
  });
  const expiresOn = new Date(`${text.trim()}T00:00:00Z`);
  refuseDuringWaitingPeriod(deps, target, version);
  const verdict = await check(deps, target, version);
  await confirmDestructive(deps, verdict, {
    action: l10n.t('Expire version {0} of key \'{1}\' on {2}', version, target.key.name, text.trim()),
    button: l10n.t('Set expiry'),
    name: target.key.name,
    effect: l10n.t('From that date the HSM refuses to wrap with this version.'),
    consequence: l10n.t('From that date Secret Server cannot re-protect its master encryption key with it, and a Secret Server that still depends on it will be unable to decrypt any secret once it is disabled.'),
  });
  const updated = await withSetupProgress(l10n.t('Setting the expiry of version {0}', version), (step) => keysFor(deps, target.hsm).updateKey(target.key.name, version, { expiresOn }, { abortSignal: step.signal }));
  refreshAzure(deps, target.node);
  return { name: target.key.name, version, enabled: updated.enabled, expiresOn: updated.expiresOn?.toISOString(), inUse: verdict.kind === 'inUse' };
}

export function expiryProblem(text: string, now: Date): string | undefined {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return l10n.t('Enter a date as YYYY-MM-DD.');
  const date = new Date(`${t}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== t) return l10n.t('{0} is not a calendar date.', t);
  if (date.getTime() <= now.getTime()) return l10n.t('Choose a date in the future.');
  // @azure/keyvault-keys writes `exp` as a signed 32-bit number (`seconds | 0`): a later date
  // turns negative and the HSM refuses it, so it is refused here with the reason.
  if (date.getTime() / 1000 > latestSendableExpirySeconds) return l10n.t('Choose a date before 2038-01-19: the Azure Key Vault library cannot send a later expiry.');
  return undefined;
}

const latestSendableExpirySeconds = 2 ** 31 - 1;

/** The seed's rule after a recorded switch: the previous version stays untouched for the waiting period. */
function refuseDuringWaitingPeriod(deps: SetupDeps, target: KeyTarget, version: string): void {
  const record = new SwitchRecordStore(deps.explorer.services.state).find(target.key.versionlessId);
  if (!record || record.oldVersion !== version.toLowerCase()) return;
  const wait = canRetireOldVersion(record, deps.explorer.services.now().getTime());
  if (!wait.allowed) throw new ActionableError(`Refused: ${wait.reason}`, 'conflict');
}

function versionOf(target: KeyTarget): string {
  return target.key.version ?? target.key.id.split('/').pop() ?? '';
}

async function check(deps: SetupDeps, target: KeyTarget, version: string) {
  const usages = await withSetupProgress(l10n.t('Checking whether Secret Server uses the key version'), (step) => secretServerUsages(deps, step));
  return versionVerdict(usages, hostRules(deps), { hsmUri: target.hsm.hsmUri, name: target.key.name, version });
}
