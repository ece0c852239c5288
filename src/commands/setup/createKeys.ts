import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { HsmKeyType, KeyInfo, ManagedHsmKeys, NewKeySpec } from '../../azure/keys';
import type { ManagedHsmInfo } from '../../azure/managedHsms';
import { ActionableError } from '../../core/actionableError';
import { keyNameProblem } from '../../core/keyIdentifier';
import { secretServerKeySpec } from '../../core/secretServerKey';
import { notActivatedError } from '../../views/azure/azureTreeModel';
import { withSetupProgress } from './progress';
import { keysFor, refreshAzure, type SetupDeps } from './setupDeps';
import { resolveHsm, resolveKey } from './setupTargets';
import type { SetupPickItem } from './setupUi';
import { answered, runWizard } from './wizard';

// Task 1 steps 12–18: a key Secret Server can use (oct-HSM, 256 bits, wrapKey + unwrapKey, not
// exportable — nothing to choose, so nothing to get wrong), a generic key for other purposes, and a
// new version of a key (rotation step 1). A name taken by a soft-deleted key is explained with its
// ways out instead of the service's 409.

export interface CreatedKey {
  hsmUri: string;
  name: string;
  keyId: string;
  versionlessKeyId: string;
  version?: string;
  recovered?: boolean;
}

interface KeyChoice {
  label: string;
  spec: Omit<NewKeySpec, keyof import('../../azure/keys').NewKeyAttributes>;
  secretServer: boolean;
}

