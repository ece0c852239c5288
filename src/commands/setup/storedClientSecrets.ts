import type * as vscode from 'vscode';
import { clientSecretKey, type ClientSecretRef, type SecretStore } from '../../auth/secretStore';

// Client secrets the user agreed to keep in VS Code: the values in SecretStorage, and an index of
// which ones exist (tenant, client id, secret id — nothing secret) in globalState, because
// SecretStorage cannot be listed. The readiness probe and renewals read them from here.

const indexKey = 'mhsm.setup.storedClientSecrets';

export interface StoredSecretIndexEntry extends ClientSecretRef {
  /** When it was stored, ISO 8601: the newest one is the one Secret Server most likely has. */
  storedAt: string;
}

export class StoredClientSecrets {
  constructor(
    private readonly secrets: SecretStore,
    private readonly state: vscode.Memento,
  ) {}

  list(): StoredSecretIndexEntry[] {
    const raw = this.state.get<unknown>(indexKey);
    return Array.isArray(raw) ? raw.filter((e): e is StoredSecretIndexEntry => typeof e?.tenantId === 'string' && typeof e?.clientId === 'string' && typeof e?.keyId === 'string') : [];
  }

  /** The newest stored secret of this app, if any. */
  newestFor(tenantId: string, clientId: string): StoredSecretIndexEntry | undefined {
    return this.list()
      .filter((e) => e.tenantId.toLowerCase() === tenantId.toLowerCase() && e.clientId.toLowerCase() === clientId.toLowerCase())
      .sort((a, b) => b.storedAt.localeCompare(a.storedAt))[0];
  }

  async store(ref: ClientSecretRef, value: string, now: Date): Promise<void> {
    await this.secrets.store(clientSecretKey(ref), value);
    const others = this.list().filter((e) => clientSecretKey(e) !== clientSecretKey(ref));
    await this.state.update(indexKey, [...others, { tenantId: ref.tenantId, clientId: ref.clientId, keyId: ref.keyId, storedAt: now.toISOString() }]);
  }

  get(ref: ClientSecretRef): PromiseLike<string | undefined> {
    return this.secrets.get(clientSecretKey(ref));
  }

  /** Forgets one secret (after it was removed from the app) or every secret of an app. */
  async forget(match: { tenantId?: string; clientId: string; keyId?: string }): Promise<void> {
    const gone = this.list().filter((e) => e.clientId.toLowerCase() === match.clientId.toLowerCase() && (!match.keyId || e.keyId.toLowerCase() === match.keyId.toLowerCase()) && (!match.tenantId || e.tenantId.toLowerCase() === match.tenantId.toLowerCase()));
    for (const e of gone) await this.secrets.delete(clientSecretKey(e));
    const goneKeys = new Set(gone.map(clientSecretKey));
    await this.state.update(indexKey, this.list().filter((e) => !goneKeys.has(clientSecretKey(e))));
  }
}
