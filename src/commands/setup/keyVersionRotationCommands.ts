import * as vscode from 'vscode';
import { ActionableError } from '../../core/actionableError';
import { dayMs } from '../../core/expiry/thresholds';
import { canRetireOldVersion, defaultMinimumWaitDays, type KeyVersionSwitchRecord } from '../../core/expiry/waitingPeriod';
import { parseKeyIdentifier } from '../../core/keyIdentifier';
import { SwitchRecordStore } from '../../expiry/switchRecordStore';
import { liveProbe, liveSecretServer } from '../../renewal/liveRenewalDeps';
import { retireOldKeyVersion, startKeyVersionRotation, type KeyVersionDeps, type RetireAction } from '../../renewal/keyVersionRotation';
import { withSetupProgress } from './progress';
import { maintenanceConfirmation } from './renewClientSecret';
import { principalSecretSource, serverUsing, type RenewalServer } from './renewalTargets';
import { keysFor, refreshAzure, type SetupDeps } from './setupDeps';
import { resolveKey, type KeyTarget } from './setupTargets';
import { pickOne } from './wizard';

// The seed's four steps as two commands. "Rotate key version" creates a version, proves it,
// switches Secret Server to it and records the switch; the tree shows the waiting period. "Retire
// previous key version" refuses before the waiting period ends or while Secret Server still uses
// the version, verifies health and a wrap/unwrap with the new version, and only then disables the
// old version or sets an expiry on it. The waiting period runs on the services' clock.

export function minimumWaitDays(): number {
  const days = vscode.workspace.getConfiguration('mhsm.keyRotation').get<number>('minimumWaitDays');
  return typeof days === 'number' && Number.isFinite(days) && days >= 1 ? days : defaultMinimumWaitDays;
}

function sameKey(keyUrl: string, versionlessId: string): boolean {
  const parsed = parseKeyIdentifier(keyUrl);
  return parsed.ok && parsed.value.versionlessId.toLowerCase() === versionlessId.toLowerCase();
}

function rotationDeps(deps: SetupDeps, target: KeyTarget, server: RenewalServer): KeyVersionDeps {
  const keys = keysFor(deps, target.hsm);
  return {
    keys: {
      getKey: (name, version) => keys.getKey(name, version),
      rotateKey: (name) => keys.rotateKey(name),
      updateKey: (name, version, changes) => keys.updateKey(name, version, changes),
    },
    secretServer: liveSecretServer(server.session),
    probe: liveProbe(deps.explorer.services.cloud(), server.settings.tenantId),
  };
}

export async function rotateKeyVersionCommand(deps: SetupDeps, node?: unknown): Promise<KeyVersionSwitchRecord> {
  const target = await resolveKey(deps, node, vscode.l10n.t('Rotate key version'));
  const keyId = target.key.versionlessId;
  const server = await withSetupProgress(vscode.l10n.t('Finding the Secret Server that uses the key'), (step) => serverUsing(deps, step, (s) => !!s.keyUrl && sameKey(s.keyUrl, keyId), `key '${target.key.name}'`));
  const wait = minimumWaitDays();
  const go = vscode.l10n.t('Create version and switch');
  const answer = await deps.ui().confirm(
    vscode.l10n.t('Create a new version of key \'{0}\' and switch Secret Server {1} to it?', target.key.name, server.label),
    vscode.l10n.t('{0} The new version is proven with a wrap/unwrap first. The previous version stays untouched for at least {1} day(s); then "Retire Previous Key Version" can set an expiry on it or disable it.', maintenanceConfirmation, wait),
    [go],
  );
  if (answer !== go) throw new ActionableError(vscode.l10n.t('Rotation cancelled; nothing was changed.'), 'cancelled');
  const services = deps.explorer.services;
  try {
    const { record } = await withSetupProgress(vscode.l10n.t('Rotating the key version'), (step) =>
      startKeyVersionRotation(rotationDeps(deps, target, server), {
        connectionId: server.connection.id,
        appId: server.settings.principalId,
        principalSecret: principalSecretSource(deps, server.settings.tenantId, server.settings.principalId),
        now: () => services.now().getTime(),
        minimumWaitDays: wait,
        onProgress: (p) => {
          step.report(p.message);
          services.log.info(`Rotate key version of ${target.key.name}: ${p.step} ${p.phase}: ${p.message}`);
        },
      }),
    );
    await new SwitchRecordStore(services.state).put(record);
    const until = new Date(record.switchedAtMs + record.minimumWaitDays * dayMs).toISOString().slice(0, 16).replace('T', ' ');
    void deps.ui().inform(vscode.l10n.t('Secret Server now uses version {0} of \'{1}\'. Keep version {2} untouched until {3} UTC.', record.newVersion, target.key.name, record.oldVersion, until));
    return record;
  } finally {
    refreshAzure(deps, target.node);
    deps.explorer.secretServer.refresh();
  }
}

