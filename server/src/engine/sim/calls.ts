// Calls: a contract from the table, else a summary of a function defined in
// the same document, else an unknown call (changes nothing it is not given).

import type { SyntaxNode } from '../parse/syntax';
import type { Contract, Effect, Outcome, Predicate, Resource, ResultCondition, ReturnSpec, Target } from '../model/types';
import { SimContext, spanOf } from './context';
import { refine, refineBits } from './facts';
import { acquire, changeRef, checkSleep, checkUse, handBackRef, lockStateUnknown, release, splitFolio, Span, tryAcquire } from './effects';
import { addressedLvalue, argsOf, entryStable, forgetElementsReachableFrom, decisionStep, assignTo, checkPointerUse, evalCond, evalExpr, evalSeq, fieldAddr, strip, Val, VALUE_OF_FIRST_ARG } from './eval';
import { containerOf, fieldOf, folioOf, handOff, handOffEncodedRefs, handOffRef, isLocalContainer, tableOf } from './objects';
import { annotatedResource } from './entry';
import { GLOBAL_OBJ, PathState, Sym, SymInfo, lockKey } from './state';
import { applySummary } from './summary';

/** Names whose result depends only on their arguments: the same call on the same values
 *  gives the same answer on one path (macros, tests of flags and entries). */
function isPureName(name: string): boolean {
  return (
    /^[A-Z][A-Z0-9_]*$/.test(name) ||
    /^(is_|has_|pte_|pmd_|pud_|p4d_|pgd_|folio_test_|Page|page_is_|folio_is_|thp_|vma_is_|softleaf_|non_swap_entry|swp_|pfn_|page_to_|folio_page|folio_pfn|folio_nr_pages|folio_size|folio_order|folio_mapping|compound_|virt_to_|zone_|node_|test_bit|transhuge_|huge_page_)/.test(name) ||
    /(_enabled|_present|_none|_special)$/.test(name)
  );
}

export function evalCall(cx: SimContext, s: PathState, n: SyntaxNode): Val[] {
  const fnNode = n.childForFieldName('function');
  const name = fnNode?.type === 'identifier' ? fnNode.text : '';
  // A call through an operations table (`mapping->a_ops->writepage(...)`): the method's name.
  const method = fnNode?.type === 'field_expression' ? fnNode.childForFieldName('field')?.text : undefined;
  const args = argsOf(n);
  const span = spanOf(n);
  const line = n.startPosition.row;

  if (VALUE_OF_FIRST_ARG.has(name) && args.length > 0) {
    // WARN_ON(cond), likely(cond), READ_ONCE(x): the value is the first argument's; the
    // others (format strings) have no effect that matters here.
    return evalExpr(cx, s, args[0]);
  }
  if (ASSERT_HELD.has(name) && args.length >= 1) {
    // lockdep_assert_held(&lock): the caller holds it (what __must_hold says, in code).
    return evalExpr(cx, s, args[0]).map((r) => {
      assumeCallerHolds(cx, r.s, r.v, args[0].text, span, assertedResource(name));
      return { s: r.s, v: cx.constSym(r.s, 0) };
    });
  }
  if (SPARSE_CONTEXT.has(name) && args.length === 1) {
    // sparse's context markers change no lock: they keep the count of lock names in step
    // (`if (ptl1 != ptl2) spin_unlock(ptl2); else __release(ptl2);`). When the named lock is
    // held here under that name, __release gives up that hold; __acquire adds nothing.
    return evalExpr(cx, s, args[0]).flatMap((r) => {
      if (name === '__release') {
        for (const h of [...r.s.held.values()]) {
          if (h.obj >= 0 && r.s.rep(h.obj) === r.s.rep(r.v)) {
            if (!release(cx, r.s, h.resource, h.obj, span, `${name}()`)) return [];
            break;
          }
        }
      }
      return [{ s: r.s, v: cx.constSym(r.s, 0) }];
    });
  }
  if (CONTAINER_OF.has(name) && args.length === 3 && strip(args[2]).type === 'identifier') {
    const field = strip(args[2]).text;
    return evalExpr(cx, s, args[0]).map((r) => ({ s: r.s, v: containerOf(cx, r.s, r.v, field, shortText(n.text)) }));
  }
  if (name === 'WRITE_ONCE' && args.length === 2) {
    const out: Val[] = [];
    for (const r of evalExpr(cx, s, args[1])) for (const st of assignTo(cx, r.s, args[0], r)) out.push({ s: st, v: r.v });
    return out;
  }
  if ((name === 'IS_ERR' || name === 'IS_ERR_OR_NULL') && args.length === 1) {
    return evalCond(cx, s, n).map((r) => ({ s: r.s, v: cx.constSym(r.s, r.truth ? 1 : 0) }));
  }
  if (name === 'ERR_PTR' && args.length === 1) {
    return evalExpr(cx, s, args[0]).map((r) => {
      const v = cx.newSym({ label: n.text, line, origin: 'derived', from: [r.v] });
      refine(r.s, v, { nz: true, errptr: true });
      return { s: r.s, v };
    });
  }
  if ((name === 'PTR_ERR' || name === 'PTR_ERR_OR_ZERO') && args.length === 1) {
    return evalExpr(cx, s, args[0]).map((r) => {
      const v = cx.newSym({ label: n.text, line, origin: 'derived', from: [r.v] });
      const f = r.s.getFacts(r.v);
      if (f.errptr === true) refine(r.s, v, { hi: -1 });
      else if (name === 'PTR_ERR_OR_ZERO' && f.errptr === false) refine(r.s, v, { lo: 0, hi: 0 });
      // PTR_ERR() of a pointer that is not an error pointer is never an errno (-MAX_ERRNO..-1):
      // `if (PTR_ERR(folio) == -EBUSY)` is false for a valid folio. Its value (an address) is
      // taken as non-negative here, which is all that comparisons with errnos and 0 need.
      else if (f.errptr === false) refine(r.s, v, f.nz ? { lo: 1 } : { lo: 0 });
      return { s: r.s, v };
    });
  }

  const pointer = calledPointer(cx, fnNode);
  const named = pointer
    ? pointer.contract
    : name ? cx.contract(name, cx.contracts.bySignature?.has(name) ? declaredArgTypes(cx, args) : undefined) : method ? cx.contract(method) : undefined;
  // A method's contract is for calls through the pointer, a function's for calls by name.
  const contract = named && (pointer || !!named.method === !name) ? named : undefined;
  const summary = !contract && name ? cx.summaries.summaryOf(name) : undefined;

  const out: Val[] = [];
  for (const e of lockArgument(contract) ? evalLockArguments(cx, s, args) : evalSeq(cx, s, args)) {
    const st = e.s;
    const argVals = e.vs;
    // Stale folio values passed on after a split.
    let ok = true;
    for (let i = 0; i < args.length; i++) {
      const a = strip(args[i]);
      if (a.type === 'identifier') {
        const stale = st.staleVars.get(a.text);
        if (stale) {
          cx.report('stale-folio-after-split', spanOf(args[i]), `\`${a.text}\` was computed before ${stale.split} at line ${stale.line + 1}; the page it was looked up for may now be in another folio`, st);
          st.staleVars.delete(a.text);
        }
      }
      // Pointers into PTE tables passed on: unchecked NULL, or used after unmap. Releasing
      // calls check their own target below.
      const isRelease = contract?.effects?.some((ef) => ef.op === 'release' && ef.resource === 'pte_map');
      if (!isRelease && cx.info(tableOf(cx, st, argVals[i].v)).pteTable) {
        if (!checkPointerUse(cx, st, argVals[i].v, args[i], args[i].text)) ok = false;
      }
    }
    if (!ok) continue;
    if (!contract && name) cx.summaries.observeCall?.(cx, name, st, argVals, n);
    if (!contract && !isPureName(name)) forgetElementsReachableFrom(cx, st, argVals.map((a) => a.v));
    if (contract) out.push(...applyContract(cx, st, n, pointer ? `(*${pointer.variable})` : name || `->${method}`, contract, args, argVals, span));
    else if (summary) out.push(...applySummary(cx, st, n, name, summary, argVals, span));
    else out.push(...unknownCall(cx, st, n, name, argVals));
  }
  return out;
}

