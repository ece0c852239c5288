import * as l10n from '@vscode/l10n';
import { createApplication, findApplicationsByDisplayName, type AppRegistration } from '../../azure/graph/applications';
import { addClientSecret as addPassword, listClientSecrets, type NewClientSecret } from '../../azure/graph/clientSecrets';
import type { GraphClient } from '../../azure/graph/graphClient';
import { ensureServicePrincipal } from '../../azure/graph/servicePrincipals';
import { ActionableError } from '../../core/actionableError';
import { chooseAppRegistration } from './appRegistrationPicker';
import { clientSecretDescriptionProblem, clientSecretExpiry, clientSecretExpiryMonths, defaultClientSecretExpiryMonths } from './clientSecretExpiry';
import { withSetupProgress } from './progress';
import { handOffClientSecret, type HandOffResult } from './secretHandOff';
import { graphFor, type SetupDeps } from './setupDeps';
import { resolveTenant } from './setupTargets';
import type { SetupUi } from './setupUi';
import { answered, runWizard, type WizardStep } from './wizard';

// Task 1 steps 1–10 of the seed as one command: an app registration, its service principal (what
// the HSM role is given to) and a client secret with a bounded expiry; and "Add client secret" for
// an app that exists. The secret is handed off once (secretHandOff.ts).

export interface AppSetupResult {
  tenantId: string;
  clientId: string;
  applicationObjectId: string;
  servicePrincipalObjectId?: string;
  secretKeyId: string;
  secretExpiresOn?: string;
  handOff: HandOffResult;
}

interface SecretAnswers {
  name: string;
  description: string;
  months: number;
}

/** The wizard's steps, asking through `ui`. */
function secretSteps(ui: SetupUi): Record<'name' | 'description' | 'expiry', WizardStep<SecretAnswers>> {
  return {
    name: async (s, info) => {
      const answer = answered(
        await ui.input({
          ...info,
          title: l10n.t('Create app registration for Secret Server'),
          prompt: l10n.t('Name of the new app registration'),
          value: s.name,
          validate: (v) => (v.trim().length === 0 ? l10n.t('Give the app registration a name.') : v.trim().length > 120 ? l10n.t('Keep the name to 120 characters or fewer.') : undefined),
        }),
      );
      if (answer === 'back') return 'back';
      s.name = answer.trim();
      return 'next';
    },
    description: async (s, info) => {
      const answer = answered(await ui.input({ ...info, title: l10n.t('New client secret'), prompt: l10n.t('Description of the client secret'), value: s.description, validate: clientSecretDescriptionProblem }));
      if (answer === 'back') return 'back';
      s.description = answer.trim();
      return 'next';
    },
    expiry: async (s, info) => {
      const answer = answered(
        await ui.pick(
          clientSecretExpiryMonths.map((m) => ({ value: m, label: l10n.t('{0} months', m), description: m === defaultClientSecretExpiryMonths ? l10n.t('recommended') : undefined, picked: m === s.months })),
          { ...info, title: l10n.t('New client secret: expiry'), placeHolder: l10n.t('Renew it in Secret Server before it expires, or Secret Server loses access to its key') },
        ),
      );
      if (answer === 'back') return 'back';
      s.months = answer.value;
      return 'next';
    },
  };
}

