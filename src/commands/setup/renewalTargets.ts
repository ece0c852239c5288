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
    `No connected Secret Server uses ${what}${unreachable.length ? ` (${unreachable.length} could not be read)` : ''}. Add the Secret Server that uses it in the Secret Server view (and sign in), then run this again.`,
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
      title: `Client secret of app ${clientId}`,
      prompt: 'The client secret Secret Server uses now. Saving Secret Server\'s key management replaces the whole configuration, so it is needed again; it is not stored.',
      password: true,
      validate: (v) => (v.trim() ? undefined : 'Enter the client secret.'),
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
