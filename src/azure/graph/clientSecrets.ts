import { ActionableError } from '../../core/actionableError';
import { toActionableError } from '../azureErrors';
import type { OperationOptions } from '../operationOptions';
import type { GraphClient } from './graphClient';
import { requireGuid } from './odata';

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
  requireGuid(appObjectId, 'application object ID');
  if (Number.isNaN(secret.expiresOn.getTime())) {
    throw new ActionableError('Could not add a client secret: the expiry date is not valid; choose a date in the future.', 'invalidInput');
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
  requireGuid(appObjectId, 'application object ID');
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

export async function removeClientSecret(graph: GraphClient, appObjectId: string, keyId: string, options: OperationOptions = {}): Promise<void> {
  requireGuid(appObjectId, 'application object ID');
  requireGuid(keyId, 'secret ID');
  try {
    await graph.send({ method: 'POST', path: `/applications/${appObjectId}/removePassword`, body: { keyId }, ...options });
  } catch (err) {
    throw toActionableError(err, `remove client secret ${keyId} from app ${appObjectId}`);
  }
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
