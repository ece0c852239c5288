import * as l10n from '@vscode/l10n';
import { deleteApplication } from '../../azure/graph/applications';
import { listClientSecrets, removeClientSecret } from '../../azure/graph/clientSecrets';
import { isNotFound, type GraphClient } from '../../azure/graph/graphClient';
import { ActionableError } from '../../core/actionableError';
import { builtInRoleName, type RoleScope } from '../../core/managedHsmRoles';
import { chooseAppRegistration } from './appRegistrationPicker';
import { confirmDestructive, hostRules, secretServerUsages } from './guardRail';
import { withSetupProgress } from './progress';
import { graphFor, rbacFor, refreshAzure, type SetupDeps } from './setupDeps';
import { resolveRoleAssignment, resolveTenant } from './setupTargets';
import { appVerdict, roleAssignmentVerdict } from './secretServerUsage';
import { pickOne } from './wizard';

// Taking access away: a role assignment, a client secret, an app registration. Each is what a
// Secret Server signs in with or is allowed through, so each is checked against the connected
// Secret Servers first (guardRail.ts).

export interface RemovalResult {
  removed: string;
  inUse: boolean;
}

export async function deleteRoleAssignmentCommand(deps: SetupDeps, node?: unknown): Promise<RemovalResult> {
  const target = await resolveRoleAssignment(deps, node, l10n.t('Remove role assignment'));
  const { hsm, assignment } = target;
  const graph = await graphFor(deps, hsm.tenantId);
  const { usages, clientId } = await withSetupProgress(l10n.t('Checking whether Secret Server relies on the assignment'), async (step) => ({
    usages: await secretServerUsages(deps, step),
    clientId: await clientIdOfPrincipal(graph, assignment.principalId, step.signal),
  }));
  const verdict = roleAssignmentVerdict(usages, hostRules(deps), { hsmUri: hsm.hsmUri, scope: assignment.scope, principalClientId: clientId });
  const role = assignment.roleName ?? builtInRoleName(assignment.roleDefinitionId) ?? l10n.t('custom role');
  await confirmDestructive(deps, verdict, {
    action: l10n.t('Remove \'{0}\' at {1} from {2}', role, assignment.scope, assignment.principalId),
    button: l10n.t('Remove'),
    name: assignment.scope,
    effect: l10n.t('The principal loses what this role allowed at this scope.'),
    consequence: l10n.t('Without it the HSM refuses Secret Server\'s wrap and unwrap calls, so Secret Server will be unable to decrypt any secret.'),
  });
  await withSetupProgress(l10n.t('Removing the role assignment'), (step) => rbacFor(deps, hsm).deleteRoleAssignment(assignment.scope as RoleScope, assignment.name, { abortSignal: step.signal }));
  deps.explorer.services.log.info(`Removed role assignment ${assignment.name} (${role} at ${assignment.scope} for ${assignment.principalId}) in ${hsm.name}.`);
  refreshAzure(deps);
  return { removed: assignment.name, inUse: verdict.kind === 'inUse' };
}

