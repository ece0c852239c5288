import * as vscode from 'vscode';
import type { NewClientSecret } from '../../azure/graph/clientSecrets';
import { openKeyManagementFormCommand } from '../keyManagementFormCommands';
import type { SetupDeps } from './setupDeps';

// The one moment a client secret's value exists outside Entra: it is offered once for copying or
// handed to the Secret Server form (through SecretStorage, never as a command argument), kept in
// VS Code only if the user agrees, and then dropped.

export interface HandOffResult {
  stored: boolean;
  openedForm: boolean;
  copied: boolean;
}

export async function handOffClientSecret(deps: SetupDeps, app: { tenantId: string; clientId: string; displayName: string }, secret: NewClientSecret): Promise<HandOffResult> {
  const ui = deps.ui();
  const ref = { tenantId: app.tenantId, clientId: app.clientId, keyId: secret.keyId };
  const result: HandOffResult = { stored: false, openedForm: false, copied: false };
  const keep = await ui.confirm(
    vscode.l10n.t('Keep the new client secret of \'{0}\' in VS Code?', app.displayName),
    vscode.l10n.t('It goes to VS Code\'s secret storage (your OS keychain), never to settings or logs. The readiness check needs it to sign in as the app and prove the key works, and renewals use it. Without it you must paste it wherever it is needed.'),
    [vscode.l10n.t('Keep in VS Code'), "Don't keep"],
  );
  if (keep === vscode.l10n.t('Keep in VS Code')) {
    await deps.stored.store(ref, secret.secretText, deps.explorer.services.now());
    result.stored = true;
  }
  const expires = secret.endDateTime ? secret.endDateTime.slice(0, 10) : 'unknown';
  for (;;) {
    const answer = await ui.pick(
      [
        { value: 'copy' as const, label: vscode.l10n.t('$(copy) Copy the secret value'), description: `expires ${expires}`, detail: `Value: ${secret.secretText}` },
        { value: 'form' as const, label: vscode.l10n.t('$(settings-gear) Use in the Secret Server key management form'), description: result.stored ? undefined : vscode.l10n.t('keeps it in VS Code first') },
        { value: 'done' as const, label: '$(check) Done', description: vscode.l10n.t('the value cannot be shown again') },
      ],
      { title: vscode.l10n.t('Client secret of \'{0}\' — shown only now', app.displayName), placeHolder: vscode.l10n.t('Tenant ID {0} · Client ID {1}', app.tenantId, app.clientId) },
    );
    const choice = answer && 'value' in answer ? answer.value : 'done';
    if (choice === 'copy') {
      await ui.copy(secret.secretText);
      result.copied = true;
      continue;
    }
    if (choice === 'form') {
      if (!result.stored) {
        await deps.stored.store(ref, secret.secretText, deps.explorer.services.now());
        result.stored = true;
      }
      // The form reads the secret from SecretStorage by its id.
      await vscode.commands.executeCommand(openKeyManagementFormCommand, { tenantId: app.tenantId, clientId: app.clientId, storedSecretKeyId: secret.keyId });
      result.openedForm = true;
    }
    return result;
  }
}
