// Hover anywhere inside a function: the states that reach the line (what is
// held and since which line, reference deltas per object), the assumptions in
// force on entry, the kernel version assumed and how many paths, as markdown.

import type { Hover } from 'vscode-languageserver';
import type { FunctionAnalysis, LineState } from '../engine/result';
import type { Position } from '../engine/types';
import type { StoredAnalysis } from './documents';

/** The function whose range holds the position (the innermost if ranges nest). */
export function functionAt(stored: StoredAnalysis, line: number): FunctionAnalysis | undefined {
  let best: FunctionAnalysis | undefined;
  for (const fa of stored.analysis.functions) {
    if (line < fa.range.start.line || line > fa.range.end.line) continue;
    if (!best || fa.range.start.line >= best.range.start.line) best = fa;
  }
  return best;
}

/**
 * The states for a line. Lines the engine lists are exact; for a line it does not
 * list (blank, comment, a lone brace) the states reaching the next listed line are
 * the ones reaching it, since nothing executes in between; after the last listed
 * line, the last one is used.
 */
export function lineStateFor(fa: FunctionAnalysis, line: number): { state: LineState; exact: boolean } | undefined {
  if (fa.lines.length === 0) return undefined;
  const sorted = [...fa.lines].sort((a, b) => a.line - b.line);
  const exact = sorted.find((l) => l.line === line);
  if (exact) return { state: exact, exact: true };
  const next = sorted.find((l) => l.line > line);
  return { state: next ?? sorted[sorted.length - 1]!, exact: false };
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}

function since(sinceLine: number, origin: 'here' | 'caller'): string {
  if (origin === 'caller' || sinceLine < 0) return 'held by the caller';
  return `taken at line ${sinceLine + 1}`;
}

function delta(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

export function hoverMarkdown(stored: StoredAnalysis, fa: FunctionAnalysis, line: number): string {
  const out: string[] = [];
  const found = lineStateFor(fa, line);
  const where = found && !found.exact ? ` (state reaching line ${found.state.line + 1})` : '';
  const paths = found ? found.state.paths : 0;
  out.push(`**Folio Lens** \u00b7 \`${escapeMarkdown(fa.name)}\` \u00b7 line ${line + 1}${where}`);
  out.push('');
  out.push(
    `${paths} path${paths === 1 ? '' : 's'} reach this line, of ${fa.paths} simulated in the function` +
      (fa.complete ? '' : ` (incomplete: ${escapeMarkdown(fa.incompleteReason ?? 'budget spent')})`) +
      '.' +
      (fa.mergedStates ? ` ${fa.mergedStates} state${fa.mergedStates === 1 ? ' was' : 's were'} merged into one holding the same locks and references.` : ''),
  );
  if (!found) {
    out.push('', 'No simulated state reaches this line.');
  } else if (found.state.states.length === 0 || found.state.states.every((s) => s.held.length === 0 && s.refs.length === 0)) {
    out.push('', 'Nothing held, no reference change on any path.');
  } else {
    found.state.states.forEach((s, i) => {
      out.push('', found.state.states.length > 1 ? `*State ${i + 1} of ${found.state.states.length}:*` : '*State:*');
      if (s.held.length === 0) out.push('- nothing held');
      for (const h of s.held) out.push(`- ${escapeMarkdown(h.what)} \u2014 ${since(h.sinceLine, h.origin)}`);
      for (const r of s.refs) out.push(`- reference ${delta(r.delta)} on \`${escapeMarkdown(r.object)}\``);
    });
  }
  if (found?.state.compact) out.push('', `Compact: \`${found.state.compact}\``);
  out.push('', '**Assumptions on entry**');
  if (fa.assumptions.length === 0) out.push('- none');
  for (const a of fa.assumptions) out.push(`- ${escapeMarkdown(a)}`);
  out.push('', `Kernel ${escapeMarkdown(stored.analysis.kernelVersion)} contracts (${escapeMarkdown(stored.versionOrigin)}).`);
  return out.join('\n');
}

export function hoverAt(stored: StoredAnalysis, position: Position): Hover | null {
  const fa = functionAt(stored, position.line);
  if (!fa) return null;
  return { contents: { kind: 'markdown', value: hoverMarkdown(stored, fa, position.line) } };
}
