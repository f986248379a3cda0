// Function summaries: what a function does to what its caller can see, one
// case per distinct outcome, computed by simulating it with symbolic
// parameters. A call site applies the cases consistent with its own path,
// forking on the rest, and checks the callee's preconditions in its context.

import type { SyntaxNode } from '../parse/syntax';
import type { Resource } from '../model/types';
import { RESOURCE_NAMES, SimContext } from './context';
import { refine, splitEq } from './facts';
import { acquire, changeRef, checkSleep, lockStateUnknown, release, splitFolio, Span } from './effects';
import { addrOfVar, bitTest, fieldAddr, globalSym, maskSym, offsetFrom, type Val } from './eval';
import { CONTAINER, containerOf, fieldOf, folioOf, handOff, handOffRef, isLocalContainer, PAGE_FOLIO, tableOf } from './objects';
import { pureCallSym, setField } from './calls';
import { namedGlobalPath } from './globalNames';
import { withCalleeLockAliased } from './memberAlias';
import { GLOBAL_OBJ, PathState, Sym, ValueFacts, lockClass, lockKey } from './state';

/** An object the caller can name: a parameter (or the return value) and a path of fields from it.
 *  Path elements: a field name, '*' for a dereference, '&f' for the address of field f, PAGE_FOLIO for page_folio(). */
/** `name`: a global value read by name (a flag macro from a header), the same in caller and callee;
 *  `&name`, that global's address (`&hugetlb_lock`, `&no_sleep_enabled` given to a test). */
export type ObjPath = { root: number | 'ret' | 'global'; path: string[]; global?: string; name?: string };

export interface SummaryCase {
  /** Facts about the returned value. */
  ret: ValueFacts | null;
  /** What the path learnt of some bits of the returned value (`ret & (VM_FAULT_ERROR |
   *  VM_FAULT_NOPAGE)` non-zero on an error return): the caller's same test is decided. */
  retMasks?: { mask: number; facts: ValueFacts }[];
  /** The return value is this parameter. */
  retParam?: number;
  /** The return value is what hangs off a parameter on entry (`return substream->group;`, or a
   *  lock helper that returns the group it locked through `substream->group`): the caller's
   *  result is its own value of that field, so what the callee did through the field and what
   *  the caller later does through the result name one object. */
  retPath?: ObjPath;
  /** Equalities / disequalities among parameters this case assumed. */
  rel: { a: number; b: number; eq: boolean }[];
  /** `test`: only assumed by testing the lock (folio_test_locked): a case to pick, not a requirement. */
  pre: { obj: ObjPath; resource: Resource; need: 'held' | 'free'; test?: boolean }[];
  /** Locks held at return that were not held on entry, and entry locks released. */
  acquired: { obj: ObjPath; resource: Resource }[];
  released: { obj: ObjPath; resource: Resource }[];
  /** Lines where each acquired lock was taken and each released one dropped (parallel to
   *  those lists), for a case that does both: which came first when a caller's arguments
   *  make the two one lock. Not part of what tells cases apart. */
  order?: { acquired: number[]; released: number[] };
  refs: { obj: ObjPath; delta: number }[];
  splits: ObjPath[];
  handoffs: ObjPath[];
  /** Fields of the returned object that are objects the caller names (`ret->vm_mm` is the mm
   *  parameter the VMA was looked up in). */
  retFields: { field: string; obj: ObjPath }[];
  /** Objects whose references (not locks) the function handed to a new owner (a mapping). */
  refHandoffs: ObjPath[];
  /** The function may sleep on this case (at the line given). */
  sleeps?: { line: number; how: string };
  /** What this case assumed about the parameters (and what they point to): a call site
   *  whose arguments contradict it does not take this case. */
  assume: { obj: ObjPath; facts: ValueFacts }[];
  /** Assumptions about pure tests of parameters (`__vma_shareable_lock(vma)` is true): the
   *  caller makes the same test on its arguments, so a lock and an unlock helper that test
   *  the same thing agree. */
  assumePure: { name: string; args: ObjPath[]; facts: ValueFacts }[];
  /** Pure tests of values this case stored (`nd->flags &= ~LOOKUP_RCU`: the flag is clear):
   *  true of the caller's fields after the call, not assumptions about them before it. */
  afterPure?: { name: string; args: ObjPath[]; facts: ValueFacts }[];
  /** Parameters `p` for which the function stored a new value into `*p` (out-parameters),
   *  with what is known of that value (NULL on the paths that found nothing). */
  writes: { param: number; facts: ValueFacts }[];
  /** Fields of parameters set to objects the caller can name (`args->lock = lock` in a setup
   *  helper): after the call, the caller reads that object from the field. */
  stores?: { param: number; field: string; value?: ObjPath; constant?: number }[];
  /** Globals the caller reads by the same name that this case wrote: a constant, the value
   *  on entry plus `offset`, or (neither) a value the caller cannot name. */
  globalStores?: { name: string; constant?: number; offset?: number }[];
  /** Text for witnesses. */
  text: string;
}

