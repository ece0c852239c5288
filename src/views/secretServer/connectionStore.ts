import type { SecretStore } from '../../auth/secretStore';

// Secret Server connections: the list (URL, user name and the Azure region the user says the
// server runs in — nothing secret) in globalState, each password in SecretStorage under a key
// derived from the connection. Secret Server's API does not report its region, hence the user's word.

export interface SecretServerConnection {
  /** `<url> <username>` with the URL normalised: the identity of a connection. */
  id: string;
  url: string;
  username: string;
  /** Azure region the Secret Server runs in (e.g. 'eastus'), as the user set it. */
  region?: string;
}

interface StoredConnection {
  url: string;
  username: string;
  region?: string;
}

/** The slice of vscode.Memento the store uses. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const listKey = 'mhsm.secretServer.connections';

export function connectionId(url: string, username: string): string {
  return `${url.replace(/\/+$/, '').toLowerCase()} ${username.trim().toLowerCase()}`;
}

export function passwordKey(id: string): string {
  return `mhsm.secretServer.password/${id}`;
}

export class ConnectionStore {
  constructor(
    private readonly state: StateStore,
    private readonly secrets: SecretStore,
  ) {}

  list(): SecretServerConnection[] {
    const raw = this.state.get<unknown>(listKey);
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((c): c is StoredConnection => typeof c?.url === 'string' && typeof c?.username === 'string')
      .map((c) => ({ id: connectionId(c.url, c.username), url: c.url, username: c.username, ...(typeof c.region === 'string' && c.region ? { region: c.region } : {}) }));
  }

  /** Adds or replaces the connection (keeping a region set before) and stores its password in SecretStorage. */
  async save(url: string, username: string, password: string): Promise<SecretServerConnection> {
    const id = connectionId(url, username);
    const region = this.list().find((c) => c.id === id)?.region;
    const connection: SecretServerConnection = { id, url: url.replace(/\/+$/, ''), username: username.trim(), ...(region ? { region } : {}) };
    await this.secrets.store(passwordKey(connection.id), password);
    await this.write([...this.list().filter((c) => c.id !== connection.id), connection]);
    return connection;
  }

  /** Sets (or, with undefined, clears) the Azure region of a stored connection. */
  async setRegion(connection: SecretServerConnection, region: string | undefined): Promise<SecretServerConnection> {
    const updated: SecretServerConnection = { id: connection.id, url: connection.url, username: connection.username, ...(region ? { region } : {}) };
    const all = this.list();
    if (!all.some((c) => c.id === connection.id)) throw new Error(`There is no Secret Server connection ${connection.url} (${connection.username}).`);
    await this.write(all.map((c) => (c.id === connection.id ? updated : c)));
    return updated;
  }

  password(connection: SecretServerConnection): PromiseLike<string | undefined> {
    return this.secrets.get(passwordKey(connection.id));
  }

  forgetPassword(connection: SecretServerConnection): PromiseLike<void> {
    return this.secrets.delete(passwordKey(connection.id));
  }

  async remove(connection: SecretServerConnection): Promise<void> {
    await this.secrets.delete(passwordKey(connection.id));
    await this.write(this.list().filter((c) => c.id !== connection.id));
  }

  private write(connections: SecretServerConnection[]): PromiseLike<void> {
    return this.state.update(
      listKey,
      connections.map(({ url, username, region }): StoredConnection => ({ url, username, ...(region ? { region } : {}) })),
    );
  }
}
