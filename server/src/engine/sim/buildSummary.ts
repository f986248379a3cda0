// Turn a function's exit states into its summary: one case per distinct
// outcome, in terms the caller can name (parameters, their fields, page_folio()
// of them, the result).

import { entryStable } from './eval';
import { namedGlobalPath } from './globalNames';
import type { SimContext } from './context';
import type { ExitState } from './explore';
import { FunctionSummary, nameObject, ObjPath, pathText, SummaryCase } from './summary';
import { lockClass, PathState, Sym, ValueFacts } from './state';
import { PAGE_FOLIO } from './objects';

const MAX_CASES = 16;


export function buildSummary(cx: SimContext, name: string, exits: ExitState[], complete: boolean): FunctionSummary {
  const paramNames = cx.fn.params.map((p) => p.name);
  const byKey = new Map<string, SummaryCase>();
  for (const e of exits) {
    const s = e.s;
    const c: SummaryCase = { ret: null, rel: [], pre: [], acquired: [], released: [], refs: [], splits: [], handoffs: [], refHandoffs: [], retFields: [], assume: [], assumePure: [], writes: [], text: '' };
    // Assumptions about parameters, what hangs off them, and pure tests of them.
    for (const [x, f] of s.facts) {
      if (f.lo === -Infinity && f.hi === Infinity && !f.nz && f.errptr === undefined && !f.set && !f.clear) continue;
      const info = cx.info(x);
      const ep = info.entryPath;
      if (ep && !ep.path.includes(PAGE_FOLIO)) {
        c.assume.push({ obj: { root: ep.param, path: [...ep.path] }, facts: f });
        continue;
      }
      // A global read by name is the same value for the caller on this call chain (unless
      // the caller wrote it): a lock helper that tests `no_lock_mode` and the unlock helper
      // that tests it again agree in every caller.
      const g = globalName(cx, s, x);
      if (g) {
        c.assume.push({ obj: g, facts: f });
        continue;
      }
      // `x - 1` tested where x is a global counter (`if (--depth)`): an assumption about x.
      const base = info.offsetOf && globalName(cx, s, info.offsetOf.x);
      if (base) {
        c.assume.push({ obj: base, facts: shiftFacts(f, -info.offsetOf!.k) });
        continue;
      }
      if (info.pure) {
        const args = info.pure.args.map((a) => nameObject(cx, s, a, undefined) ?? globalName(cx, s, a) ?? globalAddress(cx, s, a));
        if (!args.every((a) => a !== undefined)) continue;
        const test = { name: info.pure.name, args: args as NonNullable<(typeof args)[number]>[], facts: f };
        if (info.pure.args.every((a) => entryStable(cx, s, a))) c.assumePure.push(test);
        else (c.afterPure ??= []).push(test);
      }
    }
    cx.paramSyms.forEach((p, i) => {
      if (p === undefined) return;
      const cur = s.fields.get(`${s.rep(p)}.*`);
      if (cur === undefined) return;
      const ep = cx.info(cur).entryPath;
      if (!ep || ep.param !== i || ep.path.length !== 1 || ep.path[0] !== '*') {
        const f = s.getFacts(cur);
        c.writes.push({ param: i, facts: { lo: f.lo, hi: f.hi, nz: f.nz, ...(f.errptr !== undefined ? { errptr: f.errptr } : {}) } });
      }
    });
    // Fields of parameters set to other objects the caller can name.
    cx.paramSyms.forEach((p, i) => {
      if (p === undefined) return;
      const prefix = `${s.rep(p)}.`;
      for (const [k, val] of s.fields) {
        if (!k.startsWith(prefix)) continue;
        const field = k.slice(prefix.length);
        if (!/^[A-Za-z_]\w*$/.test(field)) continue;
        const ep = cx.info(s.rep(val)).entryPath;
        if (ep && ep.param === i && ep.path.length === 1 && ep.path[0] === field) continue; // unchanged
        const f = s.getFacts(val);
        if (f.lo === f.hi && Number.isSafeInteger(f.lo)) {
          (c.stores ??= []).push({ param: i, field, constant: f.lo });
          continue;
        }
        const value = nameObject(cx, s, val, e.ret);
        if (value?.root === 'global') continue;
        const self = !value || (value.root === i && value.path.length === 1 && value.path[0] === field);
        (c.stores ??= []).push(self ? { param: i, field } : { param: i, field, value });
      }
    });
    // Globals read by name that this case wrote (`depth = 1` in a lock helper, `--depth` in
    // its unlock helper): the caller's value of the global afterwards, which decides what a
    // later helper assumed of it.
    for (const name of cx.writtenGlobals) {
      const v = s.env.get(name);
      if (v === undefined) continue;
      const store = globalStore(cx, s, name, v);
      if (store) (c.globalStores ??= []).push(store);
    }
    if (e.ret !== undefined) {
      const r = s.rep(e.ret);
      const pi = cx.paramSyms.findIndex((p) => p !== undefined && s.rep(p) === r);
      if (pi >= 0) c.retParam = pi;
      else {
        c.retFields = returnedFields(cx, s, r);
        const f = s.getFacts(r);
        // A constant (NULL, an error code) is a value, not the object a field holds.
        const via = f.lo === f.hi || f.errptr ? undefined : nameObject(cx, s, r, undefined);
        if (via && typeof via.root === 'number' && via.path.length > 0) c.retPath = via;
        c.ret = { lo: f.lo, hi: f.hi, nz: f.nz, ...(f.errptr !== undefined ? { errptr: f.errptr } : {}), ...(f.set ? { set: f.set } : {}), ...(f.clear ? { clear: f.clear } : {}) };
        const masks = returnedMasks(cx, s, r);
        if (masks.length) c.retMasks = masks;
      }
    }
    // Relations among parameters assumed on this path.
    for (let i = 0; i < cx.paramSyms.length; i++) {
      for (let j = i + 1; j < cx.paramSyms.length; j++) {
        const a = cx.paramSyms[i];
        const b = cx.paramSyms[j];
        if (a === undefined || b === undefined) continue;
        if (s.rep(a) === s.rep(b)) c.rel.push({ a: i, b: j, eq: true });
        else if (s.isNeq(a, b)) c.rel.push({ a: i, b: j, eq: false });
      }
    }
    for (const p of s.pre.values()) {
      const obj = nameObject(cx, s, p.obj, e.ret);
      if (obj) c.pre.push({ obj, resource: p.resource, need: p.need, ...(p.test ? { test: true } : {}) });
    }
    const order: NonNullable<SummaryCase['order']> = { acquired: [], released: [] };
    for (const h of s.held.values()) {
      if (h.origin !== 'here') continue;
      // Dropped and taken again inside: no net change for the caller.
      const p = s.pre.get(`${lockClass(h.resource)}:${s.rep(h.obj)}`);
      if (p && p.need === 'held') continue;
      const obj = nameObject(cx, s, h.obj, e.ret);
      if (obj) {
        c.acquired.push({ obj, resource: h.resource });
        order.acquired.push(h.line);
      }
    }
    for (const p of s.pre.values()) {
      if (p.need !== 'held') continue;
      if (s.held.has(`${lockClass(p.resource)}:${s.rep(p.obj)}`)) continue;
      const obj = nameObject(cx, s, p.obj, e.ret);
      // Two names of one lock (ptl1 == ptl2 on this path) are one lock released.
      const same = (r: SummaryCase['released'][number]): boolean => !!obj && lockClass(r.resource) === lockClass(p.resource) && pathText(r.obj, paramNames) === pathText(obj, paramNames);
      if (obj && !c.released.some(same)) {
        c.released.push({ obj, resource: p.resource });
        order.released.push(p.line);
      }
    }
    // References a removed mapping gave back and this path left (to a TLB batch) are not the
    // caller's: only the deltas go into the summary.
    for (const [o, r] of s.refs) {
      if (r.delta === 0 || s.escaped.has(o) || s.refHanded.has(o)) continue;
      const obj = nameObject(cx, s, o, e.ret);
      if (obj) c.refs.push({ obj, delta: r.delta });
    }
    for (const f of s.splitLog) {
      const obj = nameObject(cx, s, f, e.ret);
      if (obj && !c.splits.some((x) => pathText(x, paramNames) === pathText(obj, paramNames))) c.splits.push(obj);
    }
    for (const x of s.escaped) {
      const info = cx.info(x);
      if (info.entryPath) c.handoffs.push({ root: info.entryPath.param, path: [...info.entryPath.path] });
    }
    // A caller's object whose references went to a new owner here: when this path took none
    // of its own on it, the one it handed on was the caller's.
    for (const x of s.refHanded) {
      if (s.escaped.has(x) || s.refOf(x).delta > 0) continue;
      const obj = nameObject(cx, s, x, e.ret);
      if (obj && obj.root !== 'global') c.refHandoffs.push(obj);
    }
    if (s.slept) c.sleeps = s.slept;
    const key = JSON.stringify(c);
    if (byKey.has(key)) continue;
    if (c.acquired.length && c.released.length) c.order = order;
    c.text = describeCase(c, paramNames);
    byKey.set(key, c);
  }
  let cases = [...byKey.values()];
  if (cases.length > MAX_CASES) {
    // Too many outcomes: merge those with the same effects, keeping what all of them say
    // about the result (every one that takes the lock returns 0: so does the merged case).
    const coarse = new Map<string, SummaryCase>();
    for (const c of cases) {
      const k = JSON.stringify({ ...c, ret: null, retParam: undefined, retPath: undefined, rel: [], assume: [], assumePure: [], text: '' });
      const prev = coarse.get(k);
      if (!prev) {
        coarse.set(k, { ...c });
        continue;
      }
      prev.ret = hull(prev.ret, c.ret);
      if (prev.retParam !== c.retParam) prev.retParam = undefined;
      if (prev.retPath && (!c.retPath || pathText(prev.retPath, paramNames) !== pathText(c.retPath, paramNames))) prev.retPath = undefined;
      keepCommonAssumptions(prev, c);
    }
    cases = [...coarse.values()].slice(0, MAX_CASES * 2);
  }
  return { name, cases, mayBlock: cx.mayBlock, complete };
}

