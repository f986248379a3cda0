// Transfer functions for the tracked resources: take and release locks and
// modes, change reference counts, split folios. They report the defects that
// are visible at the moment of the event (double lock, unlock of what is not
// held, sleeping in atomic context, put without a reference, device-private
// split) and return false when the path cannot go on (it would deadlock).

import type { Resource } from '../model/types';
import { RESOURCE_NAMES, SimContext } from './context';
import { folioOf } from './objects';
import { refine } from './facts';
import { namedGlobalPath } from './globalNames';
import { GLOBAL_OBJ, HeldLock, PathState, RefState, Sym, lockKey } from './state';

export interface Span {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** Counted modes may be entered more than once (RCU; lazy-MMU from 7.0). */
function nests(cx: SimContext, resource: Resource): boolean {
  // SRCU read sections nest on one srcu_struct like RCU ones (the index cookie of each lock
  // goes back to its own unlock).
  return resource === 'rcu' || resource === 'srcu' || (resource === 'lazy_mmu' && cx.lazyMmuNests);
}

export function heldName(cx: SimContext, h: HeldLock): string {
  if (h.obj < 0) return RESOURCE_NAMES[h.resource];
  return `${RESOURCE_NAMES[h.resource]} on ${cx.describe(h.obj)}`;
}

/** Whether this path knows the object's lock state: only objects a contracted call created,
 *  never seen by code the simulator cannot follow. Parameters, globals, fields and results
 *  of unknown calls may be locked by someone this function relies on. */
export function lockStateUnknown(cx: SimContext, s: PathState, obj: Sym): boolean {
  // Modes of the context (RCU, lazy-MMU) may have been entered by the caller.
  if (obj < 0) return true;
  const r = s.rep(obj);
  return !cx.info(r).fresh || s.opaque.has(r);
}

/** Objects the caller can name: parameters and what hangs off them, and context modes. */
function isEntryObject(cx: SimContext, s: PathState, obj: Sym): boolean {
  return obj < 0 || cx.info(s.rep(obj)).entryPath !== undefined || namedGlobalPath(cx, s, obj) !== undefined;
}

/** A lock that lives in a structure (`&ci->lock`) is reached through a valid pointer: taking
 *  or dropping it says the structure pointer is not NULL (`lock_cluster()` returns `ci` with
 *  `ci->lock` held, so its caller's `if (!ci)` is decided). False when the base is NULL here. */
function lockedThroughValidBase(cx: SimContext, s: PathState, obj: Sym): boolean {
  if (obj < 0) return true;
  const info = cx.info(s.rep(obj));
  if (info.addrField === undefined || !info.from?.length) return true;
  return refine(s, info.from[0], { nz: true, errptr: false });
}

/** An object that was locked or got a reference is a valid pointer: a helper that returns the
 *  folio it locked (`ksm_get_folio(node, KSM_GET_FOLIO_LOCK)`) returns non-NULL, so its
 *  caller's `if (!folio)` cannot hold the lock. So is the page a folio was reached from: a
 *  helper that returns the page it got a reference on (`get_page_unless_zero(page)`) returns
 *  non-NULL. A contradiction (a lock on what is known NULL) is left to the rules that report
 *  it, not made into a dead path here. */
function validObject(cx: SimContext, s: PathState, o: Sym): void {
  if (o < 0) return;
  refine(s, o, { nz: true, errptr: false });
  // The page it was computed from, while that page's folio is still this one (no split since).
  const page = cx.info(o).folioOfPage;
  const folioNow = page !== undefined ? s.pageFolio.get(s.rep(page)) : undefined;
  if (page !== undefined && folioNow !== undefined && s.rep(folioNow) === o) refine(s, page, { nz: true, errptr: false });
}

/** The structure's own lock when the lock taken lies inside it under another name (the
 *  contract table's `lockFields`): `down_read(&vma->vm_lock->lock)` takes the VMA read lock
 *  of `vma` in the kernels where that rwsem is the VMA lock. */
export function structureLock(cx: SimContext, s: PathState, resource: Resource, obj: Sym): { resource: Resource; obj: Sym } {
  if (obj < 0) return { resource, obj };
  for (const lf of cx.contracts.lockFields ?? []) {
    const as = lf.as.find((a) => a.inner === resource);
    const base = as && structureAlong(cx, s, obj, lf.path);
    if (as && base !== undefined) return { resource: as.outer, obj: base };
  }
  return { resource, obj };
}

/** The structure `obj` is `&base->path[0]->...->path[n-1]` of, if it is. */
function structureAlong(cx: SimContext, s: PathState, obj: Sym, path: string[]): Sym | undefined {
  const info = cx.info(s.rep(obj));
  if (info.addrField !== path[path.length - 1] || !info.from?.length) return undefined;
  let cur = s.rep(info.from[0]);
  for (let i = path.length - 2; i >= 0; i--) {
    const from = cx.info(cur).from;
    if (cx.info(cur).origin !== 'field' || !from?.length) return undefined;
    const base = s.rep(from[0]);
    const read = s.fields.get(`${base}.${path[i]}`);
    if (read === undefined || s.rep(read) !== cur) return undefined;
    cur = base;
  }
  return cur;
}

export function acquire(cx: SimContext, s: PathState, innerResource: Resource, innerObj: Sym, at: Span, how: string, origin: HeldLock['origin'] = 'here'): boolean {
  const { resource, obj } = structureLock(cx, s, innerResource, innerObj);
  if (!lockedThroughValidBase(cx, s, obj)) return false;
  const o = obj < 0 ? obj : s.rep(obj);
  validObject(cx, s, o);
  // Only a PTE table is mapped: one a callee mapped and stored (`pvmw->pte` set by map_pte())
  // is stepped through with pointer arithmetic like one this function mapped, and `pte_unmap()`
  // of a pointer into it unmaps it.
  if (resource === 'pte_map' && o >= 0) cx.info(o).pteTable = true;
  const key = lockKey(resource, o);
  const cur = s.held.get(key);
  if (cur) {
    if (nests(cx, resource)) {
      s.held.set(key, { ...cur, count: cur.count + 1 });
      return true;
    }
    if (s.retry && s.retry.keys.has(key) && cur.origin !== 'caller') {
      cx.report('retry-with-lock-held', s.retry, `jumps back with the ${heldName(cx, cur)} still held (taken at line ${cur.line + 1}); ${how} at line ${at.line + 1} takes it again`, s, { ...pos(at), kind: 'event', text: `${how} takes the ${RESOURCE_NAMES[resource]} again` });
      return false;
    }
    const since = cur.origin === 'caller' ? 'held by the caller' : `taken at line ${cur.line + 1}`;
    cx.report('double-lock', at, `${how}: the ${heldName(cx, cur)} is already held on this path (${since})`, s, { ...pos(at), kind: 'event', text: `${how} takes it again: self-deadlock` });
    return false;
  }
  if (lockStateUnknown(cx, s, o) && !s.touched.has(key) && isEntryObject(cx, s, o) && !nests(cx, resource)) {
    s.pre.set(key, { resource, obj: o, need: 'free', line: at.line });
  }
  // A lock lives at a valid address: the object it is on is no NULL or error pointer (a
  // helper that locked the folio it stored in `e4b->bd_bitmap_folio` tells its caller that
  // the field is set, so the unlock helper's `if (e4b->bd_bitmap_folio)` is decided).
  if (o >= 0 && !refine(s, o, { nz: true, errptr: false })) return false;
  s.touched.add(key);
  s.held.set(key, { resource, obj: o, count: 1, line: at.line, origin, how });
  s.push({ ...pos(at), kind: 'event', text: `${how}: takes the ${RESOURCE_NAMES[resource]}${o >= 0 ? ` on ${cx.describe(o)}` : ''}` });
  return true;
}

/** A trylock that succeeded. It cannot on a lock this path holds (the call fails then; it does
 *  not wait), so that state has no such outcome. On an entry lock whose state is unknown the
 *  success says the caller did not hold it: a case for the caller's state to pick, not a
 *  requirement (a caller that holds the lock gets the failure, as `WARN_ON(spin_trylock(l))`
 *  expects). */
export function tryAcquire(cx: SimContext, s: PathState, innerResource: Resource, innerObj: Sym, at: Span, how: string): boolean {
  const { resource, obj } = structureLock(cx, s, innerResource, innerObj);
  const o = obj < 0 ? obj : s.rep(obj);
  const key = lockKey(resource, o);
  if (nests(cx, resource)) return acquire(cx, s, resource, obj, at, how);
  if (s.held.has(key)) return false;
  if (lockStateUnknown(cx, s, o) && !s.touched.has(key) && isEntryObject(cx, s, o)) {
    s.pre.set(key, { resource, obj: o, need: 'free', line: at.line, test: true });
    s.touched.add(key);
  }
  return acquire(cx, s, resource, obj, at, how);
}

/** Narrows the path to "this context holds the lock" (`held`) or not: false when the path
 *  knows otherwise. On an entry lock of unknown state it is a case for the caller's state to
 *  pick, as a trylock's success is: held -> the caller holds it, not held -> it was free. */
export function assumeHolds(cx: SimContext, s: PathState, resource: Resource, obj: Sym, line: number, held: boolean): boolean {
  const o = obj < 0 ? obj : s.rep(obj);
  const key = lockKey(resource, o);
  if (s.held.has(key)) return held;
  if (!lockStateUnknown(cx, s, o) || s.touched.has(key) || !isEntryObject(cx, s, o)) return !held;
  s.pre.set(key, { resource, obj: o, need: held ? 'held' : 'free', line, test: true });
  s.touched.add(key);
  if (held) s.setHeld({ resource, obj: o, count: 1, line: -1, origin: 'caller', how: 'held by the caller' });
  return true;
}

export function release(cx: SimContext, s: PathState, innerResource: Resource, innerObj: Sym, at: Span, how: string, transfer = false): boolean {
  const { resource, obj } = structureLock(cx, s, innerResource, innerObj);
  if (!lockedThroughValidBase(cx, s, obj)) return false;
  const o = obj < 0 ? obj : s.rep(obj);
  const key = lockKey(resource, o);
  const cur = s.held.get(key);
  if (cur) {
    if (cur.count > 1) s.held.set(key, { ...cur, count: cur.count - 1 });
    else s.held.delete(key);
    s.touched.add(key);
    s.push({ ...pos(at), kind: 'event', text: `${how}: ${transfer ? 'hands off' : 'releases'} the ${RESOURCE_NAMES[resource]}${o >= 0 ? ` on ${cx.describe(o)}` : ''}` });
    return true;
  }
  if (lockStateUnknown(cx, s, o) && !s.touched.has(key)) {
    // Someone this function relies on must have held it: its caller. For a parameter that is
    // a precondition kept in the summary; for any object, taking it again later on this path
    // gives the caller back its lock (a fault handler that drops the fault mutex around an
    // unmap, the mutex an element of a global table) rather than taking a new one.
    s.pre.set(key, { resource, obj: o, need: 'held', line: at.line });
    s.touched.add(key);
    s.push({ ...pos(at), kind: 'event', text: `${how}: releases the ${RESOURCE_NAMES[resource]} on ${cx.describe(o)} (held by the caller)` });
    return true;
  }
  const what = o >= 0 ? `the ${RESOURCE_NAMES[resource]} on ${cx.describe(o)}` : RESOURCE_NAMES[resource];
  const was = s.touched.has(key) ? 'it was already released on this path' : 'it is not held on this path';
  cx.report('unlock-not-held', at, `${how} releases ${what}, but ${was}`, s, { ...pos(at), kind: 'event', text: `${how}: ${what} is not held` });
  return false;
}

/** What makes the current context atomic (no sleeping), as readable names. */
export function atomicHolders(cx: SimContext, s: PathState): string[] {
  const out: string[] = [];
  for (const h of s.held.values()) {
    if (h.resource === 'ptl' || h.resource === 'spinlock' || h.resource === 'rcu' || h.resource === 'lazy_mmu' || (h.resource === 'pte_map' && cx.mapIsAtomic)) {
      const since = h.origin === 'caller' ? 'held by the caller' : `since line ${h.line + 1}`;
      out.push(`${heldName(cx, h)} (${since})`);
    } else if (h.obj === GLOBAL_OBJ.atomic) {
      out.push(`atomic context (since line ${h.line + 1})`);
    }
  }
  return out;
}

export function checkSleep(cx: SimContext, s: PathState, at: Span, how: string): void {
  // For the summary: this function sleeps while its caller's locks are still held, unless
  // it dropped one of them first (then the caller's atomic section is not what it sleeps in).
  let droppedCallerLock = false;
  for (const p of s.pre.values()) if (p.need === 'held' && !s.held.has(lockKey(p.resource, s.rep(p.obj)))) droppedCallerLock = true;
  if (!droppedCallerLock && !s.slept) s.slept = { line: at.line, how };
  if (!cx.mayBlock && !droppedCallerLock) cx.mayBlock = { line: at.line, how };
  const holders = atomicHolders(cx, s);
  if (holders.length === 0) return;
  cx.report('sleep-in-atomic', at, `${how} may sleep, but this path holds ${holders.join(', ')}`, s, { ...pos(at), kind: 'event', text: `${how} may sleep` });
}

/** The number of references this path knows exist on an object: the caller's (or the
 *  lookup's) plus what it took itself. */
function knownRefs(cx: SimContext, s: PathState, obj: Sym): number {
  const info = cx.info(s.rep(obj));
  const base = info.ref === 'noref' ? 0 : info.ref === 'ref' ? 0 : 1;
  const r = s.refOf(obj);
  return base + r.delta + (r.spare ?? 0);
}

/** A lock that pins a folio obtained without a reference (PTL or a mapped table). */
function pinned(s: PathState): boolean {
  for (const h of s.held.values()) if (h.resource === 'ptl' || h.resource === 'pte_map' || h.resource === 'spinlock') return true;
  return false;
}

export function changeRef(cx: SimContext, s: PathState, obj: Sym, delta: number, at: Span, how: string): boolean {
  const o = s.rep(obj);
  if (delta > 0) validObject(cx, s, o);
  const cur = s.refOf(o);
  // A drop gives back the references a removed mapping handed to this path first.
  const fromSpare = delta < 0 ? Math.min(cur.spare ?? 0, -delta) : 0;
  const next: RefState = { delta: cur.delta + delta + fromSpare, line: at.line, dropped: cur.dropped };
  const spare = (cur.spare ?? 0) - fromSpare;
  if (spare > 0) next.spare = spare;
  if (delta > 0) next.dropped = undefined;
  s.refs.set(o, next);
  s.push({ ...pos(at), kind: 'event', text: `${how}: reference ${delta > 0 ? '+' : ''}${delta} on ${cx.describe(o)} (now ${next.delta >= 0 ? '+' : ''}${next.delta})` });
  if (delta < 0) {
    const known = knownRefs(cx, s, o);
    if (known < 0 && cx.info(o).ref === 'noref') {
      cx.report('ref-underflow', at, `${how} drops a reference on ${cx.describe(o)} that this path never took (it came without a reference)`, s);
      return false;
    }
    if (known <= 0 && !(cx.info(o).ref === 'noref' && pinned(s))) {
      s.refs.set(o, { ...next, dropped: { line: at.line, how } });
    }
  }
  return true;
}

/** A removed mapping gives back the reference it owned (folio_remove_rmap_*()): this path
 *  may drop it without having taken it. */
export function handBackRef(cx: SimContext, s: PathState, obj: Sym, at: Span, how: string): void {
  const o = s.rep(obj);
  const cur = s.refOf(o);
  s.refs.set(o, { ...cur, spare: (cur.spare ?? 0) + 1, dropped: undefined, line: at.line });
  s.push({ ...pos(at), kind: 'event', text: `${how}: the mapping's reference on ${cx.describe(o)} is now this path's to drop` });
}

/** A use of an object (lock, test, pass on) after the path dropped its last known reference. */
export function checkUse(cx: SimContext, s: PathState, obj: Sym, at: Span, how: string): boolean {
  const r = s.refs.get(s.rep(obj));
  if (!r?.dropped) return true;
  // One finding per dropped reference: other paths using the same folio after the same put
  // are the same defect.
  const once = `use-after-put:${cx.describe(obj)}:${r.dropped.line}`;
  if (cx.reportedOnce.has(once)) {
    s.refs.set(s.rep(obj), { ...r, dropped: undefined });
    return true;
  }
  cx.reportedOnce.add(once);
  cx.report('use-after-put', at, `${how} uses ${cx.describe(obj)} after the last known reference was dropped at line ${r.dropped.line + 1} (${r.dropped.how})`, s);
  // Report once per path.
  s.refs.set(s.rep(obj), { ...r, dropped: undefined });
  return true;
}

/**
 * A successful split of `folio`: the head keeps the lock and the caller's reference; every
 * page that was inside it may now belong to a new, unlocked folio. Variables that hold a
 * folio computed before the split for such a page are stale.
 */
export function splitFolio(cx: SimContext, s: PathState, folio: Sym, at: Span, how: string, argText: string, keepPage?: Sym): void {
  const f = s.rep(folio);
  s.splitLog = [...s.splitLog, f];
  if (s.flag(f, 'device_private') === true) {
    cx.report('split-device-private', at, `${how} splits ${cx.describe(f)}, which is a device-private folio on this path`, s);
  }
  // Pages that were in the folio, or may have been (their folio is not known to be a
  // different one), may now be in a new folio.
  const moved = new Map<Sym, Sym>();
  for (const [page, pf] of [...s.pageFolio]) {
    if (s.rep(pf) === f || !s.isNeq(pf, f)) {
      s.pageFolio.delete(page);
      moved.set(s.rep(page), s.rep(pf));
    }
  }
  for (const [name, page] of s.varFromPage) {
    const v = s.env.get(name);
    const old = moved.get(s.rep(page));
    if (v === undefined || old === undefined || s.rep(v) !== old || name === argText) continue;
    s.staleVars.set(name, { line: at.line, split: how });
  }
  if (keepPage !== undefined) {
    // split_huge_page(page): the piece containing `page` stays locked; the old head does not.
    const piece = folioOf(cx, s, keepPage, at.line);
    cx.info(s.rep(piece)).ref = cx.info(f).ref;
    for (const [key, h] of [...s.held]) {
      if (h.obj === f && h.resource === 'folio_lock') {
        s.held.delete(key);
        s.held.set(lockKey('folio_lock', s.rep(piece)), { ...h, obj: s.rep(piece) });
      }
    }
    // The caller's pin goes with the page it passed, as its lock does.
    const r = s.refs.get(f);
    if (r) {
      s.refs.delete(f);
      s.refs.set(s.rep(piece), r);
    }
  }
  s.push({ ...pos(at), kind: 'event', text: `${how}: split ${cx.describe(f)}; its pages may now be in other folios` });
}

export function pos(at: Span): { line: number; character: number } {
  return { line: at.line, character: at.character };
}
