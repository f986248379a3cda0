// What analyzing a document returns. Plain data (JSON-serialisable) so the LSP
// and CLI can ship it across worker threads and to the webview.

import type { Finding, Range, WitnessStep } from './types';

/** A compact description of what one path holds at a point. */
export interface HeldSnapshot {
  /** e.g. "folio lock on folio", "PTL ptl", "MAP ptep", "lazy-MMU", "RCU read", "mmap read lock". */
  what: string;
  resource: string;
  /** 0-based line where it was taken (or -1 when the caller holds it). */
  sinceLine: number;
  /** "caller" when assumed from a contract or annotation. */
  origin: 'here' | 'caller';
}

export interface RefSnapshot {
  /** The expression naming the object, e.g. "folio". */
  object: string;
  delta: number;
}

/** Summary of all the states reaching one source line. */
export interface LineState {
  line: number;
  /** Number of distinct paths (states) reaching the line. */
  paths: number;
  /** One entry per distinct state (deduplicated on what is shown). */
  states: { held: HeldSnapshot[]; refs: RefSnapshot[] }[];
  /** Compact text for inlay hints, e.g. "ptl✓ folio🔒 ref+1". Empty when nothing is held. */
  compact: string;
}

export interface PathRecord {
  /** Branch decisions and events along the path. */
  steps: WitnessStep[];
  /** 0-based line of the return (or -1 for a path that aborts). */
  exitLine: number;
  /** The returned value class, e.g. "0", "-EAGAIN", "NULL", "non-NULL", "unknown", "void". */
  returns: string;
  finalHeld: HeldSnapshot[];
  finalRefs: RefSnapshot[];
  findings: number[]; // indexes into the function's findings
}

export interface CfgView {
  nodes: { id: number; kind: string; label: string; line: number; held: string }[];
  edges: { from: number; to: number; label?: string; back?: boolean }[];
}

/** One case of a function summary: an outcome class and its effects on the parameters. */
export interface SummaryCase {
  returns: string;
  effects: string[];
}

export interface FunctionAnalysis {
  name: string;
  range: Range;
  /** Hash of the function's text: the LSP re-simulates only functions whose hash changed. */
  textHash: string;
  paths: number;
  /** States dropped at join points because an earlier one held the same locks and references
   *  and agreed on what later branches test (or, for a very long function, held the same
   *  locks and references): paths followed less precisely, not unchecked. */
  mergedStates?: number;
  complete: boolean;
  /** Why not complete (budget kind and where). */
  incompleteReason?: string;
  findings: Finding[];
  lines: LineState[];
  pathRecords: PathRecord[];
  cfg: CfgView;
  summary: SummaryCase[];
  /** The summary other documents' analyses can use for calls to this function (complete
   *  functions only): plain data, passed back through AnalyzeOptions.externalSummaries. */
  engineSummary?: import('./sim/summary').FunctionSummary;
  /** Assumptions used on entry (contracts, annotations, call sites), for hovers. */
  assumptions: string[];
  millis: number;
}

export interface DocumentAnalysis {
  uri: string;
  kernelVersion: string;
  /** Where the version came from: "option", "Makefile <path>", "default". */
  versionSource?: string;
  functions: FunctionAnalysis[];
  findings: Finding[];
  /** Problems with the input itself (binary, too large, ...): one clear sentence each. */
  inputErrors: string[];
  parseMillis: number;
  simulateMillis: number;
}
