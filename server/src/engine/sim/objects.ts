// Object identity: page_folio(), fields of structures, pointers into a PTE
// table, and hand-off of objects stored where someone else owns them.

import type { Resource } from '../model/types';
import type { SimContext } from './context';
import { PathState, Sym, SymInfo, lockKey } from './state';

/** The path element for page_folio() in an entry path or a summary's object path. Not a C
 *  identifier, so a structure field called `folio` (`target->folio`, `fw->folio`) is never
 *  taken for it. */
export const PAGE_FOLIO = '#folio';

/** The path element prefix for container_of(): `<field` is the structure whose `field` the
 *  path so far points to (the inverse of `&field`). Not a C identifier either. */
export const CONTAINER = '<';

/** container_of(p, T, field): the structure whose member `field` p points to. Of `&x->field`
 *  it is x itself; otherwise one object per pointer and field, whose `&->field` is p again,
 *  named from p's entry path when p has one. So a callback handed `&obj->refcount` that finds
 *  its object with container_of() acts on obj, and its summary says so. */
export function containerOf(cx: SimContext, s: PathState, p: Sym, field: string, label: string): Sym {
  const rp = s.rep(p);
  const pinfo = cx.info(rp);
  if (pinfo.addrField === field && pinfo.from?.length) return s.rep(pinfo.from[0]);
  const info: SymInfo = { label, line: -1, origin: 'derived', from: [rp], stable: pinfo.stable || pinfo.entryPath !== undefined };
  if (pinfo.entryPath) {
    info.entryPath = { param: pinfo.entryPath.param, path: [...pinfo.entryPath.path, `${CONTAINER}${field}`] };
    info.ref = 'caller';
  }
  const c = cx.keyedSym(`container:${rp}.${field}`, info);
  cx.bindFieldAddr(c, field, rp);
  // A structure around a valid pointer is valid.
  if (s.getFacts(rp).nz) s.setFacts(c, { lo: -Infinity, hi: Infinity, nz: true, errptr: false });
  return c;
}

/** page_folio(page): the same folio object for the same page until a split changes it. */
export function folioOf(cx: SimContext, s: PathState, page: Sym, line: number): Sym {
  const rp = s.rep(page);
  const known = s.pageFolio.get(rp);
  if (known !== undefined) return known;
  const pinfo = cx.info(rp);
  // &folio->page is the folio's head page: its folio is that folio.
  if (pinfo.addrField === 'page' && pinfo.from?.length) {
    const base = s.rep(pinfo.from[0]);
    s.pageFolio.set(rp, base);
    return base;
  }
  const info: SymInfo = {
    label: `page_folio(${pinfo.label})`,
    line,
    origin: 'derived',
    folioOfPage: rp,
    ref: pinfo.ref,
    fresh: pinfo.fresh,
    stable: pinfo.stable || pinfo.entryPath !== undefined,
  };
  if (pinfo.entryPath) info.entryPath = { param: pinfo.entryPath.param, path: [...pinfo.entryPath.path, PAGE_FOLIO] };
  const f = cx.newSym(info);
  s.pageFolio.set(rp, f);
  // A page's references are its folio's (get_page() and put_page() count on page_folio()):
  // what this path counted on the page itself (an allocation that returned the page) is on
  // the folio from now on.
  const pageRefs = s.refs.get(rp);
  if (pageRefs) {
    s.refs.set(f, pageRefs);
    s.refs.delete(rp);
  }
  // A folio of a NULL page does not exist; of a valid page it is valid.
  const pf = s.getFacts(rp);
  if (pf.nz) s.setFacts(f, { lo: -Infinity, hi: Infinity, nz: true, errptr: false });
  // Flags of the page (device-private, zone-device) belong to its folio too.
  const flags = s.flags.get(rp);
  if (flags) s.flags.set(f, { ...flags });
  // The caller's hold is on the folio the page was in on entry, not on one a split made.
  const contractKey = `contract:${rp}`;
  if (pinfo.holdsOnFolio && !s.touched.has(contractKey)) {
    s.touched.add(contractKey);
    applyHeldOnCreate(cx, s, f, pinfo.holdsOnFolio);
  }
  return f;
}

/** Longest field chain from a parameter that is still named as an entry value. */
const MAX_ENTRY_PATH = 4;

