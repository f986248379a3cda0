// What kind of lock a name denotes, learnt from how the document itself takes and
// releases it. Annotations (`__must_hold(&port->status_lock)`) and lockdep assertions
// (`lockdep_assert_held(&vfs->table_lock)`) name a lock but not its kind; guessing the
// kind from the name makes a mutex a spinlock, and then every sleeping call under it
// looks like sleeping in atomic context. The document's own `mutex_lock(&x->table_lock)`
// says what `table_lock` is.

import type { Contract, Resource } from '../model/types';
import { lockClass } from './state';

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
    if ((e.op === 'acquire' || e.op === 'release') && 'arg' in e.target && e.target.arg === 0 && !('via' in e.target && e.target.via) && !('field' in e.target)) {
      kinds.add(e.resource);
    }
  }
  if (kinds.size !== 1) return undefined;
  const k = [...kinds][0];
  return NAMED_KINDS.has(k) ? k : undefined;
}

/** The last identifier of a lock expression: `&pf->vfs.table_lock` -> `table_lock`. */
export function lockTail(expr: string): string | undefined {
  const ids = expr.replace(/\[[^\]]*\]/g, '').match(/[A-Za-z_]\w*/g);
  return ids ? ids[ids.length - 1] : undefined;
}

/** The first argument of each call to `name` in `text` (to the first top-level `,` or `)`). */
function firstArgs(text: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`\\b${name}\\s*\\(`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 0;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) break;
      else if (ch === ';' || ch === '{') return out;
    }
    out.push(text.slice(start, i));
  }
  return out;
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
export function learnLockKinds(text: string, contracts: Iterable<Contract>): LockKinds {
  const kinds = kindsFromCalls(text, contracts);
  for (const [re, resource] of LOCK_DEFINITIONS) for (const m of text.matchAll(re)) kinds.set(m[1], resource);
  return kinds;
}

function kindsFromCalls(text: string, contracts: Iterable<Contract>): LockKinds {
  const seen = new Map<string, Resource | null>();
  for (const c of contracts) {
    const kind = argumentKind(c);
    if (!kind || !text.includes(c.name)) continue;
    for (const arg of firstArgs(text, c.name)) {
      const tail = lockTail(arg);
      if (!tail) continue;
      const prev = seen.get(tail);
      if (prev === undefined) seen.set(tail, kind);
      else if (prev !== null && lockClass(prev) !== lockClass(kind)) seen.set(tail, null);
    }
  }
  const out: LockKinds = new Map();
  for (const [tail, kind] of seen) if (kind) out.set(tail, kind);
  return out;
}
