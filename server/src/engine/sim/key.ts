// The part of a path state that matters for what can happen next, as a string
// that is the same for states that differ only in symbol numbering, history
// and exact integer values. Two states with the same key at a join point are
// merged (the later one is dropped). Reference deltas are widened to [-2, 2]
// so a count that grows around a loop repeats.

import type { SimContext } from './context';
import { UNKNOWN_FACTS, type PathState, type Sym, type ValueFacts } from './state';
import { tableOf } from './objects';

/** factsClass's text for the classes other than 'E' and '0', by nz | sign << 1 | notErr << 3
 *  (sign 1: negative, 2: positive): made once rather than concatenated on every key. */
const FACT_CLASSES: string[] = [];
for (let bits = 0; bits < 16; bits++) {
  const c = `${bits & 1 ? 'n' : ''}${(bits >> 1) & 3 ? ((bits >> 1) & 3) === 1 ? '-' : '+' : ''}${bits & 8 ? 'p' : ''}`;
  FACT_CLASSES.push(c || '?');
}

function factsClass(f: ValueFacts): string {
  if (f.errptr === true) return 'E';
  if (f.lo === 0 && f.hi === 0) return '0';
  return FACT_CLASSES[(f.nz ? 1 : 0) | (f.hi < 0 ? 2 : f.lo > 0 ? 4 : 0) | (f.errptr === false ? 8 : 0)];
}

/** Bits known set or clear in a value that is not one constant (`ret` after a fault handler
 *  returned VM_FAULT_RETRY rather than VM_FAULT_COMPLETED): later bit tests decide on them. */
function bitsPart(f: ValueFacts): string {
  return f.set || f.clear ? `:s${f.set ?? 0}c${f.clear ?? 0}` : '';
}

/** How much of a state a key keeps:
 *  - 'exact': everything that can matter later (the default);
 *  - 'branch': locks, references and what a later branch can decide from (NULL, zero,
 *    sign of each live variable);
 *  - 'held': locks and references only. */
export type KeyLevel = 'exact' | 'branch' | 'held';

