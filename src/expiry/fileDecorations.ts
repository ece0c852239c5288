import * as vscode from 'vscode';
import type { ExpirySource } from './expiryDeps';
import type { ExpirySnapshot } from './expiryWatch';
import { expiryPathOf } from './expiryUri';
import { severityBadge, severityColor } from './severityStyle';

// Colour and badge on tree items whose resourceUri is an expiry URI (expiryUri.ts). Parents get
// the worst state below them (propagated in the model, because tree views do not propagate).

export function registerExpiryDecorations(source: ExpirySource): vscode.Disposable {
  const changed = new vscode.EventEmitter<undefined>();
  const provider: vscode.FileDecorationProvider = {
    onDidChangeFileDecorations: changed.event,
    provideFileDecoration: (uri) => expiryDecoration(source.snapshot(), uri),
  };
  const subscription = source.onDidChange(() => changed.fire(undefined));
  return vscode.Disposable.from(vscode.window.registerFileDecorationProvider(provider), changed, subscription);
}

/** The decoration a resource gets in this snapshot (exported for the extension API's tests). */
export function expiryDecoration(snapshot: ExpirySnapshot, uri: vscode.Uri): vscode.FileDecoration | undefined {
  const path = expiryPathOf(uri);
  if (!path) return undefined;
  const state = snapshot.states.get(path);
  if (!state || state.severity === 'ok') return undefined;
  const tooltip = state.worst ? (state.count > 1 ? `${state.worst.label} (+${state.count - 1} more)` : state.worst.label) : undefined;
  return new vscode.FileDecoration(severityBadge(state.severity), tooltip, severityColor(state.severity));
}
