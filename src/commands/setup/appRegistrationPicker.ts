import * as l10n from '@vscode/l10n';
import { getApplicationByAppId, type AppRegistration } from '../../azure/graph/applications';
import type { GraphClient } from '../../azure/graph/graphClient';
import { odataString } from '../../azure/graph/odata';
import { toActionableError } from '../../azure/azureErrors';
import { ActionableError } from '../../core/actionableError';
import type { SetupDeps } from './setupDeps';
import { appOfNode } from './setupTargets';
import { inputOne, pickOne } from './wizard';

// Choosing an existing app registration: the one a Secret Server app node names, or one found by
// the start of its display name (tenants can hold thousands, so the user narrows first).

export interface ChosenApp extends AppRegistration {
  tenantId: string;
}

export async function chooseAppRegistration(deps: SetupDeps, graph: GraphClient, tenantId: string, node: unknown, title: string): Promise<ChosenApp> {
  const fromNode = appOfNode(node);
  if (fromNode) {
    const app = await getApplicationByAppId(graph, fromNode.clientId);
    if (!app) throw new ActionableError(l10n.t('No app registration with client ID {0} exists in tenant {1}.', fromNode.clientId, tenantId), 'notFound');
    return { ...app, tenantId };
  }
  const prefix = await inputOne(deps.ui(), { title, prompt: l10n.t('The app registration name starts with… (leave empty to list them all)'), placeHolder: l10n.t('e.g. Secret Server') });
  const apps = await listApplications(graph, prefix.trim());
  if (apps.length === 0) throw new ActionableError(l10n.t('No app registration {0}exists in tenant {1}.', prefix.trim() ? l10n.t('whose name starts with "{0}" ', prefix.trim()) : '', tenantId), 'notFound');
  const app = await pickOne(
    deps.ui(),
    apps.map((a) => ({ value: a, label: a.displayName, description: a.appId })),
    title,
    l10n.t('Choose the app registration'),
  );
  return { ...app, tenantId };
}

async function listApplications(graph: GraphClient, prefix: string): Promise<AppRegistration[]> {
  try {
    const page = await graph.send<{ value: AppRegistration[] }>({
      method: 'GET',
      path: '/applications',
      query: { ...(prefix ? { $filter: `startswith(displayName,${odataString(prefix)})` } : {}), $select: 'id,appId,displayName', $top: '100' },
    });
    return (page?.value ?? []).map((a) => ({ id: a.id, appId: a.appId, displayName: a.displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName));
  } catch (err) {
    throw toActionableError(err, 'list the app registrations');
  }
}
