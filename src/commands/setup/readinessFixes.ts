import * as vscode from 'vscode';
import { ActionableError } from '../../core/actionableError';
import { pickRegion } from '../secretServerRegion';
import type { FixId } from '../../core/readiness/finding';
import type { ReadinessCheckResult } from '../../readiness/readinessCheck';
import type { CheckContext } from './checkReadiness';
import { addClientSecretCommand } from './createAppRegistration';
import { grantCryptoUser } from './grantSecretServerAccess';
import { withSetupProgress } from './progress';
import { keysFor, refreshAzure, type SetupDeps } from './setupDeps';
import { inputOne, pickOne } from './wizard';

// The readiness fixes the extension applies itself. Each changes one thing the finding named; the
// check then runs again, so the report shows whether it worked rather than assuming it did.

// A later expiry for a version about to expire: a bounded choice, like client secrets'.
const keyExpiryExtensionMonths = [6, 12, 24] as const;

function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

export const fixableIds: ReadonlySet<FixId> = new Set<FixId>(['grantCryptoUser', 'enableKey', 'extendKeyExpiry', 'activateKeyNow', 'removeRotationPolicy', 'enterClientSecret', 'addClientSecret', 'setSecretServerRegion']);

export async function applyFix(deps: SetupDeps, ctx: CheckContext, fix: FixId, result: ReadinessCheckResult): Promise<void> {
  const { target } = ctx;
  const keys = keysFor(deps, target.hsm);
  const version = result.facts.key.state === 'known' ? result.facts.key.value.version : target.key.version;
  switch (fix) {
    case 'grantCryptoUser': {
      if (!ctx.app) throw new ActionableError(vscode.l10n.t('Choose the app registration Secret Server signs in as first: run the check again and pick it.'), 'invalidInput');
      await grantCryptoUser(deps, target, ctx.app.clientId, ctx.app.displayName);
      return;
    }
    case 'enableKey':
      await withSetupProgress(`Enabling '${target.key.name}'`, (step) => keys.updateKey(target.key.name, version, { enabled: true }, { abortSignal: step.signal }));
      break;
    case 'extendKeyExpiry': {
      const now = deps.explorer.services.now();
      const months = await pickOne(
        deps.ui(),
        keyExpiryExtensionMonths.map((m) => ({ value: m, label: vscode.l10n.t('{0} months from now', m), description: `until ${addMonths(now, m).toISOString().slice(0, 10)}` })),
        vscode.l10n.t('New expiry date of \'{0}\'', target.key.name),
        vscode.l10n.t('Until then the HSM wraps with this version; plan its successor before the date'),
      );
      await withSetupProgress(vscode.l10n.t('Setting the expiry date of \'{0}\'', target.key.name), (step) => keys.updateKey(target.key.name, version, { expiresOn: addMonths(now, months) }, { abortSignal: step.signal }));
      break;
    }
    case 'activateKeyNow':
      // A minute back, so that a clock slightly behind the HSM's does not leave it a moment early.
      await withSetupProgress(`Activating '${target.key.name}' now`, (step) =>
        keys.updateKey(target.key.name, version, { notBefore: new Date(deps.explorer.services.now().getTime() - 60_000) }, { abortSignal: step.signal }),
      );
      break;
    case 'removeRotationPolicy':
      // An empty policy: no automatic rotation and no expiry for new versions (the seed's advice).
      await withSetupProgress(vscode.l10n.t('Removing the rotation policy of \'{0}\'', target.key.name), (step) => keys.updateRotationPolicy(target.key.name, { lifetimeActions: [] }, { abortSignal: step.signal }));
      break;
    case 'enterClientSecret': {
      if (!ctx.app) throw new ActionableError(vscode.l10n.t('Choose the app registration first: run the check again and pick it.'), 'invalidInput');
      ctx.typedSecret = await inputOne(deps.ui(), { title: vscode.l10n.t('Client secret for the live test'), prompt: vscode.l10n.t('The client secret of {0} ({1}); used for this check only, not stored.', ctx.app.displayName, ctx.app.clientId), password: true, validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Paste the client secret value.')) });
      return;
    }
    case 'addClientSecret': {
      if (!ctx.app) throw new ActionableError(vscode.l10n.t('Choose the app registration first: run the check again and pick it.'), 'invalidInput');
      await addClientSecretCommand(deps, { ids: { clientId: ctx.app.clientId, tenantId: target.hsm.tenantId } });
      return;
    }
    case 'setSecretServerRegion': {
      const connections = deps.explorer.connections.list();
      if (connections.length === 0) throw new ActionableError(vscode.l10n.t('Add the Secret Server connection first (Add Secret Server Connection…), then set its region and run the check again.'), 'invalidInput');
      const connection =
        connections.length === 1
          ? connections[0]!
          : await pickOne(deps.ui(), connections.map((c) => ({ value: c, label: c.url, description: `${c.username} · ${c.region ?? vscode.l10n.t('region not set')}` })), vscode.l10n.t('Set Secret Server\'s region'), vscode.l10n.t('Which Secret Server uses this key?'));
      const region = await pickRegion(vscode.l10n.t('Azure region of {0}', connection.url), vscode.l10n.t('The region your Secret Server runs in'), connection.region);
      if (!region) throw new vscode.CancellationError();
      await deps.explorer.connections.setRegion(connection, region);
      deps.explorer.secretServer.refresh();
      ctx.secretServerRegion = region;
      return;
    }
    default:
      throw new ActionableError(vscode.l10n.t('The fix \'{0}\' cannot be applied from VS Code; follow the report\'s advice.', fix), 'invalidInput');
  }
  deps.explorer.services.log.info(`Applied readiness fix ${fix} to key ${target.key.name} in ${target.hsm.name}.`);
  refreshAzure(deps, target.node);
}
