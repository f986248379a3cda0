// Public result types of the engine. Positions are 0-based (line, character),
// as in LSP; the CLI adds one when printing.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type RuleId =
  | 'double-lock'
  | 'unlock-not-held'
  | 'lock-leak'
  | 'ref-leak'
  | 'ref-underflow'
  | 'sleep-in-atomic'
  | 'pte-after-unmap'
  | 'pte-map-unchecked'
  | 'retry-with-lock-held'
  | 'requires-lock'
  | 'use-after-put'
  | 'split-device-private'
  | 'stale-folio-after-split'
  | 'analysis-incomplete';

export const ALL_RULES: readonly RuleId[] = [
  'double-lock',
  'unlock-not-held',
  'lock-leak',
  'ref-leak',
  'ref-underflow',
  'sleep-in-atomic',
  'pte-after-unmap',
  'pte-map-unchecked',
  'retry-with-lock-held',
  'requires-lock',
  'use-after-put',
  'split-device-private',
  'stale-folio-after-split',
  'analysis-incomplete',
];

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One step of a witness path: a branch decision or a lock/reference event. */
export interface WitnessStep {
  line: number;
  character: number;
  kind: 'branch' | 'event' | 'call' | 'assume' | 'loop';
  /** Human text, e.g. "took folio lock on folio (via folio_lock)" or "took the true branch of `!ptep`". */
  text: string;
  /** For a branch step: the condition (as shown) and the way it went. */
  decision?: { cond: string; truth: boolean };
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  range: Range;
  /** Name of the function the finding is in. */
  function: string;
  witness: WitnessStep[];
  /** Kernel version whose contracts were applied, e.g. "6.12". */
  kernelVersion: string;
}

/** A kernel version as MAJOR.MINOR. */
export interface KernelVersion {
  major: number;
  minor: number;
}

export interface AnalyzeOptions {
  /** Kernel version whose contracts apply; defaults to the newest known. */
  kernelVersion?: KernelVersion;
  /** Extra contract entries (already validated), e.g. from a workspace JSON file. */
  extraContracts?: unknown[];
  /** Per-function budget. */
  budget?: Partial<Budget>;
  /** Rules to run; all when absent. */
  rules?: RuleId[];
  /** 'full' also records per-line states, path records and the CFG view (editor);
   *  'findings' records only findings and summaries (batch checking). Default 'full'. */
  detail?: 'full' | 'findings';
  /** Summaries of functions defined in other files (FunctionAnalysis.engineSummary of an
   *  earlier analysis of those files), by name, for calls this document makes to them. */
  externalSummaries?: Record<string, unknown>;
  /** Keep this document's syntax tree and parse the next text of the same uri incrementally
   *  (the editor). Call forgetDocument(uri) when it closes. */
  incremental?: boolean;
  /** Only simulate these functions (and what they call, for summaries); the others come back
   *  with name, range and textHash but `paths: 0` and no findings, for the caller to reuse. */
  onlyFunctions?: string[];
}

export interface Budget {
  /** Maximum number of CFG node visits (summed over all states) per function. */
  maxStateVisits: number;
  /** Maximum wall time per function, in milliseconds. */
  maxMillis: number;
  /** Distinct states kept at one join point before later arrivals are merged by their
   *  locks, references and branch-relevant facts only. */
  maxStatesPerNode: number;
  /** Past that, distinct states by locks, references and branch-relevant facts at one join
   *  point before later arrivals are merged by their locks and references only. */
  maxMergedStatesPerNode: number;
  /** Distinct lock-and-reference states at one join point before the function is given up. */
  maxHeldStatesPerNode: number;
}

export const DEFAULT_BUDGET: Budget = {
  maxStateVisits: 20000,
  maxMillis: 10000,
  maxStatesPerNode: 4,
  maxMergedStatesPerNode: 32,
  maxHeldStatesPerNode: 512,
};