/** Depth of lock-argument evaluation: `spin_lock(&to_priv(dev)->lock)`. */
let inLockArgument = 0;

/** Does the call take or drop a lock named by its first argument? */
function lockArgument(c: Contract | undefined): boolean {
  const effects = [...(c?.effects ?? []), ...(c?.outcomes ?? []).flatMap((o) => o.effects)];
  return effects.some((e) => (e.op === 'acquire' || e.op === 'release') && 'arg' in e.target && e.target.arg === 0 && !('field' in e.target) && !('member' in e.target));
}

/**
 * The arguments of a lock or unlock call. A call inside a lock expression computes where the
 * lock is (`&to_i915(obj->base.dev)->lock`, `&spi_dv_mutex(starget)`): an accessor, so the
 * same call on the same values names the same lock on this path, and the unlock written
 * the same way as the lock releases it.
 */
function evalLockArguments(cx: SimContext, s: PathState, args: SyntaxNode[]): ReturnType<typeof evalSeq> {
  inLockArgument++;
  try {
    return evalSeq(cx, s, args);
  } finally {
    inLockArgument--;
  }
}


export function pureCallSym(cx: SimContext, s: PathState, name: string, args: Sym[], label: string): Sym {
  const key = `${name}(${args.map((v) => s.rep(v)).join(',')})`;
  return cx.keyedSym(`pure:${key}`, { label, line: -1, origin: 'derived', from: args, stable: true, pure: { name, args: args.map((x) => s.rep(x)) } });
}

/** Does the call's value decide a branch directly (`if (f(x))`, `if (!f(x) && ...)`, `c = f(x) ? a : b`)? */
function isBranchCondition(n: SyntaxNode): boolean {
  let cur = n;
  for (let p = n.parent; p; cur = p, p = p.parent) {
    if (p.type === 'parenthesized_expression') continue;
    if (p.type === 'unary_expression' && p.child(0)?.type === '!') continue;
    if (p.type === 'binary_expression' && ['&&', '||'].includes(p.childForFieldName('operator')?.type ?? '')) continue;
    if (p.type === 'call_expression' && ['likely', 'unlikely'].includes(p.childForFieldName('function')?.text ?? '')) continue;
    if (p.type === 'argument_list' && p.parent?.type === 'call_expression' && ['likely', 'unlikely'].includes(p.parent.childForFieldName('function')?.text ?? '')) continue;
    // Only branches, not loop conditions: a loop asks again because the answer changes.
    if (p.type !== 'if_statement' && p.type !== 'conditional_expression') return false;
    const cond = p.childForFieldName('condition');
    return !!cond && (cond.id === cur.id || (cond.type === 'parenthesized_expression' && cond.namedChild(0)?.id === cur.id));
  }
  return false;
}

