import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

// The layers that must not import 'vscode' (core, azure, secretServer, readiness, renewal,
// protocol) translate with @vscode/l10n, which needs the bundle handed to it. extension.ts imports
// this module first, so strings those modules build while loading are translated too. VS Code may
// still be loading vscode.l10n.bundle while the modules load, so until activate() hands it over the
// bundle file for the display language is read directly. English (no bundle) costs one check.

export function configureL10n(): void {
  if (vscode.l10n.bundle) {
    l10n.config({ contents: vscode.l10n.bundle });
    return;
  }
  const file = bundleFile(vscode.env.language);
  if (file) l10n.config({ fsPath: file });
}

function bundleFile(language: string): string | undefined {
  if (!language || language === 'en' || language.startsWith('en-')) return undefined;
  // dist/extension.js → the extension root, where package.json's "l10n" folder is.
  const folder = path.join(__dirname, '..', 'l10n');
  for (const lang of new Set([language.toLowerCase(), language.toLowerCase().split('-')[0]])) {
    const file = path.join(folder, `bundle.l10n.${lang}.json`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

configureL10n();
