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
  const target = await resolveRoleAssignment(deps, node, 'Remove role assignment');
  const { hsm, assignment } = target;
  const graph = await graphFor(deps, hsm.tenantId);
  const { usages, clientId } = await withSetupProgress('Checking whether Secret Server relies on the assignment', async (step) => ({
    usages: await secretServerUsages(deps, step),
    clientId: await clientIdOfPrincipal(graph, assignment.principalId, step.signal),
  }));
  const verdict = roleAssignmentVerdict(usages, hostRules(deps), { hsmUri: hsm.hsmUri, scope: assignment.scope, principalClientId: clientId });
  const role = assignment.roleName ?? builtInRoleName(assignment.roleDefinitionId) ?? 'custom role';
  await confirmDestructive(deps, verdict, {
    action: `Remove '${role}' at ${assignment.scope} from ${assignment.principalId}`,
    button: 'Remove',
    name: assignment.scope,
    effect: 'The principal loses what this role allowed at this scope.',
    consequence: 'Without it the HSM refuses Secret Server\'s wrap and unwrap calls, so Secret Server will be unable to decrypt any secret.',
  });
  await withSetupProgress('Removing the role assignment', (step) => rbacFor(deps, hsm).deleteRoleAssignment(assignment.scope as RoleScope, assignment.name, { abortSignal: step.signal }));
  deps.explorer.services.log.info(`Removed role assignment ${assignment.name} (${role} at ${assignment.scope} for ${assignment.principalId}) in ${hsm.name}.`);
  refreshAzure(deps);
  return { removed: assignment.name, inUse: verdict.kind === 'inUse' };
}

export async function removeClientSecretCommand(deps: SetupDeps, node?: unknown): Promise<RemovalResult> {
  const tenantId = await resolveTenant(deps, node, 'Remove client secret');
  const graph = await graphFor(deps, tenantId);
  const app = await chooseAppRegistration(deps, graph, tenantId, node, 'Remove client secret');
  const secrets = await withSetupProgress(`Listing the client secrets of '${app.displayName}'`, (step) => listClientSecrets(graph, app.id, { abortSignal: step.signal }));
  if (secrets.length === 0) throw new ActionableError(`The app '${app.displayName}' has no client secrets.`, 'notFound');
  const stored = new Set(deps.stored.list().filter((e) => e.clientId.toLowerCase() === app.appId.toLowerCase()).map((e) => e.keyId.toLowerCase()));
  const secret = await pickOne(
    deps.ui(),
    secrets.map((s) => ({
      value: s,
      label: s.displayName || '(no description)',
      description: [`starts with ${s.hint ?? '?'}…`, s.endDateTime ? `expires ${s.endDateTime.slice(0, 10)}` : undefined, stored.has(s.keyId.toLowerCase()) ? 'kept in VS Code' : undefined].filter(Boolean).join(' · '),
      detail: `Secret ID ${s.keyId}`,
    })),
    'Remove client secret',
    'Choose the client secret to remove',
  );
  const usages = await withSetupProgress('Checking whether Secret Server signs in with the app', (step) => secretServerUsages(deps, step));
  const verdict = appVerdict(usages, { clientId: app.appId, displayName: app.displayName });
  const label = secret.displayName || secret.keyId;
  await confirmDestructive(deps, verdict, {
    action: `Remove client secret '${label}' from '${app.displayName}'`,
    button: 'Remove',
    name: label,
    effect: 'Whoever signs in with this secret is refused from then on; it cannot be restored.',
    consequence: 'If this is the secret Secret Server was given, it can no longer sign in to the HSM and Secret Server will be unable to decrypt any secret.',
  });
  await withSetupProgress('Removing the client secret', (step) => removeClientSecret(graph, app.id, secret.keyId, { abortSignal: step.signal }));
  await deps.stored.forget({ tenantId, clientId: app.appId, keyId: secret.keyId });
  deps.explorer.services.log.info(`Removed client secret ${secret.keyId} from app ${app.appId}.`);
  deps.explorer.secretServer.refresh();
  return { removed: secret.keyId, inUse: verdict.kind === 'inUse' };
}

export async function deleteAppRegistrationCommand(deps: SetupDeps, node?: unknown): Promise<RemovalResult> {
  const tenantId = await resolveTenant(deps, node, 'Delete app registration');
  const graph = await graphFor(deps, tenantId);
  const app = await chooseAppRegistration(deps, graph, tenantId, node, 'Delete app registration');
  const usages = await withSetupProgress('Checking whether Secret Server signs in with the app', (step) => secretServerUsages(deps, step));
  const verdict = appVerdict(usages, { clientId: app.appId, displayName: app.displayName });
  await confirmDestructive(deps, verdict, {
    action: `Delete app registration '${app.displayName}' (client ID ${app.appId})`,
    button: 'Delete',
    name: app.displayName,
    effect: 'Its client secrets stop working at once; Entra keeps the deleted app restorable for 30 days.',
    consequence: 'Secret Server can then no longer sign in to the HSM and will be unable to decrypt any secret.',
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
