// gcc-style text: `file:line:col: warning: message [rule]`, then the witness path as
// indented `file:line: note: ...` lines. Lines and columns are 1-based. Editors and CI
// systems that understand gcc output pick these up as they are.

import type { Finding, Severity } from '../../engine/types';
import type { FileReport } from '../report';

/** gcc's vocabulary: error, warning, note; "info" for information (as clang-tidy does). */
const SEVERITY_WORD: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  information: 'info',
  hint: 'note',
};

export function formatFindingText(file: string, finding: Finding, showPath: boolean): string {
  const { line, character } = finding.range.start;
  const lines = [
    `${file}:${line + 1}:${character + 1}: ${SEVERITY_WORD[finding.severity]}: ${finding.message} [${finding.rule}]`,
  ];
  if (showPath) {
    for (const step of finding.witness) lines.push(`  ${file}:${step.line + 1}: note: ${step.text}`);
  }
  return lines.join('\n');
}

/** All findings of one file, in report order; empty string when there are none. */
export function formatFileText(report: FileReport, showPaths: boolean): string {
  return report.findings.map((f) => formatFindingText(report.path, f, showPaths)).join('\n');
}
