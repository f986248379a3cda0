// Facts of values a path can no longer reach. A loop that calls something each round
// leaves the facts of every old result behind; nothing reads them again, but every fork
// that writes a fact copies them all. When a path goes around a loop they are dropped.
//
// A value counts as reachable when any part of the state names it (variables, fields,
// locks, references, assumptions, relations, memoised calls, hand-offs, ...), when the
// simulation can name it again by itself (entry values, globals, keyed values), or when
// a reachable value was made from it (its sources, the page of a folio, the value a mask
// was taken of, the arguments of a pure call).

import type { SimContext } from './context';
import type { PathState, Sym } from './state';

/** Below this many facts a path is not worth scanning. */
const MIN_FACTS = 48;

const NUMBER = /\d+/g;

export function dropUnreachableFacts(cx: SimContext, s: PathState): void {
  if (s.facts.size < MIN_FACTS) return;
  const reached = new Set<Sym>();
  const work: Sym[] = [];
  const mark = (x: Sym | undefined): void => {
    if (x === undefined || x < 0 || reached.has(x)) return;
    reached.add(x);
    work.push(x);
  };
  const markNumbersIn = (key: string): void => {
    for (const m of key.matchAll(NUMBER)) mark(Number(m[0]));
  };
  for (const v of s.env.values()) mark(v);
  for (const [a, b] of s.parent) {
    mark(a);
    mark(b);
  }
  for (const [a, b] of s.neq.values()) {
    mark(a);
    mark(b);
  }
  for (const d of s.decided.values()) {
    mark(d.a);
    mark(d.b);
  }
  for (const x of s.flags.keys()) mark(x);
  for (const [k, v] of s.fields) {
    markNumbersIn(k);
    mark(v);
  }
  for (const [p, f] of s.pageFolio) {
    mark(p);
    mark(f);
  }
  for (const h of s.held.values()) mark(h.obj);
  for (const k of s.touched) markNumbersIn(k);
  for (const p of s.pre.values()) mark(p.obj);
  for (const x of s.refs.keys()) mark(x);
  for (const x of s.opaque) mark(x);
  for (const x of s.refHanded) mark(x);
  for (const x of s.escaped) mark(x);
  for (const x of s.unmapped.keys()) mark(x);
  for (const x of s.varFromPage.values()) mark(x);
  for (const [k, v] of s.memo) {
    markNumbersIn(k);
    mark(v);
  }
  for (const x of s.splitLog) mark(x);
  for (const x of cx.paramSyms) mark(x);
  // What reachable values were made from.
  while (work.length) {
    const info = cx.info(work.pop()!);
    for (const f of info.from ?? []) mark(f);
    mark(info.folioOfPage);
    mark(info.maskOf?.x);
    for (const a of info.pure?.args ?? []) mark(a);
  }
  for (const x of [...s.facts.keys()]) {
    if (reached.has(x)) continue;
    const info = cx.info(x);
    // Values the simulation names by itself stay (they may be read again).
    if (info.entryPath || info.origin === 'global' || info.origin === 'const' || cx.isShared(x) || info.stable) continue;
    s.facts.delete(x);
  }
}
