import * as l10n from '@vscode/l10n';
import type { DeletedKeyInfo } from '../../azure/keys';
import { ActionableError } from '../../core/actionableError';
import { confirmDestructive, hostRules, secretServerUsages } from './guardRail';
import { withSetupProgress } from './progress';
import { keysFor, refreshAzure, type SetupDeps } from './setupDeps';
import { resolveHsm, resolveKey } from './setupTargets';
import { keyVerdict } from './secretServerUsage';
import { pickOne } from './wizard';

// Deleting a key (soft delete: recoverable until purged) and purging a deleted one (for ever).
// Both are guarded by what connected Secret Servers use; purging a key one uses is refused.

export interface KeyRemovalResult {
  name: string;
  action: 'deleted' | 'purged';
  inUse: boolean;
}

export async function deleteKeyCommand(deps: SetupDeps, node?: unknown): Promise<KeyRemovalResult> {
  const target = await resolveKey(deps, node, l10n.t('Delete key'));
  const { hsm, key } = target;
  const usages = await withSetupProgress(l10n.t('Checking whether Secret Server uses the key'), (step) => secretServerUsages(deps, step));
  const verdict = keyVerdict(usages, hostRules(deps), { hsmUri: hsm.hsmUri, name: key.name });
  await confirmDestructive(deps, verdict, {
    action: l10n.t('Delete key \'{0}\' in {1}', key.name, hsm.name),
    button: l10n.t('Delete'),
    name: key.name,
    effect: hsm.softDelete
      ? l10n.t('All its versions are deleted; the key stays recoverable for {0} days unless it is purged.', hsm.retention ?? 90)
      : l10n.t('All its versions are deleted.'),
    consequence: l10n.t('While it is deleted, Secret Server will be unable to decrypt any secret.'),
  });
  await withSetupProgress(l10n.t('Deleting key \'{0}\'', key.name), (step) => keysFor(deps, hsm).deleteKey(key.name, { abortSignal: step.signal }));
  deps.explorer.services.log.info(`Deleted key ${key.versionlessId}.`);
  refreshAzure(deps);
  return { name: key.name, action: 'deleted', inUse: verdict.kind === 'inUse' };
}

export async function purgeDeletedKeyCommand(deps: SetupDeps, node?: unknown, keyName?: string): Promise<KeyRemovalResult> {
  const { hsm } = await resolveHsm(deps, node, l10n.t('Purge deleted key'));
  if (hsm.purgeProtection) {
    throw new ActionableError(l10n.t('Cannot purge keys in {0}: it has purge protection, so deleted keys are kept until their retention ends. Recover the key instead if you need it.', hsm.name), 'conflict');
  }
  const keys = keysFor(deps, hsm);
  const deleted = await withSetupProgress(l10n.t('Listing deleted keys of {0}', hsm.name), async (step) => {
    const all: DeletedKeyInfo[] = [];
    let token: string | undefined;
    do {
      const page = await keys.listDeletedKeysPage({ continuationToken: token, abortSignal: step.signal });
      all.push(...page.items);
      token = page.continuationToken;
    } while (token);
    return all;
  });
  if (deleted.length === 0) throw new ActionableError(l10n.t('{0} has no deleted keys to purge.', hsm.name), 'notFound');
  const chosen =
    (keyName ? deleted.find((d) => d.name === keyName) : undefined) ??
    (await pickOne(
      deps.ui(),
      deleted.map((d) => ({ value: d, label: d.name, description: [d.deletedOn ? `deleted ${d.deletedOn.toISOString().slice(0, 10)}` : undefined, d.scheduledPurgeDate ? l10n.t('purged automatically {0}', d.scheduledPurgeDate.toISOString().slice(0, 10)) : undefined].filter(Boolean).join(' · ') })),
      l10n.t('Purge deleted key'),
      l10n.t('Choose the deleted key to destroy for ever'),
    ));
  const usages = await withSetupProgress(l10n.t('Checking whether Secret Server uses the key'), (step) => secretServerUsages(deps, step));
  const verdict = keyVerdict(usages, hostRules(deps), { hsmUri: hsm.hsmUri, name: chosen.name });
  await confirmDestructive(deps, verdict, {
    action: l10n.t('Purge deleted key \'{0}\' in {1}', chosen.name, hsm.name),
    button: l10n.t('Purge'),
    name: chosen.name,
    effect: l10n.t('Purging cannot be undone: anything the key wrapped can never be unwrapped again.'),
    refuseWhenInUse: l10n.t('Recover the key instead (or switch Secret Server to another key and rotate its secret keys first).'),
  });
  await withSetupProgress(`Purging '${chosen.name}'`, (step) => keys.purgeDeletedKey(chosen.name, { abortSignal: step.signal }));
  deps.explorer.services.log.info(`Purged deleted key ${chosen.name} in ${hsm.name}.`);
  return { name: chosen.name, action: 'purged', inUse: false };
}
