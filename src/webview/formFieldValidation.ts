import * as l10n from '@vscode/l10n';
import type { AzureCloud } from '../azure/cloud';
import { parseKeyIdentifier } from '../core/keyIdentifier';
import type { Finding } from '../core/readiness/finding';
import type { FieldName, FormInput, TypeOption } from '../protocol/keyManagementForm';

// The form's first validation level (field format) and the mapping of the later levels' answers —
// readiness findings and the server's own error — to the field they concern. Pure: no VS Code,
// no network, so every rule is unit-tested.

export type FieldErrors = Partial<Record<FieldName, string>>;

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function hsmHostHint(cloud: AzureCloud): string {
  if (cloud.managedHsmDnsSuffix) return `https://<hsm-name>.${cloud.managedHsmDnsSuffix}/keys/<key-name>[/<version>]`;
  const origin = cloud.managedHsmOrigins?.[0] ?? 'https://<hsm>';
  return `${origin}/keys/<key-name>[/<version>]`;
}

/** Level 1: what can be judged from the typed values alone. Empty when all fields are well-formed. */
export function validateFieldFormat(form: FormInput, type: TypeOption | undefined, cloud: AzureCloud): FieldErrors {
  const errors: FieldErrors = {};
  if (!type) {
    errors.type = l10n.t('Choose a key management type this server offers.');
    return errors;
  }
  if (type.kind === 'other') errors.type = l10n.t('"{0}" cannot be configured from VS Code; choose None or Azure Managed HSM.', type.name);
  if (!form.confirmed) errors.confirm = l10n.t('Confirm that maintenance mode will be enabled and a secret key rotation triggered.');
  if (type.kind !== 'azureManagedHsm') return errors;

  if (!guid.test(form.tenantId.trim())) errors.tenantId = l10n.t('Enter the Directory (tenant) ID: a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47.');
  if (!guid.test(form.principalId.trim())) errors.principalId = l10n.t('Enter the app registration\'s Application (client) ID: a GUID.');
  if (!form.secret || (form.secret.kind === 'typed' && form.secret.value.trim() === '')) {
    errors.principalSecret = l10n.t('Type the client secret\'s value, or use the secret VS Code stores for this app.');
  }
  const parsed = parseKeyIdentifier(form.keyUrl, { dnsSuffix: cloud.managedHsmDnsSuffix, origins: cloud.managedHsmOrigins });
  if (!parsed.ok) errors.keyUrl = `${parsed.reason} Expected ${hsmHostHint(cloud)}.`;
  return errors;
}

// Readiness rules that decide whether this key and this app will work for Secret Server. Rules
// about the server's current state are judged from its health instead, and advice-only rules
// (backups, region) never block a save.
const blockingFieldOf: Record<string, FieldName | undefined> = {
  'key.enabled': 'keyUrl',
  'key.activation': 'keyUrl',
  'key.expiry': 'keyUrl',
  'key.operations': 'keyUrl',
  'key.size': 'keyUrl',
  'key.type': 'keyUrl',
  'hsm.activated': 'keyUrl',
  'access.role': 'principalId',
  'access.probe': 'principalSecret',
  'clientSecrets.expiry': 'principalSecret',
};

/** Level 2: failing readiness findings as field errors; findings that only warn do not block. */
export function readinessFieldErrors(findings: readonly Finding[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of findings) {
    if (f.status !== 'fail' || f.reminder) continue;
    const field = blockingFieldOf[f.id];
    if (!field) continue;
    const field2 = f.id === 'access.probe' ? probeField(f.reason) : field;
    errors[field2] = errors[field2] ? `${errors[field2]} ${f.reason}` : f.reason;
  }
  // Known to work means the live test passed: a probe that could not run proves nothing.
  const probe = findings.find((f) => f.id === 'access.probe');
  if (!errors.principalSecret && !errors.principalId && !errors.keyUrl && !errors.tenantId && probe?.status !== 'pass') {
    errors.principalSecret = probe ? probe.reason : l10n.t('The live wrap and unwrap with these credentials did not run, so they are not known to work.');
  }
  return errors;
}

// The probe signs in as the app first: a sign-in failure is the secret's (or the ids') fault; a
// refused read, wrap or unwrap is the role's; anything else the key's.
function probeField(reason: string): FieldName {
  if (/AADSTS700016|application with identifier/i.test(reason)) return 'principalId';
  if (/AADSTS90002|AADSTS900023|tenant .*not found/i.test(reason)) return 'tenantId';
  if (/signing in as the app/i.test(reason)) return 'principalSecret';
  if (/forbidden|denied|not authori[sz]ed|permission|role/i.test(reason)) return 'principalId';
  return 'keyUrl';
}

// Error codes as Secret Server (and the sandbox, which mirrors its wording) sends them, with or
// without the API_ prefix.
const fieldOfCode: [RegExp, FieldName][] = [
  [/TenantNotFound|AADSTS90002/i, 'tenantId'],
  [/ApplicationNotFound|AADSTS700016|AccessDenied|TokenRejected/i, 'principalId'],
  [/ClientSecret|AADSTS7000215|AADSTS7000222|SignIn/i, 'principalSecret'],
  [/ManagedHsm|KeyVault|KeyUrl/i, 'keyUrl'],
];

/** Level 3: the field the server's refusal concerns, or undefined for a refusal of the whole form. */
export function serverErrorField(message: string, code?: string): FieldName | undefined {
  if (code) for (const [pattern, field] of fieldOfCode) if (pattern.test(code)) return field;
  const m = message.toLowerCase();
  // Refusals of the change as such (maintenance mode, a running rotation, a missing permission).
  if (/maintenance|read-only|rotation is in progress|permission|licen[cs]e/.test(m)) return undefined;
  if (/principal ?secret|client secret|aadsts7000215|aadsts7000222|invalid_client|secret value/.test(m)) return 'principalSecret';
  if (/aadsts700016|principal ?(\(client\) )?id|client id|application id|crypto user|accessdenied/.test(m)) return 'principalId';
  if (/aadsts90002|tenant/.test(m)) return 'tenantId';
  if (/key ?url|key identifier|managed ?hsm|key type|oct-hsm|wrap|unwrap|\bkey\b(?! management)/.test(m)) return 'keyUrl';
  if (/key management type/.test(m)) return 'type';
  return undefined;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

export function errorSummary(errors: FieldErrors): string {
  const n = Object.keys(errors).length;
  return n === 1 ? l10n.t('One field needs attention before saving.') : l10n.t('{0} fields need attention before saving.', n);
}
