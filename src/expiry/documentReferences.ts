import type * as vscode from 'vscode';
import { DocumentScanner, scanText, type ScanResult } from '../core/expiry/referenceScanner';
import type { ExpirySource, HsmScanRules } from './expiryDeps';

// The references found in each open document, scanned once per document version and shared by
// diagnostics, hovers and CodeLenses.

const maxCachedDocuments = 200;

export class DocumentReferences {
  private readonly cache = new Map<string, { version: number; result: ScanResult }>();

  constructor(
    private readonly source: ExpirySource,
    private readonly rules: HsmScanRules,
  ) {}

  get(document: vscode.TextDocument): ScanResult {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.result;
    const result = this.scan(document.getText());
    if (this.cache.size >= maxCachedDocuments) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { version: document.version, result });
    return result;
  }

  scan(text: string): ScanResult {
    return scanText(text, { ...this.rules(), clientIds: this.source.snapshot().clientIds });
  }

  /** A step-wise scanner with the same rules, for time-sliced scans of files that are not open. */
  scanner(text: string): DocumentScanner {
    return new DocumentScanner(text, { ...this.rules(), clientIds: this.source.snapshot().clientIds });
  }

  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
  }

  /** Known client ids changed: every cached scan may be missing references. */
  clear(): void {
    this.cache.clear();
  }
}
