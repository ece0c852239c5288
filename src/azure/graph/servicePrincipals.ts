import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';
import { toActionableError } from '../azureErrors';
import type { OperationOptions } from '../operationOptions';
import { isNotFound, type GraphClient } from './graphClient';
import { odataString, requireGuid } from './odata';

// Service principals (Graph /servicePrincipals): an app's identity in a tenant. Its object id is
// the principal of Managed HSM role assignments and the `oid` of the app's tokens.

export interface ServicePrincipalInfo {
  /** Service principal object id. */
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType?: string;
}

interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType?: string;
}

const select = 'id,appId,displayName,servicePrincipalType';

export async function createServicePrincipal(graph: GraphClient, appId: string, options: OperationOptions = {}): Promise<ServicePrincipalInfo> {
  requireGuid(appId, l10n.t('client ID'));
  try {
    return toInfo((await graph.send<GraphServicePrincipal>({ method: 'POST', path: '/servicePrincipals', body: { appId }, ...options }))!);
  } catch (err) {
    throw toActionableError(err, `create the service principal of app ${appId}`);
  }
}

/** The service principal of the app with this client id, or undefined when the app has none in this tenant. */
export async function getServicePrincipalByAppId(graph: GraphClient, appId: string, options: OperationOptions = {}): Promise<ServicePrincipalInfo | undefined> {
  requireGuid(appId, l10n.t('client ID'));
  try {
    const sp = await graph.send<GraphServicePrincipal>({ method: 'GET', path: `/servicePrincipals(appId=${odataString(appId)})`, query: { $select: select }, ...options });
    return toInfo(sp!);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toActionableError(err, `read the service principal of app ${appId}`);
  }
}

/** appId → service principal object id, which role assignments need (not the appId). */
export async function resolveServicePrincipalObjectId(graph: GraphClient, appId: string, options: OperationOptions = {}): Promise<string> {
  const sp = await getServicePrincipalByAppId(graph, appId, options);
  if (!sp) {
    throw new ActionableError(
      l10n.t('Could not find the service principal of app {0}: the app has no service principal in this tenant; create one (az ad sp create --id {0}) or let the extension create it.', appId),
      'notFound',
    );
  }
  return sp.id;
}

/**
 * The app's service principal, created when missing. Safe to repeat: a concurrent creation that
 * wins the race (409) is read back instead of failing.
 */
export async function ensureServicePrincipal(graph: GraphClient, appId: string, options: OperationOptions = {}): Promise<{ servicePrincipal: ServicePrincipalInfo; created: boolean }> {
  const existing = await getServicePrincipalByAppId(graph, appId, options);
  if (existing) return { servicePrincipal: existing, created: false };
  try {
    return { servicePrincipal: await createServicePrincipal(graph, appId, options), created: true };
  } catch (err) {
    if (err instanceof ActionableError && err.kind === 'conflict') {
      const raced = await getServicePrincipalByAppId(graph, appId, options);
      if (raced) return { servicePrincipal: raced, created: false };
    }
    throw err;
  }
}

function toInfo(sp: GraphServicePrincipal): ServicePrincipalInfo {
  return { id: sp.id, appId: sp.appId, displayName: sp.displayName, servicePrincipalType: sp.servicePrincipalType };
}
