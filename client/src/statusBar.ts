// The status bar item: "analysing…", "N findings" or an error. Fed by the server's
// `folioLens/status` notification when it sends one, otherwise by counting diagnostics.

import * as vscode from 'vscode';
import type { ServerStatus } from './protocol';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  /** True once the server has sent its own status: diagnostics counting then stops. */
  private serverDriven = false;

  constructor() {
    this.item = vscode.window.createStatusBarItem('folioLens.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Folio Lens';
    this.item.command = 'workbench.actions.view.problems';
    this.showStarting();
    this.item.show();
  }

  showStarting(): void {
    this.item.text = '$(sync~spin) Folio Lens: starting';
    this.item.tooltip = 'Folio Lens: starting the language server';
    this.item.backgroundColor = undefined;
  }

  showError(message: string): void {
    this.item.text = '$(error) Folio Lens: error';
    this.item.tooltip = `Folio Lens: ${message}\nRun "Folio Lens: Restart Server" to try again.`;
    this.item.command = 'folioLens.restartServer';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  }

  fromServer(status: ServerStatus): void {
    this.serverDriven = true;
    if (status.state === 'error') {
      this.showError(status.message ?? 'the server reported an error');
      return;
    }
    if (status.state === 'analysing') {
      this.item.text = '$(sync~spin) Folio Lens: analysing…';
      this.item.tooltip = status.message ?? 'Folio Lens: simulating changed functions';
      this.item.backgroundColor = undefined;
      return;
    }
    this.showCount(status.findings, status.message);
  }

  fromDiagnostics(count: number): void {
    if (!this.serverDriven) this.showCount(count);
  }

  /** Called when the server restarts: its own status may not come back. */
  reset(): void {
    this.serverDriven = false;
    this.showStarting();
  }

  private showCount(findings: number, message?: string): void {
    this.item.command = 'workbench.actions.view.problems';
    this.item.backgroundColor = undefined;
    this.item.text = findings === 0 ? '$(check) Folio Lens: no findings' : `$(warning) Folio Lens: ${findings} finding${findings === 1 ? '' : 's'}`;
    this.item.tooltip = message ?? 'Folio Lens: findings in open C files (click for the Problems panel)';
  }

  dispose(): void {
    this.item.dispose();
  }
}