/** Tests of several bits of the returned value at once (`ret & (A | B)`) this path decided:
 *  what a single bit test learns is in the value's own set/clear bits already. */
function returnedMasks(cx: SimContext, s: ExitState['s'], ret: number): NonNullable<SummaryCase['retMasks']> {
  const out: NonNullable<SummaryCase['retMasks']> = [];
  const prefix = `mask:${ret}&`;
  for (const [k, x] of cx.keyed) {
    if (!k.startsWith(prefix)) continue;
    const mask = Number(k.slice(prefix.length));
    if ((mask & (mask - 1)) === 0) continue;
    const f = s.facts.get(s.rep(x));
    if (f?.nz) out.push({ mask, facts: { lo: -Infinity, hi: Infinity, nz: true } });
  }
  return out.sort((a, b) => a.mask - b.mask);
}

/** Fields of the returned object that hold something the caller can name (a parameter or
 *  what hangs off one): `vma->vm_mm` of a VMA looked up in the `mm` parameter. */
function returnedFields(cx: SimContext, s: ExitState['s'], ret: number): SummaryCase['retFields'] {
  const out: SummaryCase['retFields'] = [];
  // A constant (NULL, an error code) is no object: it has no fields to speak of.
  const f = s.getFacts(ret);
  if (f.lo === f.hi || f.errptr) return out;
  const prefix = `${ret}.`;
  for (const [k, v] of s.fields) {
    if (!k.startsWith(prefix)) continue;
    const field = k.slice(prefix.length);
    if (!/^[A-Za-z_]\w*$/.test(field)) continue;
    const obj = nameObject(cx, s, v, undefined);
    if (obj && obj.root !== 'global' && obj.root !== 'ret') out.push({ field, obj });
  }
  return out.sort((a, b) => a.field.localeCompare(b.field));
}