/** Names that say the call changes what it tests (test_and_set_bit, atomic_dec_and_test,
 *  a trylock): asking twice may give another answer. */
const MUTATING_QUERY = /test_and_|_and_test|xchg|try|_inc|_dec|_add|_sub|alloc|_get|get_|_put|put_|wait|_del|del_|_pop|_next|_first|_start|_end/;

/** An unknown call that only asks about values that are the same on every path, used as a
 *  branch condition (`if (__vma_shareable_lock(vma))`): the correlated-branch rule decides
 *  the same question the same way on one path, so a lock helper and its unlock helper that
 *  ask it agree. */
function isQuery(cx: SimContext, s: PathState, n: SyntaxNode, name: string, from: Sym[]): boolean {
  return !!name && from.length > 0 && !MUTATING_QUERY.test(name) && from.every((v) => entryStable(cx, s, v)) && isBranchCondition(n);
}

function unknownCall(cx: SimContext, s: PathState, n: SyntaxNode, name: string, argVals: Val[]): Val[] {
  const line = n.startPosition.row;
  const from = argVals.map((a) => a.v);
  if (isQuery(cx, s, n, name, from)) return [{ s, v: pureCallSym(cx, s, name, from, shortText(n.text)) }];
  // What unknown code is given, it may lock or unlock; a test of flags only reads it.
  if (!(name && isPureName(name))) for (const a of from) if (a >= 0) s.opaque.add(s.rep(a));
  // Given a structure the caller can reach (a parameter, a global) together with an object,
  // it may keep the object's reference there (pool_add(pool, folio)).
  const reachable = (a: Sym): boolean => {
    const i = cx.info(s.rep(a));
    return i.entryPath !== undefined || i.origin === 'global';
  };
  if (!(name && isPureName(name)) && from.some((a) => a >= 0 && reachable(a))) {
    for (const a of from) if (a >= 0 && !reachable(a)) s.refHanded.add(s.rep(a));
  }
  // Given a container of this function's (`&fbatch`, `&src_pfn`) together with objects, it
  // may store them there or release what the container encodes: they are handed off.
  if (from.some((a) => a >= 0 && isLocalContainer(cx, s, a))) {
    for (const a of from) if (a >= 0) handOff(cx, s, a);
  }
  if (name && (isPureName(name) || inLockArgument > 0)) return [{ s, v: pureValue(cx, s, n, name, from) }];
  return [{ s, v: cx.newSym({ label: shortText(n.text), line, origin: from.length ? 'derived' : 'local', from }) }];
}

/** The value of a call whose result depends only on its arguments: the same on one path for
 *  the same arguments, and the same on every path when they are entry values. `asked`: a
 *  question the caller may ask too (recorded in summaries, and returns that differ in its
 *  answer are told apart); a state the contract table knows as a plain read of the object
 *  (folio_test_dirty) is not something callers test to learn what a callee did. */
function pureValue(cx: SimContext, s: PathState, n: SyntaxNode, name: string, from: Sym[], asked = true): Sym {
  const key = `${name}(${from.map((v) => s.rep(v)).join(',')})`;
  if (from.every((v) => entryStable(cx, s, v))) {
    // The same question about the same entry values: the same answer on every path.
    const info: SymInfo = { label: shortText(n.text), line: n.startPosition.row, origin: 'derived', from, stable: true };
    if (asked) info.pure = { name, args: from.map((x) => s.rep(x)) };
    return cx.keyedSym(`${asked ? 'pure' : 'read'}:${key}`, info);
  }
  const known = s.memo.get(key);
  if (known !== undefined) return known;
  const v = cx.newSym({ label: shortText(n.text), line: n.startPosition.row, origin: 'derived', from });
  s.memo.set(key, v);
  return v;
}

/** A contract that only says its call reads its arguments (folio_test_dirty, folio_mapcount):
 *  the call is still a question about them, answered the same way each time on one path. */
function onlyReads(c: Contract): boolean {
  return !c.effects?.length && !c.outcomes?.length && !c.predicate && !c.returns && !c.returnRef && !c.retFields?.length && !c.outs?.length && !c.requires?.length && !c.sleeps && c.gfpArg === undefined && !c.noreturn;
}

function shortText(t: string): string {
  const one = t.replace(/\s+/g, ' ');
  return one.length > 48 ? one.slice(0, 45) + '...' : one;
}

/** Does the gfp argument allow sleeping (direct reclaim)? */
function gfpMaySleep(text: string): boolean {
  if (/GFP_(ATOMIC|NOWAIT)/.test(text)) return false;
  return /GFP_(KERNEL|USER|HIGHUSER|NOFS|NOIO|TRANSHUGE|KERNEL_ACCOUNT)|__GFP_DIRECT_RECLAIM/.test(text);
}

