import type { AzureCloud } from '../azure/cloud';
import { probeKey } from '../azure/keyProbe';
import { addClientSecret, listClientSecrets, removeClientSecret } from '../azure/graph/clientSecrets';
import type { GraphClient } from '../azure/graph/graphClient';
import { servicePrincipalCredential } from '../auth/servicePrincipalCredential';
import { getHealth } from '../secretServer/health';
import { getKeyManagement, listKeyManagementTypes, updateKeyManagement } from '../secretServer/keyManagement';
import { requireKeyManagementType } from '../secretServer/keyManagementTypes';
import { followRotation, getRotationStatus } from '../secretServer/rotation';
import type { RotationProgress } from '../secretServer/rotationProgress';
import type { SecretServerSession } from '../secretServer/session';
import type { RenewalAppSecrets, RenewalProbe, RenewalSecretServer } from './renewalDeps';

// The renewal deps on the real clients. Built per use by the composition root (or a test) from
// the clients it already has.

export function liveSecretServer(session: SecretServerSession, options: { pollIntervalMs?: number } = {}): RenewalSecretServer {
  return {
    readConfig: async () => {
      const c = await getKeyManagement(session);
      return { provider: c.provider, tenantId: c.azureManagedHsm.tenantId, principalId: c.azureManagedHsm.principalId, keyUrl: c.azureManagedHsm.keyUrl };
    },
    update: async (settings) => {
      const type = requireKeyManagementType(await listKeyManagementTypes(session), 'azureManagedHsm');
      const since = await getRotationStatus(session);
      await updateKeyManagement(session, { type, azureManagedHsm: settings });
      return { since };
    },
    follow: async (since, onProgress) => {
      let last: RotationProgress | undefined;
      for await (const p of followRotation(session, { since, pollIntervalMs: options.pollIntervalMs })) {
        last = p;
        onProgress(p);
      }
      if (!last) throw new Error('The rotation status could not be read.');
      return last;
    },
    health: () => getHealth(session),
  };
}

/** `appObjectId` is the application's object id (not its client id), as Graph's password actions need. */
export function liveAppSecrets(graph: GraphClient, appObjectId: string): RenewalAppSecrets {
  return {
    list: () => listClientSecrets(graph, appObjectId),
    add: (displayName, expiresOn) => addClientSecret(graph, appObjectId, { displayName, expiresOn }),
    remove: (keyId) => removeClientSecret(graph, appObjectId, keyId),
  };
}

export function liveProbe(cloud: AzureCloud, tenantId: string): RenewalProbe {
  return async (clientId, clientSecret, keyUrl) => probeKey(cloud, await servicePrincipalCredential(cloud, tenantId, clientId, clientSecret), keyUrl);
}