/** `widen`: at loop heads, exact integer values are left out so counters converge. */
export function stateKey(cx: SimContext, s: PathState, widen = false, level: KeyLevel = 'exact', liveVars?: readonly string[]): string {
  const coarse = level !== 'exact';
  const ids = new Map<Sym, number>();
  /** canon() of a representative. */
  const canonRep = (r: Sym): string => {
    const info = cx.info(r);
    // Entry values and keyed values (globals, lock pointers) are the same across paths.
    if (info.origin === 'const') return widen ? 'c' : `k${r}`;
    if (info.entryPath) return entryName(r, info.entryPath);
    if (info.origin === 'global') return `k${r}`;
    let id = ids.get(r);
    if (id === undefined) ids.set(r, (id = ids.size));
    return `#${id}`;
  };
  const canon = (x: Sym): string => (x < 0 ? `g${-x}` : canonRep(s.rep(x)));
  // Entry values are named by their path from a parameter, not by symbol: a split gives
  // `page_folio(page)` a new object each round of a retry loop, with the same path; named
  // by number, the loop head would never see the same state twice. Two objects with one
  // path in one state are told apart by the order they are met. (Made on first use: most
  // keys name no entry value twice.)
  let entryNames: Map<Sym, string> | undefined;
  let entryPaths: Map<string, number> | undefined;
  const entryName = (r: Sym, ep: { param: number; path: string[] }): string => {
    entryNames ??= new Map();
    entryPaths ??= new Map();
    let name = entryNames.get(r);
    if (name === undefined) {
      const path = cx.entryPathName(r, ep);
      const seen = entryPaths.get(path) ?? 0;
      entryPaths.set(path, seen + 1);
      name = seen ? `${path}~${seen}` : path;
      entryNames.set(r, name);
    }
    return name;
  };
  const parts: string[] = [];
  // liveVars is sorted once per node; without it, every variable counts.
  const names = level === 'held' ? [] : (liveVars ?? [...s.env.keys()].sort());
  for (const n of names) {
    const v = s.env.get(n);
    if (v === undefined) continue;
    // A global or macro read on this path is the same keyed value on every path (its
    // facts, if a branch refined them, are in the entry-facts part below): whether this
    // path has read it yet does not matter.
    const vinfo = cx.info(v);
    if (vinfo.origin === 'global' && vinfo.label === n) continue;
    const r = v < 0 ? v : s.rep(v);
    const f = s.facts.get(r) ?? s.constFacts.get(r) ?? UNKNOWN_FACTS;
    const name = v < 0 ? canon(v) : canonRep(r);
    if (coarse) {
      // Only what a later branch can decide from: NULL / zero / sign of each variable.
      parts.push(`${n}=${factsClass(f)}`);
      continue;
    }
    parts.push(`${n}=${name}${factsClass(f)}${!widen && f.lo === f.hi && Math.abs(f.lo) < 4096 ? `:${f.lo}` : bitsPart(f)}`);
  }
  // Objects no variable reaches any more (last round's folio, last round's lock) are told
  // apart only by what they hold, not by identity or number, so loops converge.
  // Reached: named by a variable above (ids handed out so far).
  const reachedCount = ids.size;
  const reached = (r: Sym): boolean => (ids.get(r) ?? reachedCount) < reachedCount;
  const objName = (x: Sym): string => {
    if (x < 0) return canon(x);
    const r = s.rep(x);
    if (reached(r)) return canon(x);
    const info = cx.info(r);
    return info.entryPath || info.origin === 'global' ? canon(x) : 'dead';
  };
  // Flags of reachable objects (device-private, large, ...): what later checks test.
  const flagsPart = (): string => {
    const flags: string[] = [];
    for (const [o, fl] of s.flags) {
      if (!ids.has(s.rep(o)) && !cx.info(o).entryPath) continue;
      flags.push(`${canon(o)}{${Object.entries(fl).map(([k, v]) => `${k}${v ? 1 : 0}`).sort().join('')}}`);
    }
    return flags.length ? `F[${flags.sort().join(',')}]` : '';
  };
  parts.push(s.held.size ? `H[${heldPart(s, objName, widen)}]` : 'H[]');
  // What the path assumed its caller holds (a lock released here that the caller held, one
  // taken here that it must not): a path that released the caller's lock and one that
  // never touched it hold the same locks now but end in different summary cases. Only
  // objects the caller can name count (a loop's last VMA does not), so loops converge.
  if (s.pre.size) {
    const pre = new Set<string>();
    for (const p of s.pre.values()) {
      const name = objName(p.obj);
      if (!p.test && name !== 'dead') pre.add(`${p.resource}@${name}${p.need[0]}`);
    }
    if (pre.size) parts.push(`Q[${[...pre].sort().join(',')}]`);
  }
  parts.push(s.refs.size ? `R[${refsPart(s, objName)}]` : 'R[]');
  if (level === 'branch') parts.push(flagsPart());
  if (coarse) return parts.join(';');
  if (s.unmapped.size) {
    // Only tables some variable still points into.
    const tables = new Set<number>();
    for (const v of s.env.values()) tables.add(tableOf(cx, s, v));
    const us = [...s.unmapped.keys()].filter((t) => tables.has(t)).map(canon).sort();
    if (us.length) parts.push(`U[${us.join(',')}]`);
  }
  if (s.staleVars.size) parts.push(`S[${[...s.staleVars.keys()].sort().join(',')}]`);
  // Hand-offs matter only for objects that hold something.
  if (s.escaped.size) {
    const holding = new Set<number>();
    for (const h of s.held.values()) if (h.obj >= 0) holding.add(h.obj);
    for (const [o, r] of s.refs) if (r.delta !== 0) holding.add(o);
    // Unreachable handed-off objects are one "dead" entry however many loop rounds made them.
    if (holding.size) {
      const xs = new Set<string>();
      for (const x of s.escaped) if (holding.has(x)) xs.add(objName(x));
      if (xs.size) parts.push(`X${[...xs].sort().join(',')}`);
    }
  }
  // Only relations between values still reachable matter (old loop counters do not).
  const live = (x: number): boolean => {
    const r = s.rep(x);
    if (ids.has(r)) return true;
    const info = cx.info(r);
    return !!info.entryPath || info.origin === 'global' || info.origin === 'const';
  };
  const neq: string[] = [];
  for (const [a, b] of s.neq.values()) {
    if (live(a) && live(b)) {
      const ca = canon(a);
      const cb = canon(b);
      neq.push(ca < cb ? `${ca}!${cb}` : `${cb}!${ca}`);
    }
  }
  if (neq.length) parts.push(`N[${neq.sort().join(',')}]`);
  const dec: string[] = [];
  for (const d of s.decided.values()) {
    if (!live(d.a) || !live(d.b)) continue;
    dec.push(`${canon(d.a)}${d.op}${canon(d.b)}${d.truth ? 'T' : 'F'}`);
  }
  if (dec.length) parts.push(`D[${dec.sort().join(',')}]`);
  const flags = flagsPart();
  if (flags) parts.push(flags);
  const pf: string[] = [];
  for (const [p, f] of s.pageFolio) if (ids.has(s.rep(p)) || cx.info(p).entryPath) pf.push(`${canon(p)}>${canon(f)}`);
  if (pf.length) parts.push(`P[${pf.sort().join(',')}]`);
  // Facts of entry values constrained on this path (correlated branches on parameters).
  const ef: string[] = [];
  const entryFact = (x: Sym, f: ValueFacts): void => {
    if (s.rep(x) !== x) return;
    // Facts that say nothing a later test can decide from (class '?') do not split states.
    const c = factsClass(f);
    if (c !== '?') ef.push(`${canon(x)}${c}`);
  };
  if (s.facts.size < cx.sharedSyms.length) {
    for (const [x, f] of s.facts) if (cx.isShared(x)) entryFact(x, f);
  } else {
    for (const x of cx.sharedSyms) {
      const f = s.facts.get(x);
      if (f) entryFact(x, f);
    }
  }
  if (ef.length) parts.push(`E[${ef.sort().join(',')}]`);
  return parts.join(';');
}

