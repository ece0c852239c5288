import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';
import { parseKeyIdentifier } from '../../core/keyIdentifier';
import { getHealth } from '../../secretServer/health';
import { getKeyManagement } from '../../secretServer/keyManagement';
import { getReadOnlyMode } from '../../secretServer/readOnlyMode';
import { getRotationStatus } from '../../secretServer/rotation';
import { interpretRotation } from '../../secretServer/rotationProgress';
import type { Services } from '../../services';
import type { AzureTreeModel } from '../azure/azureTreeModel';
import { getApplicationSecretsByAppId } from '../../azure/graph/clientSecrets';
import { createGraphClient } from '../../azure/graph/graphClient';
import { ManagedHsmKeys } from '../../azure/keys';
import type { ManagedHsmInfo } from '../../azure/managedHsms';
import type { SecretServerLoaders } from './secretServerModel';
import type { SecretServerSessions } from './secretServerSessions';

// The Secret Server tree's loaders: the server's REST API through the connection's session, and
// Azure (the key's HSM and version, the app registration) through VS Code's Microsoft sign-in
// without prompts. The HSM is found among the HSMs the Azure tree already lists.

export function secretServerLoaders(services: Services, sessions: SecretServerSessions, azure: AzureTreeModel): SecretServerLoaders {
  const quiet = (tenantId?: string) => services.credential({ tenantId, interactive: false });
  return {
    async keyManagement(connection) {
      return getKeyManagement(await sessions.session(connection));
    },
    async rotation(connection) {
      return interpretRotation(await getRotationStatus(await sessions.session(connection)));
    },
    async readOnlyMode(connection) {
      return getReadOnlyMode(await sessions.session(connection));
    },
    async health(connection) {
      return getHealth(await sessions.session(connection));
    },
    async resolveKey(keyUrl, tenantId) {
      const cloud = services.cloud();
      const parsed = parseKeyIdentifier(keyUrl, { dnsSuffix: cloud.managedHsmDnsSuffix, origins: cloud.managedHsmOrigins });
      if (!parsed.ok) throw new ActionableError(l10n.t('Secret Server\'s key URL cannot be used: {0}', parsed.reason), 'invalidInput');
      const id = parsed.value;
      const hsm = await findHsm(azure, id.origin);
      const keys = new ManagedHsmKeys(cloud, quiet(hsm?.tenantId || tenantId), id.hsmUri, { displayName: hsm?.name });
      const key = await keys.getKey(id.name, id.version);
      return { hsm, host: new URL(id.hsmUri).host, name: id.name, key, pinned: id.version !== undefined };
    },
    async appRegistration(tenantId, clientId) {
      const graph = await createGraphClient(services.cloud(), quiet(tenantId), { retryOptions: { maxRetries: 1 } });
      // The app and its client secrets in one read.
      const app = await getApplicationSecretsByAppId(graph, clientId);
      if (!app) throw new ActionableError(l10n.t('No app registration with client ID {0} exists in tenant {1}; check the client ID in Secret Server\'s key management.', clientId, tenantId), 'notFound');
      return { displayName: app.displayName, appId: app.appId, objectId: app.id, secrets: app.secrets };
    },
  };
}

/** The HSM with this data-plane origin among those the Azure tree lists (undefined when signed out or not found). */
async function findHsm(azure: AzureTreeModel, origin: string): Promise<ManagedHsmInfo | undefined> {
  const tenants = await azure.tenants();
  if (!tenants.ok) return undefined;
  for (const t of tenants.value) {
    const subs = await azure.subscriptions(t.tenantId);
    if (!subs.ok) continue;
    for (const s of subs.value) {
      const hsms = await azure.hsms(s);
      const found = hsms.ok ? hsms.value.find((h) => sameOrigin(h.hsmUri, origin)) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function sameOrigin(uri: string, origin: string): boolean {
  try {
    return new URL(uri).origin === origin;
  } catch {
    return false;
  }
}