export interface RetireOutcome {
  version: string;
  action: RetireAction['kind'];
}

export async function retireOldKeyVersionCommand(deps: SetupDeps, node?: unknown): Promise<RetireOutcome> {
  const target = await resolveKey(deps, node, vscode.l10n.t('Retire previous key version'));
  const services = deps.explorer.services;
  const records = new SwitchRecordStore(services.state);
  const record = records.find(target.key.versionlessId);
  if (!record) {
    throw new ActionableError(
      vscode.l10n.t('There is no recorded switch for key \'{0}\', so the extension cannot tell that a previous version is safe to retire. Rotate the key version with "Rotate Key Version" first.', target.key.name),
      'invalidInput',
    );
  }
  const wait = canRetireOldVersion(record, services.now().getTime());
  if (!wait.allowed) throw new ActionableError(`Refused: ${wait.reason}`, 'conflict');
  const connection = deps.explorer.connections.list().find((c) => c.id === record.connectionId);
  if (!connection) throw new ActionableError(vscode.l10n.t('The Secret Server that was switched is no longer connected; add it again in the Secret Server view so its health can be checked first.'), 'notFound');
  const server = await withSetupProgress(vscode.l10n.t('Reading Secret Server\'s key management'), (step) => serverUsing(deps, step, (s) => !!s.keyUrl && sameKey(s.keyUrl, target.key.versionlessId), `key '${target.key.name}'`));

  const ui = deps.ui();
  const kind = await pickOne(
    ui,
    [
      { value: 'expire' as const, label: vscode.l10n.t('Set an expiry on version {0}', record.oldVersion), description: vscode.l10n.t('in 30 days; unwrap keeps working until then') },
      { value: 'disable' as const, label: vscode.l10n.t('Disable version {0}', record.oldVersion), description: vscode.l10n.t('the HSM refuses every operation with it') },
    ],
    vscode.l10n.t('Retire the previous version of \'{0}\'', target.key.name),
  );
  const action: RetireAction = kind === 'disable' ? { kind } : { kind, expiresOn: new Date(services.now().getTime() + 30 * dayMs) };
  const what = kind === 'disable' ? vscode.l10n.t('Disable version {0}', record.oldVersion) : vscode.l10n.t('Set an expiry on version {0}', record.oldVersion);
  if ((await ui.confirm(vscode.l10n.t('{0} of key \'{1}\'?', what, target.key.name), vscode.l10n.t('Secret Server\'s health and a wrap/unwrap with the new version are checked first; a disable that leaves Secret Server unhealthy is undone at once.'), [what])) !== what) {
    throw new ActionableError(vscode.l10n.t('Cancelled; the previous version was left untouched.'), 'cancelled');
  }
  try {
    await withSetupProgress(what, (step) =>
      retireOldKeyVersion(rotationDeps(deps, target, server), {
        record,
        action,
        appId: server.settings.principalId,
        principalSecret: principalSecretSource(deps, server.settings.tenantId, server.settings.principalId),
        now: () => services.now().getTime(),
        onProgress: (p) => {
          step.report(p.message);
          services.log.info(`Retire version ${record.oldVersion} of ${target.key.name}: ${p.step} ${p.phase}: ${p.message}`);
        },
      }),
    );
    if (kind === 'disable') await records.remove(record);
    void ui.inform(vscode.l10n.t('{0}: done. Secret Server is healthy.', what));
    return { version: record.oldVersion, action: kind };
  } finally {
    refreshAzure(deps, target.node);
  }
}
