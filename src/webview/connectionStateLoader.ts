import type { ConnectionState, CurrentConfiguration, TypeOption } from '../protocol/keyManagementForm';
import { getHealth } from '../secretServer/health';
import { getKeyManagement, getKeyManagementAudit, getKeyManagementStub, type KeyManagementConfig } from '../secretServer/keyManagement';
import { mergeTypes, providerKindOf, type KeyManagementType } from '../secretServer/keyManagementTypes';
import { getRotationStatus } from '../secretServer/rotation';
import { interpretRotation, type RotationStatus } from '../secretServer/rotationProgress';
import type { SecretServerSession } from '../secretServer/session';
import { auditView, rotationView } from './rotationView';

// What the form shows when a connection is chosen: the current configuration, the types the
// server publishes, its health (so the user learns before saving that a broken current
// configuration blocks any change) and the last rotation's result.

export interface LoadedConnection {
  state: ConnectionState;
  types: KeyManagementType[];
  rotationStatus?: RotationStatus;
}

export function typeKind(name: string | undefined): TypeOption['kind'] {
  const kind = providerKindOf(name);
  return kind === 'none' || kind === 'azureManagedHsm' ? kind : 'other';
}

export function currentConfiguration(config: KeyManagementConfig): CurrentConfiguration {
  const kind = typeKind(config.typeName);
  return {
    typeId: config.typeId,
    typeName: config.typeName,
    kind: config.typeName === undefined ? 'none' : kind,
    ...(kind === 'azureManagedHsm'
      ? { tenantId: config.azureManagedHsm.tenantId, principalId: config.azureManagedHsm.principalId, keyUrl: config.azureManagedHsm.keyUrl }
      : {}),
  };
}

export async function loadConnectionState(connectionId: string, session: SecretServerSession): Promise<LoadedConnection> {
  const [config, stub, health, status, audit] = await Promise.all([
    getKeyManagement(session),
    getKeyManagementStub(session).catch(() => undefined),
    getHealth(session).catch(() => undefined),
    getRotationStatus(session).catch(() => undefined),
    getKeyManagementAudit(session, { take: 1 })
      .then((p) => p.records[0])
      .catch(() => undefined),
  ]);
  const own = (c: KeyManagementConfig | undefined) => (c?.typeId !== undefined && c.typeName ? [{ id: c.typeId, name: c.typeName }] : []);
  const types = mergeTypes(stub?.availableTypes ?? [], config.availableTypes, own(stub), own(config));
  const current = currentConfiguration(config);
  const options: TypeOption[] = types
    .map((t) => ({ id: t.id, name: t.name, kind: typeKind(t.name) }))
    // Other providers cannot be configured here; they are listed only to show what is current.
    .filter((t) => t.kind !== 'other' || t.id === current.typeId);
  return {
    types,
    rotationStatus: status,
    state: {
      connectionId,
      current,
      types: options,
      health: health
        ? { healthy: health.healthy, keyManagementHealthy: health.keyManagementHealthy, readOnlyMode: health.readOnlyMode, reason: health.reason }
        : undefined,
      lastRotation: status ? rotationView(interpretRotation(status), health?.readOnlyMode) : undefined,
      latestAudit: auditView(audit),
    },
  };
}
