import { randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';

// The form's HTML as a template with placeholders the host fills per render. No inline script or
// style: the page's code and CSS are files under dist/webview, allowed by the CSP source and the
// per-render nonce; all network calls go through the host (connect-src stays 'none'). The toolkit
// (FAST) probes :focus-visible support with an empty <style> element that it tags with the nonce
// it finds in <meta property="csp-nonce">; style-src allows that nonce, not 'unsafe-inline'.

export interface HtmlParameters {
  /** webview.cspSource */
  cspSource: string;
  /** webview.asWebviewUri of dist/webview/keyManagementForm.js */
  scriptUri: string;
  /** webview.asWebviewUri of dist/webview/keyManagementForm.css */
  styleUri: string;
  nonce: string;
  /** JSON of VS Code's translation bundle (vscode.l10n.bundle) for the page; absent for English. */
  l10nBundle?: string;
}

const template = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-#{nonce}'; style-src #{cspSource} 'nonce-#{nonce}'; font-src #{cspSource}; img-src #{cspSource}; connect-src 'none'; form-action 'none'; base-uri 'none'; frame-src 'none'">
<meta property="csp-nonce" content="#{nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="l10n-bundle" content="#{l10nBundle}">
<link rel="stylesheet" href="#{styleUri}">
<title>#{title}</title>
</head>
<body>
<main id="app" aria-busy="true"><p>#{loading}</p></main>
<script nonce="#{nonce}" src="#{scriptUri}"></script>
</body>
</html>
`;

/** A fresh nonce for every render: 128 random bits, base64 without characters that need escaping. */
export function createNonce(): string {
  return randomBytes(16).toString('base64').replace(/[+/=]/g, (c) => ({ '+': '-', '/': '_', '=': '' })[c] ?? '');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderKeyManagementHtml(p: HtmlParameters): string {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(p.nonce)) throw new Error('The webview nonce must be at least 16 URL-safe characters.');
  const values: Record<string, string> = { nonce: p.nonce, cspSource: p.cspSource, scriptUri: p.scriptUri, styleUri: p.styleUri, l10nBundle: p.l10nBundle ?? '', title: l10n.t('Secret Server Key Management'), loading: l10n.t('Loading…') };
  return template.replace(/#\{(\w+)\}/g, (_, name: string) => escapeAttribute(values[name] ?? ''));
}
