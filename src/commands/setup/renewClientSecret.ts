import { createGraphClient } from '../../azure/graph/graphClient';
import { getApplicationSecretsByAppId } from '../../azure/graph/clientSecrets';
import { ActionableError } from '../../core/actionableError';
import { dayMs } from '../../core/expiry/thresholds';
import { renewClientSecret, type ClientSecretRenewalResult } from '../../renewal/clientSecretRenewal';
import { liveAppSecrets, liveProbe, liveSecretServer } from '../../renewal/liveRenewalDeps';
import { withSetupProgress } from './progress';
import { serverUsing } from './renewalTargets';
import { interactiveCredential, type SetupDeps } from './setupDeps';
import { pickOne } from './wizard';

// The guided client-secret renewal as a command: new secret → Secret Server updated (maintenance
// mode and a secret key rotation, confirmed like the form's checkbox) → rotation followed → health
// and a wrap/unwrap with the new secret → only then the offer to remove the old one.

export const maintenanceConfirmation = 'Maintenance Mode will be enabled and a Secret Key Rotation will be triggered.';

export interface RenewTarget {
  appId: string;
  keyId: string;
}

/** From a client-secret row of the Secret Server view, or { appId, keyId } (CodeLens, notification, status bar). */
export function renewTargetOf(arg: unknown): RenewTarget | undefined {
  const a = arg as { appId?: unknown; keyId?: unknown; ids?: { clientId?: unknown; secretKeyId?: unknown } } | undefined;
  if (typeof a?.appId === 'string' && typeof a.keyId === 'string') return { appId: a.appId, keyId: a.keyId };
  if (typeof a?.ids?.clientId === 'string' && typeof a.ids.secretKeyId === 'string') return { appId: a.ids.clientId, keyId: a.ids.secretKeyId };
  return undefined;
}

export interface RenewOutcome extends Omit<ClientSecretRenewalResult, 'newSecret'> {
  newKeyId: string;
  kept: boolean;
}

export async function renewClientSecretCommand(deps: SetupDeps, arg?: unknown): Promise<RenewOutcome> {
  const target = renewTargetOf(arg);
  if (!target) {
    throw new ActionableError('Renew a client secret from its row in the Secret Server view (App registration → secret), or from the expiry warning\'s "Renew…" button.', 'invalidInput');
  }
  const services = deps.explorer.services;
  const ui = deps.ui();
  const server = await withSetupProgress('Finding the Secret Server that uses the app', (step) =>
    serverUsing(deps, step, (s) => s.principalId?.toLowerCase() === target.appId.toLowerCase(), `app ${target.appId}`),
  );
  const tenantId = server.settings.tenantId;
  const days = await pickOne(
    ui,
    [180, 365, 90].map((d) => ({ value: d, label: `${d} days` })),
    'Renew client secret: how long should the new secret be valid?',
  );
  const go = 'Renew and rotate';
  const confirmed = await ui.confirm(
    `Renew the client secret Secret Server ${server.label} uses?`,
    `${maintenanceConfirmation} A new secret is created and proven first; the old secret is kept until Secret Server is healthy with the new one.`,
    [go],
  );
  if (confirmed !== go) throw new ActionableError('Renewal cancelled; nothing was changed.', 'cancelled');
  const keepAnswer = await ui.confirm(
    'Keep the new client secret in VS Code?',
    "It goes to VS Code's secret storage (your OS keychain), never to settings or logs. Readiness checks and the next renewal or key rotation use it.",
    ['Keep in VS Code', "Don't keep"],
  );
  let kept = false;

  const cloud = services.cloud();
  const graph = await createGraphClient(cloud, interactiveCredential(deps, tenantId));
  const app = await getApplicationSecretsByAppId(graph, target.appId);
  if (!app) throw new ActionableError(`No app registration with client ID ${target.appId} exists in tenant ${tenantId}; check Secret Server's key management.`, 'notFound');

  try {
    const result = await withSetupProgress('Renewing the client secret', (step) =>
      renewClientSecret(
        { secrets: liveAppSecrets(graph, app.id), secretServer: liveSecretServer(server.session), probe: liveProbe(cloud, tenantId) },
        {
          appId: target.appId,
          oldKeyId: target.keyId,
          newSecretExpiresOn: new Date(services.now().getTime() + days * dayMs),
          onProgress: (p) => {
            step.report(p.message);
            services.log.info(`Renew client secret of ${target.appId}: ${p.step} ${p.phase}: ${p.message}`);
          },
          keepNewSecret:
            keepAnswer === 'Keep in VS Code'
              ? async (keyId, secretText) => {
                  await deps.stored.store({ tenantId, clientId: target.appId, keyId }, secretText, services.now());
                  kept = true;
                }
              : undefined,
          confirmRemoveOld: async () =>
            (await ui.confirm(
              'Secret Server uses the new secret and is healthy, and a wrap/unwrap with it works. Remove the old secret now?',
              'Anything else that still signs in with the old secret stops working.',
              ['Remove old secret', 'Keep it for now'],
            )) === 'Remove old secret',
        },
      ),
    );
    if (result.oldRemoved) await deps.stored.forget({ tenantId, clientId: target.appId, keyId: target.keyId });
    void ui.inform(
      `Client secret of ${app.displayName} renewed (new secret ${result.newSecret.hint ?? ''}…, ${result.newSecret.endDateTime ? `expires ${result.newSecret.endDateTime.slice(0, 10)}` : 'no expiry'}). ${result.oldRemoved ? 'The old secret was removed.' : 'The old secret was kept.'}`,
    );
    return { oldRemoved: result.oldRemoved, newKeyId: result.newSecret.keyId, kept };
  } finally {
    deps.explorer.secretServer.refresh();
  }
}