export async function removeClientSecretCommand(deps: SetupDeps, node?: unknown): Promise<RemovalResult> {
  const tenantId = await resolveTenant(deps, node, l10n.t('Remove client secret'));
  const graph = await graphFor(deps, tenantId);
  const app = await chooseAppRegistration(deps, graph, tenantId, node, l10n.t('Remove client secret'));
  const secrets = await withSetupProgress(l10n.t('Listing the client secrets of \'{0}\'', app.displayName), (step) => listClientSecrets(graph, app.id, { abortSignal: step.signal }));
  if (secrets.length === 0) throw new ActionableError(l10n.t('The app \'{0}\' has no client secrets.', app.displayName), 'notFound');
  const stored = new Set(deps.stored.list().filter((e) => e.clientId.toLowerCase() === app.appId.toLowerCase()).map((e) => e.keyId.toLowerCase()));
  const secret = await pickOne(
    deps.ui(),
    secrets.map((s) => ({
      value: s,
      label: s.displayName || l10n.t('(no description)'),
      description: [l10n.t('starts with {0}…', s.hint ?? '?'), s.endDateTime ? `expires ${s.endDateTime.slice(0, 10)}` : undefined, stored.has(s.keyId.toLowerCase()) ? l10n.t('kept in VS Code') : undefined].filter(Boolean).join(' · '),
      detail: l10n.t('Secret ID {0}', s.keyId),
    })),
    l10n.t('Remove client secret'),
    l10n.t('Choose the client secret to remove'),
  );
  const usages = await withSetupProgress(l10n.t('Checking whether Secret Server signs in with the app'), (step) => secretServerUsages(deps, step));
  const verdict = appVerdict(usages, { clientId: app.appId, displayName: app.displayName });
  const label = secret.displayName || secret.keyId;
  await confirmDestructive(deps, verdict, {
    action: l10n.t('Remove client secret \'{0}\' from \'{1}\'', label, app.displayName),
    button: l10n.t('Remove'),
    name: label,
    effect: l10n.t('Whoever signs in with this secret is refused from then on; it cannot be restored.'),
    consequence: l10n.t('If this is the secret Secret Server was given, it can no longer sign in to the HSM and Secret Server will be unable to decrypt any secret.'),
  });
  await withSetupProgress(l10n.t('Removing the client secret'), (step) => removeClientSecret(graph, app.id, secret.keyId, { abortSignal: step.signal }));
  await deps.stored.forget({ tenantId, clientId: app.appId, keyId: secret.keyId });
  deps.explorer.services.log.info(`Removed client secret ${secret.keyId} from app ${app.appId}.`);
  deps.explorer.secretServer.refresh();
  return { removed: secret.keyId, inUse: verdict.kind === 'inUse' };
}

export async function deleteAppRegistrationCommand(deps: SetupDeps, node?: unknown): Promise<RemovalResult> {
  const tenantId = await resolveTenant(deps, node, l10n.t('Delete app registration'));
  const graph = await graphFor(deps, tenantId);
  const app = await chooseAppRegistration(deps, graph, tenantId, node, l10n.t('Delete app registration'));
  const usages = await withSetupProgress(l10n.t('Checking whether Secret Server signs in with the app'), (step) => secretServerUsages(deps, step));
  const verdict = appVerdict(usages, { clientId: app.appId, displayName: app.displayName });
  await confirmDestructive(deps, verdict, {
    action: l10n.t('Delete app registration \'{0}\' (client ID {1})', app.displayName, app.appId),
    button: l10n.t('Delete'),
    name: app.displayName,
    effect: l10n.t('Its client secrets stop working at once; Entra keeps the deleted app restorable for 30 days.'),
    consequence: l10n.t('Secret Server can then no longer sign in to the HSM and will be unable to decrypt any secret.'),
  });
  await withSetupProgress(`Deleting '${app.displayName}'`, (step) => deleteApplication(graph, app.id, { abortSignal: step.signal }));
  await deps.stored.forget({ clientId: app.appId });
  deps.explorer.services.log.info(`Deleted app registration ${app.appId} (${app.displayName}).`);
  deps.explorer.secretServer.refresh();
  return { removed: app.appId, inUse: verdict.kind === 'inUse' };
}

/** The client id behind a principal object id; '' for a user or group; undefined when Graph could not say. */
async function clientIdOfPrincipal(graph: GraphClient, principalId: string, abortSignal: AbortSignal): Promise<string | undefined> {
  try {
    const sp = await graph.send<{ appId?: string }>({ method: 'GET', path: `/servicePrincipals/${encodeURIComponent(principalId)}`, query: { $select: 'id,appId' }, abortSignal });
    return sp?.appId ?? '';
  } catch (err) {
    return isNotFound(err) ? '' : undefined;
  }
}
