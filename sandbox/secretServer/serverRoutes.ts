import { json, jsonObject } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { AzureKeyAccess } from './azureKeyAccess';
import { badRequest, invalidField } from './errorStyle';
import { masterKeyHealth } from './secretVault';
import { authenticate, requireKeyAdministrator } from './sessions';
import { ssState } from './stateAccess';

export const secretServerVersion = '11.7.61';

/** Healthcheck (anonymous), nodes, version and read-only (maintenance) mode. */
export function registerServerRoutes(r: Router, ctx: SandboxContext, access: AzureKeyAccess): void {
  // HealthCheckModel plus two sandbox fields that say why it is unhealthy: the real model has no
  // place for the reason, and the consequences of a lost key must be visible.
  r.on('GET', '/api/v1/healthcheck', async () => {
    const health = await masterKeyHealth(ctx, access);
    const state = ssState(ctx);
    return json(200, {
      healthy: health.healthy,
      databaseHealthy: true,
      databaseMismatch: false,
      serviceBusHealthy: null,
      storageAccountHealthy: null,
      scheduledForDeletion: null,
      provisionDeletionDateTime: null,
      readOnlyMode: state.readOnlyMode,
      now: ctx.clock.nowIso(),
      utcNow: ctx.clock.nowIso(),
      keyManagementHealthy: health.healthy,
      keyManagementError: health.healthy ? null : health.reason,
    });
  });

  r.on('GET', '/api/v1/nodes', (req) => {
    authenticate(ctx, req);
    return json(200, [nodeModel(ctx)]);
  });

  r.on('GET', '/api/v1/nodes/:nodeId', (req) => {
    authenticate(ctx, req);
    if (!/^\d{1,9}$/.test(req.params.nodeId)) throw invalidField('nodeId', "'nodeId' must be an integer.");
    if (Number(req.params.nodeId) !== 1) throw badRequest('API_NodeNotFound', `No server node has id ${req.params.nodeId}.`);
    return json(200, nodeModel(ctx));
  });

  // Real servers wrap the VersionSummary in a result envelope (clients read .model.version).
  r.on('GET', '/api/v1/version', (req) => {
    authenticate(ctx, req);
    return json(200, { success: true, severity: 'None', model: { version: secretServerVersion } });
  });

  r.on('GET', '/api/v1/configuration/read-only-mode', (req) => {
    authenticate(ctx, req);
    return json(200, { enabled: ssState(ctx).readOnlyMode });
  });

  r.on('PATCH', '/api/v1/configuration/read-only-mode', (req) => {
    requireKeyAdministrator(ctx, req, 'change read-only mode');
    const body = jsonObject(req, 'API_InvalidRequestBody');
    const data = body.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw invalidField('data', "'data' must be an object such as {\"enabled\": {\"dirty\": true, \"value\": true}}.");
    const enabled = (data as Record<string, unknown>).enabled;
    const state = ssState(ctx);
    if (enabled === undefined) return json(200, { enabled: state.readOnlyMode });
    if (enabled === null || typeof enabled !== 'object' || Array.isArray(enabled)) throw invalidField('data.enabled', "'data.enabled' must be {\"dirty\": boolean, \"value\": boolean}.");
    const { dirty, value } = enabled as Record<string, unknown>;
    if (typeof dirty !== 'boolean') throw invalidField('data.enabled.dirty', "'data.enabled.dirty' must be a boolean.");
    if (!dirty) return json(200, { enabled: state.readOnlyMode });
    if (typeof value !== 'boolean') throw invalidField('data.enabled.value', "'data.enabled.value' must be a boolean.");
    if (value === state.readOnlyMode) return json(200, { enabled: value });
    if (state.rotation.active) {
      throw badRequest('API_SecretKeyRotationInProgress', 'Read-only mode is held by the running secret key rotation and is released when it finishes.');
    }
    ctx.store.mutate(() => {
      state.readOnlyMode = value;
    });
    return json(200, { enabled: value });
  });
}

function nodeModel(ctx: SandboxContext): Record<string, unknown> {
  const state = ssState(ctx);
  const enabling = state.rotation.active?.phase === 'EnablingMaintenanceMode';
  const now = ctx.clock.nowIso();
  return {
    nodeId: 1,
    machineName: 'SS-SANDBOX-01',
    binaryVersion: secretServerVersion,
    database: 'SecretServer',
    inCluster: false,
    isCurrentNode: true,
    lastConnected: now,
    lastConnectedDate: now,
    logLevel: 'Info',
    enableBackgroundWorker: true,
    enableEngineWorker: true,
    enableSessionRecordingWorker: false,
    backgroundWorkerError: '',
    engineWorkerError: '',
    sessionRecordingWorkerError: '',
    errorMessage: '',
    readonlyModeEnabled: state.readOnlyMode,
    readonlyModeStatus: enabling ? 'Enabling' : state.readOnlyMode ? 'Enabled' : 'Disabled',
  };
}
