import type { TokenCredential } from '@azure/core-auth';
// Types resolve like the dynamic import() below (the package's ESM build), so they are the same classes.
import type { DeletedKey, KeyClient, KeyProperties, KeyRotationPolicy, KeyVaultKey } from '@azure/keyvault-keys' with { 'resolution-mode': 'import' };
import * as l10n from '@vscode/l10n';
import { ActionableError } from '../core/actionableError';
import { formatKeyIdentifier, keyNameProblem } from '../core/keyIdentifier';
import { resolveHsmEndpoint } from './hsmEndpoint';
import { secretServerKeySpec } from '../core/secretServerKey';
import { tlsOptionsFor, type AzureCloud } from './cloud';
import { serviceDateClientOptions } from './serviceDatePolicy';
import { toActionableError } from './azureErrors';
import { nextLinkRecorderPolicy, withNextLink } from './nextLinkRecorder';

// Managed HSM keys on @azure/keyvault-keys, returned as plain data: views and commands never see
// an SDK class, and every failure leaves here as an ActionableError. The SDK is loaded on first
// use (not at activation): see clientFor().

export type HsmKeyType = 'oct-HSM' | 'RSA-HSM' | 'EC-HSM';

export interface KeyInfo {
  name: string;
  /** The key identifier (kid): versioned, except for entries of a plain key listing. */
  id: string;
  versionlessId: string;
  /** Undefined for entries of a plain key listing (they describe the current version). */
  version?: string;
  /** Only known when the key itself was read (not for list entries). */
  keyType?: string;
  /** Bits for RSA and EC keys. The service never reports the size of an oct-HSM key. */
  keySize?: number;
  keyOps?: string[];
  enabled: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  createdOn?: Date;
  updatedOn?: Date;
  tags: Record<string, string>;
  recoveryLevel?: string;
  recoverableDays?: number;
  exportable?: boolean;
  /** True for keys whose lifetime a service (not the user) manages. */
  managed?: boolean;
}

export interface DeletedKeyInfo extends KeyInfo {
  recoveryId?: string;
  deletedOn?: Date;
  scheduledPurgeDate?: Date;
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; undefined on the last page. */
  continuationToken?: string;
}

export interface PageRequest {
  continuationToken?: string;
  /** 1–25; the service's default is 25. */
  maxPageSize?: number;
  abortSignal?: AbortSignal;
}

export interface CallOptions {
  abortSignal?: AbortSignal;
}

export interface NewKeyAttributes {
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  tags?: Record<string, string>;
}

export interface NewKeySpec extends NewKeyAttributes {
  keyType: HsmKeyType;
  /** Bits: 128/192/256 for oct-HSM, 2048/3072/4096 for RSA-HSM. */
  keySize?: number;
  /** EC-HSM only: P-256, P-384, P-521, P-256K. */
  curve?: string;
  keyOps?: string[];
  exportable?: boolean;
}

export interface KeyChanges {
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  tags?: Record<string, string>;
  keyOps?: string[];
}

export interface RotationAction {
  action: 'Rotate' | 'Notify';
  /** ISO 8601 duration, e.g. 'P18M'. Exactly one of the two triggers is set. */
  timeAfterCreate?: string;
  timeBeforeExpiry?: string;
}

export interface RotationPolicyInfo {
  id?: string;
  /** ISO 8601 duration after which new versions expire, e.g. 'P2Y'. */
  expiresIn?: string;
  lifetimeActions: RotationAction[];
  createdOn?: Date;
  updatedOn?: Date;
}

export interface ManagedHsmKeysOptions {
  /** How the HSM is named in messages; defaults to its host name. */
  displayName?: string;
  /** Poll interval of delete and recover; the service finishes within seconds. */
  pollIntervalMs?: number;
}

/** Key operations on one Managed HSM. */
export class ManagedHsmKeys {
  readonly hsmUri: string;
  private readonly origin: string;
  private readonly displayName: string;
  private readonly pollIntervalMs: number;
  private client?: Promise<KeyClient>;

  constructor(
    private readonly cloud: AzureCloud,
    private readonly credential: TokenCredential,
    hsmUri: string,
    options: ManagedHsmKeysOptions = {},
  ) {
    ({ origin: this.origin, hsmUri: this.hsmUri, displayName: this.displayName } = resolveHsmEndpoint(cloud, hsmUri, options.displayName));
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
  }

