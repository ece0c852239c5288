import * as l10n from '@vscode/l10n';
import type { AzureManagedHsmSettings } from '../../secretServer/keyManagement';
import type { SecretServerSession } from '../../secretServer/session';
import { getKeyManagement } from '../../secretServer/keyManagement';
import { ActionableError } from '../../core/actionableError';
import type { SecretServerConnection } from '../../views/secretServer/connectionStore';
import type { SetupDeps } from './setupDeps';
import type { Step } from './progress';
import { inputOne } from './wizard';

// Which connected Secret Server a renewal or rotation acts on: the one whose key management signs
// in as the app, or wraps with the key. Read fresh from each server, not from the tree's cache:
// acting on a stale configuration is how a server gets locked out.

export interface RenewalServer {
  connection: SecretServerConnection;
  session: SecretServerSession;
  settings: AzureManagedHsmSettings & { tenantId: string; principalId: string; keyUrl: string };
  label: string;
}

export async function serverUsing(deps: SetupDeps, step: Step, matches: (s: AzureManagedHsmSettings) => boolean, what: string): Promise<RenewalServer> {
  const { connections, sessions } = deps.explorer;
  const unreachable: string[] = [];
  for (const connection of connections.list()) {
    try {
      const session = await sessions.session(connection);
      const config = await getKeyManagement(session, step.signal);
      const s = config.azureManagedHsm;
      if (config.provider === 'azureManagedHsm' && s.tenantId && s.principalId && s.keyUrl && matches(s)) {
        return { connection, session, settings: { ...s, tenantId: s.tenantId, principalId: s.principalId, keyUrl: s.keyUrl }, label: `${hostOf(connection.url)} (${connection.username})` };
      }
    } catch (err) {
      unreachable.push(`${connection.url}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new ActionableError(
    l10n.t('No connected Secret Server uses {0}{1}. Add the Secret Server that uses it in the Secret Server view (and sign in), then run this again.', what, unreachable.length ? l10n.t(' ({0} could not be read)', unreachable.length) : ''),
    'notFound',
    unreachable.join('\n') || undefined,
  );
}

/**
 * The app's current client secret: the newest one kept in VS Code, else asked for (Secret Server's
 * save replaces the whole configuration, and the API never returns the secret it has).
 */
export function principalSecretSource(deps: SetupDeps, tenantId: string, clientId: string): () => Promise<string> {
  let value: string | undefined;
  return async () => {
    if (value) return value;
    const kept = deps.stored.newestFor(tenantId, clientId);
    value = kept ? await deps.stored.get(kept) : undefined;
    value ??= await inputOne(deps.ui(), {
      title: l10n.t('Client secret of app {0}', clientId),
      prompt: l10n.t('The client secret Secret Server uses now. Saving Secret Server\'s key management replaces the whole configuration, so it is needed again; it is not stored.'),
      password: true,
      validate: (v) => (v.trim() ? undefined : l10n.t('Enter the client secret.')),
    });
    return value;
  };
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