export interface FunctionSummary {
  name: string;
  cases: SummaryCase[];
  /** Lines inside the callee where it may sleep (any case), for sleep-in-atomic at call sites. */
  mayBlock?: { line: number; how: string };
  complete: boolean;
}

export function pathText(p: ObjPath, paramNames: string[]): string {
  const root = p.root === 'ret' ? 'the result' : p.root === 'global' ? (p.global ?? p.name ?? 'global') : paramNames[p.root] ?? `arg${p.root}`;
  let t = root;
  for (const el of p.path) {
    if (el === PAGE_FOLIO) t = `page_folio(${t})`;
    else if (el === '*') t = `*${t}`;
    else if (el.startsWith('&')) t = `&${t}->${el.slice(1)}`;
    else if (el.startsWith(CONTAINER)) t = `container_of(${t}, ${el.slice(1)})`;
    else t = `${t}->${el}`;
  }
  return t;
}

/** Find how the caller can name an object: through the parameters' entry values, their
 *  fields, page_folio(), or the return value. */
export function nameObject(cx: SimContext, s: PathState, obj: Sym, ret: Sym | undefined): ObjPath | undefined {
  if (obj < 0) {
    const g = Object.entries(GLOBAL_OBJ).find(([, v]) => v === obj);
    return { root: 'global', path: [], global: g?.[0] };
  }
  const r = s.rep(obj);
  if (ret !== undefined && s.rep(ret) === r) return { root: 'ret', path: [] };
  // Current page_folio() of an entry page (identity may have changed by a split).
  for (const [page, f] of s.pageFolio) {
    if (s.rep(f) !== r) continue;
    const pinfo = cx.info(page);
    if (pinfo.entryPath) return { root: pinfo.entryPath.param, path: [...pinfo.entryPath.path, PAGE_FOLIO] };
    if (ret !== undefined && s.rep(ret) === s.rep(page)) return { root: 'ret', path: [PAGE_FOLIO] };
  }
  // Any symbol in the class that is an entry value.
  const info = cx.info(r);
  if (info.entryPath) {
    // Entry folio of a page whose identity changed is no longer nameable that way.
    if (info.entryPath.path[info.entryPath.path.length - 1] === PAGE_FOLIO && info.folioOfPage !== undefined) {
      const cur = s.pageFolio.get(s.rep(info.folioOfPage));
      if (cur !== undefined && s.rep(cur) !== r) return undefined;
    }
    return { root: info.entryPath.param, path: [...info.entryPath.path] };
  }
  for (const [k, v] of s.parent) {
    if (s.rep(v) === r || s.rep(k) === r) {
      const ki = cx.info(k);
      if (ki.entryPath) return { root: ki.entryPath.param, path: [...ki.entryPath.path] };
    }
  }
  // &x->f where x is the result (lock_cluster(): `spin_lock(&ci->lock); return ci;`).
  if (info.addrField !== undefined && info.from?.length && ret !== undefined && s.rep(info.from[0]) === s.rep(ret)) {
    return { root: 'ret', path: [`&${info.addrField}`] };
  }
  // Fields of the result or of parameters that were assigned this object.
  for (const [key, v] of s.fields) {
    if (s.rep(v) !== r) continue;
    const dot = key.indexOf('.');
    const base = Number(key.slice(0, dot));
    const field = key.slice(dot + 1);
    const binfo = cx.info(base);
    if (binfo.entryPath) return { root: binfo.entryPath.param, path: [...binfo.entryPath.path, field] };
    if (ret !== undefined && s.rep(ret) === base) return { root: 'ret', path: [field] };
    // &local passed to the function is not visible; a struct param's address (&param->f) is.
  }
  const g = namedGlobalPath(cx, s, r);
  return g ? { root: 'global', path: g.path, name: g.name } : undefined;
}


