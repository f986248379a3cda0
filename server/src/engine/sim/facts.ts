// Reasoning over symbolic values on one path: constants, ranges, NULL and
// error pointers, equalities (union-find) and disequalities between values.
// Every query that cannot be decided splits the state into the consistent
// cases, each refined with what it assumed, so the same question later on the
// same path is decided the same way (correlated branches).

import { PathState, Sym, ValueFacts, lockKey } from './state';
import type { SimContext } from './context';

export function isConst(f: ValueFacts): boolean {
  return f.lo === f.hi && Number.isFinite(f.lo);
}

function excludes(f: ValueFacts, c: number): boolean {
  if (c < f.lo || c > f.hi) return true;
  if (c === 0 && f.nz) return true;
  if (f.ne?.includes(c)) return true;
  if (c === 0 && f.errptr === true) return true;
  return false;
}

export function intersect(a: ValueFacts, b: ValueFacts): ValueFacts | undefined {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  if (lo > hi) return undefined;
  const nz = a.nz || b.nz;
  if (nz && lo === 0 && hi === 0) return undefined;
  let errptr = a.errptr;
  if (b.errptr !== undefined) {
    if (errptr !== undefined && errptr !== b.errptr) return undefined;
    errptr = b.errptr;
  }
  const set = (a.set ?? 0) | (b.set ?? 0);
  const clear = (a.clear ?? 0) | (b.clear ?? 0);
  if (set & clear) return undefined;
  if (lo === hi && Number.isFinite(lo) && ((lo & clear) !== 0 || (lo & set) !== set)) return undefined;
  const ne = [...new Set([...(a.ne ?? []), ...(b.ne ?? [])])];
  if (lo === hi && ne.includes(lo)) return undefined;
  if (errptr === true && lo === 0 && hi === 0) return undefined;
  const out: ValueFacts = { lo, hi, nz: nz || (errptr === true) };
  if (ne.length) out.ne = ne;
  if (errptr !== undefined) out.errptr = errptr;
  if (set) {
    out.set = set;
    out.nz = true;
  }
  if (clear) out.clear = clear;
  return out;
}

/** Refine a value's facts; false when that makes the path infeasible. */
export function refine(s: PathState, x: Sym, extra: Partial<ValueFacts>): boolean {
  const cur = s.getFacts(x);
  const add: ValueFacts = {
    lo: extra.lo ?? -Infinity,
    hi: extra.hi ?? Infinity,
    nz: extra.nz ?? false,
    ne: extra.ne,
    errptr: extra.errptr,
    set: extra.set,
    clear: extra.clear,
  };
  const next = intersect(cur, add);
  if (!next) return false;
  // Most refinements repeat what is known (a pointer tested again, a field address known
  // valid): writing those would copy the path's fact map for nothing.
  if (!sameFacts(cur, next)) s.setFacts(x, next);
  return true;
}

/** Refine which bits of a value are set or clear, and through `x | M` the same bits of x
 *  outside M: `flags |= FAULT_FLAG_TRIED` keeps the caller's other flag bits, so what a path
 *  learns of them is an assumption about the parameter the caller passed. */
export function refineBits(cx: SimContext, s: PathState, x: Sym, bits: { set?: number; clear?: number }): boolean {
  for (let v: Sym | undefined = x, set = bits.set ?? 0, clear = bits.clear ?? 0; v !== undefined && (set || clear); ) {
    if (!refine(s, v, { ...(set ? { set } : {}), ...(clear ? { clear } : {}) })) return false;
    const or: { x: Sym; mask: number } | undefined = cx.info(v).orOf;
    if (!or) break;
    v = or.x;
    set &= ~or.mask;
    clear &= ~or.mask;
  }
  return true;
}

function sameFacts(a: ValueFacts, b: ValueFacts): boolean {
  return (
    a.lo === b.lo && a.hi === b.hi && a.nz === b.nz && a.errptr === b.errptr && a.set === b.set && a.clear === b.clear &&
    (a.ne ?? []).length === (b.ne ?? []).length && (a.ne ?? []).every((v, i) => b.ne?.[i] === v)
  );
}

