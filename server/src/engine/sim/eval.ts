// Symbolic evaluation of C expressions over one path state. Evaluation may
// fork (a call with result-dependent effects, `?:`, `&&` in a value), so every
// function returns the list of (state, value) pairs it produced. States passed
// in are owned by the callee: it may change them; forks are clones.

import type { SyntaxNode } from '../parse/syntax';
import { BudgetExceeded, SimContext, spanOf } from './context';
import { RelOp, splitEq, splitErrPtr, splitOrder, splitTruth, refine, refineBits } from './facts';
import { fieldOf, handOff, tableOf } from './objects';
import { PathState, Sym, ValueFacts } from './state';
import { evalCall } from './calls';
import { assumeHolds } from './effects';
import { ownerName } from './ownerLocks';
import { ERRNO, NON_NULL_NAMES } from './errno';
import type { WitnessStep } from '../types';

export interface Val {
  s: PathState;
  v: Sym;
  /** The value is page_folio(page) of this page (for stale-folio tracking). */
  page?: Sym;
}

export interface CondResult {
  s: PathState;
  truth: boolean;
}

/** Of those, the ones a condition looks through (a hint or a plain read, never a report). */
const TRANSPARENT_CALLS = new Set(['likely', 'unlikely', 'unlikely_notrace', 'READ_ONCE', 'data_race']);

/** Kernel idioms that are not functions: their value is their first argument's. */
export const VALUE_OF_FIRST_ARG = new Set([
  'likely',
  'unlikely',
  'unlikely_notrace',
  'READ_ONCE',
  'data_race',
  'WARN_ON',
  'WARN_ON_ONCE',
  'WARN',
  'WARN_ONCE',
  'VM_WARN_ON',
  'VM_WARN_ON_ONCE',
]);

