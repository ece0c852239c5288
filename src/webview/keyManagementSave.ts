import * as l10n from '@vscode/l10n';
import { clientSecretKey } from '../auth/secretStore';
import { ActionableError } from '../core/actionableError';
import { maskSecrets } from '../core/secretMask';
import type { Finding } from '../core/readiness/finding';
import type { FormInput, HostMessage, ValidationStep } from '../protocol/keyManagementForm';
import { getRotationStatus } from '../secretServer/rotation';
import type { RotationStatus } from '../secretServer/rotationProgress';
import { updateKeyManagement, type KeyManagementConfig } from '../secretServer/keyManagement';
import type { SecretServerSession } from '../secretServer/session';
import type { LoadedConnection } from './connectionStateLoader';
import { errorSummary, hasErrors, readinessFieldErrors, serverErrorField, validateFieldFormat, type FieldErrors } from './formFieldValidation';
import { readinessForForm } from './formReadiness';
import type { KeyManagementFormDeps } from './keyManagementFormDeps';

// Save: the three validation levels, then the PUT. Field format first (no network), then the
// readiness rules with the live wrap/unwrap as the app, then Secret Server's own answer mapped to
// the field it concerns. The secret is read once into a local and never reaches a message, a log
// line or an error without being masked.

export type SaveOutcome =
  | { ok: true; config: KeyManagementConfig; since?: RotationStatus }
  | { ok: false; errors: FieldErrors; summary: string };

export interface SaveContext {
  deps: KeyManagementFormDeps;
  session: SecretServerSession;
  loaded: LoadedConnection;
  requestId: string;
  post(message: HostMessage): void;
}

function refused(errors: FieldErrors, summary = errorSummary(errors)): SaveOutcome {
  return { ok: false, errors, summary };
}

/** The current state refuses any change, whatever the form says (the server would refuse too). */
export function serverStateProblem(loaded: LoadedConnection): string | undefined {
  const { health, current, lastRotation } = loaded.state;
  if (health?.readOnlyMode) return l10n.t('Secret Server is in maintenance mode, and it refuses key management changes until maintenance mode is off.');
  if (lastRotation && !lastRotation.done) return l10n.t('A secret key rotation is still running; wait for it to finish (or cancel it) before changing key management.');
  if (current.kind !== 'none' && health?.keyManagementHealthy === false) {
    return l10n.t('Secret Server cannot use its current key management configuration{0}; a change needs the current configuration to work, so restore it first (for example re-grant the role or renew the client secret).', health.reason ? ` (${health.reason})` : '');
  }
  return undefined;
}

async function resolveSecret(deps: KeyManagementFormDeps, form: FormInput): Promise<string | undefined> {
  const source = form.secret;
  if (!source) return undefined;
  if (source.kind === 'typed') return source.value;
  return (await deps.secrets.get(clientSecretKey({ tenantId: form.tenantId.trim(), clientId: form.principalId.trim(), keyId: source.keyId }))) || undefined;
}

export async function saveKeyManagement(ctx: SaveContext, form: FormInput): Promise<SaveOutcome> {
  const { deps, session, loaded, requestId } = ctx;
  const progress = (step: ValidationStep, message: string) => ctx.post({ type: 'progress', requestId, step, message });
  const type = loaded.types.find((t) => t.id === form.typeId);
  const option = loaded.state.types.find((t) => t.id === form.typeId);
  const cloud = deps.cloud();

  progress('format', l10n.t('Checking the fields…'));
  const formatErrors = validateFieldFormat(form, option, cloud);
  if (hasErrors(formatErrors) || !type || !option) return refused(formatErrors);

  const stateProblem = serverStateProblem(loaded);
  if (stateProblem) return refused({}, stateProblem);

  let secret: string | undefined;
  if (option.kind === 'azureManagedHsm') {
    secret = await resolveSecret(deps, form);
    if (!secret) return refused({ principalSecret: l10n.t('VS Code stores no value for this client secret; type the secret value instead.') });
    const value = secret;
    progress('readiness', l10n.t('Checking the key and the app registration, including a live wrap and unwrap as the app…'));
    const check = deps.checkReadiness?.bind(deps) ?? readinessForForm((t) => deps.credential(t));
    let findings: Finding[];
    try {
      findings = await check({ cloud, tenantId: form.tenantId.trim(), keyUrl: form.keyUrl.trim(), appId: form.principalId.trim(), getSecret: async () => value, session, now: () => deps.now() });
    } catch (err) {
      const message = err instanceof ActionableError ? err.message : l10n.t('The readiness check failed unexpectedly; see the output channel.');
      deps.log.warn(maskSecrets(`Key management form: readiness check failed: ${err instanceof Error ? err.message : String(err)}`, [value]));
      return refused({}, maskSecrets(l10n.t('The key and app could not be checked, so they are not known to work: {0}', message), [value]));
    }
    const readinessErrors = readinessFieldErrors(findings);
    if (hasErrors(readinessErrors)) {
      for (const k of Object.keys(readinessErrors) as (keyof FieldErrors)[]) readinessErrors[k] = maskSecrets(readinessErrors[k] ?? '', [value]);
      return refused(readinessErrors, l10n.t('Not saved: the readiness check found problems. {0}', errorSummary(readinessErrors)));
    }
  }

  progress('server', l10n.t('Secret Server is validating the new configuration…'));
  // Read before the PUT, so the follower does not take the previous run's result for this one's.
  const since = await getRotationStatus(session).catch(() => undefined);
  try {
    const config = await updateKeyManagement(session, {
      type,
      azureManagedHsm:
        option.kind === 'azureManagedHsm' && secret !== undefined
          ? { tenantId: form.tenantId, principalId: form.principalId, principalSecret: secret, keyUrl: form.keyUrl }
          : undefined,
    });
    progress('saving', l10n.t('Saved. Maintenance mode is being enabled and a secret key rotation triggered…'));
    return { ok: true, config, since };
  } catch (err) {
    if (!(err instanceof ActionableError)) throw err;
    const message = maskSecrets(err.message, secret ? [secret] : []);
    deps.log.warn(`Key management form: Secret Server refused the configuration: ${maskSecrets(err.detail, secret ? [secret] : [])}`);
    const field = serverErrorField(message, err.code);
    return field ? refused({ [field]: message }, l10n.t('Secret Server refused the configuration.')) : refused({}, message);
  }
}
