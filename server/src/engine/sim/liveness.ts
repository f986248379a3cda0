// Live variables per CFG node (classic backward dataflow). A variable that is
// dead at a join point cannot influence anything later, so states that differ
// only in dead variables are the same state there. Without this, every
// scratch variable of a loop body (page, pfn, entry...) multiplies the states
// that reach the loop head.
//
// Every identifier a node mentions counts as a use, except field names (after
// `->` or `.`) and names that are called (`name(`): those never name a value in
// the path's environment, and leaving them out keeps the per-join key short.
// Sets are bit vectors over the function's identifiers and the fixed point is a
// worklist, because this runs once per simulated function.

import type { SyntaxNode } from '../parse/syntax';
import type { CfgNode, FunctionCfg } from '../cfg/types';

const IDENT = /[A-Za-z_]\w*/g;

class IdentIndex {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(name, i);
      this.names.push(name);
    }
    return i;
  }
}


/** Whether the identifier at [start, end) of `text` is a member name (after `.` or `->`) or
 *  the name of a call (followed by `(`). */
function memberOrCallee(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09 || text.charCodeAt(i) === 0x0a)) i--;
  const before = i >= 0 ? text.charCodeAt(i) : 0;
  if (before === 0x2e /* . */ || (before === 0x3e /* > */ && text.charCodeAt(i - 1) === 0x2d /* - */)) return true;
  let j = end;
  while (j < text.length && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09 || text.charCodeAt(j) === 0x0a)) j++;
  return text.charCodeAt(j) === 0x28 /* ( */;
}

function addIdents(n: SyntaxNode | null | undefined, index: IdentIndex, out: number[]): void {
  if (!n) return;
  const text = n.text;
  IDENT.lastIndex = 0;
  for (let m = IDENT.exec(text); m; m = IDENT.exec(text)) {
    const start = m.index;
    // Digits before it make it part of a number (0x1f, 10UL).
    if (start > 0 && /[0-9]/.test(text[start - 1])) continue;
    if (!memberOrCallee(text, start, start + m[0].length)) out.push(index.id(m[0]));
  }
}

function usesOf(n: CfgNode, index: IdentIndex): number[] {
  const out: number[] = [];
  switch (n.kind) {
    case 'eval':
      addIdents(n.expr, index, out);
      break;
    case 'assign':
      addIdents(n.value, index, out);
      break;
    case 'branch':
      addIdents(n.cond, index, out);
      break;
    case 'switch':
      addIdents(n.discriminant, index, out);
      for (const c of n.cases) for (const v of c.values) addIdents(v, index, out);
      break;
    case 'iter':
      addIdents(n.call, index, out);
      break;
    case 'return':
      addIdents(n.value, index, out);
      break;
    case 'guard':
      for (const a of n.args) addIdents(a, index, out);
      break;
    default:
      break;
  }
  return out;
}

function defsOf(n: CfgNode): readonly string[] {
  if (n.kind === 'assign') return [n.target];
  if (n.kind === 'iter') return n.vars;
  return [];
}

/** For each node id, the variables live on entry to it, sorted by name. */
export function liveVariables(cfg: FunctionCfg): string[][] {
  const count = cfg.nodes.length;
  const index = new IdentIndex();
  const uses = cfg.nodes.map((n) => usesOf(n, index));
  const defs = cfg.nodes.map((n) => defsOf(n).map((d) => index.id(d)));
  const words = Math.max(1, Math.ceil(index.names.length / 32));
  const liveIn = new Uint32Array(count * words);
  const succ: number[][] = cfg.nodes.map(() => []);
  const pred: number[][] = cfg.nodes.map(() => []);
  for (const e of cfg.edges) {
    if (e.from < count && e.to < count) {
      succ[e.from].push(e.to);
      pred[e.to].push(e.from);
    }
  }

  // Worklist, seeded in reverse id order (roughly backwards through the body).
  const queued = new Uint8Array(count);
  const work: number[] = [];
  for (let i = 0; i < count; i++) {
    work.push(i);
    queued[i] = 1;
  }
  const out = new Uint32Array(words);
  while (work.length) {
    const i = work.pop()!;
    queued[i] = 0;
    out.fill(0);
    for (const t of succ[i]) for (let w = 0; w < words; w++) out[w] |= liveIn[t * words + w];
    for (const d of defs[i]) out[d >>> 5] &= ~(1 << (d & 31));
    for (const u of uses[i]) out[u >>> 5] |= 1 << (u & 31);
    let changed = false;
    for (let w = 0; w < words; w++) {
      if (liveIn[i * words + w] !== out[w]) {
        liveIn[i * words + w] = out[w];
        changed = true;
      }
    }
    if (!changed) continue;
    for (const p of pred[i]) {
      if (!queued[p]) {
        queued[p] = 1;
        work.push(p);
      }
    }
  }

  const result: string[][] = [];
  for (let i = 0; i < count; i++) {
    const names: string[] = [];
    for (let w = 0; w < words; w++) {
      let bits = liveIn[i * words + w];
      while (bits) {
        const b = 31 - Math.clz32(bits);
        names.push(index.names[w * 32 + b]);
        bits &= ~(1 << b);
      }
    }
    result.push(names.sort());
  }
  return result;
}
