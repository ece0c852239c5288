import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { hashSecret } from '../entra/secretHash';
import { writeFileAtomic } from '../state/store';
import { newAesKey, seal } from './envelope';
import { newOtpSecret } from './totp';
import type { MasterKeyProtection, SecretServerState, StoredSecret } from './state';

/** Plain-text sign-in details of the seeded Secret Server users (secret-server-credentials.json, 0600). */
export interface SecretServerUserCredentials {
  username: string;
  password: string;
  otpSecret?: string;
  canManageKeys: boolean;
}

export const credentialsFileName = 'secret-server-credentials.json';
export const defaultSecretCount = 300;

const folders = ['Infrastructure', 'Databases', 'Web applications', 'Network devices', 'Service accounts'];

/**
 * A fresh Secret Server: three users (an administrator, a two-factor administrator, a user without
 * the key management permission), key management None with a local master key, and `count`
 * secrets, each sealed under its own data key.
 */
export function seedSecretServer(stateDir: string, count: number, protectLocally: (masterKey: Buffer) => MasterKeyProtection): SecretServerState {
  const password = () => `Ss-${randomBytes(9).toString('base64url')}!`;
  const credentials: SecretServerUserCredentials[] = [
    { username: 'ssadmin', password: password(), canManageKeys: true },
    { username: 'ssofficer', password: password(), otpSecret: newOtpSecret(), canManageKeys: true },
    { username: 'sshelpdesk', password: password(), canManageKeys: false },
  ];
  const displayNames: Record<string, string> = { ssadmin: 'Secret Server Administrator', ssofficer: 'Security Officer', sshelpdesk: 'Help Desk' };
  writeFileAtomic(path.join(stateDir, credentialsFileName), JSON.stringify(credentials, null, 2));

  const master = newAesKey();
  const secrets: StoredSecret[] = [];
  for (let id = 1; id <= count; id++) {
    const folderId = (id % folders.length) + 1;
    const fields = {
      machine: `${folders[folderId - 1].toLowerCase().replace(/ /g, '-')}-${String(id).padStart(4, '0')}.contoso.local`,
      username: `svc-${String(id).padStart(4, '0')}`,
      password: `${randomBytes(12).toString('base64url')}#${randomInt(1000, 9999)}`,
      notes: `Seeded secret ${id}`,
    };
    const dataKey = newAesKey();
    secrets.push({
      id,
      name: `${folders[folderId - 1]} ${String(id).padStart(4, '0')}`,
      folderId,
      generation: 1,
      dataKey: seal(master, dataKey, `secret:${id}:key`),
      payload: seal(dataKey, Buffer.from(JSON.stringify(fields), 'utf8'), `secret:${id}:fields`),
    });
  }

  return {
    schema: 1,
    users: credentials.map((c, i) => ({
      userId: i + 2,
      username: c.username,
      displayName: displayNames[c.username],
      passwordHash: hashSecret(c.password),
      ...(c.otpSecret ? { otpSecret: c.otpSecret } : {}),
      canManageKeys: c.canManageKeys,
    })),
    sessions: [],
    readOnlyMode: false,
    config: { keyManagementConfigId: 1, kind: 'None' },
    nextConfigId: 2,
    masterKeys: [{ generation: 1, protection: protectLocally(master) }],
    currentGeneration: 1,
    secrets,
    rotation: { lastRequestDate: null, lastRunDate: null, lastStatus: 'NeverRun', message: '' },
    audit: [],
  };
}

export function readSecretServerCredentials(stateDir: string): SecretServerUserCredentials[] {
  const file = path.join(stateDir, credentialsFileName);
  if (!fs.existsSync(file)) return [];
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SecretServerUserCredentials[];
}