export function strip(n: SyntaxNode): SyntaxNode {
  let cur = n;
  while (cur.type === 'parenthesized_expression' || cur.type === 'cast_expression' || (cur.type === 'call_expression' && TRANSPARENT_CALLS.has(cur.childForFieldName('function')?.text ?? '') && argsOf(cur).length === 1)) {
    const inner = cur.type === 'cast_expression' ? cur.childForFieldName('value') : cur.type === 'call_expression' ? argsOf(cur)[0] : cur.namedChildren.find((c) => c !== null && c.type !== 'comment') ?? null;
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

/** `&lv` (through parentheses and casts): the lvalue whose address is passed, else null. */
export function addressedLvalue(arg: SyntaxNode): SyntaxNode | null {
  const inner = strip(arg);
  return inner.type === 'pointer_expression' && inner.child(0)?.type === '&' ? inner.childForFieldName('argument') : null;
}

export function argsOf(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  if (!args) return [];
  return args.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
}

function fresh(cx: SimContext, s: PathState, label: string, line: number, from?: Sym[]): Sym {
  return cx.newSym({ label, line, origin: from?.length ? 'derived' : 'local', from });
}

/** Evaluate a list of expressions left to right, threading the forks. */
export function evalSeq(cx: SimContext, s: PathState, nodes: SyntaxNode[]): { s: PathState; vs: Val[] }[] {
  let acc: { s: PathState; vs: Val[] }[] = [{ s, vs: [] }];
  for (const n of nodes) {
    const next: { s: PathState; vs: Val[] }[] = [];
    for (const a of acc) for (const r of evalExpr(cx, a.s, n)) next.push({ s: r.s, vs: [...a.vs, r] });
    acc = next;
    checkExpressionStates(acc.length, n);
    if (acc.length === 0) break;
  }
  return acc;
}

/** The most states one expression may fork into. Each argument of a call that forks doubles
 *  the states of the call (2^n for n of them) and no join point merges them inside one
 *  statement: past this the function is given up (reported incomplete) instead of running
 *  out of memory. */
const MAX_STATES_PER_EXPRESSION = 4096;

function checkExpressionStates(count: number, n: SyntaxNode): void {
  if (count > MAX_STATES_PER_EXPRESSION) throw new BudgetExceeded('visits', n.startPosition.row);
}

/** Deeper expressions than this are not taken apart (hostile input must not overflow the stack). */
const MAX_EXPRESSION_DEPTH = 256;

export function evalExpr(cx: SimContext, s: PathState, node: SyntaxNode): Val[] {
  if (cx.evalDepth >= MAX_EXPRESSION_DEPTH) {
    cx.tooDeep = true;
    return [{ s, v: fresh(cx, s, 'expression', node.startPosition.row) }];
  }
  cx.evalDepth++;
  try {
    const out = evalExprInner(cx, s, node);
    checkExpressionStates(out.length, node);
    return out;
  } finally {
    cx.evalDepth--;
  }
}

function evalExprInner(cx: SimContext, s: PathState, node: SyntaxNode): Val[] {
  const n = node;
  const line = n.startPosition.row;
  switch (n.type) {
    case 'parenthesized_expression': {
      const inner = n.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return inner ? evalExpr(cx, s, inner) : [{ s, v: fresh(cx, s, '()', line) }];
    }
    case 'cast_expression': {
      const v = n.childForFieldName('value');
      return v ? evalExpr(cx, s, v) : [{ s, v: fresh(cx, s, n.text, line) }];
    }
    case 'number_literal':
      return [{ s, v: numberSym(cx, s, n.text, line) }];
    case 'true':
      return [{ s, v: cx.constSym(s, 1) }];
    case 'false':
    case 'null':
      return [{ s, v: cx.constSym(s, 0) }];
    case 'string_literal':
    case 'concatenated_string':
    case 'char_literal': {
      const v = fresh(cx, s, 'literal', line);
      refine(s, v, { nz: true });
      return [{ s, v }];
    }
    case 'identifier':
      return [{ s, v: readVar(cx, s, n.text, line) }];
    case 'field_expression':
      return evalField(cx, s, n);
    case 'pointer_expression':
      return evalPointer(cx, s, n);
    case 'subscript_expression': {
      const base = n.childForFieldName('argument');
      const idx = n.childForFieldName('index');
      const out: Val[] = [];
      for (const r of evalSeq(cx, s, [base, idx].filter((x): x is SyntaxNode => x !== null))) {
        const b = r.vs[0];
        if (b && !checkPointerUse(cx, r.s, b.v, n, `${base?.text}[...]`)) continue;
        const i = r.vs[1];
        if (!b || !i) {
          out.push({ s: r.s, v: fresh(cx, r.s, n.text, line, b ? [b.v] : undefined) });
          continue;
        }
        out.push({ s: r.s, v: elementValue(cx, r.s, b.v, i.v, n.text, line) });
      }
      return out;
    }
    case 'call_expression':
      return evalCall(cx, s, n);
    case 'assignment_expression':
      return evalAssignment(cx, s, n);
    case 'update_expression':
      return evalUpdate(cx, s, n);
    case 'unary_expression':
      return evalUnary(cx, s, n);
    case 'binary_expression':
      return evalBinary(cx, s, n);
    case 'conditional_expression': {
      const c = n.childForFieldName('condition');
      const a = n.childForFieldName('consequence');
      const b = n.childForFieldName('alternative');
      if (!c) return [{ s, v: fresh(cx, s, n.text, line) }];
      const joined = constantChoiceArgument(cx, s, n, c, a, b);
      if (joined !== undefined) return [{ s, v: joined }];
      const out: Val[] = [];
      for (const r of evalCond(cx, s, c)) {
        const branch = r.truth ? a : b;
        if (branch) out.push(...evalExpr(cx, r.s, branch));
        else out.push({ s: r.s, v: fresh(cx, r.s, n.text, line) });
      }
      return out;
    }
    case 'comma_expression': {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const out: Val[] = [];
      for (const a of l ? evalExpr(cx, s, l) : [{ s, v: 0 }]) {
        if (r) out.push(...evalExpr(cx, a.s, r));
      }
      return out;
    }
    case 'sizeof_expression':
    case 'alignof_expression':
    case 'offsetof_expression': {
      const v = fresh(cx, s, n.text, line);
      refine(s, v, { lo: 0 });
      return [{ s, v }];
    }
    case 'initializer_list': {
      const local = initializedLocal(n);
      if (local !== undefined) return initializeLocalStruct(cx, s, n, local);
      const out = evalChildrenForEffects(cx, s, n);
      return out.map((st) => ({ s: st, v: fresh(cx, st, 'initializer', line) }));
    }
    case 'compound_literal_expression': {
      // `(struct pipe_buffer){ .page = page, ... }`: the value is made of its members, so
      // storing it (`*buf = ...`) hands them to whoever owns the place it is stored in.
      const members = literalMembers(n);
      return evalSeq(cx, s, members).map((r) => ({ s: r.s, v: fresh(cx, r.s, 'initializer', line, r.vs.map((x) => x.v)) }));
    }
    default: {
      // Unknown shapes (ERROR nodes, macros the grammar does not know): evaluate the calls
      // inside for their effects, and give the whole an unknown value.
      const out = evalChildrenForEffects(cx, s, n);
      return out.map((st) => ({ s: st, v: fresh(cx, st, n.text.length > 40 ? n.type : n.text, line) }));
    }
  }
}

/** The member values of a compound literal's initializer, nested braces included. */
function literalMembers(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (list: SyntaxNode): void => {
    for (const c of list.namedChildren) {
      if (!c || c.type === 'comment') continue;
      const v = c.type === 'initializer_pair' ? c.childForFieldName('value') : c;
      if (!v) continue;
      if (v.type === 'initializer_list') walk(v);
      else out.push(v);
    }
  };
  for (const c of n.namedChildren) if (c?.type === 'initializer_list') walk(c);
  return out;
}

/** `struct vm_fault vmf = { .vma = vma, ... }`: the local variable being initialized, when the
 *  initializer names its fields. */
function initializedLocal(n: SyntaxNode): string | undefined {
  const decl = n.parent;
  if (decl?.type !== 'init_declarator') return undefined;
  const name = decl.childForFieldName('declarator');
  if (name?.type !== 'identifier') return undefined;
  return n.namedChildren.some((c) => c?.type === 'initializer_pair') ? name.text : undefined;
}

/** A local structure's designated fields get their values, so `vmf.vma` later (and `&vmf`
 *  handed to a helper that reads `vmf->vma`) is the same object as the `vma` stored. The
 *  structure is ours: nothing stored in it is handed off. */
function initializeLocalStruct(cx: SimContext, s: PathState, n: SyntaxNode, local: string): Val[] {
  const line = n.startPosition.row;
  const pairs: { field: string; value: SyntaxNode }[] = [];
  const rest: SyntaxNode[] = [];
  for (const c of n.namedChildren) {
    if (!c || c.type === 'comment') continue;
    const designators = c.type === 'initializer_pair' ? c.childrenForFieldName('designator') : [];
    const value = c.childForFieldName('value');
    if (designators.length === 1 && designators[0]?.type === 'field_designator' && value) {
      pairs.push({ field: designators[0].text.replace(/^\./, '').trim(), value });
    } else rest.push(c);
  }
  const out: Val[] = [];
  for (const r of evalSeq(cx, s, pairs.map((p) => p.value))) {
    const base = r.s.rep(addrOfVar(cx, r.s, local));
    pairs.forEach((p, i) => r.s.fields.set(`${base}.${p.field}`, r.vs[i].v));
    for (const st of rest.reduce((states, c) => (hasCall(c) ? states.flatMap((x) => evalExpr(cx, x, c).map((v) => v.s)) : states), [r.s])) {
      out.push({ s: st, v: fresh(cx, st, 'initializer', line) });
    }
  }
  return out;
}

function evalChildrenForEffects(cx: SimContext, s: PathState, n: SyntaxNode): PathState[] {
  let states = [s];
  for (const c of n.namedChildren) {
    if (!c || c.type === 'comment' || c.type === 'type_descriptor' || c.type === 'primitive_type' || c.type === 'type_identifier') continue;
    if (!hasCall(c)) continue;
    const next: PathState[] = [];
    for (const st of states) for (const r of evalExpr(cx, st, c)) {
      if (n.type === 'initializer_list') handOff(cx, r.s, r.v);
      next.push(r.s);
    }
    states = next;
  }
  return states;
}

/** A literal (number, character, string) or NULL/true/false, possibly parenthesised or negated. */
function literalValue(n: SyntaxNode | null): { lo: number; hi: number; nz: boolean } | undefined {
  if (!n) return undefined;
  switch (n.type) {
    case 'parenthesized_expression':
      return literalValue(n.namedChildren[0] ?? null);
    case 'string_literal':
    case 'concatenated_string':
      return { lo: -Infinity, hi: Infinity, nz: true };
    case 'char_literal':
      return { lo: -Infinity, hi: Infinity, nz: false };
    case 'null':
      return { lo: 0, hi: 0, nz: false };
    case 'true':
      return { lo: 1, hi: 1, nz: true };
    case 'false':
      return { lo: 0, hi: 0, nz: false };
    case 'number_literal': {
      const v = Number.parseInt(n.text, n.text.startsWith('0x') || n.text.startsWith('0X') ? 16 : 10);
      return Number.isFinite(v) ? { lo: v, hi: v, nz: v !== 0 } : { lo: -Infinity, hi: Infinity, nz: false };
    }
    case 'unary_expression': {
      const inner = n.child(0)?.type === '-' ? literalValue(n.childForFieldName('argument')) : undefined;
      return inner && { lo: -inner.hi, hi: -inner.lo, nz: inner.nz };
    }
    default:
      return n.type === 'identifier' && n.text === 'NULL' ? { lo: 0, hi: 0, nz: false } : undefined;
  }
}

/**
 * `cond ? "A" : "B"` as a call argument (debug prints pass dozens of these): when both arms
 * are literals and the condition has no side effect, the argument is one value covering
 * both, without forking the path on the condition — the choice feeds only the call, and
 * forking on each would multiply the paths through one statement (2^n for n of them).
 */
function constantChoiceArgument(cx: SimContext, s: PathState, n: SyntaxNode, c: SyntaxNode, a: SyntaxNode | null, b: SyntaxNode | null): Sym | undefined {
  if (n.parent?.type !== 'argument_list' || !decidesNothingTracked(cx, c)) return undefined;
  const fa = literalValue(a);
  const fb = literalValue(b);
  if (!fa || !fb) return undefined;
  const v = fresh(cx, s, n.text, n.startPosition.row);
  refine(s, v, { lo: Math.min(fa.lo, fb.lo), hi: Math.max(fa.hi, fb.hi), nz: fa.nz && fb.nz });
  return v;
}

/** A condition with no assignment and no call the simulator models (a contract or a function
 *  of this document): `flags & BIT(3)`, `x->cap & cpu_to_le16(1 << 5)`. */
function decidesNothingTracked(cx: SimContext, c: SyntaxNode): boolean {
  if (c.type === 'assignment_expression' || c.type === 'update_expression') return false;
  if (c.descendantsOfType(['assignment_expression', 'update_expression']).length) return false;
  const calls = c.type === 'call_expression' ? [c] : [];
  for (const d of c.descendantsOfType('call_expression')) if (d) calls.push(d);
  return calls.every((call) => {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'identifier') return false;
    return !cx.contracts.byName.has(fn.text) && cx.summaries.summaryOf(fn.text) === undefined;
  });
}

function hasCall(n: SyntaxNode): boolean {
  if (n.type === 'call_expression' || n.type === 'assignment_expression' || n.type === 'update_expression') return true;
  return n.descendantsOfType(['call_expression', 'assignment_expression', 'update_expression']).length > 0;
}

export function numberSym(cx: SimContext, s: PathState, text: string, line: number): Sym {
  // tree-sitter's C grammar reads a sign into the literal: `return -1;` is one number.
  const sign = text.startsWith('-') ? -1 : 1;
  const t = text.replace(/^[-+]/, '').replace(/[uUlL]+$/, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t, 16);
  else if (/^0[0-7]+$/.test(t)) v = parseInt(t, 8);
  else if (/^[0-9]+$/.test(t)) v = parseInt(t, 10);
  else return fresh(cx, s, text, line);
  return cx.constSym(s, sign * v);
}

export function readVar(cx: SimContext, s: PathState, name: string, line: number): Sym {
  const known = s.env.get(name);
  if (known !== undefined) return known;
  if (name === 'NULL' || name === 'false') return cx.constSym(s, 0);
  if (name === 'true') return cx.constSym(s, 1);
  const c = cx.constants.get(name) ?? ERRNO[name];
  if (c !== undefined) return cx.constSym(s, c);
  // Globals, enumerators and macros: the same value wherever they are read in this function.
  const x = globalSym(cx, s, name);
  s.env.set(name, x);
  return x;
}

/** The value of a global, enumerator or macro this document does not define, by name. */
export function globalSym(cx: SimContext, s: PathState, name: string): Sym {
  const x = cx.keyedSym(`global:${name}`, { label: name, line: -1, origin: 'global' });
  if (NON_NULL_NAMES.has(name)) refine(s, x, { nz: true });
  return x;
}

/** A name the code tests bits with that is not defined here: a flag from a header. */
function headerFlag(cx: SimContext, s: PathState, v: Sym): boolean {
  return cx.info(s.rep(v)).origin === 'global';
}

/** Values that are the same on every path and that a caller has before the call: entry
 *  values, globals, constants, stable pointers (locks). */
export function entryStable(cx: SimContext, s: PathState, v: Sym): boolean {
  const info = cx.info(s.rep(v));
  return info.entryPath !== undefined || info.origin === 'global' || info.origin === 'const' || !!info.stable;
}

/**
 * `flags & MASK` where MASK is a flag from a header (its value unknown here): the same
 * question about the same values has the same answer, so a lock helper and its unlock
 * helper that test the flag they were both given agree, and a summary case that assumed
 * the bit set does not apply to a caller passing 0.
 */
export function bitTest(cx: SimContext, s: PathState, a: Sym, b: Sym, label: string): Sym {
  const fa = s.getFacts(a);
  const fb = s.getFacts(b);
  if ((fa.lo === 0 && fa.hi === 0) || (fb.lo === 0 && fb.hi === 0)) return cx.constSym(s, 0);
  if (fa.lo === fa.hi && fb.lo === fb.hi && Number.isSafeInteger(fa.lo) && Number.isSafeInteger(fb.lo)) return cx.constSym(s, fa.lo & fb.lo);
  const [x, y] = s.rep(a) <= s.rep(b) ? [s.rep(a), s.rep(b)] : [s.rep(b), s.rep(a)];
  return cx.keyedSym(`pure:&(${x},${y})`, { label, line: -1, origin: 'derived', from: [x, y], stable: true, pure: { name: '&', args: [x, y] } });
}

function evalField(cx: SimContext, s: PathState, n: SyntaxNode): Val[] {
  const arg = n.childForFieldName('argument');
  const field = n.childForFieldName('field')?.text ?? '?';
  const op = n.childForFieldName('operator')?.text ?? n.children.find((c) => c?.type === '->' || c?.type === '.')?.type ?? '->';
  if (!arg) return [{ s, v: fresh(cx, s, n.text, n.startPosition.row) }];
  const bases = op === '.' ? evalAddress(cx, s, arg) : evalExpr(cx, s, arg);
  const out: Val[] = [];
  const baseType = arg.type === 'identifier' ? cx.varTypes.get(arg.text) : undefined;
  for (const b of bases) {
    if (op === '->' && !checkPointerUse(cx, b.s, b.v, n, arg.text)) continue;
    out.push({ s: b.s, v: fieldOf(cx, b.s, b.v, field, n.startPosition.row, baseType) });
  }
  return out;
}

/** The address of an lvalue: `x` -> &x, `a->b` -> &a->b, `a.b` -> &a.b, `*p` -> p. */
export function evalAddress(cx: SimContext, s: PathState, n: SyntaxNode): Val[] {
  const line = n.startPosition.row;
  const m = n.type === 'parenthesized_expression' ? strip(n) : n;
  if (m.type === 'identifier') {
    return [{ s, v: addrOfVar(cx, s, m.text) }];
  }
  if (m.type === 'field_expression') {
    const arg = m.childForFieldName('argument');
    const field = m.childForFieldName('field')?.text ?? '?';
    const op = m.childForFieldName('operator')?.text ?? (m.text.includes('->') ? '->' : '.');
    if (!arg) return [{ s, v: fresh(cx, s, `&${m.text}`, line) }];
    const bases = op === '.' ? evalAddress(cx, s, arg) : evalExpr(cx, s, arg);
    return bases.map((b) => ({ s: b.s, v: fieldAddr(cx, b.s, b.v, field, m.text) }));
  }
  if (m.type === 'pointer_expression' && m.child(0)?.type === '*') {
    const a = m.childForFieldName('argument');
    if (a) return evalExpr(cx, s, a);
  }
  if (m.type === 'subscript_expression') {
    const a = m.childForFieldName('argument');
    const idx = m.childForFieldName('index');
    if (!a) return [{ s, v: fresh(cx, s, `&${m.text}`, line) }];
    if (!idx) return evalExpr(cx, s, a).map((r) => ({ s: r.s, v: cx.newSym({ label: `&${m.text}`, line, origin: 'derived', from: [r.v], arith: true }) }));
    return evalSeq(cx, s, [a, idx]).map((r) => ({ s: r.s, v: elementAddr(cx, r.s, r.vs[0].v, r.vs[1].v, m.text) }));
  }
  const rs = evalExpr(cx, s, m);
  return rs.map((r) => ({ s: r.s, v: fresh(cx, r.s, `&${m.text}`, line, [r.v]) }));
}

/** `&a[i]`: one address per (array, index value), so `spin_lock(&tbl[b].lock)` and the
 *  `spin_unlock(&tbl[b].lock)` after it name one lock while `b` is unchanged. */
export function elementAddr(cx: SimContext, s: PathState, base: Sym, index: Sym, text: string): Sym {
  const rb = s.rep(base);
  const ri = s.rep(index);
  const x = cx.keyedSym(`elem:${rb}[${ri}]`, { label: `&${text}`, line: -1, origin: 'derived', from: [rb, ri], arith: true });
  refine(s, x, { nz: true, errptr: false });
  return x;
}

/** `a[i]`: the element at that address, the same value on every read until this path stores
 *  to the array (a store through another index may alias it, so it forgets them all). */
function elementValue(cx: SimContext, s: PathState, base: Sym, index: Sym, text: string, line: number): Sym {
  const key = `${s.rep(base)}[${s.rep(index)}]`;
  const known = s.fields.get(key);
  if (known !== undefined) return known;
  const v = fresh(cx, s, text, line, [base]);
  s.fields.set(key, v);
  return v;
}

/** A store to `a[i]`: reads of any element of `a` are no longer known; `a[i]` is the value. */
function storeElement(s: PathState, base: Sym, index: Sym, v: Sym): void {
  const prefix = `${s.rep(base)}[`;
  for (const k of [...s.fields.keys()]) if (k.startsWith(prefix)) s.fields.delete(k);
  s.fields.set(`${s.rep(base)}[${s.rep(index)}]`, v);
}

/** A call was given these values: arrays reached from them (`&fbatch` refilled by a batch
 *  lookup) may hold other elements now. */
export function forgetElementsReachableFrom(cx: SimContext, s: PathState, given: Sym[]): void {
  if (given.length === 0) return;
  const roots = new Set(given.filter((g) => g >= 0).map((g) => s.rep(g)));
  const reaches = (x: Sym, depth: number): boolean => {
    if (roots.has(x)) return true;
    if (depth > 3) return false;
    return (cx.info(x).from ?? []).some((f) => reaches(s.rep(f), depth + 1));
  };
  for (const k of [...s.fields.keys()]) {
    const open = k.indexOf('[');
    if (open < 0) continue;
    if (reaches(s.rep(Number(k.slice(0, open))), 0)) s.fields.delete(k);
  }
}

export function addrOfVar(cx: SimContext, s: PathState, name: string): Sym {
  // The address of a variable this function does not declare is a global's (&hugetlb_lock).
  const x = cx.keyedSym(`addr:${name}`, { label: `&${name}`, line: -1, origin: cx.varTypes.has(name) ? 'local' : 'global', addrOf: name });
  refine(s, x, { nz: true, errptr: false });
  return x;
}

/** &base->field: one value per (object, field), so `&mm->page_table_lock` names one lock. */
export function fieldAddr(cx: SimContext, s: PathState, base: Sym, field: string, text: string): Sym {
  const x = cx.fieldAddrSym(s.rep(base), field, `&${text}`);
  refine(s, x, { nz: true, errptr: false });
  return x;
}

function evalPointer(cx: SimContext, s: PathState, n: SyntaxNode): Val[] {
  const op = n.child(0)?.type;
  const arg = n.childForFieldName('argument');
  if (!arg) return [{ s, v: fresh(cx, s, n.text, n.startPosition.row) }];
  if (op === '&') return evalAddress(cx, s, arg);
  const out: Val[] = [];
  for (const r of evalExpr(cx, s, arg)) {
    if (!checkPointerUse(cx, r.s, r.v, n, arg.text)) continue;
    out.push({ s: r.s, v: fieldOf(cx, r.s, r.v, '*', n.startPosition.row) });
  }
  return out;
}

/**
 * A pointer is used (dereferenced, advanced, passed on). For pointers into a PTE table:
 * NULL from a pte_offset_map* that was never checked (pte-map-unchecked; the path stops
 * there), or a table already unmapped (pte-after-unmap). Returns false to drop the path.
 */
export function checkPointerUse(cx: SimContext, s: PathState, p: Sym, at: SyntaxNode, text: string): boolean {
  const t = tableOf(cx, s, p);
  const info = cx.info(t);
  if (!info.pteTable) return true;
  const f = s.getFacts(p);
  const tf = s.getFacts(t);
  if ((f.lo === 0 && f.hi === 0) || (tf.lo === 0 && tf.hi === 0)) {
    cx.report('pte-map-unchecked', spanOf(at), `\`${text}\` may be NULL here: ${info.label} at line ${info.line + 1} can fail and its result was not checked on this path`, s, {
      line: at.startPosition.row,
      character: at.startPosition.column,
      kind: 'event',
      text: `\`${text}\` is used while NULL`,
    });
    return false;
  }
  const um = s.unmapped.get(t);
  if (um) {
    cx.report('pte-after-unmap', spanOf(at), `\`${text}\` is used after its page table was unmapped at line ${um.line + 1} (${um.how})`, s, {
      line: at.startPosition.row,
      character: at.startPosition.column,
      kind: 'event',
      text: `\`${text}\` used after unmap`,
    });
    s.unmapped.delete(t);
  }
  return true;
}

function evalAssignment(cx: SimContext, s: PathState, n: SyntaxNode): Val[] {
  const left = n.childForFieldName('left');
  const right = n.childForFieldName('right');
  const op = n.childForFieldName('operator')?.text ?? '=';
  if (!left || !right) return [{ s, v: fresh(cx, s, n.text, n.startPosition.row) }];
  const out: Val[] = [];
  for (const r of evalExpr(cx, s, right)) {
    let val = r;
    if (op !== '=') {
      // Compound assignment: the result is derived from the old value (pointer arithmetic keeps the table).
      for (const old of evalExpr(cx, r.s, left)) {
        const v = arith(cx, old.s, old.v, r.v, op.slice(0, -1), n);
        for (const st of assignTo(cx, old.s, left, { s: old.s, v })) out.push({ s: st, v });
      }
      continue;
    }
    for (const st of assignTo(cx, r.s, left, val)) out.push({ s: st, v: val.v, page: val.page });
  }
  return out;
}

/** Store a value into an lvalue. Stores into arrays, through pointers and into fields of
 *  objects that are not locals hand the value off. */
export function assignTo(cx: SimContext, s: PathState, left: SyntaxNode, val: Val): PathState[] {
  const l = left.type === 'parenthesized_expression' ? strip(left) : left;
  if (l.type === 'identifier') {
    assignVar(s, l.text, val);
    // A variable this function does not declare is a global: what it now points to is
    // reachable from everywhere, owned there like a value stored into a shared structure.
    if (!cx.varTypes.has(l.text)) handOff(cx, s, val.v);
    return [s];
  }
  if (l.type === 'field_expression') {
    const arg = l.childForFieldName('argument');
    const field = l.childForFieldName('field')?.text ?? '?';
    const op = l.childForFieldName('operator')?.text ?? (l.text.includes('->') ? '->' : '.');
    if (!arg) return [s];
    const bases = op === '.' ? evalAddress(cx, s, arg) : evalExpr(cx, s, arg);
    const out: PathState[] = [];
    for (const b of bases) {
      b.s.fields.set(`${b.s.rep(b.v)}.${field}`, val.v);
      // A field of a local structure is still ours; anything else now owns the value.
      const local = op === '.' && arg.type === 'identifier' && !isParam(cx, arg.text);
      if (!local) handOff(cx, b.s, val.v);
      out.push(b.s);
    }
    return out;
  }
  if (l.type === 'subscript_expression' || l.type === 'pointer_expression') {
    const out: PathState[] = [];
    const target = l.childForFieldName('argument');
    const idx = l.type === 'subscript_expression' ? l.childForFieldName('index') : null;
    for (const r of evalSeq(cx, s, [target, idx].filter((x): x is SyntaxNode => x !== null))) {
      const p = r.vs[0];
      if (p && l.type === 'pointer_expression' && !checkPointerUse(cx, r.s, p.v, l, target?.text ?? '')) continue;
      const addrOf = p ? cx.info(r.s.rep(p.v)).addrOf : undefined;
      if (p && l.type === 'pointer_expression' && addrOf) {
        // *&var = v is var = v.
        assignVar(r.s, addrOf, val);
        out.push(r.s);
        continue;
      }
      if (p && l.type === 'pointer_expression') r.s.fields.set(`${r.s.rep(p.v)}.*`, val.v);
      if (p && l.type === 'subscript_expression' && r.vs[1]) storeElement(r.s, p.v, r.vs[1].v, val.v);
      handOff(cx, r.s, val.v);
      out.push(r.s);
    }
    return out;
  }
  return [s];
}

function isParam(cx: SimContext, name: string): boolean {
  return cx.fn.params.some((p) => p.name === name);
}

export function assignVar(s: PathState, name: string, val: Val): void {
  s.env.set(name, val.v);
  s.staleVars.delete(name);
  if (val.page !== undefined) s.varFromPage.set(name, val.page);
  else s.varFromPage.delete(name);
}

function arith(cx: SimContext, s: PathState, a: Sym, b: Sym, op: string, n: SyntaxNode): Sym {
  const fa = s.getFacts(a);
  const fb = s.getFacts(b);
  const ca = fa.lo === fa.hi && Number.isFinite(fa.lo);
  const cb = fb.lo === fb.hi && Number.isFinite(fb.lo);
  if (ca && cb) {
    const x = fa.lo, y = fb.lo;
    let r: number | undefined;
    switch (op) {
      case '+': r = x + y; break;
      case '-': r = x - y; break;
      case '*': r = x * y; break;
      case '/': r = y !== 0 ? Math.trunc(x / y) : undefined; break;
      case '%': r = y !== 0 ? x % y : undefined; break;
      case '|': r = x | y; break;
      case '&': r = x & y; break;
      case '^': r = x ^ y; break;
      case '<<': r = y < 31 ? x << y : undefined; break;
      case '>>': r = x >> y; break;
    }
    if (r !== undefined && Number.isSafeInteger(r)) return cx.constSym(s, r);
  }
  // Pointer arithmetic: ptep + 1, ptep - 1 stay in the same table.
  const table = tableOf(cx, s, a);
  if ((op === '+' || op === '-') && cx.info(table).pteTable) {
    // Point straight at the table, however many times a loop advanced the pointer.
    const x = cx.newSym({ label: n.text, line: n.startPosition.row, origin: 'derived', from: [table], arith: true });
    refine(s, x, { nz: true });
    return x;
  }
  if (op === '&' && (ca || cb)) {
    // A bit test: its truth says which bits of the other operand are set.
    const mask = ca ? fa.lo : fb.lo;
    const v = ca ? b : a;
    const fv = ca ? fb : fa;
    if ((fv.clear ?? 0) & mask && ((fv.clear ?? 0) & mask) === mask) return cx.constSym(s, 0);
    const x = maskSym(cx, s, v, mask, n.text.length > 40 ? 'expression' : n.text);
    if (fv.set && (fv.set & mask) !== 0) refine(s, x, { nz: true });
    return x;
  }
  // A header flag tested in any value (`nd->flags & LOOKUP_RCU` after a helper cleared it) is
  // one question per value, like a test of entry values.
  if (op === '&' && ((entryStable(cx, s, a) && entryStable(cx, s, b)) || headerFlag(cx, s, a) || headerFlag(cx, s, b))) return bitTest(cx, s, a, b, n.text.length > 40 ? 'expression' : n.text);
  const orMask = op === '|' && (ca || cb) ? (ca ? fa.lo : fb.lo) : undefined;
  const orOf = orMask !== undefined && Number.isSafeInteger(orMask) && orMask > 0 && orMask <= 0x7fffffff ? { x: ca ? b : a, mask: orMask } : undefined;
  const k = op === '+' ? (cb ? fb.lo : ca ? fa.lo : undefined) : op === '-' && cb ? -fb.lo : undefined;
  const offsetOf = k !== undefined && Number.isSafeInteger(k) ? offsetFrom(cx, s, op === '+' && !cb ? b : a, k) : undefined;
  if (offsetOf?.k === 0) return offsetOf.x;
  const x = cx.newSym({ label: n.text.length > 40 ? 'expression' : n.text, line: n.startPosition.row, origin: 'derived', from: [a, b], ...(orOf ? { orOf } : {}), ...(offsetOf ? { offsetOf } : {}) });
  if (op === '|' && (fa.nz || fb.nz)) refine(s, x, { nz: true });
  // `flags & ~MASK` has none of MASK's bits, whatever MASK is.
  const cleared = op === '&' ? (cx.info(s.rep(b)).notOf ?? cx.info(s.rep(a)).notOf) : undefined;
  if (cleared !== undefined) refine(s, bitTest(cx, s, x, cleared, `${n.text} & mask`), { lo: 0, hi: 0, nz: false });
  if (op === '|' && (ca || cb)) refine(s, x, orBits(ca ? fb : fa, ca ? fa.lo : fb.lo));
  // `ret |= folio_lock_or_retry(folio, vmf)`: a bit known set in either operand is set in the
  // result (VM_FAULT_RETRY of the callee's outcome), a bit clear in both stays clear.
  if (op === '|' && !ca && !cb) {
    const set = (fa.set ?? 0) | (fb.set ?? 0);
    const clear = (fa.clear ?? 0) & (fb.clear ?? 0);
    if (set || clear) refine(s, x, { ...(set ? { set, nz: true } : {}), ...(clear ? { clear } : {}) });
  }
  return x;
}

/** `v + k` as an offset from the value v was itself an offset from (`depth + 1 - 1` is depth). */
export function offsetFrom(cx: SimContext, s: PathState, v: Sym, k: number): { x: Sym; k: number } {
  const o = cx.info(s.rep(v)).offsetOf;
  return o ? { x: o.x, k: o.k + k } : { x: s.rep(v), k };
}

/** `x & M` for a constant M: one value per (x, M), so a later test of the same bits of the
 *  same value, here or in a caller given what a callee's return assumed, is decided alike. */
export function maskSym(cx: SimContext, s: PathState, v: Sym, mask: number, label: string): Sym {
  const r = s.rep(v);
  return cx.keyedSym(`mask:${r}&${mask}`, { label, line: -1, origin: 'derived', from: [r], maskOf: { x: r, mask } });
}

/** `x | M` (`ret |= VM_FAULT_LOCKED`): the bits of M are set, and the bits known clear in x
 *  outside M stay clear, so a caller still tells this return from one without the flag. */
function orBits(x: ValueFacts, mask: number): Partial<ValueFacts> {
  if (!Number.isSafeInteger(mask) || mask <= 0 || mask > 0x7fffffff) return {};
  const clear = (x.clear ?? 0) & ~mask;
  return { nz: true, set: (x.set ?? 0) | mask, ...(clear ? { clear } : {}) };
}

function evalUpdate(cx: SimContext, s: PathState, n: SyntaxNode): Val[] {
  const arg = n.childForFieldName('argument');
  const op = n.childForFieldName('operator')?.text ?? (n.text.includes('++') ? '++' : '--');
  if (!arg) return [{ s, v: fresh(cx, s, n.text, n.startPosition.row) }];
  // `++cnt` is the new value, `cnt++` the old one: `while (++cnt < max)` compares the count
  // the loop goes on with.
  const prefix = n.startIndex < arg.startIndex;
  const out: Val[] = [];
  for (const old of evalExpr(cx, s, arg)) {
    if (!checkPointerUse(cx, old.s, old.v, n, arg.text)) continue;
    const one = cx.constSym(old.s, 1);
    const v = arith(cx, old.s, old.v, one, op === '++' ? '+' : '-', n);
    for (const st of assignTo(cx, old.s, arg, { s: old.s, v })) out.push({ s: st, v: prefix ? v : old.v });
  }
  return out;
}

function evalUnary(cx: SimContext, s: PathState, n: SyntaxNode): Val[] {
  const op = n.childForFieldName('operator')?.text ?? n.child(0)?.type;
  const arg = n.childForFieldName('argument');
  if (!arg) return [{ s, v: fresh(cx, s, n.text, n.startPosition.row) }];
  if (op === '!') {
    return evalCond(cx, s, n).map((r) => ({ s: r.s, v: cx.constSym(r.s, r.truth ? 1 : 0) }));
  }
  const out: Val[] = [];
  for (const r of evalExpr(cx, s, arg)) {
    const f = r.s.getFacts(r.v);
    if (f.lo === f.hi && Number.isFinite(f.lo)) {
      const c = op === '-' ? -f.lo : op === '~' ? ~f.lo : f.lo;
      out.push({ s: r.s, v: cx.constSym(r.s, c) });
      continue;
    }
    const v = cx.newSym({ label: n.text, line: n.startPosition.row, origin: 'derived', from: [r.v], ...(op === '~' ? { notOf: r.s.rep(r.v) } : {}) });
    if (op === '-' && f.lo > 0) refine(r.s, v, { hi: -1 });
    out.push({ s: r.s, v });
  }
  return out;
}

const CONDITION_OPS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

function evalBinary(cx: SimContext, s: PathState, n: SyntaxNode): Val[] {
  const op = n.childForFieldName('operator')?.text ?? '';
  if (CONDITION_OPS.has(op)) {
    return evalCond(cx, s, n).map((r) => ({ s: r.s, v: cx.constSym(r.s, r.truth ? 1 : 0) }));
  }
  const l = n.childForFieldName('left');
  const r = n.childForFieldName('right');
  if (!l || !r) return [{ s, v: fresh(cx, s, n.text, n.startPosition.row) }];
  const out: Val[] = [];
  for (const e of evalSeq(cx, s, [l, r])) {
    out.push({ s: e.s, v: arith(cx, e.s, e.vs[0].v, e.vs[1].v, op, n) });
  }
  return out;
}

/** Evaluate a condition: the feasible (state, truth) pairs, each state refined so that
 *  the same condition later on the same path is decided the same way. */
export function evalCond(cx: SimContext, s: PathState, node: SyntaxNode): CondResult[] {
  if (cx.evalDepth >= MAX_EXPRESSION_DEPTH) {
    cx.tooDeep = true;
    return [{ s: s.clone(), truth: true }, { s, truth: false }];
  }
  cx.evalDepth++;
  try {
    return evalCondInner(cx, s, node);
  } finally {
    cx.evalDepth--;
  }
}

function evalCondInner(cx: SimContext, s: PathState, node: SyntaxNode): CondResult[] {
  const n = strip(node);
  if (n.type === 'unary_expression' && (n.childForFieldName('operator')?.text ?? n.child(0)?.type) === '!') {
    const a = n.childForFieldName('argument');
    if (!a) return [{ s, truth: false }];
    return evalCond(cx, s, a).map((r) => ({ s: r.s, truth: !r.truth }));
  }
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.text ?? '';
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (l && r) {
      if (op === '&&' || op === '||') {
        const out: CondResult[] = [];
        for (const a of evalCond(cx, s, l)) {
          if (op === '&&' ? !a.truth : a.truth) out.push(a);
          else out.push(...evalCond(cx, a.s, r));
        }
        return out;
      }
      if (op === '==' || op === '!=') {
        const owner = ownerTest(cx, s, l, r) ?? ownerTest(cx, s, r, l);
        if (owner) {
          return owner.map((q) => {
            note(q.s, n, q.held === (op === '=='));
            return { s: q.s, truth: q.held === (op === '==') };
          });
        }
        const out: CondResult[] = [];
        for (const e of evalSeq(cx, s, [l, r])) {
          for (const q of splitEq(cx, e.s, e.vs[0].v, e.vs[1].v)) {
            if (q.split) note(q.s, n, q.eq === (op === '=='));
            out.push({ s: q.s, truth: q.eq === (op === '==') });
          }
        }
        return out;
      }
      if (op === '<' || op === '<=' || op === '>' || op === '>=') {
        const out: CondResult[] = [];
        for (const e of evalSeq(cx, s, [l, r])) {
          for (const q of splitOrder(e.s, e.vs[0].v, op as RelOp, e.vs[1].v)) {
            if (q.split) note(q.s, n, q.truth);
            out.push({ s: q.s, truth: q.truth });
          }
        }
        return out;
      }
    }
  }
  if (n.type === 'call_expression') {
    const name = n.childForFieldName('function')?.text ?? '';
    const args = argsOf(n);
    if ((name === 'IS_ERR' || name === 'IS_ERR_OR_NULL') && args.length === 1) {
      const out: CondResult[] = [];
      for (const a of evalExpr(cx, s, args[0])) {
        for (const q of splitErrPtr(a.s, a.v, name === 'IS_ERR_OR_NULL')) {
          if (q.split) note(q.s, n, q.truth);
          out.push({ s: q.s, truth: q.truth });
        }
      }
      return out;
    }
  }
  if (n.type === 'preproc_defined' || n.type === 'preproc_arg') {
    const v = cx.keyedSym(`pp:${n.text}`, { label: n.text, line: -1, origin: 'global' });
    return splitTruth(s, v).map((q) => {
      if (q.split) note(q.s, n, q.truth);
      return { s: q.s, truth: q.truth };
    });
  }
  const out: CondResult[] = [];
  for (const r of evalExpr(cx, s, n)) {
    for (const q of splitTruth(r.s, r.v)) {
      if (q.split) note(q.s, n, q.truth);
      const m = cx.info(r.v).maskOf;
      if (m && q.split) {
        // `x & M` false: every bit of M is clear in x; true with a single bit: that bit is set.
        const single = (m.mask & (m.mask - 1)) === 0;
        if (!q.truth && !refineBits(cx, q.s, m.x, { clear: m.mask })) continue;
        if (q.truth && single && !refineBits(cx, q.s, m.x, { set: m.mask })) continue;
        if (q.truth && !refine(q.s, m.x, { nz: true })) continue;
      }
      out.push({ s: q.s, truth: q.truth });
    }
  }
  return out;
}

