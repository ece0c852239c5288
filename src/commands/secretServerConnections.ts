import * as vscode from 'vscode';
import { ActionableError } from '../core/actionableError';
import { sandboxSecretServerUrl } from '../azure/sandboxCloudFile';
import { parseSecretServerUrl } from '../secretServer/baseUrl';
import type { Explorer } from '../explorer';
import type { SecretServerConnection } from '../views/secretServer/connectionStore';
import { ConnectionNode } from '../views/secretServer/secretServerNodes';
import type { TreeNode } from '../views/treeNode';
import { pickNode } from './pickNode';

// Adding, signing out of and removing Secret Server connections. The password goes to
// SecretStorage only; the list in globalState holds URL and user name.

export interface NewConnection {
  url: string;
  username: string;
  password: string;
  /** Asked for when the server refuses the password alone (two-factor accounts). */
  askOtp?: () => Promise<string | undefined>;
}

/** The prompts; `node` (a connection) prefills them to sign in again. */
export async function addSecretServerConnectionCommand(explorer: Explorer, node?: unknown): Promise<void> {
  const existing = node instanceof ConnectionNode ? node.connection : undefined;
  const sandboxFile = explorer.services.sandboxEndpointsFile();
  const url = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add Secret Server connection (1/3)'),
    prompt: vscode.l10n.t('Secret Server URL, e.g. https://contoso.secretservercloud.com'),
    value: existing?.url ?? (sandboxFile ? sandboxSecretServerUrl(sandboxFile) : undefined),
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        parseSecretServerUrl(v);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  if (url === undefined) throw new vscode.CancellationError();
  const username = await vscode.window.showInputBox({
    title: vscode.l10n.t('Add Secret Server connection (2/3)'),
    prompt: vscode.l10n.t('User name'),
    value: existing?.username,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the user name you sign in to Secret Server with.')),
  });
  if (username === undefined) throw new vscode.CancellationError();
  const password = await vscode.window.showInputBox({ title: vscode.l10n.t('Add Secret Server connection (3/3)'), prompt: vscode.l10n.t('Password of {0}', username), password: true, ignoreFocusOut: true });
  if (!password) throw new vscode.CancellationError();
  await vscode.window.withProgress({ location: { viewId: 'mhsm.secretServer' }, title: vscode.l10n.t('Signing in to Secret Server') }, () =>
    addSecretServerConnection(explorer, {
      url,
      username,
      password,
      askOtp: () => Promise.resolve(vscode.window.showInputBox({ title: vscode.l10n.t('Two-factor authentication'), prompt: vscode.l10n.t('Secret Server refused the password alone. If your account uses two-factor authentication, enter the one-time code.'), ignoreFocusOut: true })),
    }),
  );
}

/** Saves the connection, signs in (with a one-time code when the server asks), shows it. */
export async function addSecretServerConnection(explorer: Explorer, input: NewConnection): Promise<SecretServerConnection> {
  const known = explorer.connections.list();
  const connection = await explorer.connections.save(input.url, input.username, input.password);
  const wasKnown = known.some((c) => c.id === connection.id);
  try {
    try {
      await explorer.sessions.signIn(connection);
    } catch (err) {
      const otp = err instanceof ActionableError && err.kind === 'authentication' && input.askOtp ? await input.askOtp() : undefined;
      if (!otp) throw err;
      await explorer.sessions.signIn(connection, otp);
    }
  } catch (err) {
    // A connection that never signed in is not kept; a known one keeps its place, signed out.
    if (wasKnown) await explorer.connections.forgetPassword(connection);
    else await explorer.connections.remove(connection);
    explorer.sessions.forget(connection);
    explorer.secretServer.refresh();
    throw err;
  }
  explorer.services.log.info(`Added Secret Server connection ${connection.url} (${connection.username}).`);
  explorer.secretServer.model.invalidate(connection.id);
  explorer.secretServer.refresh();
  return connection;
}

async function connectionFrom(explorer: Explorer, node: unknown, title: string): Promise<SecretServerConnection> {
  if (node instanceof ConnectionNode) return node.connection;
  const picked = await pickNode(explorer.secretServer, title, (n: TreeNode): n is ConnectionNode => n instanceof ConnectionNode);
  return picked.connection;
}

export async function signOutSecretServer(explorer: Explorer, node?: unknown): Promise<void> {
  const connection = await connectionFrom(explorer, node, vscode.l10n.t('Sign out of Secret Server'));
  await explorer.sessions.signOut(connection);
  explorer.secretServer.model.invalidate(connection.id);
  explorer.secretServer.refresh();
}

export async function removeSecretServerConnection(explorer: Explorer, node?: unknown, options: { confirm?: boolean } = {}): Promise<void> {
  const connection = await connectionFrom(explorer, node, vscode.l10n.t('Remove Secret Server connection'));
  if (options.confirm !== false) {
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Remove the connection to {0} as {1}? Its stored password is deleted too.', connection.url, connection.username), { modal: true }, vscode.l10n.t('Remove'));
    if (answer !== vscode.l10n.t('Remove')) throw new vscode.CancellationError();
  }
  await explorer.sessions.signOut(connection);
  await explorer.connections.remove(connection);
  explorer.secretServer.model.invalidate(connection.id);
  explorer.secretServer.refresh();
}
