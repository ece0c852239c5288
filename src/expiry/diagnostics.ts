import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { DocumentScanner, Reference } from '../core/expiry/referenceScanner';
import type { ExpiryLog, ExpirySettings, ExpirySource, HsmScanRules } from './expiryDeps';
import type { DocumentReferences } from './documentReferences';
import { findingsFor, type Finding } from './referenceFindings';
import { diagnosticSeverity } from './severityStyle';
import { runInSlices } from './timeSlicedScan';

// Diagnostics on Managed HSM key URLs and known client ids: open documents as they change
// (debounced), plus one bounded workspace scan in time slices so no extension-host task runs long.

export const expiryDiagnosticSource = l10n.t('Managed HSM expiry');

const workspaceGlob = '**/*.{json,jsonc,yaml,yml,bicep,bicepparam,tf,tfvars,ps1,psm1,psd1,md,txt,env,ini,config,xml,sh,cs,ts,js,py}';
const excludeGlob = '**/{node_modules,.git,dist,out,bin,obj,.terraform}/**';
const maxFileBytes = 1_000_000;

export interface ExpiryDiagnosticsDeps {
  source: ExpirySource;
  references: DocumentReferences;
  rules: HsmScanRules;
  settings: ExpirySettings;
  log?: ExpiryLog;
}

export function toDiagnostics(findings: readonly Finding[]): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const f of findings) {
    if (!f.level) continue;
    const range = new vscode.Range(f.range.line, f.range.start, f.range.line, f.range.end);
    const d = new vscode.Diagnostic(range, f.message, diagnosticSeverity(f.level));
    d.source = expiryDiagnosticSource;
    d.code = f.severity;
    out.push(d);
  }
  return out;
}

export function registerExpiryDiagnostics(deps: ExpiryDiagnosticsDeps): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('mhsm-expiry');
  const timers = new Map<string, NodeJS.Timeout>();
  // Files found by the workspace scan keep their text-free reference lists here, so a watch change
  // can refresh their diagnostics without reading them again.
  const scanned = new Map<string, Reference[]>();
  let scanCancelled = false;

  const updateDocument = (document: vscode.TextDocument) => {
    if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled') return;
    const refs = deps.references.get(document).references;
    scanned.delete(document.uri.toString());
    collection.set(document.uri, toDiagnostics(findingsFor(refs, deps.source.snapshot())));
  };
  const schedule = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      updateDocument(document);
    }, 300));
  };
  const refreshAll = () => {
    deps.references.clear();
    const snapshot = deps.source.snapshot();
    for (const [uri, refs] of scanned) collection.set(vscode.Uri.parse(uri), toDiagnostics(findingsFor(refs, snapshot)));
    for (const document of vscode.workspace.textDocuments) updateDocument(document);
  };

  const disposables: vscode.Disposable[] = [
    collection,
    vscode.workspace.onDidOpenTextDocument(schedule),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      deps.references.forget(d);
      if (!scanned.has(d.uri.toString())) collection.delete(d.uri);
    }),
  ];
  const watchSubscription = deps.source.onDidChange(refreshAll);
  for (const document of vscode.workspace.textDocuments) schedule(document);

  if (deps.settings.workspaceScanEnabled()) {
    void scanWorkspace(deps, (uri, refs) => {
      if (refs.length === 0) return;
      scanned.set(uri.toString(), refs);
      collection.set(uri, toDiagnostics(findingsFor(refs, deps.source.snapshot())));
    }, () => scanCancelled).catch((err) => deps.log?.(`Expiry workspace scan stopped: ${err instanceof Error ? err.message : String(err)}`));
  }

  return new vscode.Disposable(() => {
    scanCancelled = true;
    for (const t of timers.values()) clearTimeout(t);
    watchSubscription.dispose();
    for (const d of disposables) d.dispose();
  });
}

/** Reads at most `maxFiles` workspace files in batches and scans them in time slices. */
async function scanWorkspace(
  deps: ExpiryDiagnosticsDeps,
  found: (uri: vscode.Uri, refs: Reference[]) => void,
  cancelled: () => boolean,
): Promise<void> {
  const uris = await vscode.workspace.findFiles(workspaceGlob, excludeGlob, Math.max(0, deps.settings.workspaceScanMaxFiles()));
  async function* batches(): AsyncGenerator<{ uri: vscode.Uri; text: string }[]> {
    for (let i = 0; i < uris.length && !cancelled(); i += 20) {
      const slice = uris.slice(i, i + 20);
      const read = await Promise.all(
        slice.map(async (uri) => {
          try {
            const stat = await vscode.workspace.fs.stat(uri);
            if (stat.size > maxFileBytes) return undefined;
            return { uri, text: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) };
          } catch {
            return undefined;
          }
        }),
      );
      yield read.filter((r): r is { uri: vscode.Uri; text: string } => r !== undefined);
    }
  }
  const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  // One scanner per file, stepped a chunk at a time so a large file is spread over several slices.
  const scanners = new Map<{ uri: vscode.Uri; text: string }, DocumentScanner>();
  const stats = await runInSlices(batches(), (file) => {
    if (open.has(file.uri.toString())) return false;
    let scanner = scanners.get(file);
    if (!scanner) scanners.set(file, (scanner = deps.references.scanner(file.text)));
    if (scanner.step()) return true;
    scanners.delete(file);
    found(file.uri, scanner.result().references);
    return false;
  }, { cancelled });
  deps.log?.(`Expiry workspace scan: ${stats.items} files, longest task ${stats.longestTaskMs.toFixed(1)} ms.`);
}
