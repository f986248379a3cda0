// Live variables per CFG node (classic backward dataflow). A variable that is
// dead at a join point cannot influence anything later, so states that differ
// only in dead variables are the same state there. Without this, every
// scratch variable of a loop body (page, pfn, entry...) multiplies the states
// that reach the loop head.

import type { Node as SyntaxNode } from 'web-tree-sitter';
import type { CfgNode, FunctionCfg } from '../cfg/types';

function idents(n: SyntaxNode | null | undefined, out: Set<string>): void {
  if (!n) return;
  const m = n.text.match(/[A-Za-z_]\w*/g);
  if (m) for (const x of m) out.add(x);
}

function usesOf(n: CfgNode): Set<string> {
  const out = new Set<string>();
  switch (n.kind) {
    case 'eval':
      idents(n.expr, out);
      break;
    case 'assign':
      idents(n.value, out);
      break;
    case 'branch':
      idents(n.cond, out);
      break;
    case 'switch':
      idents(n.discriminant, out);
      for (const c of n.cases) for (const v of c.values) idents(v, out);
      break;
    case 'iter':
      idents(n.call, out);
      break;
    case 'return':
      idents(n.value, out);
      break;
    case 'guard':
      for (const a of n.args) idents(a, out);
      break;
    default:
      break;
  }
  return out;
}

function defsOf(n: CfgNode): string[] {
  if (n.kind === 'assign') return [n.target];
  if (n.kind === 'iter') return n.vars;
  return [];
}

/** For each node id, the variables live on entry to it. */
export function liveVariables(cfg: FunctionCfg): Set<string>[] {
  const succ: number[][] = cfg.nodes.map(() => []);
  for (const e of cfg.edges) if (succ[e.from]) succ[e.from].push(e.to);
  const uses = cfg.nodes.map(usesOf);
  const defs = cfg.nodes.map(defsOf);
  const liveIn: Set<string>[] = cfg.nodes.map(() => new Set());
  // Iterate to a fixed point, visiting nodes in reverse id order (roughly backwards).
  let changed = true;
  let rounds = 0;
  while (changed && rounds < 50) {
    changed = false;
    rounds++;
    for (let i = cfg.nodes.length - 1; i >= 0; i--) {
      const out = new Set<string>();
      for (const t of succ[i]) for (const v of liveIn[t] ?? []) out.add(v);
      for (const d of defs[i]) out.delete(d);
      for (const u of uses[i]) out.add(u);
      if (out.size !== liveIn[i].size) {
        liveIn[i] = out;
        changed = true;
      }
    }
  }
  return liveIn;
}