/** A merged case assumes only what every case merged into it assumed (each no-effect case
 *  found the vma lock-less: so does their union), with the facts of either. */
function keepCommonAssumptions(into: SummaryCase, c: SummaryCase): void {
  const objKey = (o: ObjPath): string => `${String(o.root)}|${o.path.join('.')}|${o.global ?? ''}|${o.name ?? ''}`;
  const pureKey = (p: SummaryCase['assumePure'][number]): string => `${p.name}(${p.args.map(objKey).join(',')})`;
  into.rel = into.rel.filter((r) => c.rel.some((x) => x.a === r.a && x.b === r.b && x.eq === r.eq));
  if (into.assume.length) {
    const others = new Map(c.assume.map((x) => [objKey(x.obj), x]));
    into.assume = into.assume.flatMap((a) => {
      const other = others.get(objKey(a.obj));
      const facts = other ? hull(a.facts, other.facts) : null;
      return facts && !unconstrained(facts) ? [{ obj: a.obj, facts }] : [];
    });
  }
  if (into.assumePure.length) {
    const others = new Map(c.assumePure.map((x) => [pureKey(x), x]));
    into.assumePure = into.assumePure.flatMap((a) => {
      const other = others.get(pureKey(a));
      const facts = other ? hull(a.facts, other.facts) : null;
      return facts && !unconstrained(facts) ? [{ ...a, facts }] : [];
    });
  }
}

