// Rules decided at the returns of a function: lock-leak and ref-leak.
//
// A lock (or mapped table, lazy-MMU section, RCU section, reference) taken on
// this path and still held at a return is a leak when
//  - nothing outside the function can name the object (a local folio, a lock
//    pointer that is not returned or stored): nobody can ever release it; or
//  - another return does not hold it and the return values do not tell the
//    caller which happened: the two returns are indistinguishable, or the one
//    that holds it is a failure return while the one that does not is a success.
// A helper whose every return holds the lock is a lock-returning helper, not a bug.

import type { FunctionDef } from '../parse/types';
import { PAGE_FOLIO, tableOf } from '../sim/objects';
import type { SimContext } from '../sim/context';
import { RESOURCE_NAMES } from '../sim/context';
import { heldName } from '../sim/effects';
import type { ExitState } from '../sim/explore';
import { nameObject, pathText, type ObjPath } from '../sim/summary';
import { HeldLock, lockClass, PathState, Sym, ValueFacts } from '../sim/state';
import type { WitnessStep } from '../types';
import { intersect } from '../sim/facts';
import { namedGlobalPath } from '../sim/globalNames';
import { annotatedObject, takenFirst } from '../sim/entry';

/** What a return value may be: zero/NULL, negative, positive/valid pointer, error pointer, void. */
type Atom = 'Z' | 'N' | 'P' | 'E' | 'V';

function atomsOf(s: PathState, ret: Sym | undefined): Set<Atom> {
  if (ret === undefined) return new Set(['V']);
  const f: ValueFacts = s.getFacts(ret);
  if (f.errptr === true) return new Set(['E']);
  if (f.lo === 0 && f.hi === 0) return new Set(['Z']);
  const out = new Set<Atom>();
  if (f.lo <= 0 && f.hi >= 0 && !f.nz) out.add('Z');
  if (f.lo < 0) out.add('N');
  if (f.hi > 0) out.add('P');
  if (f.errptr !== false && f.lo < 0) out.add('E');
  return out;
}

type ReturnKind = 'void' | 'pointer' | 'bool' | 'int';

function returnKind(fn: FunctionDef): ReturnKind {
  const t = fn.returnType.replace(/\b(static|inline|extern|const|__always_inline)\b/g, '').trim();
  if (t === 'void') return 'void';
  if (t.includes('*')) return 'pointer';
  if (t === 'bool') return 'bool';
  return 'int';
}

function isFailure(kind: ReturnKind, atoms: Set<Atom>): boolean {
  // An int known only to be non-zero (`if (ret) return ret;`) is the kernel's error return.
  if (kind === 'int' && !atoms.has('Z') && atoms.has('N')) return true;
  const fail: Atom[] = kind === 'int' ? ['N', 'E'] : kind === 'pointer' ? ['Z', 'E'] : kind === 'bool' ? ['Z'] : [];
  return atoms.size > 0 && [...atoms].every((a) => fail.includes(a));
}

function isSuccess(kind: ReturnKind, atoms: Set<Atom>): boolean {
  const ok: Atom[] = kind === 'int' ? ['Z', 'P'] : kind === 'pointer' ? ['P', 'N'] : kind === 'bool' ? ['P', 'N'] : ['V'];
  return atoms.size > 0 && [...atoms].every((a) => ok.includes(a));
}

