import * as vscode from 'vscode';
import type { Assessment } from '../core/expiry/watchedItem';
import type { ExpirySource } from './expiryDeps';
import type { DocumentReferences } from './documentReferences';
import { escapeMarkdown } from '../core/markdownText';
import { assessmentsUnder, pathForClientId, pathForKey } from './expiryWatch';

// A hover on a key URL or a known client id: what the object is and its state — type, size,
// operations, enabled, expiry, which Secret Server uses it.

const maxLines = 8;

export function registerExpiryHover(source: ExpirySource, references: DocumentReferences): vscode.Disposable {
  return vscode.languages.registerHoverProvider({ scheme: 'file' }, {
    provideHover(document, position) {
      const ref = references.get(document).references.find((r) => r.range.line === position.line && r.range.start <= position.character && position.character < r.range.end);
      if (!ref) return undefined;
      const path = ref.kind === 'keyUrl' ? pathForKey(ref.key) : pathForClientId(ref.appId);
      const under = assessmentsUnder(source.snapshot(), path);
      // Names and states come from services and documents: escaped, no theme icons, no command links.
      const md = new vscode.MarkdownString(undefined, false);
      md.isTrusted = false;
      md.supportHtml = false;
      md.appendMarkdown(ref.kind === 'keyUrl' ? vscode.l10n.t('**Managed HSM key** {0}{1}\n\n', escapeMarkdown(ref.key.name), ref.key.version ? vscode.l10n.t(' version {0}', escapeMarkdown(ref.key.version)) : vscode.l10n.t(' (versionless)')) : vscode.l10n.t('**App registration** {0}\n\n', escapeMarkdown(ref.appId)));
      if (under.length === 0) md.appendMarkdown(vscode.l10n.t('Not watched yet: open it in the Managed HSM explorer to see its state.'));
      for (const a of under.slice(0, maxLines)) md.appendMarkdown(`- ${escapeMarkdown(lineFor(a))}\n`);
      if (under.length > maxLines) md.appendMarkdown(vscode.l10n.t('- …and {0} more\n', under.length - maxLines));
      const r = ref.range;
      return new vscode.Hover(md, new vscode.Range(r.line, r.start, r.line, r.end));
    },
  });
}

function lineFor(a: Assessment): string {
  const item = a.item;
  const used = item.usedBySecretServer.length > 0 ? vscode.l10n.t('used by Secret Server {0}', item.usedBySecretServer.join(', ')) : vscode.l10n.t('not used by a known Secret Server');
  if (item.kind === 'keyVersion') {
    const shape = [item.keyType, item.keySize ? `${item.keySize} bits` : undefined, item.keyOps?.length ? item.keyOps.join('/') : undefined].filter(Boolean).join(', ');
    return `${a.severity.toUpperCase()}: version ${item.kid.split('/').pop()}${shape ? ` (${shape})` : ''}, ${item.enabled ? 'enabled' : 'disabled'}, ${a.description}, ${used}`;
  }
  if (item.kind === 'key') return `${a.severity.toUpperCase()}: ${a.description}, ${used}`;
  return vscode.l10n.t('{0}: client secret {1} {2}, {3}', a.severity.toUpperCase(), item.hint ? `${item.hint}…` : item.keyId, a.description, used);
}
