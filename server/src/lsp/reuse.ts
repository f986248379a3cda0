// Reuse of the previous analysis after an edit: functions that were not
// simulated again keep their previous FunctionAnalysis, moved to where the
// function now is. Works whether the engine honoured `onlyFunctions` (others
// come back unsimulated) or ignored it (everything comes back fresh).

import type { DocumentAnalysis, FunctionAnalysis } from '../engine/result';
import type { Finding, Range, WitnessStep } from '../engine/types';
import { functionKeys } from './editTracker';

function shiftRange(range: Range, delta: number): Range {
  return {
    start: { line: range.start.line + delta, character: range.start.character },
    end: { line: range.end.line + delta, character: range.end.character },
  };
}

function shiftStep(step: WitnessStep, delta: number): WitnessStep {
  return { ...step, line: step.line + delta };
}

function shiftFinding(finding: Finding, delta: number): Finding {
  return { ...finding, range: shiftRange(finding.range, delta), witness: finding.witness.map((s) => shiftStep(s, delta)) };
}

/** Lines that are "none" (-1: the caller, or a path that aborts) stay as they are. */
function shiftLine(line: number, delta: number): number {
  return line >= 0 ? line + delta : line;
}

/** The same analysis for the same text `delta` lines further down. */
export function shiftFunction(fa: FunctionAnalysis, delta: number): FunctionAnalysis {
  if (delta === 0) return fa;
  return {
    ...fa,
    range: shiftRange(fa.range, delta),
    findings: fa.findings.map((f) => shiftFinding(f, delta)),
    lines: fa.lines.map((l) => ({
      ...l,
      line: l.line + delta,
      states: l.states.map((s) => ({ ...s, held: s.held.map((h) => ({ ...h, sinceLine: shiftLine(h.sinceLine, delta) })) })),
    })),
    pathRecords: fa.pathRecords.map((p) => ({
      ...p,
      steps: p.steps.map((s) => shiftStep(s, delta)),
      exitLine: shiftLine(p.exitLine, delta),
      finalHeld: p.finalHeld.map((h) => ({ ...h, sinceLine: shiftLine(h.sinceLine, delta) })),
    })),
    cfg: { nodes: fa.cfg.nodes.map((n) => ({ ...n, line: shiftLine(n.line, delta) })), edges: fa.cfg.edges },
  };
}

/** Whether the engine actually simulated this function (rather than listing it unsimulated). */
export function wasSimulated(fa: FunctionAnalysis): boolean {
  return fa.paths > 0 || fa.pathRecords.length > 0 || fa.lines.length > 0 || fa.findings.length > 0;
}

export interface MergeResult {
  analysis: DocumentAnalysis;
  /** Names that were neither simulated now nor reusable: a second pass must simulate them. */
  unresolved: string[];
}

/**
 * Combines a fresh analysis made with `onlyFunctions = simulated` with the previous one.
 * A function outside `simulated` reuses its previous analysis when its text hash is
 * unchanged; if its text changed without the edit tracker noticing (or it is new)
 * and the engine did not simulate it, its name is returned in `unresolved`.
 */
export function mergeWithPrevious(
  fresh: DocumentAnalysis,
  previous: DocumentAnalysis,
  simulated: ReadonlySet<string>,
): MergeResult {
  const previousByKey = new Map<string, FunctionAnalysis>();
  functionKeys(previous.functions.map((f) => f.name)).forEach((key, i) => previousByKey.set(key, previous.functions[i]!));
  const freshKeys = functionKeys(fresh.functions.map((f) => f.name));

  const unresolved = new Set<string>();
  const functions = fresh.functions.map((fa, i) => {
    if (simulated.has(fa.name)) return fa;
    const before = previousByKey.get(freshKeys[i]!);
    if (before && before.textHash === fa.textHash) {
      return wasSimulated(fa) ? fa : shiftFunction(before, fa.range.start.line - before.range.start.line);
    }
    if (!wasSimulated(fa)) unresolved.add(fa.name);
    return fa;
  });

  const names = new Set(functions.map((f) => f.name));
  const unattributed = fresh.findings.filter((f) => !names.has(f.function));
  return {
    analysis: { ...fresh, functions, findings: [...functions.flatMap((f) => f.findings), ...unattributed] },
    unresolved: [...unresolved],
  };
}
