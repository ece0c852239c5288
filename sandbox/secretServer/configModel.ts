import { providerByKind, providerTypes } from './providerTypes';
import type { KeyManagementConfig } from './state';

/**
 * `KeyManagementConfigModel`. Secrets are never returned: `awsKmsSecretAccessKey` and
 * `azureManagedHsmPrincipalSecret` are always "". `keyManagementTypes` is a sandbox addition that
 * publishes the sandbox's type-id table; a real server does not send it.
 */
export function configModel(config: KeyManagementConfig): Record<string, unknown> {
  const provider = providerByKind(config.kind);
  const hsm = config.azureManagedHsm;
  return {
    keyManagementConfigId: config.keyManagementConfigId,
    keyManagementTypeId: provider.id,
    keyManagementTypeName: provider.name,
    awsKmsAccessKeyId: '',
    awsKmsKeyArn: '',
    awsKmsKeyId: '',
    awsKmsSecretAccessKey: '',
    azureManagedHsmTenantId: hsm?.tenantId ?? '',
    azureManagedHsmPrincipalId: hsm?.principalId ?? '',
    azureManagedHsmPrincipalSecret: '',
    azureManagedHsmKeyUrl: hsm?.keyUrl ?? '',
    keyManagementTypes: providerTypes.map((p) => ({ id: p.id, name: p.name })),
  };
}

export const stubConfig: KeyManagementConfig = { keyManagementConfigId: 0, kind: 'None' };