function overlap(a: Set<Atom>, b: Set<Atom>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/** Values whose state the caller decides by what it passes: the parameters themselves
 *  (NULL or not, equal to each other or not). What hangs off them is not, in practice,
 *  something callers check before deciding whether to unlock. */
function visibleToCaller(cx: SimContext, s: PathState, x: Sym): boolean {
  const info = cx.info(x);
  if (info.entryPath !== undefined && info.entryPath.path.length === 0) return true;
  // A field of a parameter by which a callee picked its case (a lock helper choosing a
  // mutex or a spinlock by `substream->pcm->nonatomic`): the unlock helper asks the same.
  if (info.entryPath !== undefined && info.picksCalleeCase && !info.entryPath.path.includes(PAGE_FOLIO)) return true;
  // A global read by name: the caller reads the same value (the unlock helper tests it too),
  // unless this path overwrote it: the value the path chose by is then gone.
  const global = namedGlobalPath(cx, s, x, 0)?.name;
  if (global !== undefined && !global.startsWith('&')) return stillHolds(s, global, x);
  // A pure test of the parameters (`__vma_shareable_lock(vma)`) or of a global's address
  // (`static_branch_unlikely(&key)`): the caller, or the matching unlock helper, makes the
  // same test.
  return !!info.pure && info.pure.args.length > 0 && info.pure.args.every((a) => {
    const ai = cx.info(a);
    return (ai.entryPath !== undefined && ai.entryPath.path.length === 0) || !!namedGlobalPath(cx, s, a, 0)?.name.startsWith('&');
  });
}

/** Global `name` still holds its entry value `x` at the end of this path. */
function stillHolds(s: PathState, name: string, x: Sym): boolean {
  const v = s.env.get(name);
  return v === undefined || s.rep(v) === s.rep(x);
}

function assumptions(cx: SimContext, s: PathState): Pick<ExitFacts, 'assumed' | 'eqs' | 'neqs' | 'decided'> {
  const assumed = new Map<Sym | string, ValueFacts>();
  for (const [x, f] of s.facts) if (visibleToCaller(cx, s, x)) assumed.set(assumedKey(cx, x), f);
  const eqs = new Set<string>();
  for (const [a, b] of s.parent) {
    const ra = s.rep(a);
    if (a !== ra && visibleToCaller(cx, s, a) && visibleToCaller(cx, s, ra)) eqs.add(a < ra ? `${a}|${ra}` : `${ra}|${a}`);
    void b;
  }
  const neqs = new Set<string>();
  for (const [k, [a, b]] of s.neq) {
    if (visibleToCaller(cx, s, a) && visibleToCaller(cx, s, b)) neqs.add(k);
  }
  const decided = new Map<string, boolean>();
  for (const [k, d] of s.decided) {
    if (visibleToCaller(cx, s, d.a) && visibleToCaller(cx, s, d.b)) decided.set(k, d.truth);
  }
  return { assumed, eqs, neqs, decided };
}

/** A value the caller can see, compared across returns: a field of a parameter by its path
 *  (each path that read `c->atomic_only` first after a fork has its own symbol for it). */
function assumedKey(cx: SimContext, x: Sym): Sym | string {
  const ep = cx.info(x).entryPath;
  return ep && ep.path.length > 0 ? `${ep.param}:${ep.path.join('.')}` : x;
}

/** Could one call have taken both paths' assumptions? If not, the caller tells them apart. */
function compatible(a: ExitFacts, b: ExitFacts): boolean {
  for (const [x, f] of a.assumed) {
    const g = b.assumed.get(x);
    if (g && !intersect(f, g)) return false;
  }
  for (const k of a.eqs) if (b.neqs.has(k)) return false;
  for (const k of b.eqs) if (a.neqs.has(k)) return false;
  for (const [k, v] of a.decided) {
    const w = b.decided.get(k);
    if (w !== undefined && w !== v) return false;
  }
  return true;
}

/** Different non-negative constant results tell the caller which return it got (0 vs
 *  VM_FAULT_RETRY, VM_FAULT_LOCKED vs VM_FAULT_NOPAGE); two error codes do not. */
function distinctConstants(a: ExitState, b: ExitState): boolean {
  if (a.ret === undefined || b.ret === undefined) return false;
  const fa = a.s.getFacts(a.ret);
  const fb = b.s.getFacts(b.ret);
  // Flag bits the caller tests (VM_FAULT_LOCKED set on one, clear on the other).
  if (((fa.set ?? 0) & (fb.clear ?? 0)) || ((fa.clear ?? 0) & (fb.set ?? 0))) return true;
  if (fa.lo === fa.hi && Number.isFinite(fa.lo) && (((fa.lo & (fb.clear ?? 0)) !== 0) || ((fb.set ?? 0) & ~fa.lo) !== 0)) return true;
  if (fb.lo === fb.hi && Number.isFinite(fb.lo) && (((fb.lo & (fa.clear ?? 0)) !== 0) || ((fa.set ?? 0) & ~fb.lo) !== 0)) return true;
  return fa.lo === fa.hi && fb.lo === fb.hi && Number.isFinite(fa.lo) && fa.lo !== fb.lo && fa.lo >= 0 && fb.lo >= 0;
}

/** Two returns the caller cannot tell apart, or a failure return holding what a success does not. */
function unexplained(kind: ReturnKind, holding: ExitFacts, other: ExitFacts): boolean {
  if (!compatible(holding, other) || distinctConstants(holding.exit, other.exit)) return false;
  if (isFailure(kind, holding.atoms) && isSuccess(kind, other.atoms)) return true;
  // Returns of the same kind: the same constant, or a function that returns nothing. Two
  // returns of an unknown value may well differ in a way the caller tests (a status it got
  // from a callee), so they are not reported.
  if (kind === 'void') return true;
  return sameConstant(holding.exit, other.exit) && overlap(holding.atoms, other.atoms);
}

/** A helper that hands back one lock or another (`ci` with its cluster lock, or NULL with the
 *  device lock): a NULL or error return holding lock A and a valid return holding lock B
 *  taken here tell the caller which one it holds. */
function switchesLock(kind: ReturnKind, holding: ExitFacts, other: ExitFacts, key: string): boolean {
  if (!isFailure(kind, holding.atoms) || !isSuccess(kind, other.atoms) || overlap(holding.atoms, other.atoms)) return false;
  for (const [k, h] of other.held) if (k !== key && h.origin === 'here' && !holding.held.has(k)) return true;
  return false;
}

function sameConstant(a: ExitState, b: ExitState): boolean {
  if (a.ret === undefined || b.ret === undefined) return false;
  const fa = a.s.getFacts(a.ret);
  const fb = b.s.getFacts(b.ret);
  return fa.lo === fa.hi && fb.lo === fb.hi && Number.isFinite(fa.lo) && fa.lo === fb.lo;
}

interface ExitFacts {
  exit: ExitState;
  /** What the path assumed about values the caller can see (parameters, what hangs off
   *  them, globals, pure tests of them): returns with incompatible assumptions are told
   *  apart by the caller, whatever they return. */
  assumed: Map<Sym | string, ValueFacts>;
  eqs: Set<string>;
  neqs: Set<string>;
  decided: Map<string, boolean>;
  /** Branch decisions on conditions that read only parameters and globals (line:text -> truth). */
  callerDecisions: Map<string, boolean>;
  /** Lock keys (as compared across returns) this path took or released at some point. */
  touchedKeys: Set<string>;
  /** Lock keys this path found held by the caller (it released them first). */
  callerHeldKeys: Set<string>;
  atoms: Set<Atom>;
  /** key -> how it is held at this return. */
  held: Map<string, { origin: string; line: number; what: string; acrossRounds?: boolean; named?: string }>;
  /** Locks held at this return that are not compared as its own because they were handed off
   *  into a structure (`pvmw->ptl = pmd_lock(...)`, a folio put on a list): it still holds
   *  them, so it is no return "that does not hold" such a lock. */
  heldAnyhow: Set<string>;
  /** Names the caller knows values by (`pvmw->pte`) that are NULL at this return; made when
   *  first asked. */
  nullNames?: Set<string>;
  refs: Map<string, { delta: number; line: number; what: string }>;
  /** Reference keys of objects this path knows are the shared zero page or folio. */
  zeroKeys: Set<string>;
}

export function checkExits(cx: SimContext, fn: FunctionDef, exits: ExitState[]): void {
  // One finding per leaked lock or reference (the same object taken at the same line), at
  // its first return: several returns missing the same unlock are one defect.
  const pending = new Map<string, Parameters<SimContext['report']>>();
  const report = (group: string, ...args: Parameters<SimContext['report']>): void => {
    const cur = pending.get(group);
    if (!cur || args[1].line < cur[1].line) pending.set(group, args);
  };
  const kind = returnKind(fn);
  const acquiresAnnotated = fn.annotations.filter((a) => a.kind === 'acquires' || a.kind === 'cond_acquires').map((a) => a.args[a.args.length - 1]?.replace(/\s+/g, ''));
  const paramNames = fn.params.map((p) => p.name);
  const facts: ExitFacts[] = [];
  for (const e of exits) {
    const s = e.s;
    const ef: ExitFacts = { exit: e, atoms: atomsOf(s, e.ret), held: new Map(), refs: new Map(), ...assumptions(cx, s), callerDecisions: callerDecisions(cx, fn, s), touchedKeys: new Set(), callerHeldKeys: new Set(), heldAnyhow: new Set(), zeroKeys: new Set() };
    for (const k of s.touched) {
      const colon = k.lastIndexOf(':');
      const cls = k.slice(0, colon);
      const obj = Number(k.slice(colon + 1));
      if (!Number.isFinite(obj)) continue;
      const name = nameObject(cx, s, obj, e.ret);
      const keyText = name ? `${cls}@${pathText(name, paramNames)}` : obj >= 0 ? `${cls}@${cx.info(s.rep(obj)).stable ? `#${s.rep(obj)}` : cx.describe(obj)}` : `${cls}@global`;
      ef.touchedKeys.add(keyText);
      if (s.pre.get(k)?.need === 'held') ef.callerHeldKeys.add(keyText);
    }
    for (const h of s.held.values()) {
      const obj = h.obj;
      const escaped = obj >= 0 && s.escaped.has(s.rep(obj));
      const name = nameHeld(cx, s, h, e.ret);
      // Objects the caller cannot name but can reach (current->mm, a global) are compared
      // across returns by their identity when every path has the same one, else by text.
      const anon = !name && obj >= 0 && callerCanReach(cx, s, obj, e.ret) ? (cx.info(s.rep(obj)).stable ? `#${s.rep(obj)}` : cx.describe(obj)) : undefined;
      const key = name ? `${lockClass(h.resource)}@${pathText(name, paramNames)}` : anon !== undefined ? `${lockClass(h.resource)}@${anon}` : obj < 0 ? `${lockClass(h.resource)}@global` : undefined;
      if (key && escaped) ef.heldAnyhow.add(key);
      // A lock the function says it returns holding (__acquires(x)) is not a leak.
      const shown = (name ? pathText(name, paramNames) : cx.describe(obj)).replace(/\s+/g, '');
      if (key && acquiresAnnotated.some((a) => a && shown.includes(a.replace(/^&/, '')))) continue;
      if (h.origin === 'here' && !name && !escaped && !callerCanReach(cx, s, obj, e.ret)) {
        report(`lock:${heldName(cx, h)}:${h.line}`, 'lock-leak', e, `returns with the ${heldName(cx, h)} held (taken at line ${h.line + 1}); nothing outside this function can release it`, s, { line: e.line, character: e.character, kind: 'event', text: `returns holding the ${RESOURCE_NAMES[h.resource]}` });
        continue;
      }
      if (key && !escaped) ef.held.set(key, { origin: h.origin, line: h.line, what: heldName(cx, h), acrossRounds: h.acrossRounds, named: name && pathText(name, paramNames) });
    }
    for (const [obj, r] of s.refs) {
      if (r.delta === 0 || s.escaped.has(obj) || s.refHanded.has(obj)) continue;
      if (nullish(s, obj)) continue;
      const key = refKey(cx, s, obj, e.ret, paramNames);
      if (key === undefined) {
        if (r.delta > 0) report(`ref:${cx.describe(obj)}:${r.line}`, 'ref-leak', e, `returns without dropping the reference on ${cx.describe(obj)} taken at line ${r.line + 1}; nothing outside this function can drop it`, s, { line: e.line, character: e.character, kind: 'event', text: `returns holding ${r.delta} reference(s) on ${cx.describe(obj)}` });
        continue;
      }
      ef.refs.set(key, { delta: r.delta, line: r.line, what: cx.describe(obj) });
    }
    for (const [obj, flags] of s.flags) {
      if (flags.zero_page !== true) continue;
      const key = refKey(cx, s, obj, e.ret, paramNames);
      if (key !== undefined) ef.zeroKeys.add(key);
    }
    facts.push(ef);
  }
  // Inconsistent returns.
  for (const h of facts) {
    for (const [key, held] of h.held) {
      if (held.origin !== 'here') continue;
      // A return that never took the lock, on a path the caller chose by its arguments
      // (`if (__vma_shareable_lock(vma)) down_read(...)`): a conditional-locking helper.
      const chosenByCaller = (n: ExitFacts): boolean => !n.touchedKeys.has(key) && disagree(h.callerDecisions, n.callerDecisions);
      // A lock carried from round to round of a walk stands for "every element visited is
      // locked"; a return that never took or dropped it visited none (an empty collection, a
      // failure before the walk) and holds the same thing, vacuously. Only a return that
      // handled such an element and let it go says the elements should not stay locked.
      const visitedNone = (n: ExitFacts): boolean => !!held.acrossRounds && !n.touchedKeys.has(key);
      // A return where the value the caller knows the object by is NULL (`pvmw->pte` of a walk
      // that found a PMD mapping) holds nothing there, and the caller tells the two apart by
      // testing that value.
      const toldByName = (n: ExitFacts): boolean => held.named !== undefined && nullNamesOf(cx, n, paramNames).has(held.named);
      // This return dropped the caller's lock and took it again; a return that never touched
      // it leaves it with the caller too: both hand it back held.
      if (h.callerHeldKeys.has(key) && facts.every((n) => n.held.has(key) || !n.touchedKeys.has(key))) continue;
      const holdsToo = (n: ExitFacts): boolean => n.held.has(key) || n.heldAnyhow.has(key);
      const other = facts.find((n) => n !== h && !holdsToo(n) && !chosenByCaller(n) && !visitedNone(n) && !toldByName(n) && !switchesLock(kind, h, n, key) && unexplained(kind, h, n));
      if (!other) continue;
      report(`lock:${held.what}:${held.line}`, 'lock-leak', h.exit, `returns with the ${held.what} held (taken at line ${held.line + 1}), but the return at line ${other.exit.line + 1} does not hold it and the return values do not tell the caller which happened`, h.exit.s, { line: h.exit.line, character: h.exit.character, kind: 'event', text: `returns holding the ${held.what}` });
    }
    for (const [key, r] of h.refs) {
      if (r.delta <= 0) continue;
      // A reference moved from one visible folio to another (the fault folio after a split)
      // leaves the total the same: not a leak.
      const total = (x: ExitFacts): number => [...x.refs.values()].reduce((a, b) => a + b.delta, 0);
      // A return that took none on a path the caller chose by the values it passed
      // (`if (flags & MF_COUNT_INCREASED)`: the caller already holds one) tells it nothing
      // new. Only tests of plain values count: a test of an object's state (a folio flag, a
      // PTE) is what a reference helper decides for its caller, not what the caller asked.
      const chosenByCaller = (n: ExitFacts): boolean => !n.refs.has(key) && disagree(valueDecisions(fn, h.callerDecisions), valueDecisions(fn, n.callerDecisions));
      // The shared zero page is not reference-counted for its users (no pin or mapping
      // reference is taken on it): a return that skipped it took nothing it needed.
      const other = facts.find((n) => n !== h && (n.refs.get(key)?.delta ?? 0) < r.delta && total(n) < total(h) && !chosenByCaller(n) && !n.zeroKeys.has(key) && unexplained(kind, h, n));
      if (!other) continue;
      report(`ref:${r.what}:${r.line}`, 'ref-leak', h.exit, `returns with a reference on ${r.what} taken at line ${r.line + 1} still held, but the return at line ${other.exit.line + 1} does not hold it and the return values do not tell the caller which happened`, h.exit.s, { line: h.exit.line, character: h.exit.character, kind: 'event', text: `returns holding a reference on ${r.what}` });
    }
  }
  for (const args of pending.values()) cx.report(...args);
}

/** How the caller names a held object. A mapped PTE table is known by any pointer into it the
 *  caller can name (`pvmw->pte` after `pvmw->pte++`), as pte_unmap() takes any such pointer. */
function nameHeld(cx: SimContext, s: PathState, h: HeldLock, ret: Sym | undefined): ObjPath | undefined {
  const name = nameObject(cx, s, h.obj, ret);
  if (name || h.resource !== 'pte_map' || h.obj < 0) return name;
  const table = s.rep(h.obj);
  for (const v of s.fields.values()) {
    if (s.rep(v) === table || tableOf(cx, s, v) !== table) continue;
    const into = nameObject(cx, s, v, ret);
    if (into) return into;
  }
  return undefined;
}

/** A lock an annotation names, as sparse counts it: by its name, `&x` and `x` alike. */
function annotationName(expr: string): string {
  return expr.replace(/\s+/g, '').replace(/^&/, '');
}

/** Whatever kind of lock this path holds on the object (the annotation does not say). */
function heldOn(s: PathState, obj: Sym): HeldLock | undefined {
  const o = obj < 0 ? obj : s.rep(obj);
  for (const h of s.held.values()) if (h.obj === o) return h;
  return undefined;
}

/**
 * The annotations' contract at each return, as sparse's context counting reads them:
 *  - `__releases(x)` alone: no return may still hold x;
 *  - `__acquires(x)` alone: every return must hold x, or, when the annotation's name does
 *    not resolve to the lock the body takes (`__acquires(&timer->base->lock)` over
 *    `raw_spin_lock(&base->cpu_base->lock)`), at least some lock this function took;
 *  - `__releases(x)` and `__acquires(x)` together: the function drops x and takes it again,
 *    so it is held on entry and on every return; a return that dropped it and did not take
 *    it again breaks the contract.
 */
export function checkAnnotatedExits(cx: SimContext, fn: FunctionDef, exits: ExitState[]): void {
  const byName = new Map<string, { expr: string; releases: boolean; acquires: boolean }>();
  for (const [i, a] of fn.annotations.entries()) {
    if ((a.kind !== 'releases' && a.kind !== 'acquires') || !a.args[0]) continue;
    const name = annotationName(a.args[0]);
    // Taken and dropped inside (`__acquires(x) __releases(x)`): nothing for the caller.
    if (a.kind === 'releases' && takenFirst(fn.annotations, i)) {
      byName.delete(name);
      continue;
    }
    const cur = byName.get(name) ?? { expr: a.args[0], releases: false, acquires: false };
    if (a.kind === 'releases') cur.releases = true;
    else cur.acquires = true;
    byName.set(name, cur);
  }
  // Sparse has no conditional contexts, so `__acquires(x)` also annotates lock functions that
  // can fail (`if (down_read_interruptible(&inode->i_rwsem) < 0) return -ERESTARTSYS;`): a
  // failure return without x is the convention when the returns that hold x are successes,
  // as the caller tells them apart by the result.
  const kind = returnKind(fn);
  const failed = (e: ExitState): boolean => isFailure(kind, atomsOf(e.s, e.ret));
  for (const { expr, releases, acquires } of byName.values()) {
    const heldOnSuccess = (): boolean =>
      exits.some((x) => {
        const o = annotatedObject(cx, x.s, expr);
        return o !== undefined && !!heldOn(x.s, o) && isSuccess(kind, atomsOf(x.s, x.ret));
      });
    for (const e of exits) {
      const obj = annotatedObject(cx, e.s, expr);
      const held = obj !== undefined ? heldOn(e.s, obj) : undefined;
      const step = (text: string): WitnessStep => ({ line: e.line, character: e.character, kind: 'event', text });
      if (releases && acquires) {
        if (obj === undefined || held) continue;
        const o = obj < 0 ? obj : e.s.rep(obj);
        const dropped = [...e.s.touched].some((k) => k.endsWith(`:${o}`));
        if (dropped) cx.report('lock-leak', e, `returns without holding ${expr}, but the function is annotated __releases(${expr}) and __acquires(${expr}): it must take it again before returning`, e.s, step(`returns without ${expr}`));
      } else if (releases) {
        // Code this simulator cannot see was given the lock (or what holds it) and may have
        // released it: `raw_spin_unlock_irqrestore_rcu_node(rnp, flags)`, a header wrapper.
        if (held && obj !== undefined && givenToUnknownCode(cx, e.s, obj)) continue;
        if (held) cx.report('lock-leak', e, `returns with ${expr} still held, but the function is annotated __releases(${expr})`, e.s, step(`returns holding ${expr}`));
      } else if (!held && ![...e.s.held.values()].some((h) => h.origin === 'here') && !(failed(e) && heldOnSuccess())) {
        cx.report('lock-leak', e, `returns without holding ${expr}, but the function is annotated __acquires(${expr})`, e.s, step(`returns without ${expr}`));
      }
    }
  }
}

/** The object, or a structure it lives in, was passed to a call the simulator could not follow. */
function givenToUnknownCode(cx: SimContext, s: PathState, obj: Sym, depth = 0): boolean {
  if (obj < 0 || depth > 3) return false;
  const r = s.rep(obj);
  if (s.opaque.has(r)) return true;
  return (cx.info(r).from ?? []).some((f) => givenToUnknownCode(cx, s, f, depth + 1));
}

function nullNamesOf(cx: SimContext, ef: ExitFacts, paramNames: string[]): Set<string> {
  if (ef.nullNames) return ef.nullNames;
  const s = ef.exit.s;
  const out = new Set<string>();
  for (const v of s.fields.values()) {
    const f = s.getFacts(v);
    if (f.lo !== 0 || f.hi !== 0) continue;
    const name = nameObject(cx, s, v, ef.exit.ret);
    if (name) out.add(pathText(name, paramNames));
  }
  ef.nullNames = out;
  return out;
}

/** NULL or an error pointer: an allocation or lookup that failed holds nothing. */
function nullish(s: PathState, x: Sym): boolean {
  const f = s.getFacts(x);
  return f.errptr === true || (f.lo === 0 && f.hi === 0);
}

/**
 * Could anything outside this function still reach the object? Yes when it is (derived
 * from) a parameter, a global or a value every path computes the same way; when the
 * returned value is derived from it (`return &folio->page`, `page_address(folio)`) or it lies
 * inside the returned object (`&vma->vm_file->f_lock`); or when
 * code this simulator cannot see was given it (it may have stored it). Only objects none of
 * that applies to are leaked for certain.
 */
function callerCanReach(cx: SimContext, s: PathState, x: Sym, ret: Sym | undefined, depth = 0): boolean {
  if (x < 0) return true;
  const r = s.rep(x);
  const info = cx.info(r);
  if (info.entryPath || info.origin === 'global' || (info.stable && info.origin !== 'call') || s.escaped.has(r)) return true;
  if (depth === 0 && s.opaque.has(r)) return true;
  if (ret !== undefined && depth === 0 && derivesFrom(cx, s, ret, r, 0)) return true;
  // Inside the object returned (`&vma->vm_file->f_lock` of the VMA returned).
  if (ret !== undefined && depth > 0 && s.rep(ret) === r) return true;
  if (depth > 4) return false;
  if ((info.origin === 'field' || info.origin === 'derived') && info.from?.some((f) => callerCanReach(cx, s, f, ret, depth + 1))) return true;
  if (info.folioOfPage !== undefined && callerCanReach(cx, s, info.folioOfPage, undefined, depth + 1)) return true;
  return false;
}

function derivesFrom(cx: SimContext, s: PathState, v: Sym, target: Sym, depth: number): boolean {
  const r = s.rep(v);
  if (r === target) return true;
  if (depth > 4) return false;
  const info = cx.info(r);
  if (info.folioOfPage !== undefined && derivesFrom(cx, s, info.folioOfPage, target, depth + 1)) return true;
  const page = s.pageFolio.get(r);
  if (page !== undefined && s.rep(page) === target) return true;
  return (info.from ?? []).some((f) => derivesFrom(cx, s, f, target, depth + 1));
}

/** Decisions on conditions that only read parameters, globals and calls of them. */
function callerDecisions(cx: SimContext, fn: FunctionDef, s: PathState): Map<string, boolean> {
  const locals = new Set([...cx.varTypes.keys()].filter((v) => !fn.params.some((p) => p.name === v)));
  const out = new Map<string, boolean>();
  for (let t = s.trail; t; t = t.prev) {
    const d = t.step.decision;
    if (!d) continue;
    const ids = d.cond.match(/[A-Za-z_]\w*/g) ?? [];
    if (ids.some((id) => locals.has(id))) continue;
    const key = `${t.step.line}:${d.cond}`;
    if (!out.has(key)) out.set(key, d.truth);
  }
  return out;
}

/** How a referenced object is compared across returns: by the name the caller knows it by,
 *  or, reachable but unnamed, by its identity; undefined when nothing outside can reach it. */
function refKey(cx: SimContext, s: PathState, obj: Sym, ret: Sym | undefined, paramNames: string[]): string | undefined {
  const name = nameObject(cx, s, obj, ret);
  if (name) return pathText(name, paramNames);
  if (!callerCanReach(cx, s, obj, ret)) return undefined;
  return cx.info(s.rep(obj)).stable ? `#${s.rep(obj)}` : cx.describe(obj);
}

/** The caller's decisions that test only values it passed (scalar parameters, constants):
 *  `flags & MF_COUNT_INCREASED`, `unpoison`, not `folio_test_large(folio)`. */
function valueDecisions(fn: FunctionDef, decisions: Map<string, boolean>): Map<string, boolean> {
  const scalars = new Set(fn.params.filter((p) => !/[*[]/.test(p.type)).map((p) => p.name));
  const out = new Map<string, boolean>();
  for (const [k, v] of decisions) {
    const cond = k.slice(k.indexOf(':') + 1);
    const ids = cond.match(/[A-Za-z_]\w*/g) ?? [];
    if (!cond.includes('(') && ids.length > 0 && ids.every((id) => scalars.has(id) || /^[A-Z][A-Z0-9_]*$/.test(id))) out.set(k, v);
  }
  return out;
}

function disagree(a: Map<string, boolean>, b: Map<string, boolean>): boolean {
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w !== undefined && w !== v) return true;
  }
  return false;
}