/** The caller's value of a global after a callee stored into it. */
function storedGlobal(cx: SimContext, s: PathState, g: NonNullable<SummaryCase['globalStores']>[number], callee: string, line: number): Sym {
  if (g.constant !== undefined) return cx.constSym(s, g.constant);
  const label = `${g.name} (set by ${callee})`;
  if (g.offset === undefined) return cx.newSym({ label, line, origin: 'call' });
  const old = s.env.get(g.name) ?? globalSym(cx, s, g.name);
  const f = s.getFacts(old);
  if (f.lo === f.hi && Number.isSafeInteger(f.lo + g.offset)) return cx.constSym(s, f.lo + g.offset);
  const offsetOf = offsetFrom(cx, s, old, g.offset);
  return offsetOf.k === 0 ? offsetOf.x : cx.newSym({ label, line, origin: 'derived', from: [old], offsetOf });
}

/** Resolve a summary object path in the caller, given the argument values and the result. */
export function resolvePath(cx: SimContext, s: PathState, p: ObjPath, argVals: Val[], ret: Sym, line: number): Sym | undefined {
  let cur: Sym | undefined;
  if (p.root === 'global') {
    if (p.global !== undefined) return GLOBAL_OBJ[p.global];
    if (p.name === undefined) return undefined;
    // The caller's own value of that name, when it has a local of that name, is not the value
    // the callee reads by it; a value the caller (or a callee before) stored in the global is.
    if (p.name.startsWith('&')) {
      // The address of a global, unless a variable of the caller hides that name.
      const name = p.name.slice(1);
      if (cx.varTypes.has(name)) return undefined;
      cur = addrOfVar(cx, s, name);
    } else {
      const g = globalSym(cx, s, p.name);
      const local = s.env.get(p.name);
      if (local !== undefined && s.rep(local) !== s.rep(g) && cx.varTypes.has(p.name)) return undefined;
      cur = local ?? g;
    }
  } else if (p.root === 'ret') cur = ret;
  else cur = argVals[p.root]?.v;
  if (cur === undefined) return undefined;
  for (const el of p.path) {
    if (el === PAGE_FOLIO) cur = folioOf(cx, s, cur, line);
    else if (el.startsWith('&')) {
      // The same object `&base->f` names in the caller's own code, entry path included.
      cur = fieldAddr(cx, s, cur, el.slice(1), `${cx.describe(s.rep(cur))}->${el.slice(1)}`);
    } else if (el.startsWith(CONTAINER)) {
      cur = containerOf(cx, s, cur, el.slice(1), `container_of(${cx.describe(s.rep(cur))}, ${el.slice(1)})`);
    } else cur = fieldOf(cx, s, cur, el, line);
  }
  return cur;
}

