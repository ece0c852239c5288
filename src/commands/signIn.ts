import { toActionableError } from '../azure/azureErrors';
import type { Explorer } from '../explorer';

// "Sign in to Azure…" (and "Sign in to tenant…" from an error node): VS Code's own Microsoft
// sign-in with prompts allowed. The tree then reloads from the new session.

export async function signIn(explorer: Explorer, tenantId?: unknown): Promise<void> {
  const { services } = explorer;
  const cloud = services.cloud();
  const tenant = typeof tenantId === 'string' && tenantId ? tenantId : undefined;
  const scopes = [cloud.armScope, ...(tenant ? [`VSCODE_TENANT:${tenant}`] : [])];
  try {
    const session = await services.auth.getSession(cloud.authProviderId, scopes, { createIfNone: true });
    services.log.info(`Signed in to ${cloud.displayName} as ${session?.account.label ?? 'unknown'}${tenant ? ` (tenant ${tenant})` : ''}.`);
  } catch (err) {
    throw toActionableError(err, `sign in to ${cloud.displayName}${tenant ? ` tenant ${tenant}` : ''}`);
  }
  explorer.azure.refresh();
  explorer.secretServer.refresh();
}