/** Resolve an effect target to the object it acts on. */
function resolveTarget(cx: SimContext, s: PathState, t: Target, argVals: Val[], ret: Sym, line: number, args: SyntaxNode[]): Sym | undefined {
  if ('global' in t) return GLOBAL_OBJ[t.global];
  if ('ret' in t) return t.member === undefined ? ret : fieldAddr(cx, s, ret, t.member, `${cx.describe(ret)}->${t.member}`);
  if ('member' in t) {
    const p = argVals[t.arg];
    return p ? fieldAddr(cx, s, p.v, t.member, `${args[t.arg]?.text ?? cx.describe(p.v)}->${t.member}`) : undefined;
  }
  if ('keyed' in t) return keyedObject(cx, s, t.keyed, t.args.map((i) => argVals[i]?.v), t.args.map((i) => args[i]?.text ?? '?'), line);
  if ('out' in t) {
    const a = args[t.out];
    if (!a) return undefined;
    const lv = addressedLvalue(a);
    if (lv) {
      const rs = evalExpr(cx, s, lv);
      return rs[0]?.v;
    }
    const p = argVals[t.out];
    return p ? fieldOf(cx, s, p.v, '*', line) : undefined;
  }
  if ('field' in t) {
    const p = argVals[t.arg];
    return p ? fieldOf(cx, s, p.v, t.field, line) : undefined;
  }
  const a = argVals[t.arg];
  if (!a) return undefined;
  if (t.via === 'folio') return folioOf(cx, s, a.v, line);
  return a.v;
}

/** The object a keyed return names for these argument values (pmd_lock(mm, pmd) and
 *  pmd_lockptr(mm, pmd) both give pmd_ptl(pmd)): the same symbol wherever it comes from. */
export function keyedSymFor(cx: SimContext, s: PathState, key: string, args: (Sym | undefined)[], label: string, line: number): Sym {
  const reps = args.map((v) => (v !== undefined ? s.rep(v) : undefined));
  const k = `${key}(${reps.map((v) => v ?? '?').join(',')})`;
  return cx.keyedSym(k, { label, line, origin: 'call', fresh: true, stable: true, keyedBy: { key, args: reps } });
}

function keyedObject(cx: SimContext, s: PathState, key: string, args: (Sym | undefined)[], texts: string[], line: number): Sym {
  const v = keyedSymFor(cx, s, key, args, `${key}(${texts.join(', ')})`, line);
  refine(s, v, { nz: true, errptr: false });
  return v;
}

function computeReturn(cx: SimContext, s: PathState, spec: ReturnSpec | undefined, argVals: Val[], n: SyntaxNode, c: Contract, result?: Sym): Val {
  const line = n.startPosition.row;
  const label = shortText(n.text);
  if (!spec || spec.kind === 'fresh') {
    return { s, v: cx.newSym({ label, line, origin: 'call', ref: c.returnRef, from: argVals.map((a) => a.v), fresh: true }) };
  }
  switch (spec.kind) {
    case 'arg':
      return { s, v: argVals[spec.arg]?.v ?? cx.newSym({ label, line, origin: 'call' }) };
    case 'folioOf': {
      const page = argVals[spec.arg]?.v;
      if (page === undefined) return { s, v: cx.newSym({ label, line, origin: 'call' }) };
      const folio = folioOf(cx, s, page, line);
      // A lookup that hands out a new reference gives a folio this context has not locked.
      if (c.returnRef === 'ref' && !cx.info(folio).entryPath) cx.info(folio).fresh = true;
      return { s, v: folio, page: s.rep(page) };
    }
    case 'keyed': {
      const v = keyedSymFor(cx, s, spec.key, spec.args.map((i) => argVals[i]?.v), label, line);
      // A lock pointer is never NULL, unless the call says NULL means nothing was taken.
      if (!c.outcomes?.some((o) => o.when === 'null')) refine(s, v, { nz: true, errptr: false });
      return { s, v };
    }
    case 'derived': {
      const src = argVals[spec.arg]?.v;
      const v = cx.newSym({ label, line, origin: 'derived', from: src !== undefined ? [src] : [], ref: c.returnRef, fresh: true });
      if (src !== undefined) {
        const flags = s.flags.get(s.rep(src));
        if (flags) s.flags.set(v, { ...flags });
      }
      return { s, v };
    }
    case 'pageOf':
      return { s, v: pageOfFolio(cx, s, `${c.name}(${argVals.map((a) => s.rep(a.v)).join(',')})`, argVals[spec.arg]?.v, label, line) };
    case 'pageOfResult':
      if (result === undefined) break;
      return { s, v: pageOfFolio(cx, s, `${c.name}:page(${s.rep(result)})`, result, label, line) };
  }
  return { s, v: cx.newSym({ label, line, origin: 'call' }) };
}

/** What the simulator knows of `obj->field` from now on (a VMA found in `mm` has vm_mm == mm). */
export function setField(s: PathState, obj: Sym, field: string, value: Sym): void {
  s.fields.set(`${s.rep(obj)}.${field}`, value);
}

/** folio_page(folio, n): a page of the folio, the same one for the same arguments on a path;
 *  its folio is `folio` (a split forgets that, as for any page). */
