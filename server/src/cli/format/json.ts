// --format json: one JSON document for the whole run. The shape is documented in
// README.md ("JSON output") and versioned by `formatVersion`; lines and columns are
// 1-based, as in the text output.

import type { Finding } from '../../engine/types';
import type { FileReport } from '../report';
import type { RunSummary } from '../summary';

export const JSON_FORMAT_VERSION = 1;

export interface JsonWitnessStep {
  line: number;
  column: number;
  kind: string;
  text: string;
}

export interface JsonFinding {
  file: string;
  rule: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  function: string;
  kernelVersion: string;
  witness: JsonWitnessStep[];
}

export interface JsonFile {
  path: string;
  status: FileReport['status'];
  reason?: string;
  kernelVersion?: string;
  versionSource?: string;
  functions: number;
  incompleteFunctions: { name: string; reason: string }[];
  findings: number;
  inputErrors: string[];
  millis: number;
}

export interface JsonReport {
  formatVersion: number;
  tool: { name: string; version: string };
  files: JsonFile[];
  findings: JsonFinding[];
  summary: RunSummary;
}

export function toJsonFinding(file: string, f: Finding): JsonFinding {
  return {
    file,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    function: f.function,
    kernelVersion: f.kernelVersion,
    witness: f.witness.map((s) => ({ line: s.line + 1, column: s.character + 1, kind: s.kind, text: s.text })),
  };
}

export function buildJsonReport(
  reports: readonly FileReport[],
  summary: RunSummary,
  tool: { name: string; version: string },
): JsonReport {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    tool,
    files: reports.map((r) => ({
      path: r.path,
      status: r.status,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.kernelVersion !== undefined ? { kernelVersion: r.kernelVersion } : {}),
      ...(r.versionSource !== undefined ? { versionSource: r.versionSource } : {}),
      functions: r.functions,
      incompleteFunctions: r.incompleteFunctions,
      findings: r.findings.length,
      inputErrors: r.inputErrors,
      millis: r.millis,
    })),
    findings: reports.flatMap((r) => r.findings.map((f) => toJsonFinding(r.path, f))),
    summary,
  };
}
