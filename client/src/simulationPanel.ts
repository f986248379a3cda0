// The "Simulate Current Function" view beside the editor. One panel, reused for each
// simulation. Its scripts come only from dist/ (localResourceRoots) under a nonce CSP.

import * as vscode from 'vscode';
import { parseWebviewMessage, SimulationResult, ToWebview } from './protocol';
import { SIMULATION_CSS } from './webview/styles';
import { buildWebviewHtml } from './webviewHtml';

export class SimulationPanel implements vscode.Disposable {
  static readonly viewType = 'folioLens.simulation';
  private panel: vscode.WebviewPanel | undefined;
  private current: { documentUri: string; result: SimulationResult } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(documentUri: vscode.Uri, result: SimulationResult): void {
    this.current = { documentUri: documentUri.toString(), result };
    if (!this.panel) {
      this.panel = this.createPanel();
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.panel.title = `Simulate: ${result.name}`;
    this.post();
  }

  private createPanel(): vscode.WebviewPanel {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      SimulationPanel.viewType,
      'Folio Lens simulation',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: false, enableFindWidget: true },
    );
    const webview = panel.webview;
    webview.html = buildWebviewHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      css: SIMULATION_CSS,
      title: 'Folio Lens simulation',
    });
    webview.onDidReceiveMessage((raw) => this.onMessage(raw), undefined, this.disposables);
    panel.onDidDispose(() => { this.panel = undefined; }, undefined, this.disposables);
    return panel;
  }

  private post(): void {
    if (!this.panel || !this.current) return;
    const message: ToWebview = { type: 'simulation', documentUri: this.current.documentUri, result: this.current.result };
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return;
    if (message.type === 'ready') {
      // The webview (re)loaded, e.g. after being hidden: send the simulation again.
      this.post();
      return;
    }
    if (!this.current) return;
    const uri = vscode.Uri.parse(this.current.documentUri);
    const position = new vscode.Position(message.line, message.character);
    const document = await vscode.workspace.openTextDocument(uri);
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn
      ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: false });
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
