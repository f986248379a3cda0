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

export function entryState(cx: SimContext, fn: FunctionDef): PathState {
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
  for (const a of fn.annotations) applyAnnotation(cx, s, a);
  return s;
}

/** Definitions of file-scope locks: the macro or type says which kind of lock a name is. */
const LOCK_DEFINITIONS: [RegExp, Resource][] = [
  [/\bDEFINE_MUTEX\s*\(\s*(\w+)\s*\)/g, 'mutex'],
  [/\bDEFINE_(?:RAW_)?SPINLOCK\s*\(\s*(\w+)\s*\)/g, 'spinlock'],
  [/\bDEFINE_RWLOCK\s*\(\s*(\w+)\s*\)/g, 'spinlock'],
  [/\bDECLARE_RWSEM\s*\(\s*(\w+)\s*\)/g, 'rwsem_read'],
  [/^(?:static\s+)?struct\s+mutex\s+(\w+)\s*;/gm, 'mutex'],
  [/^(?:static\s+)?struct\s+rw_semaphore\s+(\w+)\s*;/gm, 'rwsem_read'],
  [/^(?:static\s+)?(?:raw_)?spinlock_t\s+(\w+)\s*;/gm, 'spinlock'],
];

export function fileScopeLocks(text: string): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const [re, resource] of LOCK_DEFINITIONS) for (const m of text.matchAll(re)) out.set(m[1], resource);
  return out;
}

/** The resource an annotation's (or assertion's) lock expression names: a lock defined at file
 *  scope is of the kind its definition says; otherwise the name tells. */
export function annotatedResource(text: string, kinds?: Map<string, Resource>): Resource {
  const bare = /^&?\s*(\w+)$/.exec(text.trim());
  const defined = bare ? kinds?.get(bare[1]) : undefined;
  if (defined) return defined;
  if (/\brcu\b|RCU/.test(text)) return 'rcu';
  if (/mmap_lock|mmap_sem|\bmm\b|->mm$/.test(text)) return 'mmap_read';
  if (/mutex/.test(text)) return 'mutex';
  // struct rw_semaphore fields: i_mmap_rwsem, mmap_sem, hugetlb_vma_lock / resv_map rw_sema.
  if (/rwsem|_sema?\b|semaphore|invalidate_lock/.test(text)) return 'rwsem_read';
  if (/ptl|pte|pmd/.test(text)) return 'ptl';
  return 'spinlock';
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
export function resolveLockExpr(cx: SimContext, s: PathState, text: string): Sym | undefined {
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
    if (addr || (!deref && !cx.varTypes.has(parts[0]))) return addrOfVar(cx, s, parts[0]);
    const v = readVar(cx, s, parts[0], -1);
    return deref ? fieldOf(cx, s, v, '*', -1) : v;
  }
  let cur = readVar(cx, s, parts[0], -1);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const op = parts[i];
    const name = parts[i + 1];
    const last = i + 2 >= parts.length;
    if (last && addr) return fieldAddr(cx, s, cur, name, t);
    void op;
    cur = fieldOf(cx, s, cur, name, -1);
  }
  return deref ? fieldOf(cx, s, cur, '*', -1) : cur;
}

/** The lock object an annotation names, in a given state. */
export function annotatedObject(cx: SimContext, s: PathState, expr: string): Sym | undefined {
  return annotatedResource(expr, cx.lockKinds) === 'rcu' ? GLOBAL_OBJ.rcu : resolveLockExpr(cx, s, expr);
}
