// Folio Lens extension entry: starts the language server and wires the commands, the
// status bar, the simulation view, the text report and the witness-path walker.
// Analysis lives in the server; nothing here interprets C.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { ServerStatus, STATUS_NOTIFICATION } from './protocol';
import { formatSimulationReport } from './report';
import { REPORT_SCHEME, ReportDocuments } from './reportDocument';
import { requestSimulation, simulationTarget } from './simulate';
import { SimulationPanel } from './simulationPanel';
import { StatusBar } from './statusBar';
import { PathWalker } from './walkPath';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Folio Lens', { log: true });
  const status = new StatusBar();
  const panel = new SimulationPanel(context.extensionUri);
  const reports = new ReportDocuments();
  const lc = createLanguageClient(context, output);
  client = lc;
  const walker = new PathWalker((uri) => lc.diagnostics?.get(uri) ?? []);

  context.subscriptions.push(output, status, panel, reports, walker,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));

  context.subscriptions.push(
    lc.onNotification(STATUS_NOTIFICATION, (s: ServerStatus) => status.fromServer(s)),
    vscode.languages.onDidChangeDiagnostics(() => status.fromDiagnostics(countFindings(lc))),
  );

  const requireRunning = (): LanguageClient | undefined => {
    if (lc.isRunning()) return lc;
    void vscode.window.showWarningMessage('Folio Lens: the language server is not running; try "Folio Lens: Restart Server".');
    return undefined;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('folioLens.simulateFunction', async (uriArg?: unknown, nameArg?: unknown) => {
      const target = simulationTarget(uriArg, nameArg);
      const running = requireRunning();
      if (!target || !running) {
        if (!target) void vscode.window.showInformationMessage('Folio Lens: put the cursor in a C function to simulate it.');
        return;
      }
      const result = await requestSimulation(running, target);
      if (result) panel.show(target.uri, result);
    }),
    vscode.commands.registerCommand('folioLens.showSimulationText', async (uriArg?: unknown, nameArg?: unknown) => {
      const target = simulationTarget(uriArg, nameArg);
      const running = requireRunning();
      if (!target || !running) return;
      const result = await requestSimulation(running, target);
      if (result) await reports.open(result.name, target.uri, formatSimulationReport(result, vscode.workspace.asRelativePath(target.uri)));
    }),
    vscode.commands.registerCommand('folioLens.walkPath', () => walker.start()),
    vscode.commands.registerCommand('folioLens.walkPath.next', () => walker.next()),
    vscode.commands.registerCommand('folioLens.walkPath.previous', () => walker.previous()),
    vscode.commands.registerCommand('folioLens.walkPath.stop', () => walker.stop()),
    vscode.commands.registerCommand('folioLens.restartServer', async () => {
      status.reset();
      try {
        await lc.restart();
        output.info('Language server restarted.');
        status.fromDiagnostics(countFindings(lc));
      } catch (err) {
        reportStartFailure(output, status, err);
      }
    }),
    vscode.commands.registerCommand('folioLens.showOutput', () => output.show(true)),
  );

  try {
    await lc.start();
    status.fromDiagnostics(countFindings(lc));
  } catch (err) {
    reportStartFailure(output, status, err);
  }
}

function countFindings(lc: LanguageClient): number {
  let n = 0;
  lc.diagnostics?.forEach((_uri, diagnostics) => { n += diagnostics.length; });
  return n;
}

function reportStartFailure(output: vscode.LogOutputChannel, status: StatusBar, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  output.error(`Language server failed to start: ${message}`);
  status.showError(`the language server failed to start: ${message}`);
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