/** Whether `base.name` is still an entry value (the same object on every path, named by its
 *  chain from a parameter). A walk up a linked structure (`p = p->d_parent`, `node =
 *  node->next`) would otherwise name a new entry object each round and never converge;
 *  a repeated link or a long chain is an ordinary object instead. */
function entryPathContinues(path: readonly string[], name: string): boolean {
  return path.length < MAX_ENTRY_PATH && path[path.length - 1] !== name;
}

/** Read field `name` of the object `base` points to (a fresh entry value the first time). */
export function fieldOf(cx: SimContext, s: PathState, base: Sym, name: string, line: number, baseType?: string): Sym {
  const rb = s.rep(base);
  const binfo = cx.info(rb);
  if (name === '*' && binfo.addrOf) {
    // *&var is the variable's value.
    const v = s.env.get(binfo.addrOf);
    if (v !== undefined) return v;
  }
  const key = `${rb}.${name}`;
  const known = s.fields.get(key);
  if (known !== undefined) return known;
  const info: SymInfo = { label: fieldLabel(binfo.label, name), line, origin: 'field', from: [rb] };
  if (binfo.entryPath && entryPathContinues(binfo.entryPath.path, name)) info.entryPath = { param: binfo.entryPath.param, path: [...binfo.entryPath.path, name] };
  if (binfo.ref === 'caller' || binfo.entryPath) info.ref = 'caller';
  // Field entry contracts: `migrate->fault_page` and the like.
  for (const e of cx.contracts.entries) {
    if (!('field' in e.match) || e.match.field !== name) continue;
    if (e.match.baseType && !(baseType ?? '').includes(e.match.baseType.replace(/\s*\*$/, ''))) continue;
    if (e.files && !e.files.some((f) => cx.filePath.includes(f))) continue;
    cx.assumptions.add(`${info.label}: ${e.note ?? e.id} (${e.holds.join(', ')})`);
    if (e.folioOfPage) info.holdsOnFolio = e.holds;
  }
  const x = cx.newSym(info);
  s.fields.set(key, x);
  return x;
}

function fieldLabel(base: string, name: string): string {
  if (name === '*') return `*${base}`;
  if (base.startsWith('&')) return `${base.slice(1)}.${name}`;
  return `${base}->${name}`;
}

/** Mark an object as held by the caller (entry contracts) when it comes into existence. */
export function applyHeldOnCreate(cx: SimContext, s: PathState, obj: Sym, holds: (Resource | 'ref')[]): void {
  for (const h of holds) {
    if (h === 'ref') continue; // entry objects carry the caller's reference by default
    s.setHeld({ resource: h, obj, count: 1, line: -1, origin: 'caller', how: 'held by the caller' });
    const key = lockKey(h, s.rep(obj));
    s.touched.add(key);
    s.pre.set(key, { resource: h, obj: s.rep(obj), need: 'held', line: -1 });
  }
}

/** The table a PTE pointer points into: follows pointer arithmetic back to the mapping. */
export function tableOf(cx: SimContext, s: PathState, p: Sym): Sym {
  let cur = s.rep(p);
  for (let i = 0; i < 16; i++) {
    const info = cx.info(cur);
    if (info.pteTable || info.origin !== 'derived' || !info.arith || !info.from?.length) return cur;
    cur = s.rep(info.from[0]);
  }
  return cur;
}

/** Hand an object (and what it was derived from) to an owner outside this function. */
/**
 * `&var` passed to code we cannot see, where var is a container of this function's that may
 * hold or encode objects (`&fbatch`, `&src_pfn`): what goes with it is handed off. Not the
 * address of a scalar parameter (`&end` of `unsigned long end`): that is a value the callee
 * adjusts for the caller (madvise's range end), holding no object of this path.
 */