export function applySummary(cx: SimContext, s: PathState, n: SyntaxNode, name: string, sum: FunctionSummary, argVals: Val[], span: Span): Val[] {
  const line = n.startPosition.row;
  const how = `${name}()`;
  const out: Val[] = [];
  // A function simulated for its summary says on which of its cases it sleeps (checked per
  // case below); one summarised without simulation only says that it may.
  if (sum.mayBlock && !sum.cases.some((c) => c.sleeps)) {
    if (!sum.complete || sum.cases.length <= 1) checkSleep(cx, s, span, `${how} (it may sleep: ${sum.mayBlock.how} at line ${sum.mayBlock.line + 1})`);
  }
  let cases = sum.cases.length ? sum.cases : [];
  if (n.parent?.type === 'expression_statement' && cases.length > 1) cases = casesIgnoringResult(sum);
  if (cases.length === 0) {
    // A function that never returns on any path we could simulate.
    return [];
  }
  const ret = cx.newSym({ label: `${name}(...)`, line, origin: 'call', from: argVals.map((a) => a.v) });
  // A local passed by address may encode objects (`&src_pfn`): the callee decodes and may
  // release them in ways its summary cannot name, so they are handed to it.
  for (const a of argVals) {
    if (isLocalContainer(cx, s, a.v)) handOff(cx, s, a.v);
  }
  cases.forEach((c, i) => {
    let st = i === cases.length - 1 ? s : s.clone();
    // Relations among parameters this case assumed.
    for (const r of c.rel) {
      const a = argVals[r.a];
      const b = argVals[r.b];
      if (!a || !b) continue;
      const q = splitEq(cx, st, a.v, b.v).find((x) => x.eq === r.eq);
      if (!q) return;
      st = q.s;
    }
    // Whether this case was picked by a value the caller had not decided (`*locked` of an
    // int *locked the caller was handed).
    let pickedOnUnknown = false;
    for (const a of c.assume) {
      const obj = resolvePath(cx, st, a.obj, argVals, ret, line);
      const before = obj !== undefined ? st.getFacts(obj) : undefined;
      if (obj !== undefined && !refine(st, obj, a.facts)) return;
      if (before && st.getFacts(obj!) !== before) pickedOnUnknown = true;
      if (obj !== undefined && cases.length > 1) cx.info(st.rep(obj)).picksCalleeCase = true;
    }
    for (const a of c.assumePure) {
      const args = a.args.map((p) => resolvePath(cx, st, p, argVals, ret, line));
      if (args.some((x) => x === undefined)) continue;
      const v = a.name === '&' ? bitTest(cx, st, args[0] as Sym, args[1] as Sym, 'flags & mask') : pureCallSym(cx, st, a.name, args as Sym[], `${a.name}(...)`);
      if (!refine(st, v, a.facts)) return;
    }
    // Out-parameters: `*p` now names a new object; for `&var` arguments, var changes.
    for (const w of c.writes) {
      const a = argVals[w.param];
      if (!a) continue;
      const addrOf = cx.info(st.rep(a.v)).addrOf;
      const nv = cx.newSym({ label: `${addrOf ?? '*arg'} (set by ${name})`, line, origin: 'call' });
      if (!refine(st, nv, w.facts)) return;
      if (addrOf) st.env.set(addrOf, nv);
      else st.fields.set(`${st.rep(a.v)}.*`, nv);
    }
    let v = ret;
    if (c.retParam !== undefined && argVals[c.retParam]) v = argVals[c.retParam].v;
    else {
      const field = c.retPath ? resolvePath(cx, st, c.retPath, argVals, ret, line) : undefined;
      if (field !== undefined) v = field;
      if (c.ret && !refine(st, v, c.ret)) return;
      for (const m of c.retMasks ?? []) if (!refine(st, maskSym(cx, st, v, m.mask, `${name}(...) & mask`), m.facts)) return;
    }
    for (const f of c.retFields) {
      const obj = resolvePath(cx, st, f.obj, argVals, v, line);
      if (obj !== undefined) setField(st, v, f.field, obj);
    }
    if (cases.length > 1) {
      st.decisions++;
      st.push({ line, character: n.startPosition.column, kind: 'call', text: `${how}: ${c.text}` });
    }
    if (c.sleeps) checkSleep(cx, st, span, `${how} (it may sleep: ${c.sleeps.how} at line ${c.sleeps.line + 1})`);
    for (const r of [...c.pre.filter((p) => p.need === 'held' && !p.test), ...c.released]) {
      const found = resolvePath(cx, st, r.obj, argVals, v, line);
      if (found !== undefined && found >= 0) st = withCalleeLockAliased(cx, st, r.resource, found);
    }
    // Preconditions: what the callee assumed its caller holds. Locks it releases or takes are
    // checked by release()/acquire() below; the others are checked here.
    for (const p of c.pre) {
      const same = (x: { obj: ObjPath; resource: Resource }): boolean => x.resource === p.resource && samePath(x.obj, p.obj);
      const obj = resolvePath(cx, st, p.obj, argVals, v, line);
      if (obj === undefined) continue;
      const held = st.getHeld(p.resource, obj);
      if (p.test) {
        // The callee tested the lock: this case applies only if the caller's state agrees.
        const o = st.rep(obj);
        const key = lockKey(p.resource, o);
        const unknown = lockStateUnknown(cx, st, o) && !st.touched.has(key);
        if (unknown) {
          st.pre.set(key, { resource: p.resource, obj: o, need: p.need, line, test: true });
          // A case picked because the callee found the lock free (its trylock succeeded) and
          // dropped it again passes that question on to this function's callers; it does not
          // make the lock this path's to reason about: a later unlock here still says the
          // caller holds it.
          if (p.need === 'free' && !c.acquired.some(same)) continue;
          st.touched.add(key);
          if (p.need === 'held') st.setHeld({ resource: p.resource, obj: o, count: 1, line: -1, origin: 'caller', how: 'held by the caller' });
          continue;
        }
        if ((p.need === 'held') !== !!held) return;
        continue;
      }
      if (p.need === 'held' && !c.released.some(same) && !held) {
        const o = st.rep(obj);
        const key = lockKey(p.resource, o);
        if (lockStateUnknown(cx, st, o) && !st.touched.has(key)) {
          st.pre.set(key, { resource: p.resource, obj: o, need: 'held', line });
          st.touched.add(key);
          st.setHeld({ resource: p.resource, obj: o, count: 1, line: -1, origin: 'caller', how: 'held by the caller' });
        } else {
          cx.report('requires-lock', span, `${how} needs the ${RESOURCE_NAMES[p.resource]} on ${cx.describe(o)} held, but it is not held on this path`, st);
        }
      }
      if (p.need === 'free' && !c.acquired.some(same) && held) {
        // The callee decides from a value whether to take the lock itself (`if (!*locked)
        // mmap_read_lock(mm)`) and another case finds it held: that value tells the callee the
        // lock state, and a caller that holds the lock gets the cases for a held lock.
        if (pickedOnUnknown && cases.some((o) => o.pre.some((q) => q.need === 'held' && !q.test && same(q)))) return;
        cx.report('double-lock', span, `${how} takes the ${RESOURCE_NAMES[p.resource]} on ${cx.describe(obj)} inside, but it is already held here`, st);
        return;
      }
    }
    const { keepRel, keepAcq, retaken } = netOfAliases(cx, st, c, argVals, v, line);
    if (retaken) {
      cx.report('double-lock', span, `${how} takes the ${RESOURCE_NAMES[retaken.resource]} on ${cx.describe(retaken.obj)} inside, but it is already held here`, st);
      return;
    }
    for (const r of c.released.filter((_, i) => keepRel[i])) {
      const found = resolvePath(cx, st, r.obj, argVals, v, line);
      if (found === undefined) continue;
      // A PTE pointer the callee unmapped (`hmm_vma_handle_pte(..., ptep)` after ptep++) names
      // the table it points into, as for pte_unmap() itself.
      const obj = r.resource === 'pte_map' ? tableOf(cx, st, found) : found;
      if (!release(cx, st, r.resource, obj, span, how)) return;
      if (r.resource === 'pte_map') st.unmapped.set(st.rep(obj), { line, how });
    }
    for (const r of c.splits) {
      const obj = resolvePath(cx, st, r, argVals, v, line);
      if (obj !== undefined) splitFolio(cx, st, obj, span, how, '');
    }
    // What the callee released or dropped it found on entry; what it took, it may have stored
    // in the caller's fields (`args->lock = lock`): field stores come between the two.
    for (const r of c.refs) {
      if (r.delta >= 0) continue;
      const obj = resolvePath(cx, st, r.obj, argVals, v, line);
      if (obj !== undefined && !changeRef(cx, st, obj, r.delta, span, how)) return;
    }
    for (const w of c.stores ?? []) {
      const a = argVals[w.param];
      if (!a) continue;
      // A value only the field names is a new object of the callee's: the field's old value
      // is gone (facts and holds on it apply to the new one through the field's path).
      const value =
        w.constant !== undefined ? cx.constSym(st, w.constant)
        : w.value ? resolvePath(cx, st, w.value, argVals, v, line)
        : cx.newSym({ label: `${cx.describe(a.v)}->${w.field} (set by ${name})`, line, origin: 'call' });
      if (value !== undefined) setField(st, a.v, w.field, value);
    }
    for (const g of c.globalStores ?? []) {
      if (cx.varTypes.has(g.name)) continue;
      st.env.set(g.name, storedGlobal(cx, st, g, name, line));
      cx.writtenGlobals.add(g.name);
    }
    for (const a of c.afterPure ?? []) {
      const args = a.args.map((p) => resolvePath(cx, st, p, argVals, v, line));
      if (args.some((x) => x === undefined)) continue;
      const t = a.name === '&' ? bitTest(cx, st, args[0] as Sym, args[1] as Sym, 'flags & mask') : pureCallSym(cx, st, a.name, args as Sym[], `${a.name}(...)`);
      if (!refine(st, t, a.facts)) return;
    }
    for (const a of c.acquired.filter((_, i) => keepAcq[i])) {
      const found = resolvePath(cx, st, a.obj, argVals, v, line);
      if (found === undefined) continue;
      const obj = a.resource === 'pte_map' ? tableOf(cx, st, found) : found;
      if (!acquire(cx, st, a.resource, obj, span, how)) return;
      if (a.resource === 'pte_map') st.unmapped.delete(st.rep(obj));
    }
    for (const r of c.refs) {
      if (r.delta <= 0) continue;
      const obj = resolvePath(cx, st, r.obj, argVals, v, line);
      if (obj !== undefined && !changeRef(cx, st, obj, r.delta, span, how)) return;
    }
    for (const h of c.handoffs) {
      const obj = resolvePath(cx, st, h, argVals, v, line);
      if (obj !== undefined) handOff(cx, st, obj);
    }
    for (const h of c.refHandoffs) {
      const obj = resolvePath(cx, st, h, argVals, v, line);
      if (obj !== undefined) handOffRef(cx, st, obj);
    }
    out.push({ s: st, v });
  });
  return out;
}