export type Truth = 'true' | 'false' | 'unknown';

export function truthOf(s: PathState, x: Sym): Truth {
  const f = s.getFacts(x);
  if (f.nz || f.errptr === true || f.lo > 0 || f.hi < 0) return 'true';
  if (f.lo === 0 && f.hi === 0) return 'false';
  return 'unknown';
}

/** Split on the truth of a value. Returns the feasible (state, truth) pairs. */
export function splitTruth(s: PathState, x: Sym): { s: PathState; truth: boolean; split: boolean }[] {
  const t = truthOf(s, x);
  if (t === 'true') return [{ s, truth: true, split: false }];
  if (t === 'false') return [{ s, truth: false, split: false }];
  const out: { s: PathState; truth: boolean; split: boolean }[] = [];
  const st = s.clone();
  if (refine(st, x, { nz: true })) out.push({ s: st, truth: true, split: true });
  const sf = s;
  if (refine(sf, x, { lo: 0, hi: 0 })) out.push({ s: sf, truth: false, split: true });
  return out;
}

/** Is `x` an error pointer? Splits when unknown. */
export function splitErrPtr(s: PathState, x: Sym, orNull: boolean): { s: PathState; truth: boolean; split: boolean }[] {
  const f = s.getFacts(x);
  const isNull = f.lo === 0 && f.hi === 0;
  if (f.errptr === true || (orNull && isNull)) return [{ s, truth: true, split: false }];
  if (f.errptr === false && (!orNull || f.nz)) return [{ s, truth: false, split: false }];
  if (!orNull && isNull) return [{ s, truth: false, split: false }];
  const out: { s: PathState; truth: boolean; split: boolean }[] = [];
  const st = s.clone();
  if (refine(st, x, { errptr: true, nz: true })) out.push({ s: st, truth: true, split: true });
  if (orNull && !f.nz) {
    const sn = s.clone();
    if (refine(sn, x, { lo: 0, hi: 0, errptr: false })) out.push({ s: sn, truth: true, split: true });
  }
  const sf = s;
  if (refine(sf, x, orNull ? { errptr: false, nz: true } : { errptr: false })) out.push({ s: sf, truth: false, split: true });
  return out;
}

/**
 * Make a and b the same value. Merges their facts, flags, locks, references and
 * fields; false when that is contradictory (the path is infeasible).
 */
