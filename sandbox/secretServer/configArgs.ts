import { invalidField, badRequest } from './errorStyle';
import { providerById, providerTypes } from './providerTypes';
import type { ProviderKind } from './state';

// `KeyManagementConfigUpdateArgs`: the flat PUT body. Every field is checked for type and size
// before anything is called or changed. Unknown properties are ignored, as ASP.NET model binding
// ignores them; the known ones must have the documented type.

/** Settings as received: the secret in the clear, in memory only. */
export interface AzureManagedHsmInput {
  tenantId: string;
  principalId: string;
  principalSecret: string;
  keyUrl: string;
}

export interface ConfigArgs {
  kind: ProviderKind;
  azureManagedHsm?: AzureManagedHsmInput;
}

const stringFields = [
  'awsKmsAccessKeyId',
  'awsKmsSecretAccessKey',
  'awsKmsKeyArn',
  'awsKmsKeyId',
  'azureKeyVaultBaseUrl',
  'azureKeyVaultKeyName',
  'azureKeyVaultKeyVersion',
  'azureKeyVaultPrincipalId',
  'azureKeyVaultPrincipalSecret',
  'azureManagedHsmKeyUrl',
  'azureManagedHsmPrincipalId',
  'azureManagedHsmPrincipalSecret',
  'azureManagedHsmTenantId',
] as const;

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxLength = 2048;

export function parseConfigArgs(body: Record<string, unknown>): ConfigArgs {
  const typeId = body.keyManagementTypeId;
  if (typeId === undefined || typeId === null) throw invalidField('keyManagementTypeId', "'keyManagementTypeId' is required.");
  if (typeof typeId !== 'number' || !Number.isInteger(typeId)) throw invalidField('keyManagementTypeId', "'keyManagementTypeId' must be an integer.");
  const provider = providerById(typeId);
  if (!provider) {
    throw invalidField('keyManagementTypeId', `'${typeId}' is not a key management type. Known types: ${providerTypes.map((p) => `${p.id} = ${p.name}`).join(', ')}.`);
  }

  const strings: Partial<Record<(typeof stringFields)[number], string>> = {};
  for (const field of stringFields) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw invalidField(field, `'${field}' must be a string.`);
    if (value.length > maxLength) throw invalidField(field, `'${field}' is limited to ${maxLength} characters.`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw invalidField(field, `'${field}' contains control characters.`);
    strings[field] = value;
  }

  switch (provider.kind) {
    case 'None':
      return { kind: 'None' };
    case 'AwsKms':
      throw badRequest('API_KeyManagementProviderUnavailable', 'AWS KMS cannot be validated: this Secret Server (sandbox) has no route to AWS. Use Azure Managed HSM or None.');
    case 'AzureKeyVault':
      throw badRequest('API_KeyManagementProviderNotSupported', 'Azure Key Vault is not supported for key management. Use a key in Azure Key Vault Managed HSM (type AzureManagedHsm).');
    case 'AzureManagedHsm': {
      const tenantId = (strings.azureManagedHsmTenantId ?? '').trim();
      const principalId = (strings.azureManagedHsmPrincipalId ?? '').trim();
      const principalSecret = strings.azureManagedHsmPrincipalSecret ?? '';
      const keyUrl = (strings.azureManagedHsmKeyUrl ?? '').trim();
      const missing: Record<string, string[]> = {};
      if (!tenantId) missing['args.azureManagedHsmTenantId'] = ['The Azure Managed HSM tenant ID is required.'];
      if (!principalId) missing['args.azureManagedHsmPrincipalId'] = ['The Azure Managed HSM principal (client) ID is required.'];
      if (!principalSecret) missing['args.azureManagedHsmPrincipalSecret'] = ['The Azure Managed HSM principal secret is required.'];
      if (!keyUrl) missing['args.azureManagedHsmKeyUrl'] = ['The Azure Managed HSM key URL is required.'];
      const names = Object.keys(missing);
      if (names.length) throw badRequest('API_ValidationFailed', `The request is invalid. Missing: ${names.map((n) => n.slice(5)).join(', ')}.`, { modelState: missing });
      if (!guid.test(tenantId)) throw invalidField('azureManagedHsmTenantId', 'The Azure Managed HSM tenant ID must be a GUID (the Directory (tenant) ID).');
      if (!guid.test(principalId)) throw invalidField('azureManagedHsmPrincipalId', 'The Azure Managed HSM principal ID must be a GUID (the Application (client) ID).');
      if (principalSecret.length > 1024) throw invalidField('azureManagedHsmPrincipalSecret', 'The principal secret is limited to 1024 characters.');
      return { kind: 'AzureManagedHsm', azureManagedHsm: { tenantId: tenantId.toLowerCase(), principalId: principalId.toLowerCase(), principalSecret, keyUrl } };
    }
  }
}
