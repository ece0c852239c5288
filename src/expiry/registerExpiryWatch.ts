import * as vscode from 'vscode';
import type { ExpiryActions, ExpiryLog, ExpirySettings, ExpirySource, ExpiryStateStore, HsmScanRules } from './expiryDeps';
import { expiryCommandIds } from './expiryCommandIds';
import { DocumentReferences } from './documentReferences';
import { registerExpiryDecorations } from './fileDecorations';
import { registerExpiryDiagnostics } from './diagnostics';
import { registerExpiryHover } from './hoverProvider';
import { registerExpiryCodeLens } from './codeLensProvider';
import { registerExpiryStatusBar } from './statusBar';
import { registerExpiryNotifications } from './notifications';

// The one call the composition root makes: every VS Code part of the expiry watch, wired to the
// narrow deps. Each part can also be registered alone (tests, or a feature flag).

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
  const references = new DocumentReferences(deps.source, deps.rules);
  return vscode.Disposable.from(
    registerExpiryDecorations(deps.source),
    registerExpiryDiagnostics({ source: deps.source, references, rules: deps.rules, settings: deps.settings, log: deps.log }),
    registerExpiryHover(deps.source, references),
    registerExpiryCodeLens(deps.source, references),
    registerExpiryStatusBar(deps.source, deps.actions),
    registerExpiryNotifications({ source: deps.source, actions: deps.actions, state: deps.state, settings: deps.settings, now: deps.now, log: deps.log, onShown: deps.onNotificationShown }),
    vscode.commands.registerCommand(expiryCommandIds.renewClientSecret, (target: { appId: string; keyId: string }) => deps.actions.renewClientSecret(target)),
    vscode.commands.registerCommand(expiryCommandIds.reveal, (path: string) => deps.actions.reveal(path)),
  );
}
