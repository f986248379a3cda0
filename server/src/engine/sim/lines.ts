// Records what the editor shows: the states reaching each line (hover, inlay
// hints), one record per path (the simulation view) and the CFG with the lock
// state at each node.

import type { CfgNode, FunctionCfg } from '../cfg/types';
import type { CfgView, HeldSnapshot, LineState, PathRecord, RefSnapshot } from '../result';
import { RESOURCE_NAMES, SimContext } from './context';
import type { ExitState } from './explore';
import { PathState, trailToArray } from './state';

const MAX_STATES_PER_LINE = 8;
const MAX_PATH_RECORDS = 200;

const SHORT: Record<string, string> = {
  folio_lock: '🔒',
  ptl: 'ptl✓',
  spinlock: '✓',
  pte_map: 'map✓',
  rcu: 'rcu✓',
  lazy_mmu: 'lazy✓',
  mmap_read: 'mmap✓',
  mmap_write: 'mmap(w)✓',
  vma_read: 'vma✓',
  mutex: '✓',
  rwsem_read: '✓',
  rwsem_write: '(w)✓',
};

export function snapshot(cx: SimContext, s: PathState): { held: HeldSnapshot[]; refs: RefSnapshot[] } {
  const held: HeldSnapshot[] = [];
  for (const h of s.held.values()) {
    held.push({
      what: h.obj < 0 ? RESOURCE_NAMES[h.resource] : `${RESOURCE_NAMES[h.resource]} on ${cx.describe(h.obj)}`,
      resource: h.resource,
      sinceLine: h.origin === 'caller' ? -1 : h.line,
      origin: h.origin === 'caller' ? 'caller' : 'here',
    });
  }
  const refs: RefSnapshot[] = [];
  for (const [o, r] of s.refs) if (r.delta !== 0) refs.push({ object: cx.describe(o), delta: r.delta });
  held.sort((a, b) => a.what.localeCompare(b.what));
  refs.sort((a, b) => a.object.localeCompare(b.object));
  return { held, refs };
}

export function compact(snap: { held: HeldSnapshot[]; refs: RefSnapshot[] }): string {
  const parts: string[] = [];
  for (const h of snap.held) {
    const obj = h.what.includes(' on ') ? h.what.slice(h.what.lastIndexOf(' on ') + 4) : '';
    const sym = SHORT[h.resource] ?? '✓';
    if (h.resource === 'folio_lock') parts.push(`${obj}${sym}`);
    else if (h.resource === 'ptl' || h.resource === 'pte_map' || h.resource === 'rcu' || h.resource === 'lazy_mmu') parts.push(sym);
    else parts.push(`${obj || h.resource}${sym}`);
  }
  for (const r of snap.refs) parts.push(`${r.object} ref${r.delta > 0 ? '+' : ''}${r.delta}`);
  return [...new Set(parts)].join(' ');
}

export class LineRecorder {
  private readonly byLine = new Map<number, { paths: number; states: Map<string, { held: HeldSnapshot[]; refs: RefSnapshot[] }> }>();
  private readonly byNode = new Map<number, Set<string>>();

  constructor(private readonly cx: SimContext) {}

  observe = (node: CfgNode, s: PathState): void => {
    if (node.kind === 'entry' || node.kind === 'exit') return;
    let rec = this.byLine.get(node.line);
    if (!rec) this.byLine.set(node.line, (rec = { paths: 0, states: new Map() }));
    rec.paths++;
    let ns = this.byNode.get(node.id);
    if (!ns) this.byNode.set(node.id, (ns = new Set()));
    // Both lists full (a busy line of a big function): nothing more to record but the count.
    if (rec.states.size >= MAX_STATES_PER_LINE && ns.size >= 4) return;
    // A cheap key first; the readable snapshot only for states not seen at this line.
    let key = '';
    for (const h of s.held.values()) key += `${h.resource}${h.obj}${h.origin[0]}${h.line},`;
    key += '|';
    for (const [o, r] of s.refs) if (r.delta !== 0) key += `${o}:${r.delta},`;
    const newAtLine = rec.states.size < MAX_STATES_PER_LINE && !rec.states.has(key);
    let seenNode = this.nodeKeys.get(node.id);
    if (!seenNode) this.nodeKeys.set(node.id, (seenNode = new Set<string>()));
    const newAtNode = ns.size < 4 && !seenNode.has(key);
    if (!newAtLine && !newAtNode) return;
    const snap = snapshot(this.cx, s);
    if (newAtLine) rec.states.set(key, snap);
    if (newAtNode) {
      seenNode.add(key);
      ns.add(compact(snap));
    }
  };

  private readonly nodeKeys = new Map<number, Set<string>>();

  lines(): LineState[] {
    const out: LineState[] = [];
    for (const [line, rec] of [...this.byLine].sort((a, b) => a[0] - b[0])) {
      const states = [...rec.states.values()];
      const compacts = [...new Set(states.map((st) => compact(st)).filter((c) => c.length))];
      out.push({ line, paths: rec.paths, states, compact: compacts.join(' | ') });
    }
    return out;
  }

  pathRecords(exits: ExitState[]): PathRecord[] {
    return exits.slice(0, MAX_PATH_RECORDS).map((e) => {
      const snap = snapshot(this.cx, e.s);
      let returns = 'void';
      if (e.ret !== undefined) {
        const f = e.s.getFacts(e.ret);
        if (f.errptr) returns = 'error pointer';
        else if (f.lo === f.hi && Number.isFinite(f.lo)) returns = String(f.lo);
        else if (f.hi < 0) returns = 'negative';
        else if (f.nz) returns = 'non-zero';
        else returns = e.retText ?? 'unknown';
      }
      return { steps: trailToArray(e.s.trail), exitLine: e.line, returns, finalHeld: snap.held, finalRefs: snap.refs, findings: [] };
    });
  }

  cfgView(cfg: FunctionCfg): CfgView {
    const nodes = cfg.nodes.map((n) => ({ id: n.id, kind: n.kind, label: nodeLabel(n), line: n.line, held: [...(this.byNode.get(n.id) ?? [])].filter((x) => x).join(' | ') }));
    const edges = cfg.edges.map((e) => ({ from: e.from, to: e.to, label: e.label, back: e.back }));
    return { nodes, edges };
  }
}

function nodeLabel(n: CfgNode): string {
  const clip = (t: string): string => {
    const one = t.replace(/\s+/g, ' ');
    return one.length > 48 ? one.slice(0, 45) + '...' : one;
  };
  switch (n.kind) {
    case 'entry':
      return 'entry';
    case 'exit':
      return 'exit';
    case 'eval':
      return clip(n.expr.text);
    case 'assign':
      return clip(`${n.target} = ${n.value?.text ?? '?'}`);
    case 'branch':
      return clip(`if (${n.cond.text})`);
    case 'switch':
      return clip(`switch (${n.discriminant.text})`);
    case 'iter':
      return clip(`${n.macro}(...)`);
    case 'return':
      return clip(`return ${n.value?.text ?? ''}`);
    case 'abort':
      return 'BUG()';
    case 'guard':
      return `${n.action} guard(${n.guardType})`;
    case 'join':
      return n.label ? `${n.label}:` : 'join';
  }
}
