// The state on function entry: parameters as symbolic values, and what the
// caller guarantees (entry contracts from the table, kernel lock annotations).

import type { SyntaxNode } from '../parse/syntax';
import type { Resource } from '../model/types';
import type { FunctionDef, LockAnnotation } from '../parse/types';
import { SimContext } from './context';
import { fieldOf } from './objects';
import { GLOBAL_OBJ, PathState, Sym, lockKey } from './state';
import { addrOfVar, fieldAddr, readVar } from './eval';
import { applyHeldOnCreate } from './objects';
import { lockKindOf, type LockKinds } from './lockKinds';
import { applyEntryFacts, type EntryFact } from './callerContext';

export function collectVarTypes(cx: SimContext, fn: FunctionDef): void {
  for (const p of fn.params) cx.varTypes.set(p.name, p.type);
  for (const d of fn.body.descendantsOfType('declaration')) {
    if (!d) continue;
    const type = d.childForFieldName('type')?.text ?? '';
    for (const decl of d.childrenForFieldName('declarator')) {
      if (!decl) continue;
      const name = declName(decl);
      if (name) cx.varTypes.set(name, type + (decl.text.includes('*') ? ' *' : ''));
    }
  }
  for (const a of fn.body.descendantsOfType(['assignment_expression', 'update_expression'])) {
    const target = a?.childForFieldName(a.type === 'assignment_expression' ? 'left' : 'argument');
    if (target?.type === 'identifier' && !cx.varTypes.has(target.text)) cx.writtenGlobals.add(target.text);
  }
}

function declName(n: SyntaxNode): string | undefined {
  if (n.type === 'identifier') return n.text;
  const inner = n.childForFieldName('declarator');
  if (inner) return declName(inner);
  const id = n.descendantsOfType('identifier')[0];
  return id?.text;
}

function typeMatches(want: string | undefined, have: string): boolean {
  if (!want) return true;
  const norm = (t: string): string => t.replace(/\b(const|volatile)\b/g, '').replace(/\s+/g, '');
  return norm(have) === norm(want);
}

/** `callers`: what every call site of a static function guarantees (./callerContext.ts). */
export function entryState(cx: SimContext, fn: FunctionDef, callers?: { facts: EntryFact[]; where: string }): PathState {
  const s = new PathState();
  s.constFacts = cx.constFacts;
  collectVarTypes(cx, fn);
  fn.params.forEach((p, i) => {
    const x = cx.newSym({ label: p.name, line: -1, origin: 'param', entryPath: { param: i, path: [] }, ref: 'caller' });
    cx.paramSyms[i] = x;
    s.env.set(p.name, x);
    for (const e of cx.contracts.entries) {
      if (!('param' in e.match) || e.match.param !== p.name || !typeMatches(e.match.type, p.type)) continue;
      if (e.files && !e.files.some((f) => cx.filePath.includes(f))) continue;
      cx.assumptions.add(`${p.name}: ${e.note ?? e.id} (caller holds ${e.holds.join(', ')})`);
      if (e.folioOfPage) cx.symInfo[x].holdsOnFolio = e.holds;
      else applyHeldOnCreate(cx, s, x, e.holds);
    }
  });
  fn.annotations.forEach((a, i) => {
    // `__acquires(x) __releases(x)` in that order: the function takes x and drops it again,
    // so the caller does not hold it (the other order is a caller's lock dropped and retaken).
    if (a.kind === 'releases' && takenFirst(fn.annotations, i)) return;
    applyAnnotation(cx, s, a);
  });
  if (callers) applyEntryFacts(cx, s, callers.facts, callers.where);
  return s;
}

/** Is the lock the annotation at `i` releases named by an `__acquires` written before it? */
export function takenFirst(annotations: LockAnnotation[], i: number): boolean {
  const name = (x: string | undefined): string => (x ?? '').replace(/\s+/g, '').replace(/^&/, '');
  return annotations.slice(0, i).some((b) => b.kind === 'acquires' && name(b.args[0]) === name(annotations[i].args[0]));
}

/** The resource an annotation's lock expression names: the kind the document's own lock
 *  calls give that lock name, else a guess from the name. */
export function annotatedResource(text: string, kinds?: LockKinds): Resource {
  if (/srcu/.test(text)) return 'srcu';
  if (/\brcu\b|RCU/.test(text)) return 'rcu';
  const learnt = lockKindOf(kinds, text);
  if (learnt) return learnt;
  if (/mmap_lock|mmap_sem|\bmm\b|->mm$/.test(text)) return 'mmap_read';
  if (/mutex/.test(text)) return 'mutex';
  // struct rw_semaphore fields: i_mmap_rwsem, mmap_sem, hugetlb_vma_lock / resv_map rw_sema.
  if (/rwsem|_sema?\b|semaphore|invalidate_lock/.test(text)) return 'rwsem_read';
  if (/ptl|pte|pmd/.test(text)) return 'ptl';
  return 'spinlock';
}

/**
 * The C expression of the lock an annotation names. Sparse reads an annotation's argument
 * as a name, never as C, so kernel code writes the same lock both ways: `__releases(r->lock)`
 * over a body that unlocks `&r->lock`, `__acquires(table_lock)` for a global taken as
 * `&table_lock`. When the body takes the address of the named expression, or the name is a
 * bare global (not a parameter or local), the lock is the object at that address. An
 * annotation whose base names nothing this function can see (`__releases(hwep->lock)` in a
 * function without `hwep`) resolves to nothing.
 */
