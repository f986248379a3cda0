// Asks the server to simulate one function: the one named by the code lens, or the one
// around the cursor.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SIMULATE_REQUEST, SimulateParams, SimulationResult } from './protocol';

export interface SimulationTarget {
  uri: vscode.Uri;
  params: SimulateParams;
}

/** From the lens's (uri, functionName) arguments, or from the active editor's cursor. */
export function simulationTarget(uriArg?: unknown, nameArg?: unknown): SimulationTarget | undefined {
  if (typeof uriArg === 'string' && typeof nameArg === 'string' && nameArg.length > 0) {
    return { uri: vscode.Uri.parse(uriArg), params: { uri: uriArg, name: nameArg } };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'c') return undefined;
  const uri = editor.document.uri;
  const { line, character } = editor.selection.active;
  return { uri, params: { uri: uri.toString(), position: { line, character } } };
}

export async function requestSimulation(client: LanguageClient, target: SimulationTarget): Promise<SimulationResult | undefined> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Folio Lens: simulating' },
    () => client.sendRequest<SimulationResult | null>(SIMULATE_REQUEST, target.params),
  );
  if (!result) {
    void vscode.window.showInformationMessage('Folio Lens: there is no function at the cursor to simulate.');
    return undefined;
  }
  return result;
}