export function unify(cx: SimContext, s: PathState, a: Sym, b: Sym): boolean {
  const ra = s.rep(a);
  const rb = s.rep(b);
  if (ra === rb) return true;
  if (s.isNeq(ra, rb)) return false;
  // Prefer a value that exists on entry as the representative: entry contracts and
  // summaries speak of entry values.
  const aEntry = cx.info(ra).entryPath !== undefined;
  const bEntry = cx.info(rb).entryPath !== undefined;
  const [win, lose] = aEntry && !bEntry ? [ra, rb] : bEntry && !aEntry ? [rb, ra] : ra < rb ? [ra, rb] : [rb, ra];
  const merged = intersect(s.getFacts(win), s.getFacts(lose));
  if (!merged) return false;
  const fw = s.flags.get(win) ?? {};
  const fl = s.flags.get(lose) ?? {};
  for (const k of Object.keys(fl)) if (k in fw && fw[k] !== fl[k]) return false;
  s.parent.set(lose, win);
  s.facts.set(win, merged);
  s.facts.delete(lose);
  if (Object.keys(fl).length) s.flags.set(win, { ...fw, ...fl });
  // Re-key disequalities.
  for (const [key, [x, y]] of [...s.neq]) {
    if (x === lose || y === lose) {
      s.neq.delete(key);
      s.addNeq(x === lose ? win : x, y === lose ? win : y);
    }
  }
  // Locks: the same object cannot be held twice by this context.
  for (const [key, h] of [...s.held]) {
    if (h.obj !== lose) continue;
    s.held.delete(key);
    const wkey = lockKey(h.resource, win);
    if (s.held.has(wkey)) return false;
    s.held.set(wkey, { ...h, obj: win });
  }
  // What the caller was assumed to hold (or not) on entry follows the lock to its new key.
  for (const [key, p] of [...s.pre]) {
    if (!key.endsWith(`:${lose}`)) continue;
    s.pre.delete(key);
    const wkey = key.slice(0, key.length - String(lose).length) + String(win);
    if (!s.pre.has(wkey)) s.pre.set(wkey, { ...p, obj: win });
  }
  for (const key of [...s.touched]) {
    if (key.endsWith(`:${lose}`)) {
      s.touched.delete(key);
      s.touched.add(key.slice(0, key.length - String(lose).length) + String(win));
    }
  }
  const rl = s.refs.get(lose);
  if (rl) {
    const rw = s.refs.get(win);
    const spare = (rw?.spare ?? 0) + (rl.spare ?? 0);
    s.refs.set(win, { delta: (rw?.delta ?? 0) + rl.delta, line: Math.max(rw?.line ?? -1, rl.line), dropped: rw?.dropped ?? rl.dropped, ...(spare ? { spare } : {}) });
    s.refs.delete(lose);
  }
  if (s.escaped.has(lose)) s.escaped.add(win);
  if (s.refHanded.has(lose)) s.refHanded.add(win);
  const um = s.unmapped.get(lose);
  if (um && !s.unmapped.has(win)) s.unmapped.set(win, um);
  const pf = s.pageFolio.get(lose);
  const pw = s.pageFolio.get(win);
  if (pf !== undefined && pw === undefined) s.pageFolio.set(win, pf);
  // One page is in one folio: the folios computed for the two names are the same object.
  if (pf !== undefined && pw !== undefined && s.rep(pf) !== s.rep(pw) && !unify(cx, s, pw, pf)) return false;
  // Congruence: once p == q, p->f and q->f are one value and &p->f and &q->f one address
  // (a lock taken as &parent->d_lock is released as &p->d_lock after `p == parent`).
  const prefix = `${lose}.`;
  const sameValues: [Sym, Sym][] = [];
  for (const [k, v] of [...s.fields]) {
    if (k.startsWith(prefix)) {
      const wk = `${win}.${k.slice(prefix.length)}`;
      const wv = s.fields.get(wk);
      if (wv === undefined) s.fields.set(wk, v);
      else sameValues.push([wv, v]);
    }
  }
  for (const [field, loseAddr] of cx.fieldAddrsOf(lose) ?? []) {
    const winAddr = cx.fieldAddrSym(win, field, cx.info(loseAddr).label);
    if (!refine(s, winAddr, { nz: true, errptr: false })) return false;
    sameValues.push([winAddr, loseAddr]);
  }
  for (const [x, y] of sameValues) if (!unify(cx, s, x, y)) return false;
  return true;
}

/** Split on a == b. Returns states with eq decided. */
export function splitEq(cx: SimContext, s: PathState, a: Sym, b: Sym): { s: PathState; eq: boolean; split: boolean }[] {
  const ra = s.rep(a);
  const rb = s.rep(b);
  if (ra === rb) return [{ s, eq: true, split: false }];
  if (s.isNeq(ra, rb)) return [{ s, eq: false, split: false }];
  const fa = s.getFacts(ra);
  const fb = s.getFacts(rb);
  if (isConst(fa) && isConst(fb)) return [{ s, eq: fa.lo === fb.lo, split: false }];
  if (isConst(fa) && excludes(fb, fa.lo)) return [{ s, eq: false, split: false }];
  if (isConst(fb) && excludes(fa, fb.lo)) return [{ s, eq: false, split: false }];
  if (!intersect(fa, fb)) return [{ s, eq: false, split: false }];
  const out: { s: PathState; eq: boolean; split: boolean }[] = [];
  const se = s.clone();
  if (unify(cx, se, ra, rb)) out.push({ s: se, eq: true, split: true });
  const sn = s;
  let ok = true;
  if (isConst(fa)) ok = addExclusion(sn, rb, fa.lo);
  else if (isConst(fb)) ok = addExclusion(sn, ra, fb.lo);
  if (ok) {
    sn.addNeq(ra, rb);
    out.push({ s: sn, eq: false, split: true });
  }
  return out;
}