  /** One page of the HSM's keys (current versions), in the service's order. */
  async listKeysPage(request: PageRequest = {}): Promise<Page<KeyInfo>> {
    this.checkContinuationToken(request.continuationToken);
    return this.call(l10n.t('list the keys of {0}', this.displayName), async (client) => {
      const pages = client.listPropertiesOfKeys({ abortSignal: request.abortSignal }).byPage({
        continuationToken: request.continuationToken,
        maxPageSize: request.maxPageSize,
      });
      return firstPage(pages, (p) => keyInfoFromProperties(p, this.origin));
    });
  }

  /** One page of the versions of a key. */
  async listVersionsPage(name: string, request: PageRequest = {}): Promise<Page<KeyInfo>> {
    this.checkName(name);
    this.checkContinuationToken(request.continuationToken);
    return this.call(l10n.t('list the versions of key \'{0}\' in {1}', name, this.displayName), async (client) => {
      const pages = client.listPropertiesOfKeyVersions(name, { abortSignal: request.abortSignal }).byPage({
        continuationToken: request.continuationToken,
        maxPageSize: request.maxPageSize,
      });
      return firstPage(pages, (p) => keyInfoFromProperties(p, this.origin));
    });
  }

  /** One page of the HSM's soft-deleted keys. */
  async listDeletedKeysPage(request: PageRequest = {}): Promise<Page<DeletedKeyInfo>> {
    this.checkContinuationToken(request.continuationToken);
    return this.call(l10n.t('list the deleted keys of {0}', this.displayName), async (client) => {
      const pages = client.listDeletedKeys({ abortSignal: request.abortSignal }).byPage({
        continuationToken: request.continuationToken,
        maxPageSize: request.maxPageSize,
      });
      return firstPage(pages, (d) => deletedKeyInfo(d, this.origin));
    });
  }

  /** The named version, or the current one. */
  async getKey(name: string, version?: string, options: CallOptions = {}): Promise<KeyInfo> {
    this.checkName(name);
    const what = version ? l10n.t('read version {0} of key \'{1}\' in {2}', version, name, this.displayName) : l10n.t('read key \'{0}\' in {1}', name, this.displayName);
    return this.call(what, async (client) => keyInfo(await client.getKey(name, { version, abortSignal: options.abortSignal }), this.origin));
  }

  /** Creates Secret Server's master key: oct-HSM, 256 bits, wrapKey and unwrapKey only, not exportable. */
  async createSecretServerKey(name: string, attributes: NewKeyAttributes = {}, options: CallOptions = {}): Promise<KeyInfo> {
    return this.createKey(
      name,
      {
        ...attributes,
        keyType: secretServerKeySpec.keyType,
        keySize: secretServerKeySpec.keySize,
        keyOps: [...secretServerKeySpec.keyOps],
        exportable: secretServerKeySpec.exportable,
      },
      options,
    );
  }

  /** Creates a key, or a new version of an existing one. */
  async createKey(name: string, spec: NewKeySpec, options: CallOptions = {}): Promise<KeyInfo> {
    this.checkName(name);
    return this.call(l10n.t('create key \'{0}\' in {1}', name, this.displayName), async (client) =>
      keyInfo(
        await client.createKey(name, spec.keyType, {
          keySize: spec.keySize,
          curve: spec.curve,
          keyOps: spec.keyOps,
          exportable: spec.exportable,
          enabled: spec.enabled,
          notBefore: spec.notBefore,
          expiresOn: spec.expiresOn,
          tags: spec.tags,
          abortSignal: options.abortSignal,
        }),
        this.origin,
      ),
    );
  }

  /** Changes attributes of one version (the current one when `version` is undefined). */
  async updateKey(name: string, version: string | undefined, changes: KeyChanges, options: CallOptions = {}): Promise<KeyInfo> {
    this.checkName(name);
    const what = l10n.t('update key \'{0}\'{1} in {2}', name, version ? ` version ${version}` : '', this.displayName);
    const sdkChanges = {
      enabled: changes.enabled,
      notBefore: changes.notBefore,
      expiresOn: changes.expiresOn,
      tags: changes.tags,
      keyOps: changes.keyOps,
      abortSignal: options.abortSignal,
    };
    return this.call(what, async (client) =>
      keyInfo(version ? await client.updateKeyProperties(name, version, sdkChanges) : await client.updateKeyProperties(name, sdkChanges), this.origin),
    );
  }

  /** Creates a new version now, with the key's current type, size and operations. */
  async rotateKey(name: string, options: CallOptions = {}): Promise<KeyInfo> {
    this.checkName(name);
    return this.call(l10n.t('rotate key \'{0}\' in {1}', name, this.displayName), async (client) =>
      keyInfo(await client.rotateKey(name, { abortSignal: options.abortSignal }), this.origin),
    );
  }

