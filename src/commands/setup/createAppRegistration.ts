import * as l10n from '@vscode/l10n';
import { createApplication, findApplicationsByDisplayName, type AppRegistration } from '../../azure/graph/applications';
import { addClientSecret as addPassword, listClientSecrets, removeClientSecret, type NewClientSecret } from '../../azure/graph/clientSecrets';
import type { GraphClient } from '../../azure/graph/graphClient';
import { ensureServicePrincipal, getServicePrincipalByAppId } from '../../azure/graph/servicePrincipals';
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
      app = await createStep(graph, answers.name, step.signal);
    }
    // Past this point the app exists: a failure says what exists, and running the command again
    // with the same name finishes it (the lookup above) instead of creating a second app.
    const made: AppRegistration = app;
    let hasSp = false;
    // Whole sentences per step and state (not a step name glued into a shared sentence), for translators.
    const finish = async <T>(failed: (reason: string) => string, work: () => Promise<T>, undo?: () => Promise<string>): Promise<T> => {
      try {
        return await work();
      } catch (err) {
        if (!(err instanceof ActionableError) || err.kind === 'cancelled') throw err;
        const undone = undo ? await undo() : '';
        throw new ActionableError(
          `${failed(err.message)}${undone} ${l10n.t('Run "Create App Registration" again with the same name to finish it; nothing is created twice.')}`,
          err.kind,
          err.detail,
        );
      }
    };
    step.report(l10n.t('creating its service principal…'));
    const sp = await finish(
      (reason) =>
        hasSp
          ? l10n.t("App registration '{0}' (client ID {1}) exists with its service principal and without a client secret: creating its service principal failed: {2}", made.displayName, made.appId, reason)
          : l10n.t("App registration '{0}' (client ID {1}) exists without a service principal and without a client secret: creating its service principal failed: {2}", made.displayName, made.appId, reason),
      () => ensureServicePrincipal(graph, made.appId, { abortSignal: step.signal }),
      // A cut answer may hide a service principal that was made: the message says what exists.
      async () => {
        hasSp = (await getServicePrincipalByAppId(graph, made.appId, { abortSignal: step.signal }).catch(() => undefined)) !== undefined;
        return '';
      },
    );
    hasSp = true;
    step.report(l10n.t('adding the client secret…'));
    const secret = await finish(
      (reason) => l10n.t("App registration '{0}' (client ID {1}) exists with its service principal and without a client secret: adding its client secret failed: {2}", made.displayName, made.appId, reason),
      () => newSecret(deps, graph, made, answers, step.signal),
      () => removeLostSecrets(graph, made, step.signal),
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
 * Creates the application; when that fails, says whether it exists all the same (a connection cut
 * after the service acted), since the next run's lookup by name then finishes it.
 */
async function createStep(graph: GraphClient, name: string, abortSignal: AbortSignal): Promise<AppRegistration> {
  try {
    return await createApplication(graph, name, { abortSignal });
  } catch (err) {
    if (!(err instanceof ActionableError) || err.kind === 'cancelled') throw err;
    const found = await findApplicationsByDisplayName(graph, name, { abortSignal }).catch(() => undefined);
    const state =
      found === undefined
        ? l10n.t('It may or may not have been created.')
        : found.length > 0
          ? l10n.t('It was created all the same (client ID {0}), without a service principal or client secret.', found.map((a) => a.appId).join(', '))
          : l10n.t('Nothing was created.');
    throw new ActionableError(l10n.t('Creating the application \'{0}\' failed: {1} {2} Run "Create App Registration" again with the same name; it finishes an unfinished app instead of creating a second one.', name, err.message, state), err.kind, err.detail);
  }
}

/**
 * After a failed addPassword the app may hold a secret whose value never arrived (a connection
 * cut after the service acted): nobody can use it and it would make the app look finished, so
 * it is removed. The app had no secret before this run (see unfinishedApp). Returns a sentence
 * for the error message.
 */
async function removeLostSecrets(graph: GraphClient, app: AppRegistration, abortSignal: AbortSignal): Promise<string> {
  try {
    const lost = await listClientSecrets(graph, app.id, { abortSignal });
    for (const s of lost) await removeClientSecret(graph, app.id, s.keyId, { abortSignal });
    return lost.length > 0 ? ` ${l10n.t('The service had added the secret without returning its value, so it was removed again.')}` : '';
  } catch {
    return ` ${l10n.t('A client secret whose value never arrived may exist on it: remove it under Certificates & secrets before running the command again.')}`;
  }
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
