import * as vscode from 'vscode';
import type { Explorer } from '../../explorer';
import { registerCommand } from '../runCommand';
import { deleteAppRegistrationCommand, deleteRoleAssignmentCommand, removeClientSecretCommand } from './accessRemoval';
import { checkReadinessCommand } from './checkReadiness';
import { addClientSecretCommand, createAppRegistrationCommand } from './createAppRegistration';
import { createKeyCommand, createKeyVersionCommand, createSecretServerKeyCommand } from './createKeys';
import { grantSecretServerAccessCommand } from './grantSecretServerAccess';
import { deleteKeyCommand, purgeDeletedKeyCommand } from './keyRemoval';
import { disableKeyVersionCommand, setKeyVersionExpiryCommand } from './keyVersionChanges';
import { retireOldKeyVersionCommand, rotateKeyVersionCommand } from './keyVersionRotationCommands';
import { renewClientSecretCommand } from './renewClientSecret';
import { ReadinessReportDocuments, reportScheme } from './readinessReportDocuments';
import type { SetupDeps } from './setupDeps';
import { vscodeSetupUi, type SetupUi } from './setupUi';
import { StoredClientSecrets } from './storedClientSecrets';

// The setup commands (Task 1 of the seed), the readiness check and the guarded destructive
// actions, each through the one error wrapper. Called once from registerCommands.ts.

/** Outside production, tests install scripted answers for the prompts with this command. */
export const setSetupUiTestCommand = 'mhsm.test.setSetupUi';

export interface SetupCommands {
  /** Replaces the prompt seam (tests); undefined restores VS Code's own prompts. */
  setUi(ui: SetupUi | undefined): void;
  /** The prompt seam in use now (other commands ask their questions through it too). */
  ui(): SetupUi;
}

export function registerSetupCommands(context: vscode.ExtensionContext, explorer: Explorer): SetupCommands {
  const real = vscodeSetupUi();
  let current: SetupUi = real;
  const deps: SetupDeps = { explorer, ui: () => current, stored: new StoredClientSecrets(explorer.services.secrets, explorer.services.state) };
  const documents = new ReadinessReportDocuments();
  context.subscriptions.push(documents, vscode.workspace.registerTextDocumentContentProvider(reportScheme, documents));

  const add = (id: string, what: string, handler: (node?: unknown, ...rest: unknown[]) => unknown) => registerCommand(context, explorer.services.log, id, what, handler);
  add('mhsm.createAppRegistration', vscode.l10n.t('create the app registration'), (node) => createAppRegistrationCommand(deps, node));
  add('mhsm.addClientSecret', vscode.l10n.t('add a client secret'), (node) => addClientSecretCommand(deps, node));
  add('mhsm.createSecretServerKey', vscode.l10n.t('create the key for Secret Server'), (node) => createSecretServerKeyCommand(deps, node));
  add('mhsm.createKey', vscode.l10n.t('create the key'), (node) => createKeyCommand(deps, node));
  add('mhsm.createKeyVersion', vscode.l10n.t('create a new key version'), (node) => createKeyVersionCommand(deps, node));
  add('mhsm.grantSecretServerAccess', vscode.l10n.t('grant Secret Server access to the key'), (node, app) => grantSecretServerAccessCommand(deps, node, clientIdArg(app)));
  add('mhsm.checkReadiness', vscode.l10n.t('check Secret Server readiness'), (node) => checkReadinessCommand(deps, documents, node));
  add('mhsm.deleteKey', vscode.l10n.t('delete the key'), (node) => deleteKeyCommand(deps, node));
  add('mhsm.purgeDeletedKey', vscode.l10n.t('purge the deleted key'), (node, name) => purgeDeletedKeyCommand(deps, node, typeof name === 'string' ? name : undefined));
  add('mhsm.disableKeyVersion', vscode.l10n.t('disable the key version'), (node) => disableKeyVersionCommand(deps, node));
  add('mhsm.setKeyVersionExpiry', vscode.l10n.t('set the expiry of the key version'), (node) => setKeyVersionExpiryCommand(deps, node));
  add('mhsm.deleteRoleAssignment', vscode.l10n.t('remove the role assignment'), (node) => deleteRoleAssignmentCommand(deps, node));
  add('mhsm.removeClientSecret', vscode.l10n.t('remove the client secret'), (node) => removeClientSecretCommand(deps, node));
  add('mhsm.deleteAppRegistration', vscode.l10n.t('delete the app registration'), (node) => deleteAppRegistrationCommand(deps, node));
  add('mhsm.renewClientSecret', vscode.l10n.t('renew the client secret'), (target) => renewClientSecretCommand(deps, target));
  add('mhsm.rotateKeyVersion', vscode.l10n.t('rotate the key version'), (node) => rotateKeyVersionCommand(deps, node));
  add('mhsm.retireOldKeyVersion', vscode.l10n.t('retire the previous key version'), (node) => retireOldKeyVersionCommand(deps, node));

  const setUi = (ui: SetupUi | undefined) => {
    current = ui ?? real;
  };
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    context.subscriptions.push(vscode.commands.registerCommand(setSetupUiTestCommand, (ui?: SetupUi) => setUi(ui)));
  }
  return { setUi, ui: () => current };
}

/** An app given as a plain argument ({ clientId }) by another command or a test. */
function clientIdArg(arg: unknown): { clientId: string } | undefined {
  const clientId = (arg as { clientId?: unknown } | undefined)?.clientId;
  return typeof clientId === 'string' && clientId ? { clientId } : undefined;
}
