// Inlay hints: the compact state (e.g. `ptl✓ folio🔒 ref+1`) at the end of each
// branch-point line (the state reaching the decision) and of each line with a
// lock or reference event (the state right after it).

import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { FunctionAnalysis, LineState } from '../engine/result';
import type { StoredAnalysis } from './documents';

/** CFG node kinds that decide between paths. */
const BRANCH_KINDS = new Set(['branch', 'switch', 'iter']);

/** Shown after an event that leaves nothing held, so an unlock visibly clears the state. */
export const NOTHING_HELD = '\u2205';

function eventLines(fa: FunctionAnalysis): Set<number> {
  const lines = new Set<number>();
  for (const record of fa.pathRecords) for (const step of record.steps) if (step.kind === 'event') lines.add(step.line);
  for (const finding of fa.findings) for (const step of finding.witness) if (step.kind === 'event') lines.add(step.line);
  return lines;
}

function branchLines(fa: FunctionAnalysis): Set<number> {
  return new Set(fa.cfg.nodes.filter((n) => BRANCH_KINDS.has(n.kind) && n.line >= 0).map((n) => n.line));
}

/** One label per annotated line of the function. */
export function functionHintLabels(fa: FunctionAnalysis): Map<number, string> {
  const states = [...fa.lines].sort((a, b) => a.line - b.line);
  const at = new Map<number, LineState>(states.map((s) => [s.line, s]));
  const after = (line: number): LineState | undefined => states.find((s) => s.line > line);
  const labels = new Map<number, string>();
  for (const line of branchLines(fa)) {
    const compact = at.get(line)?.compact;
    if (compact) labels.set(line, compact);
  }
  // An event line shows the state after the event, even when it is also a branch (a trylock in an `if`).
  for (const line of eventLines(fa)) {
    if (line < fa.range.start.line || line > fa.range.end.line) continue;
    const next = after(line);
    if (next && next.line <= fa.range.end.line) labels.set(line, next.compact || NOTHING_HELD);
  }
  return labels;
}

export function inlayHints(stored: StoredAnalysis, range: Range): InlayHint[] {
  const lines = stored.text.split('\n');
  const hints: InlayHint[] = [];
  for (const fa of stored.analysis.functions) {
    if (fa.range.end.line < range.start.line || fa.range.start.line > range.end.line) continue;
    for (const [line, label] of functionHintLabels(fa)) {
      if (line < range.start.line || line > range.end.line || line >= lines.length) continue;
      const character = lines[line]!.replace(/\r$/, '').length;
      hints.push({ position: { line, character }, label, kind: InlayHintKind.Type, paddingLeft: true });
    }
  }
  return hints.sort((a, b) => a.position.line - b.position.line);
}
