import { timingSafeEqual } from 'node:crypto';
import type { SandboxContext } from '../context';
import { AzureKeyAccess, KeyAccessError, type PrincipalCredentials } from './azureKeyAccess';
import type { AzureManagedHsmInput } from './configArgs';
import { parseKeyUrl } from './keyUrl';
import { openAtRest, sealAtRest } from './machineKey';
import type { AzureManagedHsmSettings, MasterKeyProtection, MasterKeyRecord } from './state';

// How the master key is kept: in the clear locally (key management None), or only as the A256KW
// output of a Managed HSM key (Azure Managed HSM). Every read of a secret goes through here, so a
// key or access revoked in Azure is felt at once.

const secretPurpose = 'principal-secret';
const localKeyPurpose = 'local-master-key';

export function credentialsOf(s: AzureManagedHsmInput): PrincipalCredentials {
  return { tenantId: s.tenantId, principalId: s.principalId, principalSecret: s.principalSecret };
}

/** Credentials of stored settings or an HSM protection: the secret is opened only for use. */
export function storedCredentials(ctx: SandboxContext, s: { tenantId: string; principalId: string; sealedPrincipalSecret: string }): PrincipalCredentials {
  return { tenantId: s.tenantId, principalId: s.principalId, principalSecret: openAtRest(ctx, s.sealedPrincipalSecret, secretPurpose).toString('utf8') };
}

export function sealCredentials(ctx: SandboxContext, creds: PrincipalCredentials): { tenantId: string; principalId: string; sealedPrincipalSecret: string } {
  return { tenantId: creds.tenantId, principalId: creds.principalId, sealedPrincipalSecret: sealAtRest(ctx, Buffer.from(creds.principalSecret, 'utf8'), secretPurpose) };
}

/** The settings as stored: the principal secret sealed. */
export function storedSettings(ctx: SandboxContext, input: AzureManagedHsmInput): AzureManagedHsmSettings {
  return { ...sealCredentials(ctx, credentialsOf(input)), keyUrl: input.keyUrl };
}

/** Settings read back for use, the secret in the clear (memory only). */
export function inputOf(ctx: SandboxContext, settings: AzureManagedHsmSettings): AzureManagedHsmInput {
  return { ...storedCredentials(ctx, settings), keyUrl: settings.keyUrl };
}

export function protectLocally(ctx: SandboxContext, masterKey: Buffer): MasterKeyProtection {
  return { kind: 'local', sealedKey: sealAtRest(ctx, masterKey, localKeyPurpose) };
}

/**
 * Validates the settings the way the real server does before saving — sign in, read the key,
 * check type, size, operations and dates, then wrap and unwrap for real — and returns the master
 * key wrapped by that key.
 */
export async function protectWithHsm(ctx: SandboxContext, access: AzureKeyAccess, settings: AzureManagedHsmInput, masterKey: Buffer): Promise<MasterKeyProtection> {
  const parsed = parseKeyUrl(ctx, settings.keyUrl);
  if (!parsed.ok) throw new KeyAccessError(parsed.code, parsed.reason);
  const loc = parsed.location;
  const creds = credentialsOf(settings);
  const token = await access.token(creds);
  const key = await access.getKey(loc, token, creds);
  const where = `The key '${loc.keyName}' in Managed HSM '${loc.hsmName}'`;
  if (key.kty !== 'oct-HSM' || (key.keySize !== undefined && key.keySize !== 256)) {
    throw new KeyAccessError(
      'ManagedHsmKeyTypeNotSupported',
      `${where} is ${key.kty}${key.keySize ? ` ${key.keySize}` : ''}; Secret Server needs key type AES (oct-HSM) with size 256. No other key type or size works.`,
    );
  }
  const missing = ['wrapKey', 'unwrapKey'].filter((op) => !key.keyOps.includes(op));
  if (missing.length) {
    throw new KeyAccessError('ManagedHsmKeyOperationsMissing', `${where} does not permit the ${missing.join(' and ')} operation${missing.length > 1 ? 's' : ''}; its operations must include wrapKey and unwrapKey.`);
  }
  const now = ctx.clock.nowSeconds();
  if (!key.enabled) throw new KeyAccessError('ManagedHsmKeyDisabled', `${where} (version ${key.version}) is disabled.`);
  if (key.exp !== undefined && key.exp <= now) throw new KeyAccessError('ManagedHsmKeyNotValidNow', `${where} (version ${key.version}) expired on ${new Date(key.exp * 1000).toISOString()}.`);
  if (key.nbf !== undefined && key.nbf > now) throw new KeyAccessError('ManagedHsmKeyNotValidNow', `${where} (version ${key.version}) is not valid before ${new Date(key.nbf * 1000).toISOString()}.`);
  if (!/^[0-9a-f]{32}$/i.test(key.version)) throw new KeyAccessError('ManagedHsmRequestFailed', `${where} was returned without a usable key id.`);

  const versioned = { ...loc, version: key.version };
  const wrapped = await access.wrap(versioned, token, creds, masterKey);
  const unwrapped = await access.unwrap(versioned, token, creds, wrapped.value);
  if (unwrapped.value.length !== masterKey.length || !timingSafeEqual(unwrapped.value, masterKey)) {
    throw new KeyAccessError('ManagedHsmUnwrapFailed', `${where} did not give back the wrapped test key: wrapKey and unwrapKey disagree.`);
  }
  return {
    kind: 'hsm',
    keyUrl: settings.keyUrl,
    hsmName: loc.hsmName,
    keyName: loc.keyName,
    keyVersion: key.version,
    wrapped: wrapped.value.toString('base64url'),
    ...sealCredentials(ctx, creds),
  };
}

/** The master key in the clear, or a KeyAccessError naming why it cannot be had. */
export async function recoverMasterKey(ctx: SandboxContext, access: AzureKeyAccess, record: MasterKeyRecord, creds?: PrincipalCredentials): Promise<Buffer> {
  const p = record.protection;
  if (p.kind === 'local') return openAtRest(ctx, p.sealedKey, localKeyPurpose);
  const parsed = parseKeyUrl(ctx, p.keyUrl);
  if (!parsed.ok) throw new KeyAccessError(parsed.code, parsed.reason);
  const use = creds ?? storedCredentials(ctx, p);
  const token = await access.token(use);
  const loc = { ...parsed.location, version: p.keyVersion };
  const { value } = await access.unwrap(loc, token, use, Buffer.from(p.wrapped, 'base64url'));
  if (value.length !== 32) throw new KeyAccessError('ManagedHsmUnwrapFailed', `The key '${p.keyName}' in Managed HSM '${p.hsmName}' gave back a value that is not Secret Server's master key.`);
  return value;
}

/** Where the master key of a generation lives, in words. */
export function describeProtection(p: MasterKeyProtection): string {
  return p.kind === 'local' ? 'stored locally (key management None)' : `wrapped by Managed HSM key ${p.keyName} version ${p.keyVersion} of '${p.hsmName}'`;
}