function pageOfFolio(cx: SimContext, s: PathState, key: string, folio: Sym | undefined, label: string, line: number): Sym {
  const known = s.memo.get(key);
  if (known !== undefined) return known;
  const page = cx.newSym({ label, line, origin: 'derived', from: folio !== undefined ? [folio] : [] });
  s.memo.set(key, page);
  if (folio === undefined) return page;
  const f = s.rep(folio);
  s.pageFolio.set(page, f);
  const flags = s.flags.get(f);
  if (flags) s.flags.set(page, { ...flags });
  if (s.getFacts(f).nz) refine(s, page, { nz: true, errptr: false });
  return page;
}

function outcomeFacts(when: ResultCondition, returnsBool: boolean): Parameters<typeof refine>[2] | null {
  switch (when) {
    case 'always':
      return null;
    case 'null':
    case 'zero':
      return { lo: 0, hi: 0 };
    case 'nonnull':
      return { nz: true, errptr: false };
    case 'errptr':
      return { nz: true, errptr: true };
    case 'nonzero':
      return returnsBool ? { lo: 1, hi: 1, nz: true } : { nz: true };
    case 'negative':
      return { hi: -1 };
    case 'positive':
      return returnsBool ? { lo: 1, hi: 1, nz: true } : { lo: 1 };
  }
}

export function applyContract(cx: SimContext, s: PathState, n: SyntaxNode, name: string, c: Contract, args: SyntaxNode[], argVals: Val[], span: Span): Val[] {
  const line = n.startPosition.row;
  const how = `${name}()`;
  if (c.noreturn) return [];
  // Requirements.
  for (const r of c.requires ?? []) {
    if (r.resource === 'ref') continue;
    const obj = resolveTarget(cx, s, r.target, argVals, -1, line, args);
    if (obj === undefined) continue;
    if (!s.getHeld(r.resource, obj)) {
      const o = s.rep(obj);
      const key = `${r.resource === 'ptl' ? 'spinlock' : r.resource}:${o}`;
      if (lockStateUnknown(cx, s, o) && !s.touched.has(key)) {
        if (cx.info(o).entryPath !== undefined) s.pre.set(key, { resource: r.resource, obj: o, need: 'held', line });
        s.touched.add(key);
        s.setHeld({ resource: r.resource, obj: o, count: 1, line: -1, origin: 'caller', how: 'held by the caller' });
      } else {
        cx.report('requires-lock', span, `${how} requires the ${r.resource.replace('_', ' ')} on ${cx.describe(o)}, which is not held on this path`, s);
      }
    }
  }
  // Uses of folios after their last reference.
  if (c.usesArgs || c.effects?.length || c.outcomes?.length || c.predicate) {
    for (const a of argVals) checkUse(cx, s, a.v, span, how);
  }
  const sleeps = c.sleeps || (c.gfpArg !== undefined && !!args[c.gfpArg] && gfpMaySleep(args[c.gfpArg].text));
  // A call that drops a lock and then sleeps (migration_entry_wait_on_locked) sleeps after
  // its releases; one that sleeps and then locks (folio_lock) sleeps before.
  const releasesFirst = !!c.effects?.some((e) => e.op === 'release' || e.op === 'transfer');
  if (sleeps && !releasesFirst) checkSleep(cx, s, span, how);

  if (onlyReads(c) && isPureName(name)) return [{ s, v: pureValue(cx, s, n, name, argVals.map((a) => a.v), false) }];
  let ret = computeReturn(cx, s, c.returns, argVals, n, c);
  for (const f of c.retFields ?? []) {
    const a = argVals[f.arg];
    if (a) setField(s, ret.v, f.field, a.v);
  }
  if (c.predicate) return predicateValue(cx, s, c, argVals, line, args, n);

  // Out arguments get their values before effects act on them.
  for (const o of c.outs ?? []) {
    const a = args[o.arg];
    if (!a) continue;
    if (o.field !== undefined) continue;
    const v = computeReturn(cx, s, o.value, argVals, n, c, ret.v);
    const lv = addressedLvalue(a);
    if (lv) assignTo(cx, s, lv, v);
    else if (argVals[o.arg]) s.fields.set(`${s.rep(argVals[o.arg].v)}.*`, v.v);
  }

  let states: { s: PathState; ret: Val }[] = [{ s, ret }];
  if (c.effects?.length) {
    const next: typeof states = [];
    for (const st of states) if (applyEffects(cx, st.s, c.effects, argVals, st.ret.v, span, how, args)) next.push(st);
    states = next;
  }
  if (sleeps && releasesFirst) for (const st of states) checkSleep(cx, st.s, span, how);
  if (c.outcomes?.length) {
    const next: typeof states = [];
    for (const st of states) {
      const forks = c.outcomes.length > 1 ? c.outcomes.map((o, i) => (i === c.outcomes!.length - 1 ? st.s : st.s.clone())) : [st.s];
      c.outcomes.forEach((o, i) => {
        const fs = forks[i];
        const facts = outcomeFacts(o.when, !!c.returnsBool);
        if (facts && !refine(fs, st.ret.v, facts)) return;
        if (o.bits && !refine(fs, st.ret.v, { set: o.bits.set, clear: o.bits.clear })) return;
        if (o.value !== undefined && !refine(fs, st.ret.v, { lo: o.value, hi: o.value })) return;
        if (o.argBits && !refineArgBits(cx, fs, argVals[o.argBits.arg], o.argBits)) return;
        if (o.impossibleIf && flagKnownSet(cx, fs, o.impossibleIf, argVals, line, args)) return;
        for (const rf of o.resultFlags ?? []) setObjectFlag(cx, fs, st.ret.v, rf.flag, rf.set);
        if (c.outcomes!.length > 1) {
          fs.decisions++;
          fs.push({ line, character: n.startPosition.column, kind: 'call', text: `${how}: ${o.note ?? describeWhen(o)}` });
        }
        if (!applyEffects(cx, fs, o.effects, argVals, st.ret.v, span, how, args)) return;
        if (c.returnRef === 'ref' && !o.noRef && o.when !== 'null' && o.when !== 'errptr' && o.when !== 'zero' && o.when !== 'negative') markNewRef(fs, st.ret.v, span);
        if (o.runs) for (const rs of runCallback(cx, fs, n, o.runs, args, argVals, span)) next.push({ s: rs, ret: st.ret });
        else next.push({ s: fs, ret: st.ret });
      });
    }
    states = next;
  } else if (c.returnRef === 'ref') {
    for (const st of states) markNewRef(st.s, st.ret.v, span);
  }
  // Fields the call fills in, once each outcome has said what the result is (the page of a
  // folio found is valid; of none, nothing).
  for (const o of c.outs ?? []) {
    if (o.field === undefined || !argVals[o.arg]) continue;
    for (const st of states) setField(st.s, argVals[o.arg].v, o.field, computeReturn(cx, st.s, o.value, argVals, n, c, st.ret.v).v);
  }
  if (c.returnEntryRefIf) {
    for (const st of states) {
      if (flagKnownSet(cx, st.s, c.returnEntryRefIf, argVals, line, args)) handBackRef(cx, st.s, st.ret.v, span, how);
    }
  }
  // Results of pte_offset_map* are pointers into a mapped table.
  if (isMapCall(c)) cx.info(ret.v).pteTable = true;
  return states.map((st) => ({ s: st.s, v: st.ret.v, page: st.ret.page }));
}

