import * as vscode from 'vscode';
import type { Explorer } from '../explorer';
import { prefillFromArgument } from '../webview/formPrefill';
import { registerKeyManagementForm } from '../webview/keyManagementFeature';
import type { KeyManagementFormDeps } from '../webview/keyManagementFormDeps';
import type { FormPrefill } from '../protocol/keyManagementForm';
import { ConnectionNode } from '../views/secretServer/secretServerNodes';
import { KeyNode, VersionNode } from '../views/azure/azureNodes';
import { registerCommand } from './runCommand';

// The Secret Server key management form (Task 2) and Rotate Secret Keys (Task 3), wired to the
// explorer: connections and sessions come from the Secret Server view, keys from the Azure view.

export const openKeyManagementFormCommand = 'mhsm.openKeyManagementForm';
export const rotateSecretKeysCommand = 'mhsm.rotateSecretKeys';

/** `confirm` asks the modal questions (Rotate Secret Keys) through the setup commands' prompt seam. */
export function registerKeyManagementFormCommands(context: vscode.ExtensionContext, explorer: Explorer, confirm?: KeyManagementFormDeps['confirm']): void {
  const { services, connections, sessions } = explorer;
  const connectionById = (id: string) => {
    const connection = connections.list().find((c) => c.id === id);
    if (!connection) throw new Error(`The Secret Server connection ${id} is no longer configured.`);
    return connection;
  };
  const feature = registerKeyManagementForm(context, {
    log: services.log,
    cloud: () => services.cloud(),
    now: () => services.now(),
    secrets: services.secrets,
    listConnections: () => connections.list().map((c) => ({ id: c.id, label: `${c.url} (${c.username})` })),
    getSession: (id) => sessions.session(connectionById(id)),
    credential: (tenantId) => services.credential({ tenantId, interactive: true }),
    refreshConnection: () => explorer.secretServer.refresh(),
    confirm,
  });
  const add = (id: string, what: string, handler: (...args: unknown[]) => unknown) => registerCommand(context, services.log, id, what, handler);
  add(openKeyManagementFormCommand, vscode.l10n.t('open the Secret Server key management form'), (arg) => {
    feature.openForm(prefillFrom(arg));
  });
  add(rotateSecretKeysCommand, vscode.l10n.t('rotate the secret keys'), (arg) => feature.rotateSecretKeys(arg instanceof ConnectionNode ? arg.connection.id : undefined));
}

/** Tree nodes name things their own way; the form takes only plain, non-secret strings. */
function prefillFrom(arg: unknown): FormPrefill {
  if (arg instanceof ConnectionNode) return { connectionId: arg.connection.id };
  if (arg instanceof KeyNode) return { keyUrl: arg.key.versionlessId, tenantId: arg.hsm.tenantId };
  if (arg instanceof VersionNode) return { keyUrl: arg.key.id, tenantId: arg.hsm.tenantId };
  const ids = (arg as { ids?: Record<string, unknown> } | undefined)?.ids;
  return prefillFromArgument(ids ?? arg);
}