/**
 * A case that takes one lock and drops another, which this caller's arguments make the same
 * lock (wp_page_shared() locks `folio` and its helper unlocks page_folio(vmf->page), and
 * do_wp_page() passes that folio): in the callee's order the two cancel out, so the lock
 * keeps the state it has here when that state is the one the order needs (free for take
 * then drop, held for drop then take). Otherwise the callee takes a lock held here
 * (`retaken`), or drops one that is not (both apply, and the release reports it).
 */
function netOfAliases(cx: SimContext, s: PathState, c: SummaryCase, argVals: Val[], ret: Sym, line: number): { keepRel: boolean[]; keepAcq: boolean[]; retaken?: { obj: Sym; resource: Resource } } {
  const keepRel = c.released.map(() => true);
  const keepAcq = c.acquired.map(() => true);
  let retaken: { obj: Sym; resource: Resource } | undefined;
  if (!c.order) return { keepRel, keepAcq };
  const acq = c.acquired.map((a) => resolvePath(cx, s, a.obj, argVals, ret, line));
  c.released.forEach((r, i) => {
    const obj = resolvePath(cx, s, r.obj, argVals, ret, line);
    if (obj === undefined) return;
    // One name for both (`vmf->pte` dropped on entry, `vmf->pte` mapped anew) is two objects
    // at two times in the callee, not two names this caller made one.
    const j = c.acquired.findIndex(
      (a, k) => keepAcq[k] && acq[k] !== undefined && s.rep(acq[k]!) === s.rep(obj) && lockClass(a.resource) === lockClass(r.resource) && !samePath(a.obj, r.obj),
    );
    if (j < 0) return;
    const takenFirst = c.order!.acquired[j] < c.order!.released[i];
    const held = !!s.getHeld(r.resource, obj);
    if (takenFirst === !held) keepRel[i] = keepAcq[j] = false;
    else if (takenFirst) retaken ??= { obj, resource: c.acquired[j].resource };
  });
  return { keepRel, keepAcq, retaken };
}

export function samePath(a: ObjPath, b: ObjPath): boolean {
  return a.root === b.root && a.global === b.global && a.path.length === b.path.length && a.path.every((x, i) => x === b.path[i]);
}

const CASES_IGNORING_RESULT = new WeakMap<FunctionSummary, SummaryCase[]>();

/** Where the result is not used, cases that differ only in what they return are one case
 *  (worked out once per summary: this runs at every visit of the call). */
function casesIgnoringResult(sum: FunctionSummary): SummaryCase[] {
  let cases = CASES_IGNORING_RESULT.get(sum);
  if (!cases) {
    const seen = new Map<string, SummaryCase>();
    for (const c of sum.cases) {
      const k = JSON.stringify({ ...c, ret: null, retParam: undefined, retPath: undefined, text: '' });
      if (!seen.has(k)) seen.set(k, c);
    }
    cases = [...seen.values()];
    CASES_IGNORING_RESULT.set(sum, cases);
  }
  return cases;
}