function addExclusion(s: PathState, x: Sym, c: number): boolean {
  const f = s.getFacts(x);
  if (c === 0) return refine(s, x, { nz: true });
  if (c === f.lo) return refine(s, x, { lo: c + 1 });
  if (c === f.hi) return refine(s, x, { hi: c - 1 });
  return refine(s, x, { ne: [c] });
}

export type RelOp = '<' | '<=' | '>' | '>=';

/** Split on an ordering comparison. Uses ranges when one side is a constant, else a
 *  recorded relation so that the same comparison is decided the same way later. */
export function splitOrder(s: PathState, a: Sym, op: RelOp, b: Sym): { s: PathState; truth: boolean; split: boolean }[] {
  const fa = s.getFacts(a);
  const fb = s.getFacts(b);
  const holds = (x: number, y: number): boolean =>
    op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
  if (isConst(fa) && isConst(fb)) return [{ s, truth: holds(fa.lo, fb.lo), split: false }];
  // Always true / always false from ranges.
  const minA = fa.lo, maxA = fa.hi, minB = fb.lo, maxB = fb.hi;
  if (op === '<') {
    if (maxA < minB) return [{ s, truth: true, split: false }];
    if (minA >= maxB) return [{ s, truth: false, split: false }];
  } else if (op === '<=') {
    if (maxA <= minB) return [{ s, truth: true, split: false }];
    if (minA > maxB) return [{ s, truth: false, split: false }];
  } else if (op === '>') {
    if (minA > maxB) return [{ s, truth: true, split: false }];
    if (maxA <= minB) return [{ s, truth: false, split: false }];
  } else {
    if (minA >= maxB) return [{ s, truth: true, split: false }];
    if (maxA < minB) return [{ s, truth: false, split: false }];
  }
  const out: { s: PathState; truth: boolean; split: boolean }[] = [];
  if (isConst(fb) || isConst(fa)) {
    // Refine the non-constant side's range.
    const c = isConst(fb) ? fb.lo : fa.lo;
    const x = isConst(fb) ? a : b;
    // Normalise to "x OP c".
    const o: RelOp = isConst(fb) ? op : op === '<' ? '>' : op === '<=' ? '>=' : op === '>' ? '<' : '<=';
    const tRange = o === '<' ? { hi: c - 1 } : o === '<=' ? { hi: c } : o === '>' ? { lo: c + 1 } : { lo: c };
    const fRange = o === '<' ? { lo: c } : o === '<=' ? { lo: c + 1 } : o === '>' ? { hi: c } : { hi: c - 1 };
    const st = s.clone();
    if (refine(st, x, tRange)) out.push({ s: st, truth: true, split: true });
    if (refine(s, x, fRange)) out.push({ s, truth: false, split: true });
    return out;
  }
  const ra = s.rep(a);
  const rb = s.rep(b);
  const key = `${op}|${ra}|${rb}`;
  const known = s.decided.get(key)?.truth;
  if (known !== undefined) return [{ s, truth: known, split: false }];
  // The converse relation, if recorded, decides this one.
  const flip: Record<RelOp, RelOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  const conv = s.decided.get(`${flip[op]}|${rb}|${ra}`)?.truth;
  if (conv !== undefined) return [{ s, truth: conv, split: false }];
  const neg: Record<RelOp, RelOp> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
  const negKnown = s.decided.get(`${neg[op]}|${ra}|${rb}`)?.truth;
  if (negKnown !== undefined) return [{ s, truth: !negKnown, split: false }];
  const st = s.clone();
  st.decided.set(key, { op, a: ra, b: rb, truth: true });
  out.push({ s: st, truth: true, split: true });
  s.decided.set(key, { op, a: ra, b: rb, truth: false });
  out.push({ s, truth: false, split: true });
  return out;
}
