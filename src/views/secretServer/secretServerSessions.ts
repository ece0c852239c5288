import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';
import type { ActivitySink } from '../../core/activity/activityRecord';
import type { Logger } from '../../services';
import type { SecretServerSession } from '../../secretServer/session';
import type { ConnectionStore, SecretServerConnection } from './connectionStore';

// Signed-in Secret Server sessions, one per connection, in memory only. The password is read
// from SecretStorage at each password grant (session.ts asks for it) and never kept here. The
// Secret Server client is imported on first use, not at activation.

export interface SessionDeps {
  store: ConnectionStore;
  log: Logger;
  /** Extra CA to trust (the sandbox's); undefined for the system roots only. */
  caPem(): string | undefined;
  /** Each response's Date header, for the service clock expiry is judged by. */
  observeServiceDate?(dateHeader: string | undefined): void;
  /** Where each session's changes are recorded (the activity log). */
  activity?: ActivitySink;
}

export class SecretServerSessions {
  private readonly sessions = new Map<string, SecretServerSession>();

  constructor(private readonly deps: SessionDeps) {}

  /** A session for the connection, signing in with the stored password when needed. */
  async session(connection: SecretServerConnection): Promise<SecretServerSession> {
    let session = this.sessions.get(connection.id);
    if (!session) {
      if (!(await this.deps.store.password(connection))) {
        throw new ActionableError(l10n.t('You are signed out of {0} as {1}; sign in again to see its key management.', connection.url, connection.username), 'authentication');
      }
      session = await this.create(connection);
      this.sessions.set(connection.id, session);
    }
    return session;
  }

  /** Signs in now with the given one-time code (or none): used when a connection is added. */
  async signIn(connection: SecretServerConnection, otp?: string): Promise<SecretServerSession> {
    const session = await this.create(connection, otp);
    await session.signIn();
    this.sessions.set(connection.id, session);
    return session;
  }

  /** Ends the server session, forgets the password; the connection stays listed. */
  async signOut(connection: SecretServerConnection): Promise<void> {
    const session = this.sessions.get(connection.id);
    this.sessions.delete(connection.id);
    await this.deps.store.forgetPassword(connection);
    if (session?.isSignedIn) await session.signOut().catch((err: unknown) => this.deps.log.warn(`Signing out of ${connection.url}: ${(err as Error).message}`));
  }

  forget(connection: SecretServerConnection): void {
    this.sessions.delete(connection.id);
  }

  private async create(connection: SecretServerConnection, otp?: string): Promise<SecretServerSession> {
    const { SecretServerSession } = await import('../../secretServer/session.js');
    let pendingOtp = otp;
    return new SecretServerSession({
      url: connection.url,
      username: connection.username,
      caPem: this.deps.caPem(),
      observeServiceDate: this.deps.observeServiceDate && ((d) => this.deps.observeServiceDate!(d)),
      credentials: {
        getPassword: async () => (await this.deps.store.password(connection)) ?? '',
        // A one-time code is good for one grant only.
        getOtp: async () => {
          const code = pendingOtp;
          pendingOtp = undefined;
          return code;
        },
      },
      onActivity: this.deps.activity && ((input, knownSecrets) => this.deps.activity!.record(input, knownSecrets)),
      onEvent: (e) => this.deps.log.info(`Secret Server ${connection.url}: ${e.type} (${e.username})`),
    });
  }
}