/** The function a call ran on one of its outcomes (kref_put's release), given the values of
 *  the call's arguments `runs.args`: a function of the document acts through its summary, the
 *  same as a direct call of it would; a callback the simulator cannot see is unknown code
 *  given those values. */
function runCallback(cx: SimContext, s: PathState, n: SyntaxNode, runs: NonNullable<Outcome['runs']>, args: SyntaxNode[], argVals: Val[], span: Span): PathState[] {
  const given = runs.args.flatMap((i) => (argVals[i] ? [argVals[i]] : []));
  const fnArg = args[runs.fn] ? strip(args[runs.fn]) : undefined;
  const fnNode = fnArg?.type === 'pointer_expression' && fnArg.child(0)?.type === '&' ? fnArg.childForFieldName('argument') : fnArg;
  const fnName = fnNode?.type === 'identifier' ? fnNode.text : '';
  const summary = fnName && !cx.contract(fnName) ? cx.summaries.summaryOf(fnName) : undefined;
  if (!summary) return unknownCall(cx, s, n, '', given).map((r) => r.s);
  return applySummary(cx, s, n, fnName, summary, given, span).map((r) => r.s);
}

/** Whether the argument's bits allow an outcome (see Outcome.argBits); refines what the path
 *  knows of them when they do. */
function refineArgBits(cx: SimContext, s: PathState, a: Val | undefined, bits: NonNullable<Outcome['argBits']>): boolean {
  if (!a) return true;
  const f = s.getFacts(a.v);
  const known = f.lo === f.hi && Number.isFinite(f.lo);
  if (bits.anySet !== undefined) {
    if (known ? (f.lo & bits.anySet) === 0 : ((f.clear ?? 0) & bits.anySet) === bits.anySet) return false;
    const single = (bits.anySet & (bits.anySet - 1)) === 0;
    if (single && !known && !refineBits(cx, s, a.v, { set: bits.anySet })) return false;
  }
  if (bits.allClear !== undefined) {
    if (known ? (f.lo & bits.allClear) !== 0 : ((f.set ?? 0) & bits.allClear) !== 0) return false;
    if (!known && !refineBits(cx, s, a.v, { clear: bits.allClear })) return false;
  }
  return true;
}

/** Whether this path knows the flag of a predicate is set on its target (an outcome the
 *  contract rules out for it, a reference its entry owned). */
function flagKnownSet(cx: SimContext, s: PathState, p: Predicate, argVals: Val[], line: number, args: SyntaxNode[]): boolean {
  const obj = resolveTarget(cx, s, p.target, argVals, -1, line, args);
  return obj !== undefined && s.flag(obj, p.flag) === true;
}

function isMapCall(c: Contract): boolean {
  const all: Effect[] = [...(c.effects ?? []), ...(c.outcomes ?? []).flatMap((o) => o.effects)];
  return all.some((e) => e.op === 'acquire' && e.resource === 'pte_map' && 'ret' in e.target);
}

function describeWhen(o: Outcome): string {
  return `result is ${o.when}`;
}

/** A call that hands out a new reference to what it returns. */
function markNewRef(s: PathState, obj: Sym, span: Span): void {
  const r = s.refOf(obj);
  s.refs.set(s.rep(obj), { delta: r.delta + 1, line: span.line });
}

