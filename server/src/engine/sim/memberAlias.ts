// A callee that releases, or needs held, a lock its caller holds under another name: the
// caller took `&log->l_icloglock` and the callee drops `&iclog->ic_log->l_icloglock`; the
// caller took `&cl->cl_lock` and the callee drops `&st->sc_client->cl_lock` of a stateid it
// found in cl's table. Which structure a pointer leads back to is a data-structure invariant
// the simulator cannot see; lockdep's view is the one to take: locks of one class (the same
// kind, the same member) that this path holds exactly one of are that one lock. Their
// structures are then one object, so every other field of theirs agrees too.
// Only a structure the callee reaches through a pointer field (`iclog->ic_log`,
// `st->sc_client`) is taken for the held one: a structure the code names itself (the new
// inode it just created, beside the locked parent, both with their `i_lock`) is its own.

import type { Resource } from '../model/types';
import type { SimContext } from './context';
import { lockStateUnknown } from './effects';
import { unify } from './facts';
import { lockClass, lockKey, type PathState, type Sym } from './state';

/** The lock this path holds that is the only one of the member and kind of `obj`'s lock. */
function onlyHeldOfMember(cx: SimContext, s: PathState, resource: Resource, obj: Sym): Sym | undefined {
  const member = cx.info(obj).addrField;
  if (member === undefined) return undefined;
  const same = [...s.held.values()].filter((h) => h.obj >= 0 && lockClass(h.resource) === lockClass(resource) && cx.info(s.rep(h.obj)).addrField === member);
  return same.length === 1 ? same[0].obj : undefined;
}

/** A pointer read from a field of a structure reached through a pointer (`a->b`), not the
 *  address of a member nor a member of a local structure (`du.ip`, set by a call). */
function readFromField(cx: SimContext, s: PathState, x: Sym): boolean {
  const info = cx.info(s.rep(x));
  if (info.origin !== 'field' || info.addrField !== undefined || !info.from?.length) return false;
  return cx.info(s.rep(info.from[0])).addrOf === undefined;
}

/**
 * Before a callee's case is applied: a lock it releases or needs held that this path neither
 * holds nor knows the state of, while it holds exactly one lock of that member and kind, is
 * that lock. The state with the two structures made one; the state as it was when they are
 * known distinct or their facts disagree (the case then applies as it stands).
 */
export function withCalleeLockAliased(cx: SimContext, s: PathState, resource: Resource, found: Sym): PathState {
  const o = s.rep(found);
  if (s.getHeld(resource, o) || s.touched.has(lockKey(resource, o)) || !lockStateUnknown(cx, s, o)) return s;
  const held = onlyHeldOfMember(cx, s, resource, o);
  if (held === undefined) return s;
  const a = cx.info(o).from?.[0];
  const b = cx.info(s.rep(held)).from?.[0];
  if (a === undefined || b === undefined || s.isNeq(a, b)) return s;
  if (!readFromField(cx, s, a)) return s;
  const aliased = s.clone();
  return unify(cx, aliased, a, b) ? aliased : s;
}
