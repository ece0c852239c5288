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
  const target = await resolveKey(deps, node, 'Delete key');
  const { hsm, key } = target;
  const usages = await withSetupProgress('Checking whether Secret Server uses the key', (step) => secretServerUsages(deps, step));
  const verdict = keyVerdict(usages, hostRules(deps), { hsmUri: hsm.hsmUri, name: key.name });
  await confirmDestructive(deps, verdict, {
    action: `Delete key '${key.name}' in ${hsm.name}`,
    button: 'Delete',
    name: key.name,
    effect: hsm.softDelete
      ? `All its versions are deleted; the key stays recoverable for ${hsm.retention ?? 90} days unless it is purged.`
      : 'All its versions are deleted.',
    consequence: 'While it is deleted, Secret Server will be unable to decrypt any secret.',
  });
  await withSetupProgress(`Deleting key '${key.name}'`, (step) => keysFor(deps, hsm).deleteKey(key.name, { abortSignal: step.signal }));
  deps.explorer.services.log.info(`Deleted key ${key.versionlessId}.`);
  refreshAzure(deps);
  return { name: key.name, action: 'deleted', inUse: verdict.kind === 'inUse' };
}

export async function purgeDeletedKeyCommand(deps: SetupDeps, node?: unknown, keyName?: string): Promise<KeyRemovalResult> {
  const { hsm } = await resolveHsm(deps, node, 'Purge deleted key');
  if (hsm.purgeProtection) {
    throw new ActionableError(`Cannot purge keys in ${hsm.name}: it has purge protection, so deleted keys are kept until their retention ends. Recover the key instead if you need it.`, 'conflict');
  }
  const keys = keysFor(deps, hsm);
  const deleted = await withSetupProgress(`Listing deleted keys of ${hsm.name}`, async (step) => {
    const all: DeletedKeyInfo[] = [];
    let token: string | undefined;
    do {
      const page = await keys.listDeletedKeysPage({ continuationToken: token, abortSignal: step.signal });
      all.push(...page.items);
      token = page.continuationToken;
    } while (token);
    return all;
  });
  if (deleted.length === 0) throw new ActionableError(`${hsm.name} has no deleted keys to purge.`, 'notFound');
  const chosen =
    (keyName ? deleted.find((d) => d.name === keyName) : undefined) ??
    (await pickOne(
      deps.ui(),
      deleted.map((d) => ({ value: d, label: d.name, description: [d.deletedOn ? `deleted ${d.deletedOn.toISOString().slice(0, 10)}` : undefined, d.scheduledPurgeDate ? `purged automatically ${d.scheduledPurgeDate.toISOString().slice(0, 10)}` : undefined].filter(Boolean).join(' · ') })),
      'Purge deleted key',
      'Choose the deleted key to destroy for ever',
    ));
  const usages = await withSetupProgress('Checking whether Secret Server uses the key', (step) => secretServerUsages(deps, step));
  const verdict = keyVerdict(usages, hostRules(deps), { hsmUri: hsm.hsmUri, name: chosen.name });
  await confirmDestructive(deps, verdict, {
    action: `Purge deleted key '${chosen.name}' in ${hsm.name}`,
    button: 'Purge',
    name: chosen.name,
    effect: 'Purging cannot be undone: anything the key wrapped can never be unwrapped again.',
    refuseWhenInUse: 'Recover the key instead (or switch Secret Server to another key and rotate its secret keys first).',
  });
  await withSetupProgress(`Purging '${chosen.name}'`, (step) => keys.purgeDeletedKey(chosen.name, { abortSignal: step.signal }));
  deps.explorer.services.log.info(`Purged deleted key ${chosen.name} in ${hsm.name}.`);
  return { name: chosen.name, action: 'purged', inUse: false };
}