function applyEffects(cx: SimContext, s: PathState, effects: Effect[], argVals: Val[], ret: Sym, span: Span, how: string, args: SyntaxNode[]): boolean {
  const line = span.line;
  for (const e of effects) {
    if (e.op === 'handoff-args') {
      for (const a of argVals) handOff(cx, s, a.v);
      continue;
    }
    const obj = resolveTarget(cx, s, e.target, argVals, ret, line, args);
    if (obj === undefined) continue;
    if (obj >= 0) {
      const f = s.getFacts(obj);
      if (f.lo === 0 && f.hi === 0) {
        // Releasing through NULL: a lookup that failed took nothing (pmd_trans_huge_lock()
        // returned NULL). Locking or counting through NULL would oops: the path ends.
        if (e.op === 'release' && e.resource !== 'pte_map' && cx.info(s.rep(obj)).fresh) {
          cx.report('unlock-not-held', span, `${how} releases a ${e.resource === 'ptl' || e.resource === 'spinlock' ? 'lock' : e.resource.replace('_', ' ')} through a NULL pointer: nothing was taken on this path`, s);
        }
        return false;
      }
    }
    switch (e.op) {
      case 'acquire': {
        const o = e.resource === 'pte_map' ? tableOf(cx, s, obj) : obj;
        if (!(e.trylock ? tryAcquire : acquire)(cx, s, e.resource, o, span, how)) return false;
        if (e.resource === 'pte_map') s.unmapped.delete(s.rep(o));
        break;
      }
      case 'release':
      case 'transfer': {
        if (e.op === 'release' && e.ifHeld) {
          const o = e.resource === 'pte_map' ? tableOf(cx, s, obj) : obj;
          if (!s.getHeld(e.resource, o)) break;
        }
        if (e.resource === 'pte_map') {
          const argText = 'arg' in e.target ? args[e.target.arg]?.text ?? '' : '';
          const t = tableOf(cx, s, obj);
          if (cx.info(t).pteTable) {
            const argNode = 'arg' in e.target ? args[e.target.arg] : undefined;
            if (argNode && !checkPointerUse(cx, s, obj, argNode, argText)) return false;
          }
          if (!release(cx, s, 'pte_map', t, span, how, false)) return false;
          s.unmapped.set(s.rep(t), { line, how });
          break;
        }
        if (!release(cx, s, e.resource, obj, span, how, e.op === 'transfer')) return false;
        break;
      }
      case 'ref': {
        let delta = e.delta ?? 0;
        if (e.deltaArg !== undefined) {
          const dv = argVals[e.deltaArg];
          const f = dv ? s.getFacts(dv.v) : undefined;
          if (dv && isHeaderConstant(cx, s, dv.v)) {
            // A named count from a header (folio_ref_add(folio, GUP_PIN_COUNTING_BIAS)): a fixed
            // number of references, at least one, whatever its value.
            delta = 1;
          } else {
            // An amount this path does not know (folio_ref_sub(folio, nr) of the page cache's
            // references) says nothing about the references this path owns.
            if (!f || f.lo !== f.hi || !Number.isFinite(f.lo)) break;
            delta = f.lo;
          }
        }
        if (e.sign) delta = e.sign * Math.abs(delta);
        if (!changeRef(cx, s, obj, delta, span, how)) return false;
        break;
      }
      case 'split': {
        const argText = 'arg' in e.target ? strip(args[e.target.arg] ?? args[0]).text : '';
        const keepPage = e.keep === 'page' && 'arg' in e.target ? argVals[e.target.arg]?.v : undefined;
        const folio = e.keep === 'page' && keepPage !== undefined && !('via' in e.target && e.target.via === 'folio') ? folioOf(cx, s, keepPage, line) : obj;
        splitFolio(cx, s, folio, span, how, argText, keepPage);
        break;
      }
      case 'handoff':
        if (e.encoded) handOffEncodedRefs(cx, s, obj);
        else if (e.what === 'ref') handOffRef(cx, s, obj);
        else handOff(cx, s, obj);
        break;
      case 'handback':
        handBackRef(cx, s, obj, span, how);
        break;
    }
  }
  return true;
}

/** A constant the document does not define (a macro or enumerator of a header): its value
 *  is unknown here but the same everywhere. */
function isHeaderConstant(cx: SimContext, s: PathState, x: Sym): boolean {
  const info = cx.info(s.rep(x));
  return info.origin === 'global' && /^[A-Z][A-Z0-9_]*$/.test(info.label);
}

/** A predicate call in value context: fork on its truth and give 0/1. */
function predicateValue(cx: SimContext, s: PathState, c: Contract, argVals: Val[], line: number, args: SyntaxNode[], n: SyntaxNode): Val[] {
  return splitPredicate(cx, s, c, argVals, line, args, n).map((r) => ({ s: r.s, v: cx.constSym(r.s, r.truth ? 1 : 0) }));
}