const notForSecretServer = l10n.t('not usable by Secret Server');
const keyChoices: KeyChoice[] = [
  { label: l10n.t('AES 256 (oct-HSM) — wrapKey, unwrapKey'), spec: { keyType: 'oct-HSM', keySize: 256, keyOps: ['wrapKey', 'unwrapKey'], exportable: false }, secretServer: true },
  { label: l10n.t('AES 128 (oct-HSM)'), spec: { keyType: 'oct-HSM', keySize: 128, keyOps: ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt'] }, secretServer: false },
  { label: l10n.t('AES 192 (oct-HSM)'), spec: { keyType: 'oct-HSM', keySize: 192, keyOps: ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt'] }, secretServer: false },
  { label: l10n.t('RSA 2048 (RSA-HSM)'), spec: { keyType: 'RSA-HSM', keySize: 2048 }, secretServer: false },
  { label: l10n.t('RSA 3072 (RSA-HSM)'), spec: { keyType: 'RSA-HSM', keySize: 3072 }, secretServer: false },
  { label: l10n.t('RSA 4096 (RSA-HSM)'), spec: { keyType: 'RSA-HSM', keySize: 4096 }, secretServer: false },
  ...(['P-256', 'P-384', 'P-521'] as const).map((curve) => ({ label: vscode.l10n.t('EC {0} (EC-HSM)', curve), spec: { keyType: 'EC-HSM' as HsmKeyType, curve }, secretServer: false })),
];

export function createSecretServerKeyCommand(deps: SetupDeps, node?: unknown): Promise<CreatedKey> {
  return createKeyFlow(deps, node, vscode.l10n.t('Create key for Secret Server'), true);
}

export function createKeyCommand(deps: SetupDeps, node?: unknown): Promise<CreatedKey> {
  return createKeyFlow(deps, node, vscode.l10n.t('Create key'), false);
}

async function createKeyFlow(deps: SetupDeps, node: unknown, title: string, forSecretServer: boolean): Promise<CreatedKey> {
  const { hsm, node: hsmNode } = await resolveHsm(deps, node, title);
  const notActive = notActivatedError(hsm);
  if (notActive) throw new ActionableError(vscode.l10n.t('Cannot create a key in {0}: it is not activated. Download its security domain first (az keyvault security-domain download); until then it refuses every key operation.', hsm.name), 'notActivated', notActive.detail);
  const ui = deps.ui();
  const answers: { name: string; choice: KeyChoice } = { name: '', choice: keyChoices[0] };
  const steps = [
    async (s: typeof answers, info: { step: number; totalSteps: number }) => {
      const answer = answered(await ui.input({ ...info, title, prompt: vscode.l10n.t('Name of the new key in {0} (letters, digits and hyphens, up to 127)', hsm.name), value: s.name, validate: keyNameProblem }));
      if (answer === 'back') return 'back' as const;
      s.name = answer;
      return 'next' as const;
    },
  ];
  if (!forSecretServer) {
    steps.push(async (s, info) => {
      const items: SetupPickItem<KeyChoice>[] = keyChoices.map((c) => ({ value: c, label: c.label, description: c.secretServer ? vscode.l10n.t('usable by Secret Server') : notForSecretServer }));
      const answer = answered(await ui.pick(items, { ...info, title: `${title}: type`, placeHolder: vscode.l10n.t('Secret Server accepts only AES 256 (oct-HSM) keys with wrapKey and unwrapKey') }));
      if (answer === 'back') return 'back';
      s.choice = answer.value;
      return 'next';
    });
  }
  await runWizard(answers, steps);

  const keys = keysFor(deps, hsm);
  const result = await withSetupProgress(vscode.l10n.t('Creating key \'{0}\' in {1}', answers.name, hsm.name), async (step) => {
    step.report(vscode.l10n.t('checking the name…'));
    const taken = await existingKey(keys, answers.name, step.signal);
    if (taken) {
      throw new ActionableError(
        vscode.l10n.t('A key named \'{0}\' already exists in {1}; choose another name, or run "Create new key version" on it to add a version.', answers.name, hsm.name),
        'conflict',
      );
    }
    const deleted = await deletedKey(keys, answers.name, step.signal);
    if (deleted) return { deleted };
    step.report(vscode.l10n.t('generating the key in the HSM…'));
    const created = forSecretServer || answers.choice.secretServer ? await keys.createSecretServerKey(answers.name, {}, { abortSignal: step.signal }) : await keys.createKey(answers.name, answers.choice.spec, { abortSignal: step.signal });
    return { created };
  });
  const { key, recovered } = result.deleted
    ? await resolveSoftDeleted(deps, hsm, keys, result.deleted, forSecretServer || answers.choice.secretServer ? undefined : answers.choice.spec)
    : { key: result.created, recovered: false };
  deps.explorer.services.log.info(`Key ${key.id} ${recovered ? 'recovered' : 'created'} in ${hsm.name}.`);
  refreshAzure(deps, hsmNode);
  const usable = forSecretServer || answers.choice.secretServer;
  void ui.inform(
    vscode.l10n.t('{0} key \'{1}\' in {2}{3}. Next: grant Secret Server\'s app access to it.', recovered ? 'Recovered' : 'Created', key.name, hsm.name, usable ? vscode.l10n.t(' (AES 256, wrapKey and unwrapKey: usable by Secret Server)') : ` (${notForSecretServer})`),
  );
  return { hsmUri: hsm.hsmUri, name: key.name, keyId: key.id, versionlessKeyId: key.versionlessId, version: key.version, recovered };
}

async function existingKey(keys: ManagedHsmKeys, name: string, abortSignal: AbortSignal): Promise<KeyInfo | undefined> {
  try {
    return await keys.getKey(name, undefined, { abortSignal });
  } catch (err) {
    if (err instanceof ActionableError && err.kind === 'notFound') return undefined;
    throw err;
  }
}

async function deletedKey(keys: ManagedHsmKeys, name: string, abortSignal: AbortSignal): Promise<KeyInfo | undefined> {
  try {
    return await keys.getDeletedKey(name, { abortSignal });
  } catch (err) {
    // Not deleted — or the user may not read deleted keys; then the create call speaks for itself.
    if (err instanceof ActionableError && (err.kind === 'notFound' || err.kind === 'forbidden' || err.kind === 'accessDenied')) return undefined;
    throw err;
  }
}

/** A name held by a soft-deleted key: recover it, purge it and create anew, or stop. */
async function resolveSoftDeleted(deps: SetupDeps, hsm: ManagedHsmInfo, keys: ManagedHsmKeys, deleted: KeyInfo & { scheduledPurgeDate?: Date }, genericSpec: KeyChoice['spec'] | undefined): Promise<{ key: KeyInfo; recovered: boolean }> {
  const purgeDay = deleted.scheduledPurgeDate ? deleted.scheduledPurgeDate.toISOString().slice(0, 10) : vscode.l10n.t('the end of its retention period');
  const choice = await deps.ui().confirm(
    vscode.l10n.t('The name \'{0}\' belongs to a deleted key in {1}.', deleted.name, hsm.name),
    vscode.l10n.t('Managed HSM keeps deleted keys until they are purged (this one until {0}), and a new key cannot take the name meanwhile. Recover brings the old key back with all its versions (and whatever it protected). Purge destroys it for ever — anything it wrapped can never be unwrapped again — and then creates the new key.{1}', purgeDay, (hsm.purgeProtection ? vscode.l10n.t(' This HSM has purge protection, so purging is refused: recover the key or choose another name.') : '')),
    hsm.purgeProtection ? [vscode.l10n.t('Recover')] : [vscode.l10n.t('Recover'), vscode.l10n.t('Purge…')],
  );
  if (choice === vscode.l10n.t('Recover')) {
    const key = await withSetupProgress(vscode.l10n.t('Recovering key \'{0}\'', deleted.name), (step) => keys.recoverKey(deleted.name, { abortSignal: step.signal }));
    return { key, recovered: true };
  }
  if (choice === vscode.l10n.t('Purge…')) {
    const typed = await deps.ui().input({
      title: vscode.l10n.t('Purge deleted key'),
      prompt: vscode.l10n.t('Purging cannot be undone: anything key \'{0}\' wrapped can never be unwrapped again. Type the key name to purge it and create the new key.', deleted.name),
      validate: (v) => (v === deleted.name ? undefined : `Type '${deleted.name}' exactly.`),
    });
    if (typed !== deleted.name) throw new vscode.CancellationError();
    const key = await withSetupProgress(vscode.l10n.t('Purging \'{0}\' and creating the new key', deleted.name), async (step) => {
      await keys.purgeDeletedKey(deleted.name, { abortSignal: step.signal });
      return genericSpec ? keys.createKey(deleted.name, genericSpec, { abortSignal: step.signal }) : keys.createSecretServerKey(deleted.name, {}, { abortSignal: step.signal });
    });
    return { key, recovered: false };
  }
  throw new vscode.CancellationError();
}

export interface CreatedVersion {
  name: string;
  keyId: string;
  version?: string;
  previousVersion?: string;
}

/** Rotation step 1 of the seed: a new version, then the steps only the user can take. */
export async function createKeyVersionCommand(deps: SetupDeps, node?: unknown): Promise<CreatedVersion> {
  const target = await resolveKey(deps, node, vscode.l10n.t('Create new key version'));
  const ui = deps.ui();
  const go = await ui.confirm(
    vscode.l10n.t('Create a new version of key \'{0}\' in {1}?', target.key.name, target.hsm.name),
    vscode.l10n.t('The new version becomes the current one; older versions keep working for unwrap. A versionless key URL in Secret Server then points to the new version, which has not wrapped anything yet — so switch Secret Server to it deliberately (see the next steps after creation).'),
    [vscode.l10n.t('Create version')],
  );
  if (go !== vscode.l10n.t('Create version')) throw new vscode.CancellationError();
  const keys = keysFor(deps, target.hsm);
  const created = await withSetupProgress(vscode.l10n.t('Creating a new version of \'{0}\'', target.key.name), async (step) => {
    const before = await keys.getKey(target.key.name, undefined, { abortSignal: step.signal });
    const isSecretServerShape = before.keyType === secretServerKeySpec.keyType && secretServerKeySpec.keyOps.every((op) => before.keyOps?.includes(op));
    const key = isSecretServerShape ? await keys.createSecretServerKey(target.key.name, {}, { abortSignal: step.signal }) : await keys.rotateKey(target.key.name, { abortSignal: step.signal });
    return { key, previous: before.version };
  });
  deps.explorer.services.log.info(`Created version ${created.key.version ?? '?'} of key ${target.key.name} in ${target.hsm.name}.`);
  refreshAzure(deps, target.node);
  void ui
    .inform(
      vscode.l10n.t('New version {0} of \'{1}\' created. Next: 1) switch Secret Server to it (key URL {2}) and rotate its secret keys; 2) wait at least a day and check that secrets are readable; 3) only then consider expiring or disabling version {3}.', created.key.version ?? '', target.key.name, created.key.id, created.previous ?? vscode.l10n.t('the previous one')),
      [vscode.l10n.t('Copy key identifier')],
    )
    .then((b) => (b === vscode.l10n.t('Copy key identifier') ? ui.copy(created.key.id) : undefined));
  return { name: created.key.name, keyId: created.key.id, version: created.key.version, previousVersion: created.previous };
}
