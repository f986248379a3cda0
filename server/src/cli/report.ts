// The per-file result the CLI prints. Plain data: it crosses worker threads and is
// what --format json writes for each file.

import type { Finding, KernelVersion, RuleId } from '../engine/types';

export interface IncompleteFunction {
  name: string;
  reason: string;
}

export type FileStatus =
  /** Analysed by the engine (findings and inputErrors may be present). */
  | 'analyzed'
  /** Deliberately not analysed: binary, too large. Not an error. */
  | 'skipped'
  /** Could not be read (permissions, vanished, a directory entry that is not a file). */
  | 'unreadable'
  /** The engine threw (or its worker died) on this file. */
  | 'crashed';

export interface FileReport {
  /** The path as the user gave it (joined with the directory it was found in). */
  path: string;
  status: FileStatus;
  /** Why the file was skipped, unreadable or crashed: one sentence. */
  reason?: string;
  /** Kernel version whose contracts applied, e.g. "6.12". */
  kernelVersion?: string;
  /** Where the version came from, as the engine says: "option", the Makefile's path, or the default. */
  versionSource?: string;
  functions: number;
  /** Functions whose analysis did not finish (budget spent, or an internal error), and why. */
  incompleteFunctions: IncompleteFunction[];
  findings: Finding[];
  /** The engine's own complaints about the input, one sentence each. */
  inputErrors: string[];
  parseMillis: number;
  simulateMillis: number;
  millis: number;
}

/** Settings for checking one file; plain data so a worker thread can receive it. */
export interface FileCheckSettings {
  /** --kernel-version; otherwise the engine detects it per file. */
  kernelVersion?: KernelVersion;
  /** Validated entries from --contracts. */
  extraContracts?: unknown[];
  rules?: RuleId[];
  /** --budget: state visits per function. */
  budget?: number;
  maxBytes: number;
}

export function emptyReport(path: string, status: FileStatus, reason?: string): FileReport {
  return {
    path,
    status,
    reason,
    functions: 0,
    incompleteFunctions: [],
    findings: [],
    inputErrors: [],
    parseMillis: 0,
    simulateMillis: 0,
    millis: 0,
  };
}

/** Source order (line, column), then rule and message: a stable order for output. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
