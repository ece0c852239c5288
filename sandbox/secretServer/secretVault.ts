import type { SandboxContext } from '../context';
import { AzureKeyAccess, KeyAccessError } from './azureKeyAccess';
import { newAesKey, open, seal } from './envelope';
import { describeProtection, recoverMasterKey } from './masterKey';
import { ssState } from './stateAccess';
import type { MasterKeyRecord, StoredSecret } from './state';

/** The fields of a seeded secret (template "Windows Account"-like). */
export interface SecretFields {
  machine: string;
  username: string;
  password: string;
  notes: string;
}

export type MasterKeyHealth = { healthy: true } | { healthy: false; code: string; reason: string };

const keyContext = (id: number) => `secret:${id}:key`;
const fieldsContext = (id: number) => `secret:${id}:fields`;

export function openSecret(masterKey: Buffer, secret: StoredSecret): SecretFields {
  const dataKey = open(masterKey, secret.dataKey, keyContext(secret.id));
  return JSON.parse(open(dataKey, secret.payload, fieldsContext(secret.id)).toString('utf8')) as SecretFields;
}

/** The secret re-encrypted under a brand-new data key, itself sealed under `toKey`. */
export function reencryptSecret(secret: StoredSecret, fromKey: Buffer, toKey: Buffer, toGeneration: number): StoredSecret {
  const dataKey = open(fromKey, secret.dataKey, keyContext(secret.id));
  const fields = open(dataKey, secret.payload, fieldsContext(secret.id));
  const fresh = newAesKey();
  return { ...secret, generation: toGeneration, dataKey: seal(toKey, fresh, keyContext(secret.id)), payload: seal(fresh, fields, fieldsContext(secret.id)) };
}

export function masterRecord(ctx: SandboxContext, generation: number): MasterKeyRecord {
  const record = ssState(ctx).masterKeys.find((m) => m.generation === generation);
  if (!record) throw new KeyAccessError('MasterKeyMissing', `Master key generation ${generation} is missing.`);
  return record;
}

/** Reads one secret the way the server does: unwrap the master key (through the HSM when configured), then open. */
export async function readSecret(ctx: SandboxContext, access: AzureKeyAccess, secret: StoredSecret): Promise<SecretFields> {
  const key = await recoverMasterKey(ctx, access, masterRecord(ctx, secret.generation));
  return openSecret(key, secret);
}

/** Whether every master key generation still in use can be unwrapped right now. */
export async function masterKeyHealth(ctx: SandboxContext, access: AzureKeyAccess): Promise<MasterKeyHealth> {
  for (const record of [...ssState(ctx).masterKeys]) {
    try {
      await recoverMasterKey(ctx, access, record);
    } catch (err) {
      if (!(err instanceof KeyAccessError)) throw err;
      return { healthy: false, code: err.code, reason: `Secret Server cannot unwrap its master key (${describeProtection(record.protection)}): ${err.message}` };
    }
  }
  return { healthy: true };
}
