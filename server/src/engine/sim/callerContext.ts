// Entry contexts of static functions from their call sites (DESIGN.md, "Entry
// assumptions"): what a caller's path knows about the arguments of a call — the
// locks it holds on objects the callee can name from its parameters, and which
// arguments are the same object as something another argument reaches
// (`folio` is `page_folio(vmf->page)`). A fact holds on entry only if it holds
// on every path through every call site of the function.

import type { Resource } from '../model/types';
import { RESOURCE_NAMES, type SimContext } from './context';
import type { Val } from './eval';
import { refine, unify } from './facts';
import { keyedSymFor } from './calls';
import { PAGE_FOLIO } from './objects';
import { PathState, Sym, lockKey } from './state';
import { ObjPath, pathText, resolvePath } from './summary';

export type EntryFact =
  | { kind: 'held'; resource: Resource; obj: ObjPath }
  /** A lock that is a keyed object of objects the callee can name (`pmd_lockptr(mm, pmd)`). */
  | { kind: 'heldKeyed'; resource: Resource; key: string; args: ObjPath[] }
  | { kind: 'same'; a: ObjPath; b: ObjPath };

/** How far from an argument an object is still named (argument->field->field). */
const MAX_DEPTH = 3;

function pathKey(p: ObjPath): string {
  return `${p.root}:${p.path.join('.')}`;
}

export function factKey(f: EntryFact): string {
  if (f.kind === 'held') return `held:${f.resource}:${pathKey(f.obj)}`;
  if (f.kind === 'heldKeyed') return `held:${f.resource}:${f.key}(${f.args.map(pathKey).join(',')})`;
  return `same:${pathKey(f.a)}=${pathKey(f.b)}`;
}

/**
 * The names, relative to the call's arguments, of the objects the path can reach from them:
 * each argument, its fields (what the path read or stored there), the addresses of its
 * fields, and page_folio() of a page among those. Per object (representative), every name
 * found, shortest first.
 */
function namesFromArguments(cx: SimContext, s: PathState, argVals: Val[]): Map<Sym, ObjPath[]> {
  const names = new Map<Sym, ObjPath[]>();
  const add = (x: Sym, p: ObjPath): boolean => {
    const r = s.rep(x);
    const known = names.get(r);
    if (known) {
      if (known.length < 4) known.push(p);
      return false;
    }
    names.set(r, [p]);
    return true;
  };
  let frontier: Sym[] = [];
  argVals.forEach((a, i) => {
    if (add(a.v, { root: i, path: [] })) frontier.push(s.rep(a.v));
  });
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
    const at = new Set(frontier);
    const next: Sym[] = [];
    const extend = (base: Sym, el: string, x: Sym): void => {
      const from = names.get(base)![0];
      if (from.root === 'ret' || from.root === 'global') return;
      if (add(x, { root: from.root, path: [...from.path, el] })) next.push(s.rep(x));
    };
    for (const [key, v] of s.fields) {
      const dot = key.indexOf('.');
      const base = s.rep(Number(key.slice(0, dot)));
      if (at.has(base)) extend(base, key.slice(dot + 1), v);
    }
    for (const [page, folio] of s.pageFolio) {
      const base = s.rep(page);
      if (at.has(base)) extend(base, PAGE_FOLIO, folio);
    }
    for (const base of at) {
      for (const [field, addr] of cx.fieldAddrsOf(base) ?? []) extend(base, `&${field}`, addr);
    }
    frontier = next;
  }
  return names;
}

/** What this path knows, at a call with these arguments, that the callee could use on entry. */
export function callSiteFacts(cx: SimContext, s: PathState, argVals: Val[]): Map<string, EntryFact> {
  const out = new Map<string, EntryFact>();
  const names = namesFromArguments(cx, s, argVals);
  // An argument that is also reached from another argument: the two are one object.
  argVals.forEach((a, i) => {
    for (const p of names.get(s.rep(a.v)) ?? []) {
      if (p.root === i && !p.path.length) continue;
      const f: EntryFact = { kind: 'same', a: { root: i, path: [] }, b: p };
      out.set(factKey(f), f);
    }
  });
  for (const h of s.held.values()) {
    // A lock taken in a loop stands for every element visited, not one nameable object.
    if (h.obj < 0 || h.acrossRounds || h.count !== 1) continue;
    const p = names.get(s.rep(h.obj))?.[0];
    const keyed = cx.info(s.rep(h.obj)).keyedBy;
    const args = !p && keyed ? keyed.args.map((a) => (a !== undefined ? names.get(s.rep(a))?.[0] : undefined)) : [];
    const f: EntryFact | undefined = p
      ? { kind: 'held', resource: h.resource, obj: p }
      : keyed && args.length && args.every((a) => a !== undefined)
        ? { kind: 'heldKeyed', resource: h.resource, key: keyed.key, args: args as ObjPath[] }
        : undefined;
    if (f) out.set(factKey(f), f);
  }
  return out;
}

/** The facts of `b` that `a` has too (a fact holds on entry only where it holds everywhere). */
export function meet(a: Map<string, EntryFact>, b: Map<string, EntryFact>): Map<string, EntryFact> {
  const out = new Map<string, EntryFact>();
  for (const [k, f] of a) if (b.has(k)) out.set(k, f);
  return out;
}

/** Make the entry state say what every caller guarantees: equal objects first (so that a
 *  lock is put on the object its callers meant), then the locks they hold. */
export function applyEntryFacts(cx: SimContext, s: PathState, facts: EntryFact[], where: string): void {
  const params = cx.paramSyms.map((v) => ({ s, v }));
  const names = cx.fn.params.map((p) => p.name);
  const at = (p: ObjPath): Sym | undefined => resolvePath(cx, s, p, params, -1, -1);
  // The callee's own `pmd_lockptr(mm, pmd)` then names this same object.
  const keyedAt = (key: string, args: ObjPath[]): Sym | undefined => {
    const syms = args.map(at);
    if (syms.some((x) => x === undefined)) return undefined;
    const x = keyedSymFor(cx, s, key, syms, `${key}(${args.map((a) => pathText(a, names)).join(', ')})`, -1);
    refine(s, x, { nz: true, errptr: false });
    return x;
  };
  for (const f of facts) {
    if (f.kind !== 'same') continue;
    const a = at(f.a);
    const b = at(f.b);
    if (a === undefined || b === undefined || !unify(cx, s, a, b)) continue;
    cx.assumptions.add(`${pathText(f.a, names)} is ${pathText(f.b, names)} at every call site (${where})`);
  }
  for (const f of facts) {
    if (f.kind === 'same') continue;
    const obj = f.kind === 'held' ? at(f.obj) : keyedAt(f.key, f.args);
    if (obj === undefined || s.getHeld(f.resource, obj)) continue;
    const text = f.kind === 'held' ? pathText(f.obj, names) : `${f.key}(${f.args.map((a) => pathText(a, names)).join(', ')})`;
    s.setHeld({ resource: f.resource, obj, count: 1, line: -1, origin: 'caller', how: `held by every caller (${text})` });
    const key = lockKey(f.resource, s.rep(obj));
    s.touched.add(key);
    s.pre.set(key, { resource: f.resource, obj, need: 'held', line: -1 });
    cx.assumptions.add(`caller holds the ${RESOURCE_NAMES[f.resource]} on ${text} at every call site (${where})`);
  }
}
