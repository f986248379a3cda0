// "Folio Lens: Walk Finding Path": steps through a finding's witness path in the editor,
// one highlighted line at a time, with next / previous / stop commands bound to keys
// while the `folioLens.walking` context is set.

import * as vscode from 'vscode';
import type { WitnessStep } from '../../server/src/engine/types';

export interface WalkStep {
  uri: vscode.Uri;
  range: vscode.Range;
  text: string;
}

const WALKING_CONTEXT = 'folioLens.walking';

/** The witness steps of a diagnostic: its related information, or `data.witness` when the client got none. */
export function witnessSteps(diagnostic: vscode.Diagnostic, documentUri: vscode.Uri): WalkStep[] {
  const related = diagnostic.relatedInformation ?? [];
  if (related.length > 0) {
    return related.map((r) => ({ uri: r.location.uri, range: r.location.range, text: r.message }));
  }
  const data = (diagnostic as vscode.Diagnostic & { data?: { witness?: WitnessStep[] } }).data;
  const witness = Array.isArray(data?.witness) ? data.witness : [];
  return witness.map((w) => ({
    uri: documentUri,
    range: new vscode.Range(w.line, w.character, w.line, w.character),
    text: w.text,
  }));
}

export class PathWalker implements vscode.Disposable {
  private readonly stepDecoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  private readonly currentDecoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.findMatchBackground'),
    borderColor: new vscode.ThemeColor('editor.findMatchBorder'),
    borderStyle: 'solid',
    borderWidth: '1px',
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private steps: WalkStep[] = [];
  private index = 0;
  private title = '';

  constructor(private readonly diagnosticsFor: (uri: vscode.Uri) => readonly vscode.Diagnostic[]) {}

  async start(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Folio Lens: open a C file and put the cursor on a finding to walk its path.');
      return;
    }
    const diagnostic = await this.pickDiagnostic(editor);
    if (!diagnostic) return;
    const steps = witnessSteps(diagnostic, editor.document.uri);
    if (steps.length === 0) {
      void vscode.window.showInformationMessage('Folio Lens: this finding has no witness path to walk.');
      return;
    }
    this.steps = steps;
    this.index = 0;
    this.title = `${String(diagnostic.code ?? 'finding')}`;
    await vscode.commands.executeCommand('setContext', WALKING_CONTEXT, true);
    await this.show();
  }

  async next(): Promise<void> {
    if (this.steps.length === 0) return;
    this.index = Math.min(this.index + 1, this.steps.length - 1);
    await this.show();
  }

  async previous(): Promise<void> {
    if (this.steps.length === 0) return;
    this.index = Math.max(this.index - 1, 0);
    await this.show();
  }

  async stop(): Promise<void> {
    this.steps = [];
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.stepDecoration, []);
      editor.setDecorations(this.currentDecoration, []);
    }
    await vscode.commands.executeCommand('setContext', WALKING_CONTEXT, false);
  }

  private async pickDiagnostic(editor: vscode.TextEditor): Promise<vscode.Diagnostic | undefined> {
    const all = this.diagnosticsFor(editor.document.uri);
    const cursor = editor.selection.active;
    const under = all.find((d) => d.range.contains(cursor)) ?? all.find((d) => d.range.start.line === cursor.line);
    if (under) return under;
    if (all.length === 0) {
      void vscode.window.showInformationMessage('Folio Lens: no findings in this file.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      all.map((d) => ({ label: `${d.range.start.line + 1}: [${String(d.code ?? '')}]`, description: d.message, diagnostic: d })),
      { placeHolder: 'No finding under the cursor: choose one to walk' },
    );
    return picked?.diagnostic;
  }

  private async show(): Promise<void> {
    const step = this.steps[this.index];
    const document = await vscode.workspace.openTextDocument(step.uri);
    const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
    const same = this.steps.filter((s) => s.uri.toString() === step.uri.toString());
    editor.setDecorations(this.stepDecoration, same.map((s) => s.range));
    editor.setDecorations(this.currentDecoration, [{
      range: step.range,
      renderOptions: { after: { contentText: `${this.title} step ${this.index + 1}/${this.steps.length}: ${step.text}` } },
    }]);
    editor.selection = new vscode.Selection(step.range.start, step.range.start);
    editor.revealRange(step.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    vscode.window.setStatusBarMessage(
      `Folio Lens: ${this.title} step ${this.index + 1} of ${this.steps.length} (Alt+. next, Alt+, previous, Esc stop)`, 5000);
  }

  dispose(): void {
    this.stepDecoration.dispose();
    this.currentDecoration.dispose();
  }
}
