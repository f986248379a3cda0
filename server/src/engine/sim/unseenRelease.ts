// A `__releases(x)` function whose body hands x itself to code this simulator cannot see
// (`xlog_wait(&wq, &log->l_icloglock)`: a header wait helper that unlocks the lock it is given)
// and returns with x apparently still held. The annotation is the function's contract and the
// unseen code is where it is kept, so such a return holds x no longer: for the rules at the
// returns and for the summary its callers apply. Handing over only a structure the lock lives
// in (`current`, to any helper) is not enough for the callers: the function may keep the lock
// on that path (do_signal_stop() returns false with the siglock held), and only the
// annotation check at its own returns gives it the benefit of the doubt.

import type { FunctionDef } from '../parse/types';
import type { SimContext } from './context';
import type { ExitState } from './explore';
import { annotatedObject, takenFirst } from './entry';

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

export function releaseWhatUnseenCodeWasGiven(cx: SimContext, fn: FunctionDef, exits: ExitState[]): void {
  const exprs = releasedOnly(fn);
  if (!exprs.length) return;
  for (const e of exits) {
    for (const expr of exprs) {
      const obj = annotatedObject(cx, e.s, expr);
      if (obj === undefined || obj < 0) continue;
      const o = e.s.rep(obj);
      if (!e.s.opaque.has(o)) continue;
      const held = [...e.s.held.values()].filter((h) => h.obj === o);
      if (!held.length) continue;
      e.s = e.s.clone();
      for (const h of held) e.s.dropHeld(h.resource, h.obj);
    }
  }
}