/** Locks held, as key text (sorted, so map order does not matter). Nest counts (RCU,
 *  lazy-MMU) are widened like reference deltas, so a loop that nests one level deeper each
 *  round still converges. */
function heldPart(s: PathState, objName: (x: Sym) => string, widen: boolean): string {
  const held = new Set<string>();
  for (const h of s.held.values()) held.add(`${h.resource}@${objName(h.obj)}x${widen ? Math.min(h.count, 2) : h.count}${h.origin[0]}`);
  return [...held].sort().join(',');
}

/** References changed on this path and not handed off, as key text. */
function refsPart(s: PathState, objName: (x: Sym) => string): string {
  const refs = new Set<string>();
  for (const [o, r] of s.refs) {
    if (r.delta === 0 && !r.dropped && !r.spare) continue;
    if (s.escaped.has(o)) continue;
    refs.add(`${objName(o)}${Math.max(-2, Math.min(2, r.delta))}${r.dropped ? 'd' : ''}${r.spare ? `s${Math.min(r.spare, 2)}` : ''}`);
  }
  return [...refs].sort().join(',');
}

/** Whether nothing this path can name any more reaches `x` (no variable, no entry value). */
function unreachable(cx: SimContext, s: PathState, reached: Set<Sym>, x: Sym): boolean {
  if (x < 0) return false;
  const r = s.rep(x);
  if (reached.has(r)) return false;
  const info = cx.info(r);
  return !info.entryPath && info.origin !== 'global';
}

/** Called when a path goes around a loop: locks and references left on objects no variable
 *  reaches any more are kept once per kind (the key already counts them once), so a loop
 *  that leaves one behind each round does not grow the state without bound. The one kept
 *  still gives the leak at the exit. */
export function collapseUnreachableHolds(cx: SimContext, s: PathState): void {
  if (s.held.size + s.refs.size < 8) return;
  const reached = new Set<Sym>();
  for (const v of s.env.values()) reached.add(s.rep(v));
  const kinds = new Set<string>();
  for (const [k, h] of s.held) {
    if (!unreachable(cx, s, reached, h.obj)) continue;
    const kind = `${h.resource}|${h.origin}|${h.count}`;
    if (kinds.has(kind)) s.held.delete(k);
    else kinds.add(kind);
  }
  for (const [o, r] of s.refs) {
    if (r.delta === 0 || s.escaped.has(o) || !unreachable(cx, s, reached, o)) continue;
    const kind = `ref|${Math.max(-2, Math.min(2, r.delta))}|${r.dropped ? 'd' : ''}`;
    if (kinds.has(kind)) s.refs.delete(o);
    else kinds.add(kind);
  }
}