/** `owner == current` where owner records the holder of a lock (./ownerLocks.ts): the paths
 *  on which this context holds the lock and those on which it does not. */
function ownerTest(cx: SimContext, s: PathState, owner: SyntaxNode, other: SyntaxNode): { s: PathState; held: boolean }[] | undefined {
  if (strip(other).text !== 'current') return undefined;
  const o = strip(owner);
  const lock = cx.ownerLocks.get(ownerName(o.text.replace(/\s+/g, '')));
  if (!lock) return undefined;
  let locks: Val[];
  if (lock.global !== undefined && o.type === 'identifier' && !cx.varTypes.has(o.text)) locks = [{ s, v: addrOfVar(cx, s, lock.global) }];
  else if (lock.field !== undefined && o.type === 'field_expression') {
    const arg = o.childForFieldName('argument');
    if (!arg) return undefined;
    const dot = (o.childForFieldName('operator')?.text ?? (o.text.includes('->') ? '->' : '.')) === '.';
    locks = (dot ? evalAddress(cx, s, arg) : evalExpr(cx, s, arg)).map((b) => ({ s: b.s, v: fieldAddr(cx, b.s, b.v, lock.field!, `${arg.text}->${lock.field}`) }));
  } else return undefined;
  const out: { s: PathState; held: boolean }[] = [];
  for (const k of locks) {
    for (const held of [true, false]) {
      const st = held ? k.s.clone() : k.s;
      if (!assumeHolds(cx, st, lock.resource, k.v, owner.startPosition.row, held)) continue;
      out.push({ s: st, held });
    }
  }
  return out;
}

function short(t: string): string {
  const one = t.replace(/\s+/g, ' ');
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}

/** Record a branch decision taken on an undecided condition. */
function note(s: PathState, n: SyntaxNode, truth: boolean): void {
  s.decisions++;
  s.push(decisionStep(n, short(n.text), truth));
}

/** A witness step for a branch decision, with the decision itself for the rules to read. */
export function decisionStep(n: SyntaxNode, cond: string, truth: boolean): WitnessStep {
  return { line: n.startPosition.row, character: n.startPosition.column, kind: 'branch', text: `\`${cond}\` is ${truth}`, decision: { cond, truth } };
}