export async function createAppRegistrationCommand(deps: SetupDeps, node?: unknown): Promise<AppSetupResult> {
  const tenantId = await resolveTenant(deps, node, l10n.t('Create app registration for Secret Server'));
  const answers: SecretAnswers = { name: 'Secret Server', description: l10n.t('Secret Server'), months: defaultClientSecretExpiryMonths };
  const steps = secretSteps(deps.ui());
  await runWizard(answers, [steps.name, steps.description, steps.expiry]);
  const graph = await graphFor(deps, tenantId);
  const created = await withSetupProgress(l10n.t('Creating app registration \'{0}\'', answers.name), async (step) => {
    step.report(l10n.t('looking for an unfinished earlier run…'));
    const unfinished = await unfinishedApp(graph, answers.name, step.signal);
    let app = unfinished;
    if (!app) {
      step.report(l10n.t('creating the application…'));
      app = await createApplication(graph, answers.name, { abortSignal: step.signal });
    }
    // Past this point the app exists: a failure says so, and running the command again with the
    // same name finishes it (the lookup above) instead of creating a second app.
    const made: AppRegistration = app;
    // One whole sentence per step (not a step name glued into a shared sentence), for translators.
    const finish = async <T>(failed: (app: AppRegistration, reason: string) => string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (err) {
        if (!(err instanceof ActionableError) || err.kind === 'cancelled') throw err;
        throw new ActionableError(failed(made, err.message), err.kind, err.detail);
      }
    };
    step.report(l10n.t('creating its service principal…'));
    const sp = await finish(
      (a, reason) =>
        l10n.t(
          'App registration \'{0}\' (client ID {1}) exists, but creating its service principal failed: {2} Run "Create App Registration" again with the same name to finish it; nothing is created twice.',
          a.displayName,
          a.appId,
          reason,
        ),
      () => ensureServicePrincipal(graph, made.appId, { abortSignal: step.signal }),
    );
    step.report(l10n.t('adding the client secret…'));
    const secret = await finish(
      (a, reason) =>
        l10n.t(
          'App registration \'{0}\' (client ID {1}) exists, but adding its client secret failed: {2} Run "Create App Registration" again with the same name to finish it; nothing is created twice.',
          a.displayName,
          a.appId,
          reason,
        ),
      () => newSecret(deps, graph, made, answers, step.signal),
    );
    return { app: made, sp: sp.servicePrincipal, secret, resumed: unfinished !== undefined };
  });
  if (created.resumed) await deps.ui().inform(l10n.t('Finished the app registration \'{0}\' (client ID {1}) that an earlier run left without a client secret.', created.app.displayName, created.app.appId));
  deps.explorer.services.log.info(`Created app registration '${created.app.displayName}' (client ID ${created.app.appId}, service principal ${created.sp.id}) in tenant ${tenantId} with client secret ${created.secret.keyId}.`);
  const handOff = await handOffClientSecret(deps, { tenantId, clientId: created.app.appId, displayName: created.app.displayName }, created.secret);
  deps.explorer.secretServer.refresh();
  return {
    tenantId,
    clientId: created.app.appId,
    applicationObjectId: created.app.id,
    servicePrincipalObjectId: created.sp.id,
    secretKeyId: created.secret.keyId,
    secretExpiresOn: created.secret.endDateTime,
    handOff,
  };
}

export async function addClientSecretCommand(deps: SetupDeps, node?: unknown): Promise<AppSetupResult> {
  const tenantId = await resolveTenant(deps, node, l10n.t('Add client secret'));
  const graph = await graphFor(deps, tenantId);
  const app = await chooseAppRegistration(deps, graph, tenantId, node, l10n.t('Add client secret'));
  const answers: SecretAnswers = { name: app.displayName, description: l10n.t('Secret Server'), months: defaultClientSecretExpiryMonths };
  const steps = secretSteps(deps.ui());
  await runWizard(answers, [steps.description, steps.expiry]);
  const secret = await withSetupProgress(l10n.t('Adding a client secret to \'{0}\'', app.displayName), (step) => newSecret(deps, graph, app, answers, step.signal));
  deps.explorer.services.log.info(`Added client secret ${secret.keyId} to app '${app.displayName}' (client ID ${app.appId}), expiring ${secret.endDateTime ?? 'unknown'}.`);
  const handOff = await handOffClientSecret(deps, { tenantId, clientId: app.appId, displayName: app.displayName }, secret);
  deps.explorer.secretServer.refresh();
  return { tenantId, clientId: app.appId, applicationObjectId: app.id, secretKeyId: secret.keyId, secretExpiresOn: secret.endDateTime, handOff };
}

function newSecret(deps: SetupDeps, graph: GraphClient, app: AppRegistration, answers: SecretAnswers, abortSignal: AbortSignal): Promise<NewClientSecret> {
  return addPassword(graph, app.id, { displayName: answers.description, expiresOn: clientSecretExpiry(deps.explorer.services.now(), answers.months) }, { abortSignal });
}

/**
 * The app an interrupted earlier run left behind: the one app of this name, without a client
 * secret. An app of this name that has secrets is someone's working setup, so the command
 * refuses rather than adding a second app of the same name.
 */
async function unfinishedApp(graph: GraphClient, name: string, abortSignal: AbortSignal): Promise<AppRegistration | undefined> {
  const same = await findApplicationsByDisplayName(graph, name, { abortSignal });
  if (same.length === 0) return undefined;
  if (same.length === 1 && (await listClientSecrets(graph, same[0].id, { abortSignal })).length === 0) return same[0];
  throw new ActionableError(
    l10n.t('Could not create the app registration: \'{0}\' already exists (client ID {1}); run "Add Client Secret" to give it a new secret, or choose another name.', name, same.map((a) => a.appId).join(', ')),
    'conflict',
  );
}