export function splitPredicate(cx: SimContext, s: PathState, c: Contract, argVals: Val[], line: number, args: SyntaxNode[], n: SyntaxNode): { s: PathState; truth: boolean }[] {
  const p = c.predicate!;
  const obj = resolveTarget(cx, s, p.target, argVals, -1, line, args);
  if (obj === undefined) return [{ s, truth: true }, { s: s.clone(), truth: false }];
  const cond = shortText(n.text);
  if (p.flag === 'locked') {
    if (s.getHeld('folio_lock', obj)) return [{ s, truth: true }];
    // Not held by us: it may be locked by someone else. The idiom `if (folio_test_locked(f))
    // folio_unlock(f)` means the code knows it is the owner when it is locked. For an entry
    // object, that is an assumption about the caller, recorded for the summary.
    const st = s.clone();
    const o = s.rep(obj);
    const key = lockKey('folio_lock', o);
    const entryUnknown = cx.info(o).entryPath !== undefined && !s.touched.has(key);
    if (entryUnknown) {
      st.pre.set(key, { resource: 'folio_lock', obj: o, need: 'held', line, test: true });
      st.touched.add(key);
      s.pre.set(key, { resource: 'folio_lock', obj: o, need: 'free', line, test: true });
      s.touched.add(key);
    }
    st.setHeld({ resource: 'folio_lock', obj, count: 1, line, origin: entryUnknown ? 'caller' : 'test', how: `${c.name}()` });
    st.push(decisionStep(n, cond, true));
    s.push(decisionStep(n, cond, false));
    return [{ s: st, truth: true }, { s, truth: false }];
  }
  const known = s.flag(obj, p.flag);
  if (known !== undefined) return [{ s, truth: known }];
  const st = s.clone();
  setObjectFlag(cx, st, obj, p.flag, true);
  st.decisions++;
  st.push(decisionStep(n, cond, true));
  setObjectFlag(cx, s, obj, p.flag, false);
  s.decisions++;
  s.push(decisionStep(n, cond, false));
  return [{ s: st, truth: true }, { s, truth: false }];
}


/** A flag of a page is a flag of its folio and the other way round (device-private, zone
 *  device): set it on both when the other is known. */
function setObjectFlag(cx: SimContext, s: PathState, obj: Sym, flag: string, value: boolean): void {
  s.setFlag(obj, flag, value);
  const r = s.rep(obj);
  const folio = s.pageFolio.get(r);
  if (folio !== undefined) s.setFlag(folio, flag, value);
  const page = cx.info(r).folioOfPage;
  if (page !== undefined && flag !== 'large') s.setFlag(page, flag, value);
}

/** Macros that give the structure around a member pointer (include/linux/container_of.h,
 *  list.h): `(ptr, type, member)`. */
const CONTAINER_OF = new Set(['container_of', 'container_of_const', 'list_entry']);

/** sparse's lock-context markers (no code; see include/linux/compiler_types.h). */
const SPARSE_CONTEXT = new Set(['__acquire', '__release']);

/** Assertions that a lock is held: lockdep's, and the spinlock one. */
export const ASSERT_HELD = new Set(['lockdep_assert_held', 'lockdep_assert_held_write', 'lockdep_assert_held_read', 'lockdep_assert_held_once', 'assert_spin_locked', 'mmap_assert_locked', 'mmap_assert_write_locked']);

/** The lock an assertion names by itself (mmap_assert_locked(vma->vm_mm) is about the mmap
 *  lock whatever its argument is called); lockdep's take any lock, read from the argument. */
function assertedResource(name: string): Resource | undefined {
  if (name === 'mmap_assert_locked') return 'mmap_read';
  if (name === 'mmap_assert_write_locked') return 'mmap_write';
  return undefined;
}

function assumeCallerHolds(cx: SimContext, s: PathState, obj: Sym, text: string, span: Span, named?: Resource): void {
  const resource = named ?? annotatedResource(text, cx.lockKinds);
  const o = resource === 'rcu' ? GLOBAL_OBJ.rcu : s.rep(obj);
  const key = lockKey(resource, o);
  if (s.held.has(key) || s.touched.has(key)) return;
  s.touched.add(key);
  s.pre.set(key, { resource, obj: o, need: 'held', line: span.line });
  s.setHeld({ resource, obj: o, count: 1, line: -1, origin: 'caller', how: `asserted held (${text})` });
  cx.assumptions.add(`${text}: asserted held by the caller at line ${span.line + 1}`);
}

/** Declared types of the arguments that are plain variables of this function (undefined for
 *  any other expression): what picks between signatures of one API (Contract.signature). */
function declaredArgTypes(cx: SimContext, args: SyntaxNode[]): (string | undefined)[] {
  return args.map((a) => {
    const x = strip(a);
    return x.type === 'identifier' ? cx.varTypes.get(x.text) : undefined;
  });
}

/** A call through a variable of a function-pointer type the table knows (`writepage_t
 *  writepage` called as `(*writepage)(...)` or `writepage(...)`): that type's contract. */
function calledPointer(cx: SimContext, fnNode: SyntaxNode | null): { variable: string; contract: Contract } | undefined {
  let f = fnNode ? strip(fnNode) : undefined;
  if (f?.type === 'pointer_expression' && f.child(0)?.type === '*') f = f.childForFieldName('argument') ?? undefined;
  if (f?.type !== 'identifier') return undefined;
  const type = cx.varTypes.get(f.text);
  const c = type !== undefined ? cx.contract(type.trim()) : undefined;
  return c?.pointerType ? { variable: f.text, contract: c } : undefined;
}