  async getRotationPolicy(name: string, options: CallOptions = {}): Promise<RotationPolicyInfo> {
    this.checkName(name);
    return this.call(l10n.t('read the rotation policy of key \'{0}\' in {1}', name, this.displayName), async (client) =>
      rotationPolicyInfo(await client.getKeyRotationPolicy(name, { abortSignal: options.abortSignal })),
    );
  }

  /** Replaces the key's rotation policy. */
  async updateRotationPolicy(
    name: string,
    policy: { expiresIn?: string; lifetimeActions: RotationAction[] },
    options: CallOptions = {},
  ): Promise<RotationPolicyInfo> {
    this.checkName(name);
    return this.call(l10n.t('update the rotation policy of key \'{0}\' in {1}', name, this.displayName), async (client) =>
      rotationPolicyInfo(
        await client.updateKeyRotationPolicy(
          name,
          { expiresIn: policy.expiresIn, lifetimeActions: policy.lifetimeActions.map((a) => ({ ...a })) },
          { abortSignal: options.abortSignal },
        ),
      ),
    );
  }

  /** Soft-deletes the key (all versions) and waits until the service reports it deleted. */
  async deleteKey(name: string, options: CallOptions = {}): Promise<DeletedKeyInfo> {
    this.checkName(name);
    return this.call(l10n.t('delete key \'{0}\' in {1}', name, this.displayName), async (client) => {
      const poller = await client.beginDeleteKey(name, { intervalInMs: this.pollIntervalMs, abortSignal: options.abortSignal });
      return deletedKeyInfo(await poller.pollUntilDone(), this.origin);
    });
  }

  /** Recovers a soft-deleted key with all its versions and waits until it can be used. */
  async recoverKey(name: string, options: CallOptions = {}): Promise<KeyInfo> {
    this.checkName(name);
    return this.call(l10n.t('recover deleted key \'{0}\' in {1}', name, this.displayName), async (client) => {
      const poller = await client.beginRecoverDeletedKey(name, { intervalInMs: this.pollIntervalMs, abortSignal: options.abortSignal });
      return keyInfo(await poller.pollUntilDone(), this.origin);
    });
  }

  /** Permanently removes a soft-deleted key. Refused when the HSM has purge protection. */
  async purgeDeletedKey(name: string, options: CallOptions = {}): Promise<void> {
    this.checkName(name);
    await this.call(l10n.t('purge deleted key \'{0}\' in {1}', name, this.displayName), (client) =>
      client.purgeDeletedKey(name, { abortSignal: options.abortSignal }),
    );
  }

  async getDeletedKey(name: string, options: CallOptions = {}): Promise<DeletedKeyInfo> {
    this.checkName(name);
    return this.call(l10n.t('read deleted key \'{0}\' in {1}', name, this.displayName), async (client) =>
      deletedKeyInfo(await client.getDeletedKey(name, { abortSignal: options.abortSignal }), this.origin),
    );
  }

  private async call<T>(what: string, run: (client: KeyClient) => Promise<T>): Promise<T> {
    let client: KeyClient;
    try {
      client = await this.clientFor();
    } catch (err) {
      throw toActionableError(err, what);
    }
    try {
      return await run(client);
    } catch (err) {
      throw toActionableError(err, what);
    }
  }

  // The SDK is imported here, on the first key operation, so that activating the extension does
  // not load @azure/keyvault-keys and its dependencies.
  private clientFor(): Promise<KeyClient> {
    if (!this.client) {
      const created = import('@azure/keyvault-keys').then(
        ({ KeyClient }) =>
          new KeyClient(this.hsmUri, this.credential, {
            ...tlsOptionsFor(this.cloud),
            disableChallengeResourceVerification: this.cloud.disableChallengeResourceVerification,
            ...serviceDateClientOptions(this.cloud, [{ policy: nextLinkRecorderPolicy, position: 'perCall' }]),
          }),
      );
      // A failed load is retried on the next call rather than remembered.
      created.catch(() => {
        if (this.client === created) this.client = undefined;
      });
      this.client = created;
    }
    return this.client;
  }

  private checkName(name: string): void {
    const problem = keyNameProblem(name);
    if (problem) throw new ActionableError(problem, 'invalidInput');
  }

  // A continuation token is the service's nextLink: an absolute URL the SDK calls with a bearer
  // token. Only a link back to this HSM may be followed.
  private checkContinuationToken(token: string | undefined): void {
    if (token === undefined) return;
    let origin: string | undefined;
    try {
      origin = new URL(token).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== this.origin) {
      throw new ActionableError(l10n.t('The page token does not belong to {0}; reload the list from the start.', this.displayName), 'invalidInput');
    }
  }

}

