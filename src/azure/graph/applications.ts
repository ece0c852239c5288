import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';
import { toActionableError } from '../azureErrors';
import type { OperationOptions } from '../operationOptions';
import { isNotFound, type GraphClient } from './graphClient';
import { odataString, requireGuid } from './odata';

// App registrations (Graph /applications). Three ids are easy to confuse: the application object
// id (`id`, used in Graph paths), the client id (`appId`, what Secret Server is given) and the
// service principal object id (servicePrincipals.ts, what role assignments need).

export interface AppRegistration {
  /** Application object id. */
  id: string;
  /** Client id. */
  appId: string;
  displayName: string;
  signInAudience?: string;
  createdDateTime?: string;
}

interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  signInAudience?: string;
  createdDateTime?: string;
}

interface GraphList<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

const select = 'id,appId,displayName,signInAudience,createdDateTime';

/** Creates a single-tenant app registration. */
export async function createApplication(graph: GraphClient, displayName: string, options: OperationOptions = {}): Promise<AppRegistration> {
  const name = displayName.trim();
  if (!name || name.length > 120) {
    throw new ActionableError(l10n.t('Could not create the app registration: give a display name of 1 to 120 characters.'), 'invalidInput');
  }
  try {
    const app = await graph.send<GraphApplication>({ method: 'POST', path: '/applications', body: { displayName: name, signInAudience: 'AzureADMyOrg' }, ...options });
    return toAppRegistration(app!);
  } catch (err) {
    throw toActionableError(err, `create the app registration "${name}"`);
  }
}

/** The app registration with this client id, or undefined when there is none. */
export async function getApplicationByAppId(graph: GraphClient, appId: string, options: OperationOptions = {}): Promise<AppRegistration | undefined> {
  requireGuid(appId, l10n.t('client ID'));
  try {
    const app = await graph.send<GraphApplication>({ method: 'GET', path: `/applications(appId=${odataString(appId)})`, query: { $select: select }, ...options });
    return toAppRegistration(app!);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toActionableError(err, `read the app registration ${appId}`);
  }
}

/** App registrations whose display name is exactly `displayName` (names are not unique in Entra). */
export async function findApplicationsByDisplayName(graph: GraphClient, displayName: string, options: OperationOptions = {}): Promise<AppRegistration[]> {
  try {
    const found: AppRegistration[] = [];
    let page = await graph.send<GraphList<GraphApplication>>({
      method: 'GET',
      path: '/applications',
      query: { $filter: `displayName eq ${odataString(displayName)}`, $select: select },
      ...options,
    });
    for (let pages = 0; page && pages < 50; pages++) {
      found.push(...page.value.map(toAppRegistration));
      const next = page['@odata.nextLink'];
      page = next ? await graph.send<GraphList<GraphApplication>>({ method: 'GET', path: next, ...options }) : undefined;
    }
    return found;
  } catch (err) {
    throw toActionableError(err, `look for app registrations named "${displayName}"`);
  }
}

/** Deletes an app registration by its object id (it goes to Entra's deleted items for 30 days). */
export async function deleteApplication(graph: GraphClient, objectId: string, options: OperationOptions = {}): Promise<void> {
  requireGuid(objectId, l10n.t('application object ID'));
  try {
    await graph.send({ method: 'DELETE', path: `/applications/${objectId}`, ...options });
  } catch (err) {
    // The pipeline resends a DELETE whose connection broke; if the first one was carried out, the
    // second finds nothing. Gone is what was asked for, so that is success.
    if (isNotFound(err)) return;
    throw toActionableError(err, `delete the app registration ${objectId}`);
  }
}

function toAppRegistration(app: GraphApplication): AppRegistration {
  return { id: app.id, appId: app.appId, displayName: app.displayName, signInAudience: app.signInAudience, createdDateTime: app.createdDateTime };
}
