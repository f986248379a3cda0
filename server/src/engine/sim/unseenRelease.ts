// A `__releases(x)` function whose body hands x to code this simulator cannot see
// (`xlog_wait(&wq, &log->l_icloglock)`, `raw_spin_unlock_irqrestore_rcu_node(rnp, flags)`:
// header wrappers that unlock what they are given) and returns with x apparently still held.
// The annotation is the function's contract and the unseen code is where it is kept, so such
// a return holds x no longer: for the rules at the returns and for the summary its callers
// apply. A return that gave x to nothing unseen still holds it and breaks the annotation.

import type { FunctionDef } from '../parse/types';
import type { SimContext } from './context';
import type { ExitState } from './explore';
import { annotatedObject, takenFirst } from './entry';
import type { PathState, Sym } from './state';

/** The lock expressions the function's annotations say it releases and does not take again. */
function releasedOnly(fn: FunctionDef): string[] {
  const name = (x: string): string => x.replace(/\s+/g, '').replace(/^&/, '');
  const out: string[] = [];
  fn.annotations.forEach((a, i) => {
    if (a.kind !== 'releases' || !a.args[0] || takenFirst(fn.annotations, i)) return;
    if (fn.annotations.some((b) => b.kind === 'acquires' && b.args[0] && name(b.args[0]) === name(a.args[0]))) return;
    out.push(a.args[0]);
  });
  return out;
}

/** The object, or a structure it lives in, was passed to a call the simulator could not follow. */
function givenToUnseenCode(cx: SimContext, s: PathState, obj: Sym, depth = 0): boolean {
  if (obj < 0 || depth > 3) return false;
  const r = s.rep(obj);
  if (s.opaque.has(r)) return true;
  return (cx.info(r).from ?? []).some((f) => givenToUnseenCode(cx, s, f, depth + 1));
}

export function releaseWhatUnseenCodeWasGiven(cx: SimContext, fn: FunctionDef, exits: ExitState[]): void {
  const exprs = releasedOnly(fn);
  if (!exprs.length) return;
  for (const e of exits) {
    for (const expr of exprs) {
      const obj = annotatedObject(cx, e.s, expr);
      if (obj === undefined || !givenToUnseenCode(cx, e.s, obj)) continue;
      const o = obj < 0 ? obj : e.s.rep(obj);
      const held = [...e.s.held.values()].filter((h) => h.obj === o);
      if (!held.length) continue;
      e.s = e.s.clone();
      for (const h of held) e.s.dropHeld(h.resource, h.obj);
    }
  }
}
