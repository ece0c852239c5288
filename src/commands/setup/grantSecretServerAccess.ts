import * as l10n from '@vscode/l10n';
import { ensureServicePrincipal } from '../../azure/graph/servicePrincipals';
import { builtInRoleName, keyScope, managedHsmRoleIds } from '../../core/managedHsmRoles';
import { chooseAppRegistration } from './appRegistrationPicker';
import { withSetupProgress } from './progress';
import { graphFor, rbacFor, refreshAzure, type SetupDeps } from './setupDeps';
import { resolveKey, type KeyTarget } from './setupTargets';

// Task 1 steps 19–24: Managed HSM Crypto User on the single key, given to the app's service
// principal object id (not its client id, the usual mistake), created when the app has none.
// Running it twice changes nothing; grants wider than the key are pointed out, not removed.

export interface GrantResult {
  scope: string;
  principalId: string;
  clientId: string;
  assignmentName: string;
  created: boolean;
  servicePrincipalCreated: boolean;
  /** Scopes wider than the key at which the app already holds a role. */
  broaderScopes: string[];
}

export async function grantSecretServerAccessCommand(deps: SetupDeps, node?: unknown, appArg?: { clientId: string }): Promise<GrantResult> {
  const target = await resolveKey(deps, node, l10n.t('Grant Secret Server access to key'));
  const graph = await graphFor(deps, target.hsm.tenantId);
  const app = await chooseAppRegistration(deps, graph, target.hsm.tenantId, appArg ? { ids: { clientId: appArg.clientId, tenantId: target.hsm.tenantId } } : undefined, l10n.t('Grant access to \'{0}\': app registration', target.key.name));
  return grantCryptoUser(deps, target, app.appId, app.displayName);
}

/** Shared with the readiness check's "grantCryptoUser" fix. */
export async function grantCryptoUser(deps: SetupDeps, target: KeyTarget, clientId: string, appName: string): Promise<GrantResult> {
  const scope = keyScope(target.key.name);
  const graph = await graphFor(deps, target.hsm.tenantId);
  const rbac = rbacFor(deps, target.hsm);
  const outcome = await withSetupProgress(l10n.t('Granting \'{0}\' access to \'{1}\'', appName, target.key.name), async (step) => {
    step.report(l10n.t('finding the app\'s service principal…'));
    const sp = await ensureServicePrincipal(graph, clientId, { abortSignal: step.signal });
    step.report(l10n.t('reading its role assignments…'));
    const existing = await rbac.listRoleAssignmentsForPrincipal(sp.servicePrincipal.id, '/', { abortSignal: step.signal });
    const broader = existing.filter((a) => a.scope === '/' || a.scope.toLowerCase() === '/keys');
    step.report(l10n.t('assigning Managed HSM Crypto User…'));
    const assigned = await rbac.createRoleAssignment({ scope, roleDefinitionId: managedHsmRoleIds.cryptoUser, principalId: sp.servicePrincipal.id }, { abortSignal: step.signal });
    return { sp, broader, assigned };
  });
  const principalId = outcome.sp.servicePrincipal.id;
  deps.explorer.services.log.info(`${outcome.assigned.created ? 'Assigned' : 'Found existing'} Managed HSM Crypto User at ${scope} in ${target.hsm.name} for service principal ${principalId} (client ID ${clientId}).`);
  refreshAzure(deps, target.node);
  const ui = deps.ui();
  void ui.inform(
    outcome.assigned.created
      ? l10n.t('\'{0}\' can now wrap and unwrap with \'{1}\' (Managed HSM Crypto User at {2}, service principal {3}).', appName, target.key.name, scope, principalId)
      : l10n.t('\'{0}\' already holds Managed HSM Crypto User at {1}; nothing was changed.', appName, scope),
  );
  const broaderScopes = [...new Set(outcome.broader.map((a) => a.scope))];
  if (outcome.broader.length > 0) {
    const roles = outcome.broader.map((a) => `${a.roleName ?? builtInRoleName(a.roleDefinitionId) ?? l10n.t('a custom role')} at ${a.scope}`).join(', ');
    void ui.warn(l10n.t('\'{0}\' also holds {1}, which reaches more keys than Secret Server needs. Consider removing {2} so a leaked client secret exposes only this key.', appName, roles, outcome.broader.length === 1 ? 'it' : 'them'));
  }
  return { scope, principalId, clientId, assignmentName: outcome.assigned.assignment.name, created: outcome.assigned.created, servicePrincipalCreated: outcome.sp.created, broaderScopes };
}
