import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';
import { toActionableError } from '../azureErrors';
import type { OperationOptions } from '../operationOptions';
import { isNotFound, type GraphClient } from './graphClient';
import { odataString, requireGuid } from './odata';

// Client secrets (Graph passwordCredentials) of an app registration. The secret's value is
// returned once, by addPassword; afterwards only its hint (first characters), name and dates can be
// read, which is enough to warn before it expires.

export interface ClientSecretInfo {
  keyId: string;
  displayName?: string;
  /** The first three characters of the value. */
  hint?: string;
  startDateTime?: string;
  endDateTime?: string;
}

/** A secret just created: the only time its value is known. Hand it to SecretStorage or the user, never to a log. */
export interface NewClientSecret extends ClientSecretInfo {
  secretText: string;
}

interface GraphPasswordCredential {
  keyId: string;
  displayName?: string | null;
  hint?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  secretText?: string | null;
}

/** Adds a client secret to the app with this object id, expiring at `expiresOn`. */
export async function addClientSecret(
  graph: GraphClient,
  appObjectId: string,
  secret: { displayName: string; expiresOn: Date },
  options: OperationOptions = {},
): Promise<NewClientSecret> {
  requireGuid(appObjectId, l10n.t('application object ID'));
  if (Number.isNaN(secret.expiresOn.getTime())) {
    throw new ActionableError(l10n.t('Could not add a client secret: the expiry date is not valid; choose a date in the future.'), 'invalidInput');
  }
  try {
    const created = await graph.send<GraphPasswordCredential>({
      method: 'POST',
      path: `/applications/${appObjectId}/addPassword`,
      body: { passwordCredential: { displayName: secret.displayName, endDateTime: secret.expiresOn.toISOString() } },
      ...options,
    });
    if (!created?.secretText) throw new Error('Microsoft Graph did not return the new secret value.');
    return { ...toInfo(created), secretText: created.secretText };
  } catch (err) {
    throw toActionableError(err, `add a client secret to app ${appObjectId}`);
  }
}

/** The app's client secrets with their expiry and hint, soonest expiry first. */
export async function listClientSecrets(graph: GraphClient, appObjectId: string, options: OperationOptions = {}): Promise<ClientSecretInfo[]> {
  requireGuid(appObjectId, l10n.t('application object ID'));
  try {
    const app = await graph.send<{ passwordCredentials?: GraphPasswordCredential[] }>({
      method: 'GET',
      path: `/applications/${appObjectId}`,
      query: { $select: 'id,appId,passwordCredentials' },
      ...options,
    });
    return (app?.passwordCredentials ?? []).map(toInfo).sort((a, b) => (a.endDateTime ?? '').localeCompare(b.endDateTime ?? ''));
  } catch (err) {
    throw toActionableError(err, `list the client secrets of app ${appObjectId}`);
  }
}

/** An app registration with its client secrets, read in one request. */
export interface ApplicationSecrets {
  /** Application object id. */
  id: string;
  appId: string;
  displayName: string;
  /** Soonest expiry first. */
  secrets: ClientSecretInfo[];
}

/**
 * The app with this client id and its client secrets in one read (the readiness check needs both
 * and should not wait for one before asking for the other), or undefined when there is no such app.
 */
export async function getApplicationSecretsByAppId(graph: GraphClient, appId: string, options: OperationOptions = {}): Promise<ApplicationSecrets | undefined> {
  requireGuid(appId, l10n.t('client ID'));
  try {
    const app = await graph.send<{ id: string; appId: string; displayName: string; passwordCredentials?: GraphPasswordCredential[] }>({
      method: 'GET',
      path: `/applications(appId=${odataString(appId)})`,
      query: { $select: 'id,appId,displayName,passwordCredentials' },
      ...options,
    });
    if (!app) return undefined;
    const secrets = (app.passwordCredentials ?? []).map(toInfo).sort((a, b) => (a.endDateTime ?? '').localeCompare(b.endDateTime ?? ''));
    return { id: app.id, appId: app.appId, displayName: app.displayName, secrets };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toActionableError(err, `read the client secrets of app ${appId}`);
  }
}

export async function removeClientSecret(graph: GraphClient, appObjectId: string, keyId: string, options: OperationOptions = {}): Promise<void> {
  requireGuid(appObjectId, l10n.t('application object ID'));
  requireGuid(keyId, l10n.t('secret ID'));
  try {
    await graph.send({ method: 'POST', path: `/applications/${appObjectId}/removePassword`, body: { keyId }, ...options });
  } catch (err) {
    // The pipeline resends a request whose connection broke; if the first one was carried out,
    // the second finds no such secret. Gone is what was asked for, so that is success.
    if (isNoSuchPassword(err)) return;
    throw toActionableError(err, `remove client secret ${keyId} from app ${appObjectId}`);
  }
}

function isNoSuchPassword(err: unknown): boolean {
  const e = err as { statusCode?: unknown; message?: unknown } | undefined;
  return (e?.statusCode === 400 || e?.statusCode === 404) && typeof e.message === 'string' && /no password credential found/i.test(e.message);
}

/** Only the listed fields are copied, so a value can never ride along on an info object. */
function toInfo(c: GraphPasswordCredential): ClientSecretInfo {
  return {
    keyId: c.keyId,
    displayName: c.displayName ?? undefined,
    hint: c.hint ?? undefined,
    startDateTime: c.startDateTime ?? undefined,
    endDateTime: c.endDateTime ?? undefined,
  };
}
