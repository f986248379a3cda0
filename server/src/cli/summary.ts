// Totals over a run: what --summary prints and what --format json always includes.

import { ALL_RULES, type RuleId } from '../engine/types';
import type { FileReport } from './report';

export interface RunSummary {
  files: number;
  analyzed: number;
  skipped: number;
  unreadable: number;
  crashed: number;
  functions: number;
  /** Each function whose analysis did not finish: "file: function (reason)". */
  incompleteFunctions: string[];
  findings: number;
  /** Findings per rule id, every rule listed (0 when none). */
  byRule: Record<RuleId, number>;
  /** Wall time of the whole run, in milliseconds. */
  millis: number;
}

export function summarize(reports: readonly FileReport[], millis: number): RunSummary {
  const byRule = Object.fromEntries(ALL_RULES.map((r) => [r, 0])) as Record<RuleId, number>;
  const summary: RunSummary = {
    files: reports.length,
    analyzed: 0,
    skipped: 0,
    unreadable: 0,
    crashed: 0,
    functions: 0,
    incompleteFunctions: [],
    findings: 0,
    byRule,
    millis: Math.round(millis),
  };
  for (const report of reports) {
    summary[report.status]++;
    summary.functions += report.functions;
    for (const f of report.incompleteFunctions) summary.incompleteFunctions.push(`${report.path}: ${f.name} (${f.reason})`);
    for (const finding of report.findings) {
      summary.findings++;
      byRule[finding.rule] = (byRule[finding.rule] ?? 0) + 1;
    }
  }
  return summary;
}

/** The human-readable form printed by --summary. */
export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  lines.push(
    `files: ${s.files} (analysed ${s.analyzed}, skipped ${s.skipped}, unreadable ${s.unreadable}, crashed ${s.crashed})`,
  );
  lines.push(`functions: ${s.functions} (incomplete ${s.incompleteFunctions.length})`);
  for (const name of s.incompleteFunctions) lines.push(`  incomplete: ${name}`);
  lines.push(`findings: ${s.findings}`);
  for (const rule of ALL_RULES) {
    if (s.byRule[rule] > 0) lines.push(`  ${rule}: ${s.byRule[rule]}`);
  }
  lines.push(`time: ${(s.millis / 1000).toFixed(2)} s`);
  return lines.join('\n');
}
