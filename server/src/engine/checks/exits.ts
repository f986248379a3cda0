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
import type { SimContext } from '../sim/context';
import { RESOURCE_NAMES } from '../sim/context';
import { heldName } from '../sim/effects';
import type { ExitState } from '../sim/explore';
import { nameObject, pathText } from '../sim/summary';
import { lockClass, PathState, Sym, ValueFacts } from '../sim/state';

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

interface ExitFacts {
  exit: ExitState;
  atoms: Set<Atom>;
  /** key -> how it is held at this return. */
  held: Map<string, { origin: string; line: number; what: string }>;
  refs: Map<string, { delta: number; line: number; what: string }>;
}

export function checkExits(cx: SimContext, fn: FunctionDef, exits: ExitState[]): void {
  const kind = returnKind(fn);
  const acquiresAnnotated = fn.annotations.filter((a) => a.kind === 'acquires' || a.kind === 'cond_acquires').map((a) => a.args[a.args.length - 1]?.replace(/\s+/g, ''));
  const paramNames = fn.params.map((p) => p.name);
  const facts: ExitFacts[] = [];
  for (const e of exits) {
    const s = e.s;
    const ef: ExitFacts = { exit: e, atoms: atomsOf(s, e.ret), held: new Map(), refs: new Map() };
    for (const h of s.held.values()) {
      const obj = h.obj;
      const escaped = obj >= 0 && s.escaped.has(s.rep(obj));
      const name = nameObject(cx, s, obj, e.ret);
      const key = name ? `${lockClass(h.resource)}@${pathText(name, paramNames)}` : undefined;
      if (key && acquiresAnnotated.some((a) => a && pathText(name!, paramNames).replace(/\s+/g, '').includes(a.replace(/^&/, '')))) continue;
      if (h.origin === 'here' && !name && !escaped) {
        cx.report('lock-leak', e, `returns with the ${heldName(cx, h)} held (taken at line ${h.line + 1}); nothing outside this function can release it`, s, { line: e.line, character: e.character, kind: 'event', text: `returns holding the ${RESOURCE_NAMES[h.resource]}` });
        continue;
      }
      if (key && !escaped) ef.held.set(key, { origin: h.origin, line: h.line, what: heldName(cx, h) });
    }
    for (const [obj, r] of s.refs) {
      if (r.delta === 0 || s.escaped.has(obj)) continue;
      const name = nameObject(cx, s, obj, e.ret);
      if (!name) {
        if (r.delta > 0) cx.report('ref-leak', e, `returns without dropping the reference on ${cx.describe(obj)} taken at line ${r.line + 1}; nothing outside this function can drop it`, s, { line: e.line, character: e.character, kind: 'event', text: `returns holding ${r.delta} reference(s) on ${cx.describe(obj)}` });
        continue;
      }
      ef.refs.set(pathText(name, paramNames), { delta: r.delta, line: r.line, what: cx.describe(obj) });
    }
    facts.push(ef);
  }
  // Inconsistent returns.
  for (const h of facts) {
    for (const [key, held] of h.held) {
      if (held.origin !== 'here') continue;
      const other = facts.find((n) => n !== h && !n.held.has(key) && (overlap(h.atoms, n.atoms) || (isFailure(kind, h.atoms) && isSuccess(kind, n.atoms))));
      if (!other) continue;
      cx.report('lock-leak', h.exit, `returns with the ${held.what} held (taken at line ${held.line + 1}), but the return at line ${other.exit.line + 1} does not hold it and the return values do not tell the caller which happened`, h.exit.s, { line: h.exit.line, character: h.exit.character, kind: 'event', text: `returns holding the ${held.what}` });
    }
    for (const [key, r] of h.refs) {
      if (r.delta <= 0) continue;
      const other = facts.find((n) => n !== h && (n.refs.get(key)?.delta ?? 0) < r.delta && (overlap(h.atoms, n.atoms) || (isFailure(kind, h.atoms) && isSuccess(kind, n.atoms))));
      if (!other) continue;
      cx.report('ref-leak', h.exit, `returns with a reference on ${r.what} taken at line ${r.line + 1} still held, but the return at line ${other.exit.line + 1} does not hold it and the return values do not tell the caller which happened`, h.exit.s, { line: h.exit.line, character: h.exit.character, kind: 'event', text: `returns holding a reference on ${r.what}` });
    }
  }
}