function unconstrained(f: ValueFacts): boolean {
  return f.lo === -Infinity && f.hi === Infinity && !f.nz && f.errptr === undefined && !f.set && !f.clear;
}

function describeCase(c: SummaryCase, params: string[]): string {
  const parts: string[] = [];
  if (c.retParam !== undefined) parts.push(`returns ${params[c.retParam]}`);
  else if (c.retPath) parts.push(`returns ${pathText(c.retPath, params)}`);
  else if (c.ret) {
    const f = c.ret;
    if (f.errptr) parts.push('returns an error pointer');
    else if (f.lo === 0 && f.hi === 0) parts.push('returns 0/NULL');
    else if (f.lo === f.hi && Number.isFinite(f.lo)) parts.push(`returns ${f.lo}`);
    else if (f.hi < 0) parts.push('returns a negative value');
    else if (f.nz) parts.push('returns non-zero');
  }
  for (const a of c.acquired) parts.push(`takes ${a.resource.replace('_', ' ')} on ${pathText(a.obj, params)}`);
  for (const r of c.released) parts.push(`releases ${r.resource.replace('_', ' ')} on ${pathText(r.obj, params)}`);
  for (const r of c.refs) parts.push(`reference ${r.delta > 0 ? '+' : ''}${r.delta} on ${pathText(r.obj, params)}`);
  for (const sp of c.splits) parts.push(`splits ${pathText(sp, params)}`);
  return parts.join(', ') || 'no lock or reference effect';
}

/** The facts that hold for either of two results. */
function hull(a: ValueFacts | null, b: ValueFacts | null): ValueFacts | null {
  if (!a || !b) return null;
  const out: ValueFacts = { lo: Math.min(a.lo ?? -Infinity, b.lo ?? -Infinity), hi: Math.max(a.hi ?? Infinity, b.hi ?? Infinity), nz: a.nz && b.nz };
  if (a.errptr !== undefined && a.errptr === b.errptr) out.errptr = a.errptr;
  const set = (a.set ?? 0) & (b.set ?? 0);
  const clear = (a.clear ?? 0) & (b.clear ?? 0);
  if (set) out.set = set;
  if (clear) out.clear = clear;
  return out;
}

/** A global read by name (`XFLAG_MMAP` from a header) names the same value in every caller. */
function globalName(cx: SimContext, s: PathState, x: Sym): ObjPath | undefined {
  const g = namedGlobalPath(cx, s, x, 0);
  return g && !g.name.startsWith('&') ? { root: 'global', path: [], name: g.name } : undefined;
}

/** What the case left in global `name`: a constant, the entry value moved by a constant, or
 *  a value the caller cannot name; nothing when it is still the entry value. */
function globalStore(cx: SimContext, s: PathState, name: string, v: Sym): NonNullable<SummaryCase['globalStores']>[number] | undefined {
  const info = cx.info(s.rep(v));
  if (info.origin === 'global') return undefined;
  const f = s.getFacts(v);
  if (f.lo === f.hi && Number.isSafeInteger(f.lo)) return { name, constant: f.lo };
  const base = info.offsetOf && globalName(cx, s, info.offsetOf.x);
  if (base?.name === name) return { name, offset: info.offsetOf!.k };
  return { name };
}

/** Facts about `x + k` as facts about x (bit facts do not survive the shift). */
function shiftFacts(f: ValueFacts, by: number): ValueFacts {
  const ne = [...(f.nz ? [0] : []), ...(f.ne ?? [])].map((v) => v + by);
  return { lo: f.lo + by, hi: f.hi + by, nz: ne.includes(0) || f.lo + by > 0 || f.hi + by < 0, ...(ne.some((v) => v !== 0) ? { ne: [...new Set(ne.filter((v) => v !== 0))].sort((a, b) => a - b) } : {}) };
}

/** The address of a global given to a pure test (`static_branch_unlikely(&no_sleep_enabled)`):
 *  the caller's same test of the same global has the same answer on this call chain. */
function globalAddress(cx: SimContext, s: PathState, x: Sym): ObjPath | undefined {
  const g = namedGlobalPath(cx, s, x, 0);
  return g?.name.startsWith('&') ? { root: 'global', path: [], name: g.name } : undefined;
}
