import type { SecretStore } from '../../auth/secretStore';

// Secret Server connections: the list (URL and user name, nothing secret) in globalState, each
// password in SecretStorage under a key derived from the connection.

export interface SecretServerConnection {
  /** `<url> <username>` with the URL normalised: the identity of a connection. */
  id: string;
  url: string;
  username: string;
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
      .filter((c): c is { url: string; username: string } => typeof c?.url === 'string' && typeof c?.username === 'string')
      .map((c) => ({ id: connectionId(c.url, c.username), url: c.url, username: c.username }));
  }

  /** Adds or replaces the connection and stores its password in SecretStorage. */
  async save(url: string, username: string, password: string): Promise<SecretServerConnection> {
    const connection = { id: connectionId(url, username), url: url.replace(/\/+$/, ''), username: username.trim() };
    await this.secrets.store(passwordKey(connection.id), password);
    const others = this.list().filter((c) => c.id !== connection.id);
    await this.state.update(listKey, [...others, connection].map(({ url: u, username: n }) => ({ url: u, username: n })));
    return connection;
  }

  password(connection: SecretServerConnection): PromiseLike<string | undefined> {
    return this.secrets.get(passwordKey(connection.id));
  }

  forgetPassword(connection: SecretServerConnection): PromiseLike<void> {
    return this.secrets.delete(passwordKey(connection.id));
  }

  async remove(connection: SecretServerConnection): Promise<void> {
    await this.secrets.delete(passwordKey(connection.id));
    await this.state.update(
      listKey,
      this.list()
        .filter((c) => c.id !== connection.id)
        .map(({ url, username }) => ({ url, username })),
    );
  }
}
