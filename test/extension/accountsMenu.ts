import * as vscode from 'vscode';

/**
 * Signs in the way a person does after an extension asked without `createIfNone`: the request
 * shows up in the Accounts menu as "Sign in with <provider> to use <extension>", and clicking it
 * runs a workbench command that creates the session and grants the extension access.
 *
 * Extension-host tests cannot answer VS Code's modal "wants to sign in" dialog (the workbench
 * refuses dialogs while extension tests run), so this is the one consent path a test can take.
 * The command id (`<provider>:<extension id>:signIn<n>`) is the workbench's own; it is looked
 * up rather than assumed.
 */
export async function signInThroughAccountsMenu(providerId: string, extensionId: string, scopes: string[]): Promise<void> {
  const asked = await vscode.authentication.getSession(providerId, scopes, {});
  if (asked) return;
  const prefix = `${providerId}:${extensionId.toLowerCase()}:signIn`;
  const commands = (await vscode.commands.getCommands(false)).filter((c) => c.startsWith(prefix));
  if (commands.length === 0) throw new Error(`no Accounts menu sign-in request (${prefix}*) was registered`);
  await vscode.commands.executeCommand(commands[commands.length - 1]);
}