export function annotationLockExpr(cx: SimContext, text: string): string | undefined {
  const expr = text.replace(/\s+/g, '');
  const base = /^[&*]?\(?([A-Za-z_]\w*)/.exec(expr)?.[1];
  if (!base) return undefined;
  const body = cx.fn.body.text.replace(/\s+/g, '');
  const declared = cx.varTypes.has(base);
  if (!declared && !new RegExp(`(^|[^\\w.>])${base}\\b`).test(body)) return undefined;
  if (expr.startsWith('&') || expr.startsWith('*')) return expr;
  const escaped = expr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`&\\(?${escaped}(?!\\w)`).test(body)) return `&${expr}`;
  // A member whose address the body takes through another pointer to the same structure
  // (`__releases(iclog->ic_log->l_icloglock)` over `log = iclog->ic_log; spin_unlock(&log->l_icloglock)`)
  // is a lock embedded in that structure, not a pointer to one.
  const member = /(?:->|\.)(\w+)$/.exec(expr)?.[1];
  if (member && new RegExp(`&\\(?[\\w>().-]*(?:->|\\.)${member}(?!\\w)`).test(body)) return `&${expr}`;
  // A bare global is the lock itself (`__acquires(table_lock)` over `spin_lock(&table_lock)`),
  // unless the body passes the name itself to calls: then it is a pointer to the lock
  // (`__releases(srcu_ctlp)` over `srcu_read_unlock(srcu_ctlp, idx)`).
  if (expr === base && !declared) return new RegExp(`[(,]${base}[,)]`).test(body) ? expr : `&${expr}`;
  return expr;
}

function applyAnnotation(cx: SimContext, s: PathState, a: LockAnnotation): void {
  const expr = a.kind === 'cond_acquires' ? a.args[a.args.length - 1] : a.args[0];
  if (!expr) return;
  if (a.kind !== 'must_hold' && a.kind !== 'releases') return;
  const resource = annotatedResource(expr, cx.lockKinds);
  const obj = annotatedObject(cx, s, expr);
  if (obj === undefined) return;
  cx.assumptions.add(`__${a.kind}(${expr}): the caller holds it on entry`);
  s.setHeld({ resource, obj, count: 1, line: -1, origin: 'caller', how: `__${a.kind}(${expr})` });
  const key = lockKey(resource, obj < 0 ? obj : s.rep(obj));
  s.touched.add(key);
  // A requirement on callers, and (for __releases) what the summary says is released.
  s.pre.set(key, { resource, obj, need: 'held', line: -1 });
}

/** Resolve a simple lock expression from an annotation: `ptl`, `&mm->page_table_lock`, `vmf->ptl`, `*ptlp`. */
export function resolveLockExpr(cx: SimContext, s: PathState, text: string, asWritten = false): Sym | undefined {
  let t = text.trim();
  let addr = false;
  let deref = false;
  if (t.startsWith('&')) {
    addr = true;
    t = t.slice(1).trim();
  } else if (t.startsWith('*')) {
    deref = true;
    t = t.slice(1).trim();
  }
  const parts = t.split(/(->|\.)/).map((x) => x.trim()).filter((x) => x.length);
  if (!parts.length || !/^[A-Za-z_]\w*$/.test(parts[0])) return undefined;
  if (parts.length === 1) {
    // A lock variable of file scope (`__releases(nommu_region_sem)`) is the lock itself; the
    // code takes it as `&name`. A parameter or local names a pointer to it.
    // `asWritten`: the caller already decided between the name and its address.
    if (addr || (!deref && !asWritten && !cx.varTypes.has(parts[0]))) return addrOfVar(cx, s, parts[0]);
    const v = readVar(cx, s, parts[0], -1);
    return deref ? fieldOf(cx, s, v, '*', -1) : v;
  }
  // Evaluated the way the code's own `&a->b.c.lock` is: a member of `x.m` is reached through
  // the address of x (evalAddress), a member of `x->m` through the value of x, so the lock an
  // annotation names is the object the body's lock calls name, nested members included.
  let value = (): Sym => readVar(cx, s, parts[0], -1);
  let address = (): Sym => addrOfVar(cx, s, parts[0]);
  let prefix = parts[0];
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const op = parts[i];
    const name = parts[i + 1];
    const base = op === '->' ? value() : address();
    const memberText = `${prefix}${op}${name}`;
    prefix = memberText;
    value = () => fieldOf(cx, s, base, name, -1);
    address = () => fieldAddr(cx, s, base, name, memberText);
  }
  if (addr) return address();
  return deref ? fieldOf(cx, s, value(), '*', -1) : value();
}

/** The lock object an annotation names, in a given state (undefined: it names nothing here). */
export function annotatedObject(cx: SimContext, s: PathState, expr: string): Sym | undefined {
  if (annotatedResource(expr) === 'rcu') return GLOBAL_OBJ.rcu;
  const c = annotationLockExpr(cx, expr);
  return c === undefined ? undefined : resolveLockExpr(cx, s, c, true);
}
