// What kind of lock a name denotes, learnt from how the document itself takes and
// releases it. Annotations (`__must_hold(&port->status_lock)`) and lockdep assertions
// (`lockdep_assert_held(&vfs->table_lock)`) name a lock but not its kind; guessing the
// kind from the name makes a mutex a spinlock, and then every sleeping call under it
// looks like sleeping in atomic context. The document's own `mutex_lock(&x->table_lock)`
// says what `table_lock` is.

import type { Contract, Resource } from '../model/types';
import { lockClass } from './state';
import { callArgumentTexts } from '../parse/scan';

/** Lock name (the last identifier of the lock expression) -> its resource, when every lock
 *  or unlock call of the document that names it agrees on the kind. */
export type LockKinds = Map<string, Resource>;

/** Resources whose lock object is the call's first argument and whose kind is not fixed by
 *  the object (folio locks, page-table locks and modes are known by their APIs). */
const NAMED_KINDS = new Set<Resource>(['spinlock', 'mutex', 'rwsem_read', 'rwsem_write', 'srcu']);

function argumentKind(c: Contract): Resource | undefined {
  const effects = [...(c.effects ?? []), ...(c.outcomes ?? []).flatMap((o) => o.effects)];
  const kinds = new Set<Resource>();
  for (const e of effects) {
    if ((e.op === 'acquire' || e.op === 'release') && 'arg' in e.target && e.target.arg === 0 && !('via' in e.target && e.target.via) && !('field' in e.target) && !('member' in e.target)) {
      kinds.add(e.resource);
    }
  }
  if (kinds.size !== 1) return undefined;
  const k = [...kinds][0];
  return NAMED_KINDS.has(k) ? k : undefined;
}

/**
 * The names a lock expression is known by, most specific first: the expression as written
 * (`&vm->lock` -> `=vm->lock`), its last two identifiers (`vm.lock`) and its last (`lock`).
 * A field called `lock` is a spinlock in one structure and an rwsem in another; the more
 * specific names tell them apart where the field name alone is ambiguous.
 */
function lockNames(expr: string): string[] {
  const names: string[] = [];
  const whole = expr.replace(/\s+/g, '').replace(/^&/, '').replace(/\[[^\]]*\]/g, '[]');
  if (whole) names.push(`=${whole}`);
  const ids = expr.replace(/\[[^\]]*\]/g, '').match(/[A-Za-z_]\w*/g) ?? [];
  if (ids.length >= 2) names.push(`${ids[ids.length - 2]}.${ids[ids.length - 1]}`);
  if (ids.length >= 1) names.push(ids[ids.length - 1]);
  return names;
}

/** The kind of the lock an expression names, by its most specific known name. */
export function lockKindOf(kinds: LockKinds | undefined, expr: string): Resource | undefined {
  if (!kinds) return undefined;
  for (const name of lockNames(expr)) {
    const kind = kinds.get(name);
    if (kind) return kind;
  }
  return undefined;
}

/** Lock APIs whose first argument is a lock of one kind, by name (made once per table). */
const ARGUMENT_KINDS = new WeakMap<ReadonlyMap<string, Contract>, Map<string, Resource>>();

export function argumentKinds(contracts: ReadonlyMap<string, Contract>): Map<string, Resource> {
  let kinds = ARGUMENT_KINDS.get(contracts);
  if (!kinds) {
    kinds = new Map();
    for (const [name, c] of contracts) {
      const kind = argumentKind(c);
      if (kind) kinds.set(name, kind);
    }
    ARGUMENT_KINDS.set(contracts, kinds);
  }
  return kinds;
}

/** Definitions of file-scope locks: the macro or type says which kind of lock a name is,
 *  whatever calls the document makes on it. */
const LOCK_DEFINITIONS: [RegExp, Resource][] = [
  [/\bDEFINE_MUTEX\s*\(\s*(\w+)\s*\)/g, 'mutex'],
  [/\bDEFINE_(?:RAW_)?SPINLOCK\s*\(\s*(\w+)\s*\)/g, 'spinlock'],
  [/\bDEFINE_RWLOCK\s*\(\s*(\w+)\s*\)/g, 'spinlock'],
  [/\bDECLARE_RWSEM\s*\(\s*(\w+)\s*\)/g, 'rwsem_read'],
  [/^(?:static\s+)?struct\s+mutex\s+(\w+)\s*;/gm, 'mutex'],
  [/^(?:static\s+)?struct\s+rw_semaphore\s+(\w+)\s*;/gm, 'rwsem_read'],
  [/^(?:static\s+)?(?:raw_)?spinlock_t\s+(\w+)\s*;/gm, 'spinlock'],
];

/** Lock kinds of a document: its file-scope lock definitions, then for other names the
 *  kind its own lock calls agree on. */
export function learnLockKinds(text: string, contracts: ReadonlyMap<string, Contract>): LockKinds {
  const kinds = kindsFromCalls(text, contracts);
  for (const [re, resource] of LOCK_DEFINITIONS) for (const m of text.matchAll(re)) kinds.set(m[1], resource);
  return kinds;
}

function kindsFromCalls(text: string, contracts: ReadonlyMap<string, Contract>): LockKinds {
  const kindOf = argumentKinds(contracts);
  const seen = new Map<string, Resource | null>();
  const call = /([A-Za-z_]\w*)\s*\(/g;
  for (let m = call.exec(text); m; m = call.exec(text)) {
    const kind = kindOf.get(m[1]);
    if (!kind) continue;
    const arg = callArgumentTexts(text, m.index + m[0].length - 1)?.[0];
    if (arg === undefined) continue;
    for (const name of lockNames(arg)) {
      const prev = seen.get(name);
      if (prev === undefined) seen.set(name, kind);
      else if (prev !== null && lockClass(prev) !== lockClass(kind)) seen.set(name, null);
    }
  }
  const out: LockKinds = new Map();
  for (const [tail, kind] of seen) if (kind) out.set(tail, kind);
  return out;
}
