// Findings as LSP diagnostics: one per finding, the rule id as code, severity
// from the settings, and the witness path as related information (each step a
// location and what happened there) when the client can show it. The witness
// also rides in `data` for the client's "walk path" command.

import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { DocumentAnalysis } from '../engine/result';
import type { Finding, Severity, WitnessStep } from '../engine/types';
import type { FolioLensSettings } from './settings';

export const DIAGNOSTIC_SOURCE = 'folio-lens';

/** What a diagnostic's `data` carries: enough to walk the path without asking the server. */
export interface FindingData {
  rule: string;
  function: string;
  kernelVersion: string;
  witness: WitnessStep[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The severity to show, or null when the rule is switched off. */
export function severityFor(finding: Finding, settings: FolioLensSettings): DiagnosticSeverity | null {
  const configured = settings.rules[finding.rule];
  if (configured === 'off') return null;
  return SEVERITY[configured ?? finding.severity] ?? DiagnosticSeverity.Warning;
}

function relatedInformation(uri: string, witness: WitnessStep[]): DiagnosticRelatedInformation[] {
  return witness.map((step) => ({
    location: {
      uri,
      range: { start: { line: step.line, character: step.character }, end: { line: step.line, character: step.character } },
    },
    message: `${step.kind}: ${step.text}`,
  }));
}

function messageOf(finding: Finding): string {
  // Findings name the kernel version whose contracts they assumed (DESIGN: contracts as data).
  return finding.message.includes(finding.kernelVersion)
    ? finding.message
    : `${finding.message} (kernel ${finding.kernelVersion} contracts)`;
}

export function toDiagnostics(
  uri: string,
  analysis: DocumentAnalysis,
  settings: FolioLensSettings,
  clientShowsRelated: boolean,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const finding of analysis.findings) {
    const severity = severityFor(finding, settings);
    if (severity === null) continue;
    const data: FindingData = {
      rule: finding.rule,
      function: finding.function,
      kernelVersion: finding.kernelVersion,
      witness: finding.witness,
    };
    const diagnostic: Diagnostic = {
      range: finding.range,
      severity,
      code: finding.rule,
      source: DIAGNOSTIC_SOURCE,
      message: messageOf(finding),
      data,
    };
    if (clientShowsRelated && finding.witness.length > 0) diagnostic.relatedInformation = relatedInformation(uri, finding.witness);
    out.push(diagnostic);
  }
  return out;
}
