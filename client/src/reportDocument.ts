// "Folio Lens: Show Simulation as Text": a read-only virtual document of language
// `folio-lens-report`, so it can be searched, copied and diffed like any text.

import * as vscode from 'vscode';

export const REPORT_SCHEME = 'folio-lens-report';
export const REPORT_LANGUAGE = 'folio-lens-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This simulation report is no longer available; run the command again.\n';
  }

  async open(functionName: string, source: vscode.Uri, text: string): Promise<void> {
    const base = source.path.split('/').pop() ?? 'file.c';
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${base}/${functionName}.folio-report`, query: source.toString() });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, REPORT_LANGUAGE);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
