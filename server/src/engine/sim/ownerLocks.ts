// Recursive locks built by hand: an owner variable (a global or a field) that a path holding
// lock L sets to `current` and clears before it releases L says "owner == current exactly when
// this context holds L" (clk_prepare_lock(), mwl8k_fw_lock()). A test of it is a question about
// L, not about a value: true means this context holds L, false that it does not.

import type { Contract, Resource } from '../model/types';
import { callArgumentTexts } from '../parse/scan';
import { argumentKinds } from './lockKinds';

/** The lock an owner names: a global (`prepare_owner` -> `&prepare_lock`) or a field whose
 *  lock is a field of the same structure (`->fw_mutex_owner` -> `&priv->fw_mutex`). */
export interface OwnedLock {
  resource: Resource;
  global?: string;
  field?: string;
}

/** Owner name (a global's name, or `->field`) -> the lock it records the holder of. */
export type OwnerLocks = Map<string, OwnedLock>;

const OWNER = String.raw`([A-Za-z_]\w*(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*)`;
const OWNER_AT_END = new RegExp(`${OWNER}\\s*$`);
/** How far before `=` an owner expression may start. */
const MAX_OWNER_TEXT = 200;

/** Assignments `X = value;` in `text`: X and where the statement ends. The value is found
 *  first and X read backwards from it: an owner pattern tried at every identifier of a file
 *  cost half a millisecond per edit of a large file. */
function* assignmentsOf(text: string, value: string): Generator<{ lhs: string; end: number }> {
  for (const m of text.matchAll(new RegExp(`=\\s*${value}\\s*;`, 'g'))) {
    if (m.index > 0 && /[=!<>+\-*/%&|^]/.test(text[m.index - 1])) continue;
    const from = Math.max(0, m.index - MAX_OWNER_TEXT);
    let before = text.slice(from, m.index);
    // Started inside an identifier: drop its tail, which is no name of its own.
    if (from > 0 && /\w/.test(text[from - 1])) before = before.replace(/^\w+/, '');
    const lhs = OWNER_AT_END.exec(before)?.[1];
    if (lhs) yield { lhs, end: m.index + m[0].length };
  }
}

/** Owners of a document: `X = current;` somewhere, and `X = NULL;` whose next lock call is a
 *  release of the lock X names (the owner is cleared while the lock is still held). */
export function learnOwnerLocks(text: string, contracts: ReadonlyMap<string, Contract>): OwnerLocks {
  const set = new Set<string>();
  for (const a of assignmentsOf(text, 'current')) set.add(norm(a.lhs));
  const out: OwnerLocks = new Map();
  if (!set.size) return out;
  const kindOf = argumentKinds(contracts);
  for (const a of assignmentsOf(text, 'NULL')) {
    const owner = norm(a.lhs);
    if (!set.has(owner)) continue;
    const lock = nextLockCall(text, a.end, contracts, kindOf);
    const owned = lock && ownedLock(owner, lock.arg, lock.resource);
    if (owned) out.set(ownerName(owner), owned);
  }
  return out;
}

function norm(t: string): string {
  return t.replace(/\s+/g, '');
}

/** The key an owner expression is known by: a global's name, or the field of a structure. */
export function ownerName(expr: string): string {
  const m = /(?:->|\.)(\w+)$/.exec(expr);
  return m ? `->${m[1]}` : expr;
}

/** The first call after `from` in the same block, if it releases a lock of a named kind. */
function nextLockCall(text: string, from: number, contracts: ReadonlyMap<string, Contract>, kindOf: Map<string, Resource>): { arg: string; resource: Resource } | undefined {
  const call = /([A-Za-z_]\w*)\s*\(|\}/g;
  call.lastIndex = from;
  for (let m = call.exec(text); m; m = call.exec(text)) {
    if (m[0] === '}') return undefined;
    const kind = kindOf.get(m[1]);
    if (!kind) continue;
    const c = contracts.get(m[1]);
    if (!c?.effects?.some((e) => e.op === 'release')) return undefined;
    const arg = callArgumentTexts(text, m.index + m[0].length - 1)?.[0];
    return arg === undefined ? undefined : { arg: norm(arg), resource: kind };
  }
  return undefined;
}

function ownedLock(owner: string, lockArg: string, resource: Resource): OwnedLock | undefined {
  const g = /^&([A-Za-z_]\w*)$/.exec(lockArg);
  if (g && /^[A-Za-z_]\w*$/.test(owner)) return { resource, global: g[1] };
  const f = /^&(.*)->(\w+)$/.exec(lockArg);
  const o = /^(.*)->(\w+)$/.exec(owner);
  if (f && o && f[1] === o[1]) return { resource, field: f[2] };
  return undefined;
}
