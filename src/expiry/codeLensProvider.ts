import * as vscode from 'vscode';
import type { ExpirySource } from './expiryDeps';
import type { DocumentReferences } from './documentReferences';
import { expiryCommandIds } from './expiryCommandIds';
import { findingsFor } from './referenceFindings';

// Above each reference the watch has a problem with: the fix ("Renew client secret…") and the way
// to the object ("Show in explorer"). References in good standing get no lens, to keep files calm.

const maxLensesPerDocument = 100;

export function registerExpiryCodeLens(source: ExpirySource, references: DocumentReferences): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const subscription = source.onDidChange(() => changed.fire());
  const registration = vscode.languages.registerCodeLensProvider({ scheme: 'file' }, {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      const lenses: vscode.CodeLens[] = [];
      for (const f of findingsFor(references.get(document).references, source.snapshot())) {
        if (!f.level || lenses.length >= maxLensesPerDocument) continue;
        const range = new vscode.Range(f.range.line, f.range.start, f.range.line, f.range.end);
        if (f.renew) lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Renew client secret…'), command: expiryCommandIds.renewClientSecret, arguments: [f.renew] }));
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Show in explorer'), command: expiryCommandIds.reveal, arguments: [f.path] }));
      }
      return lenses;
    },
  });
  return vscode.Disposable.from(registration, changed, subscription);
}
