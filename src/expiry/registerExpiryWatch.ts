import * as vscode from 'vscode';
import type { ExpiryActions, ExpiryLog, ExpirySettings, ExpirySource, ExpiryStateStore, HsmScanRules } from './expiryDeps';
import { expiryCommandIds } from './expiryCommandIds';
import { DocumentReferences } from './documentReferences';
import { registerExpiryDecorations } from './fileDecorations';
import { registerExpiryDiagnostics } from './diagnostics';
import { registerExpiryHover } from './hoverProvider';
import { registerExpiryCodeLens } from './codeLensProvider';
import { registerExpiryStatusBar, showExpiryItems } from './statusBar';
import { registerExpiryNotifications, resetExpiryNotifications } from './notifications';

// The one call the composition root makes: every VS Code part of the expiry watch, wired to the
// narrow deps. Each part can also be registered alone (tests, or a feature flag).
//
// The commands are registered at once: VS Code runs a command that activated the extension right
// after activate() returns, and reports "command not found" for one registered later. Everything
// else (providers, decorations, status bar, notifications, the workspace scan) is registered in a
// task of its own after activation, so activate() stays short; until then the watch is empty
// anyway, since it only learns from the views' loads.

export interface ExpiryWatchDeps {
  source: ExpirySource;
  actions: ExpiryActions;
  rules: HsmScanRules;
  settings: ExpirySettings;
  state: ExpiryStateStore;
  now: () => number;
  log?: ExpiryLog;
  onNotificationShown?: (text: string) => void;
}

export function registerExpiryWatch(deps: ExpiryWatchDeps): vscode.Disposable {
  const commands = [
    vscode.commands.registerCommand(expiryCommandIds.showItems, () => showExpiryItems(deps.source, deps.actions)),
    vscode.commands.registerCommand(expiryCommandIds.resetNotifications, () => resetExpiryNotifications(deps.state)),
    vscode.commands.registerCommand(expiryCommandIds.renewClientSecret, (target: { appId: string; keyId: string }) => deps.actions.renewClientSecret(target)),
    vscode.commands.registerCommand(expiryCommandIds.reveal, (path: string) => deps.actions.reveal(path)),
  ];
  let parts: vscode.Disposable | undefined;
  let disposed = false;
  const registerParts = () => {
    if (disposed) return;
    const references = new DocumentReferences(deps.source, deps.rules);
    parts = vscode.Disposable.from(
      registerExpiryDecorations(deps.source),
      registerExpiryDiagnostics({ source: deps.source, references, rules: deps.rules, settings: deps.settings, log: deps.log }),
      registerExpiryHover(deps.source, references),
      registerExpiryCodeLens(deps.source, references),
      registerExpiryStatusBar(deps.source),
      registerExpiryNotifications({ source: deps.source, actions: deps.actions, state: deps.state, settings: deps.settings, now: deps.now, log: deps.log, onShown: deps.onNotificationShown }),
    );
  };
  setTimeout(registerParts, 0);
  return new vscode.Disposable(() => {
    disposed = true;
    parts?.dispose();
    for (const c of commands) c.dispose();
  });
}
