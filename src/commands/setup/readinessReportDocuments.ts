import * as vscode from 'vscode';

// Readiness reports as read-only virtual documents (mhsm-report:), shown in the Markdown preview.
// They live in memory for the session; "Save as Markdown…" writes one where the user chooses.

export const reportScheme = 'mhsm-report';

export class ReadinessReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? vscode.l10n.t('# Readiness report\n\nThis report is no longer available; run the readiness check again.\n');
  }

  /** Stores (or replaces) the report and returns the document's URI. */
  set(name: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: reportScheme, path: `/${name.replace(/[^A-Za-z0-9._-]/g, '-')}.md` });
    this.reports.set(uri.toString(), markdown);
    this.emitter.fire(uri);
    return uri;
  }

  get(uri: vscode.Uri): string | undefined {
    return this.reports.get(uri.toString());
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Opens the report in the Markdown preview (or as text where the preview is missing). */
export async function showReport(uri: vscode.Uri): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(document, { preview: true });
  }
}

export async function saveReportAs(markdown: string, target: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.writeFile(target, Buffer.from(markdown, 'utf8'));
}