export function isLocalContainer(cx: SimContext, s: PathState, x: Sym): boolean {
  const info = cx.info(s.rep(x));
  if (info.addrOf === undefined || info.origin !== 'local') return false;
  const param = cx.fn.params.find((p) => p.name === info.addrOf);
  return !param || /[*[]|\b(struct|union)\b/.test(param.type);
}

export function handOff(cx: SimContext, s: PathState, x: Sym, depth = 0): void {
  if (depth > 8) return;
  const r = s.rep(x);
  if (s.escaped.has(r)) return;
  const f = s.getFacts(r);
  if (f.lo === f.hi && Number.isFinite(f.lo)) return; // constants own nothing
  s.escaped.add(r);
  const info = cx.info(r);
  if (info.addrOf) {
    // &var handed on: what var holds goes with it.
    const v = s.env.get(info.addrOf);
    if (v !== undefined) handOff(cx, s, v, depth + 1);
  }
  for (const src of info.from ?? []) handOff(cx, s, src, depth + 1);
  const folio = s.pageFolio.get(r);
  if (folio !== undefined) handOff(cx, s, folio, depth + 1);
  if (info.folioOfPage !== undefined) handOff(cx, s, info.folioOfPage, depth + 1);
  if (depth === 0) handOffEncoded(cx, s, r);
}

/** Hand only the references on an object (a page's folio goes with its page) to an owner
 *  outside this function: a page table that now maps the folio. Locks stay where they are. */
export function handOffRef(cx: SimContext, s: PathState, x: Sym): void {
  const r = s.rep(x);
  s.refHanded.add(r);
  const folio = s.pageFolio.get(r) ?? cx.info(r).folioOfPage;
  if (folio !== undefined) s.refHanded.add(s.rep(folio));
}

/**
 * A value that encodes objects is stored where someone else owns them (a page-table entry
 * made from a page, set into a table): the references this path took on the objects it was
 * computed from go with it. Only references taken so far on this path and objects the value
 * was computed from count, not everything that shares a root with it (the vma whose
 * protection bits went into the entry owns nothing of this path's).
 */
export function handOffEncodedRefs(cx: SimContext, s: PathState, stored: Sym): void {
  const sources = new Set<Sym>();
  const collect = (x: Sym, depth: number): void => {
    const r = s.rep(x);
    if (depth > 8 || sources.has(r)) return;
    sources.add(r);
    const info = cx.info(r);
    for (const f of info.from ?? []) collect(f, depth + 1);
  };
  collect(stored, 0);
  for (const [o, r] of s.refs) {
    if (r.delta <= 0 || s.escaped.has(o)) continue;
    const page = cx.info(o).folioOfPage;
    if (sources.has(s.rep(o)) || (page !== undefined && sources.has(s.rep(page)))) handOffRef(cx, s, o);
  }
}

/**
 * A value stored where someone else owns it may encode an object rather than point to it:
 * `src[i] = migrate_pfn(pfn) | flags` hands over the folio that was looked up from the same
 * pfn. Objects this path holds something on that were derived from the same local values
 * as the stored one go with it.
 */
function handOffEncoded(cx: SimContext, s: PathState, stored: Sym): void {
  const sources = new Set<Sym>();
  const collect = (x: Sym, depth: number): void => {
    const r = s.rep(x);
    const info = cx.info(r);
    // Shared roots (pointers passed in, globals, constants) say nothing about which object
    // was encoded; a scalar parameter such as a pfn does.
    const scalarParam = info.entryPath && info.entryPath.path.length === 0 && !(cx.fn.params[info.entryPath.param]?.type ?? '*').includes('*');
    if (depth > 6 || sources.has(r) || (info.entryPath && !scalarParam) || info.origin === 'global' || info.origin === 'const') return;
    if (info.addrOf) {
      // &var: what var holds is what was handed over, not the structure's own fields.
      const v = s.env.get(info.addrOf);
      if (v !== undefined) collect(v, depth + 1);
      return;
    }
    sources.add(r);
    for (const f of info.from ?? []) collect(f, depth + 1);
    if (info.folioOfPage !== undefined) collect(info.folioOfPage, depth + 1);
  };
  collect(stored, 0);
  if (sources.size === 0) return;
  const holders = new Set<Sym>();
  for (const h of s.held.values()) if (h.obj >= 0) holders.add(s.rep(h.obj));
  for (const [o, r] of s.refs) if (r.delta !== 0) holders.add(s.rep(o));
  for (const o of holders) {
    if (s.escaped.has(o)) continue;
    if (derivedFromAny(cx, s, o, sources, 0)) handOff(cx, s, o, 1);
  }
}

function derivedFromAny(cx: SimContext, s: PathState, x: Sym, sources: Set<Sym>, depth: number): boolean {
  const r = s.rep(x);
  if (sources.has(r)) return true;
  if (depth > 6) return false;
  const info = cx.info(r);
  if (info.folioOfPage !== undefined && derivedFromAny(cx, s, info.folioOfPage, sources, depth + 1)) return true;
  return (info.from ?? []).some((f) => derivedFromAny(cx, s, f, sources, depth + 1));
}
