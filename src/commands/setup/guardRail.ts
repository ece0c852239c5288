import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { ActionableError } from '../../core/actionableError';
import type { HsmHostRules } from '../../core/keyIdentifier';
import { getKeyManagement } from '../../secretServer/keyManagement';
import type { Step } from './progress';
import type { SetupDeps } from './setupDeps';
import type { ServerUsage, Verdict } from './secretServerUsage';

// Destructive actions ask every connected Secret Server what it uses first. Not in use: a normal
// confirmation. In use (or not known): the consequence in plain words, then the object's name
// typed back — or, for what cannot be undone, a refusal with the reason.

export const secretServerConsequence = l10n.t('Secret Server will be unable to decrypt any secret.');

export async function secretServerUsages(deps: SetupDeps, step: Step): Promise<ServerUsage[]> {
  const { connections, sessions } = deps.explorer;
  return Promise.all(
    connections.list().map(async (connection): Promise<ServerUsage> => {
      try {
        const session = await sessions.session(connection);
        const config = await getKeyManagement(session, step.signal);
        return { server: connection.url, settings: config.provider === 'azureManagedHsm' || config.azureManagedHsm.keyUrl ? config.azureManagedHsm : undefined };
      } catch (err) {
        return { server: connection.url, error: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

export function hostRules(deps: SetupDeps): HsmHostRules {
  const cloud = deps.explorer.services.cloud();
  return { dnsSuffix: cloud.managedHsmDnsSuffix, origins: cloud.managedHsmOrigins };
}

export interface Gate {
  /** What will be done, e.g. "Delete key 'k' in hsm". */
  action: string;
  /** The button of the normal confirmation. */
  button: string;
  /** What the user types to go ahead when the object is in use. */
  name: string;
  /** What happens even when nothing uses it (e.g. "It stays recoverable for 90 days."). */
  effect: string;
  /** The consequence for a Secret Server that uses it. */
  consequence?: string;
  /** Refuse outright when in use (for what cannot be undone). */
  refuseWhenInUse?: string;
}

/** Resolves when the user agreed; throws a cancellation (nothing done) or a refusal. */
export async function confirmDestructive(deps: SetupDeps, verdict: Verdict, gate: Gate): Promise<void> {
  const ui = deps.ui();
  if (verdict.kind === 'free') {
    const answer = await ui.confirm(`${gate.action}?`, gate.effect, [gate.button]);
    if (answer !== gate.button) throw new vscode.CancellationError();
    return;
  }
  if (verdict.kind === 'inUse' && gate.refuseWhenInUse) {
    throw new ActionableError(`${gate.action} refused: ${verdict.reasons.join(' ')} ${gate.refuseWhenInUse}`, 'conflict');
  }
  const statement = `${verdict.reasons.join(' ')} ${gate.consequence ?? secretServerConsequence}`;
  const typed = await ui.input({
    title: vscode.l10n.t('{0} — in use by Secret Server', gate.action),
    prompt: vscode.l10n.t('{0} {1} Type \'{2}\' to go ahead anyway.', statement, gate.effect, gate.name),
    placeHolder: gate.name,
    validate: (v) => (v === gate.name ? undefined : vscode.l10n.t('Type \'{0}\' exactly, or press Escape to keep it.', gate.name)),
  });
  if (typeof typed !== 'string' || typed !== gate.name) throw new vscode.CancellationError();
  deps.explorer.services.log.warn(`${gate.action}: confirmed by typing the name although ${verdict.reasons.join(' ')}`);
}
