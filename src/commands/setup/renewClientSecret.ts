import * as l10n from '@vscode/l10n';
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

export const maintenanceConfirmation = l10n.t('Maintenance Mode will be enabled and a Secret Key Rotation will be triggered.');

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
    throw new ActionableError(l10n.t('Renew a client secret from its row in the Secret Server view (App registration → secret), or from the expiry warning\'s "Renew…" button.'), 'invalidInput');
  }
  const services = deps.explorer.services;
  const ui = deps.ui();
  const server = await withSetupProgress(l10n.t('Finding the Secret Server that uses the app'), (step) =>
    serverUsing(deps, step, (s) => s.principalId?.toLowerCase() === target.appId.toLowerCase(), `app ${target.appId}`),
  );
  const tenantId = server.settings.tenantId;
  const days = await pickOne(
    ui,
    [180, 365, 90].map((d) => ({ value: d, label: `${d} days` })),
    l10n.t('Renew client secret: how long should the new secret be valid?'),
  );
  const go = l10n.t('Renew and rotate');
  const confirmed = await ui.confirm(
    l10n.t('Renew the client secret Secret Server {0} uses?', server.label),
    l10n.t('{0} A new secret is created and proven first; the old secret is kept until Secret Server is healthy with the new one.', maintenanceConfirmation),
    [go],
  );
  if (confirmed !== go) throw new ActionableError(l10n.t('Renewal cancelled; nothing was changed.'), 'cancelled');
  const keepAnswer = await ui.confirm(
    l10n.t('Keep the new client secret in VS Code?'),
    l10n.t('It goes to VS Code\'s secret storage (your OS keychain), never to settings or logs. Readiness checks and the next renewal or key rotation use it.'),
    [l10n.t('Keep in VS Code'), "Don't keep"],
  );
  let kept = false;

  const cloud = services.cloud();
  const graph = await createGraphClient(cloud, interactiveCredential(deps, tenantId));
  const app = await getApplicationSecretsByAppId(graph, target.appId);
  if (!app) throw new ActionableError(l10n.t('No app registration with client ID {0} exists in tenant {1}; check Secret Server\'s key management.', target.appId, tenantId), 'notFound');

  try {
    const result = await withSetupProgress(l10n.t('Renewing the client secret'), (step) =>
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
            keepAnswer === l10n.t('Keep in VS Code')
              ? async (keyId, secretText) => {
                  await deps.stored.store({ tenantId, clientId: target.appId, keyId }, secretText, services.now());
                  kept = true;
                }
              : undefined,
          confirmRemoveOld: async () =>
            (await ui.confirm(
              l10n.t('Secret Server uses the new secret and is healthy, and a wrap/unwrap with it works. Remove the old secret now?'),
              l10n.t('Anything else that still signs in with the old secret stops working.'),
              [l10n.t('Remove old secret'), l10n.t('Keep it for now')],
            )) === l10n.t('Remove old secret'),
        },
      ),
    );
    if (result.oldRemoved) await deps.stored.forget({ tenantId, clientId: target.appId, keyId: target.keyId });
    void ui.inform(
      l10n.t('Client secret of {0} renewed (new secret {1}…, {2}). {3}', app.displayName, result.newSecret.hint ?? '', result.newSecret.endDateTime ? `expires ${result.newSecret.endDateTime.slice(0, 10)}` : l10n.t('no expiry'), result.oldRemoved ? l10n.t('The old secret was removed.') : l10n.t('The old secret was kept.')),
    );
    return { oldRemoved: result.oldRemoved, newKeyId: result.newSecret.keyId, kept };
  } finally {
    deps.explorer.secretServer.refresh();
  }
}
