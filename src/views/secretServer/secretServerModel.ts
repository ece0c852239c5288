import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';
import type { SecretServerHealth } from '../../secretServer/health';
import type { ClientSecretInfo } from '../../azure/graph/clientSecrets';
import type { KeyInfo } from '../../azure/keys';
import type { ManagedHsmInfo } from '../../azure/managedHsms';
import type { KeyManagementConfig } from '../../secretServer/keyManagement';
import type { RotationProgress } from '../../secretServer/rotationProgress';
import type { Loaded } from '../azure/azureTreeModel';
import type { SecretServerConnection } from './connectionStore';

// What the Secret Server tree shows for one connection: its key management configuration and,
// for Azure Managed HSM, the key (resolved to its HSM and version) and the app registration with
// its client secrets. Each part loads on its own, so a Graph refusal does not hide the key.

export interface ResolvedKey {
  /** The HSM the key URL points at, when one of the signed-in account's HSMs has that URI. */
  hsm?: ManagedHsmInfo;
  /** Host of the key URL (what is shown when the HSM is not found). */
  host: string;
  name: string;
  /** The version Secret Server uses: the pinned one, or the current one for a versionless URL. */
  key: KeyInfo;
  pinned: boolean;
}

export interface AppRegistrationState {
  displayName: string;
  appId: string;
  objectId: string;
  secrets: ClientSecretInfo[];
}

export interface KeyManagementState {
  config: KeyManagementConfig;
  rotation: Loaded<RotationProgress>;
  readOnly: Loaded<boolean>;
  /** The server's healthcheck: unhealthy when, e.g., its client secret expired or the key version is disabled. */
  health: Loaded<SecretServerHealth>;
  key?: Loaded<ResolvedKey>;
  app?: Loaded<AppRegistrationState>;
}

export interface SecretServerLoaders {
  keyManagement(connection: SecretServerConnection): Promise<KeyManagementConfig>;
  rotation(connection: SecretServerConnection): Promise<RotationProgress>;
  readOnlyMode(connection: SecretServerConnection): Promise<boolean>;
  health(connection: SecretServerConnection): Promise<SecretServerHealth>;
  resolveKey(keyUrl: string, tenantId: string | undefined): Promise<ResolvedKey>;
  appRegistration(tenantId: string, clientId: string): Promise<AppRegistrationState>;
}

export class SecretServerModel {
  private readonly cache = new Map<string, Promise<Loaded<KeyManagementState>>>();

  /** `onLoaded` sees every fresh load (the expiry watch feeds on it). */
  constructor(
    private readonly loaders: SecretServerLoaders,
    private readonly onLoaded?: (connection: SecretServerConnection, state: Loaded<KeyManagementState>) => void,
  ) {}

  keyManagement(connection: SecretServerConnection): Promise<Loaded<KeyManagementState>> {
    let entry = this.cache.get(connection.id);
    if (!entry) {
      entry = this.load(connection).then((state) => {
        this.onLoaded?.(connection, state);
        return state;
      });
      this.cache.set(connection.id, entry);
    }
    return entry;
  }

  invalidate(connectionId?: string): void {
    if (connectionId === undefined) this.cache.clear();
    else this.cache.delete(connectionId);
  }

  private async load(connection: SecretServerConnection): Promise<Loaded<KeyManagementState>> {
    let config: KeyManagementConfig;
    try {
      config = await this.loaders.keyManagement(connection);
    } catch (err) {
      return { ok: false, error: asActionable(err, l10n.t('read the key management of {0}', connection.url)) };
    }
    const hsm = config.provider === 'azureManagedHsm' ? config.azureManagedHsm : undefined;
    const [rotation, readOnly, health, key, app] = await Promise.all([
      settle(() => this.loaders.rotation(connection), l10n.t('read the secret key rotation state')),
      settle(() => this.loaders.readOnlyMode(connection), l10n.t('read the read-only (maintenance) mode')),
      settle(() => this.loaders.health(connection), l10n.t('read Secret Server\'s health')),
      hsm?.keyUrl ? settle(() => this.loaders.resolveKey(hsm.keyUrl!, hsm.tenantId), l10n.t('resolve the key {0}', hsm.keyUrl)) : Promise.resolve(undefined),
      hsm?.tenantId && hsm.principalId
        ? settle(() => this.loaders.appRegistration(hsm.tenantId!, hsm.principalId!), l10n.t('read the app registration {0}', hsm.principalId))
        : Promise.resolve(undefined),
    ]);
    return { ok: true, value: { config, rotation, readOnly, health, key, app } };
  }
}

async function settle<T>(load: () => Promise<T>, what: string): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (err) {
    return { ok: false, error: asActionable(err, what) };
  }
}

function asActionable(err: unknown, what: string): ActionableError {
  if (err instanceof ActionableError) return err;
  return new ActionableError(l10n.t('Could not {0}: {1}', what, (err as Error)?.message ?? String(err)), 'unexpected');
}