/** One ManagedHsmKeys (and so one KeyClient) per HSM, created on first use. */
export class ManagedHsmKeysByUri {
  private readonly byOrigin = new Map<string, ManagedHsmKeys>();

  constructor(
    private readonly cloud: AzureCloud,
    private readonly credential: TokenCredential,
    private readonly options: ManagedHsmKeysOptions = {},
  ) {}

  forHsm(hsmUri: string, displayName?: string): ManagedHsmKeys {
    let origin: string;
    try {
      origin = new URL(hsmUri).origin;
    } catch {
      throw new ActionableError(l10n.t('Cannot use \'{0}\' as a Managed HSM: it is not a URL.', hsmUri), 'invalidInput');
    }
    let keys = this.byOrigin.get(origin);
    if (!keys) {
      keys = new ManagedHsmKeys(this.cloud, this.credential, hsmUri, { ...this.options, displayName: displayName ?? this.options.displayName });
      this.byOrigin.set(origin, keys);
    }
    return keys;
  }
}

type ContinuablePage<T> = T[] & { continuationToken?: string };

/** Takes exactly one page; the token comes from the SDK when it keeps it, else from the recorder. */
async function firstPage<S, T>(pages: AsyncIterableIterator<ContinuablePage<S>>, map: (item: S) => T): Promise<Page<T>> {
  const { result: first, nextLink } = await withNextLink(() => pages.next());
  // The SDK's page iterator would otherwise stay suspended; nothing further is requested.
  await pages.return?.(undefined);
  if (first.done || !first.value) return { items: [] };
  const page = first.value;
  return { items: page.map(map), continuationToken: page.continuationToken || nextLink };
}

function keyInfoFromProperties(p: KeyProperties, origin: string): KeyInfo {
  return {
    name: p.name,
    id: p.id ?? formatKeyIdentifier(origin, p.name, p.version),
    versionlessId: formatKeyIdentifier(p.vaultUrl || origin, p.name),
    version: p.version || undefined,
    enabled: p.enabled ?? true,
    notBefore: p.notBefore,
    expiresOn: p.expiresOn,
    createdOn: p.createdOn,
    updatedOn: p.updatedOn,
    tags: { ...(p.tags ?? {}) },
    recoveryLevel: p.recoveryLevel,
    recoverableDays: p.recoverableDays,
    exportable: p.exportable,
    managed: p.managed,
  };
}

function keyInfo(key: KeyVaultKey, origin: string): KeyInfo {
  return {
    ...keyInfoFromProperties(key.properties, origin),
    id: key.id ?? key.properties.id ?? formatKeyIdentifier(origin, key.name, key.properties.version),
    keyType: key.keyType,
    keySize: keySizeOf(key),
    keyOps: key.keyOperations ? [...key.keyOperations] : undefined,
  };
}

function deletedKeyInfo(key: DeletedKey, origin: string): DeletedKeyInfo {
  return {
    ...keyInfoFromProperties(key.properties, origin),
    id: key.id ?? key.properties.id ?? formatKeyIdentifier(origin, key.name, key.properties.version),
    keyType: key.keyType,
    keySize: key.key ? keySizeOfJwk(key.key.kty, key.key.n, key.key.crv) : undefined,
    keyOps: key.keyOperations ? [...key.keyOperations] : undefined,
    recoveryId: key.properties.recoveryId,
    deletedOn: key.properties.deletedOn,
    scheduledPurgeDate: key.properties.scheduledPurgeDate,
  };
}

function keySizeOf(key: KeyVaultKey): number | undefined {
  return key.key ? keySizeOfJwk(key.key.kty, key.key.n, key.key.crv) : undefined;
}

const curveBits: Record<string, number> = { 'P-256': 256, 'P-256K': 256, 'P-384': 384, 'P-521': 521 };

function keySizeOfJwk(kty: string | undefined, n: Uint8Array | undefined, crv: string | undefined): number | undefined {
  if (kty?.startsWith('RSA') && n) {
    // The modulus may carry a leading zero byte.
    const leadingZero = n.length > 0 && n[0] === 0 ? 1 : 0;
    return (n.length - leadingZero) * 8;
  }
  if (kty?.startsWith('EC') && crv) return curveBits[crv];
  return undefined;
}

function rotationPolicyInfo(policy: KeyRotationPolicy): RotationPolicyInfo {
  return {
    id: policy.id,
    expiresIn: policy.expiresIn,
    lifetimeActions: (policy.lifetimeActions ?? []).map((a) => ({
      action: a.action,
      timeAfterCreate: a.timeAfterCreate,
      timeBeforeExpiry: a.timeBeforeExpiry,
    })),
    createdOn: policy.createdOn,
    updatedOn: policy.updatedOn,
  };
}
