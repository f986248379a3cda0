// The abstract state of one path: symbolic values with facts, the objects
// they denote with their locks and references, and the trail of decisions and
// events that led here. Cloned at every fork; maps are copied shallowly and
// entries are replaced, never mutated in place after a clone.

import type { Resource } from '../model/types';
import type { WitnessStep } from '../types';
import { CowMap, CowSet } from './cow';

/** A symbolic value. Objects (folios, pages, locks, PTE tables) are identified by the
 *  representative symbol of the values that point to them. */
export type Sym = number;

/** Facts about an integer or pointer value. Pointers use 0 for NULL. */
export interface ValueFacts {
  lo: number;
  hi: number;
  /** Known non-zero (non-NULL). */
  nz: boolean;
  /** Values known to be excluded (besides zero, which `nz` covers). */
  ne?: number[];
  /** true: an error pointer (IS_ERR); false: known not to be one. */
  errptr?: boolean;
  /** Bits known set / known clear (from tests like `ret & VM_FAULT_LOCKED`). */
  set?: number;
  clear?: number;
}

export const UNKNOWN_FACTS: ValueFacts = { lo: -Infinity, hi: Infinity, nz: false };

/** Whether the caller gets a reference with an object this function obtained. */
export type RefOrigin = 'caller' | 'noref' | 'ref' | 'unknown';

/** Static knowledge about a symbol, fixed when it is created. */
export interface SymInfo {
  /** Display name: the expression it came from, e.g. "folio", "page_folio(page)". */
  label: string;
  /** Line where it was created (0-based), -1 for entry values. */
  line: number;
  /** Where the value comes from: a parameter, a field of another value, a call. */
  origin: 'param' | 'field' | 'call' | 'const' | 'local' | 'global' | 'derived';
  /** For values derived from others (pointer arithmetic, unknown calls on them): the sources. */
  from?: Sym[];
  /** page_folio(page): the page it was computed from. */
  folioOfPage?: Sym;
  /** Reference provenance for objects obtained from calls. */
  ref?: RefOrigin;
  /** For syms created on function entry: the parameter index and field path. */
  entryPath?: { param: number; path: string[] };
  /** Entry contract: what the caller holds on page_folio() of this page. */
  holdsOnFolio?: (import('../model/types').Resource | 'ref')[];
  /** Returned by a pte_offset_map* call: a pointer into a mapped PTE table (or NULL). */
  pteTable?: boolean;
  /** Pointer arithmetic on `from[0]` (ptep + 1, ptep++): the same table. */
  arith?: boolean;
  /** Created by a contracted call (or page_folio() of such a page): its lock state is known
   *  (not held) until code the simulator cannot see gets it. */
  fresh?: boolean;
  /** The same value on every path of the function (keyed): usable to tell returns apart. */
  stable?: boolean;
  /** A callee's summary picked its case by this value (a lock helper testing
   *  `substream->pcm->nonatomic`): its matching unlock helper asks the same. */
  picksCalleeCase?: boolean;
  /** A pure call on stable values (`folio_test_anon(folio)`): name and arguments. */
  pure?: { name: string; args: Sym[] };
  /** `&base->field`: the field whose address this is (base is from[0]). */
  addrField?: string;
  /** The object a keyed contract return names (`pmd_lockptr(mm, pmd)` is `pmd_ptl` of mm
   *  and pmd, on every path): the key and the arguments' representatives. */
  keyedBy?: { key: string; args: (Sym | undefined)[] };
  /** The address of this variable (`&name`): `*` of it is the variable itself. */
  addrOf?: string;
  /** `x & mask` with a constant mask: testing it tells which bits of x are set. */
  maskOf?: { x: Sym; mask: number };
  /** `x | mask` with a constant mask: its bits outside the mask are those of x. */
  orOf?: { x: Sym; mask: number };
  /** `~x` of a value not known here (`~LOOKUP_RCU`, a header flag): `y & ~x` clears x's bits. */
  notOf?: Sym;
  /** `x + k` (or `x - k`, k negated) for a constant k: what a path learns of it is what it
   *  learns of x, shifted (`if (--depth)` says whether depth was 1). */
  offsetOf?: { x: Sym; k: number };
}

/** A relation between two representatives decided on a path (`a op b` is `truth`). */
export interface DecidedRelation {
  op: string;
  a: Sym;
  b: Sym;
  truth: boolean;
}

export interface HeldLock {
  resource: Resource;
  /** The object (representative symbol) or -1 for a global mode. */
  obj: Sym;
  /** How many times (rcu, lazy-MMU nest; locks are 1). */
  count: number;
  line: number;
  origin: 'here' | 'caller' | 'test';
  /** What it was taken with, for messages ("folio_lock(folio)"). */
  how: string;
  /** Taken inside a loop and still held when the path went into that loop's next round: it
   *  stands for every element the walk has visited so far, not for one object. */
  acrossRounds?: boolean;
}

export interface RefState {
  delta: number;
  /** Line of the last change, for messages. */
  line: number;
  /** Set when the path dropped the last reference it knew of. */
  dropped?: { line: number; how: string };
  /** References a removed mapping gave back to this path (folio_remove_rmap_*): it may drop
   *  them (drops use these first), and leaving them to someone else (a TLB batch) is no leak. */
  spare?: number;
}

/** Persistent list of witness steps (shared tails between forked states). */
export interface Trail {
  step: WitnessStep;
  prev: Trail | null;
  length: number;
}

export function trailToArray(t: Trail | null, max = 200): WitnessStep[] {
  const out: WitnessStep[] = [];
  let cur = t;
  while (cur && out.length < max) {
    out.push(cur.step);
    cur = cur.prev;
  }
  return out.reverse();
}

/** Resources that are one lock under two names: a page-table lock is a spinlock, and a
 *  read/write lock is one lock whichever side is taken. */
export function lockClass(resource: Resource): string {
  switch (resource) {
    case 'ptl':
      return 'spinlock';
    case 'mmap_write':
      return 'mmap_read';
    case 'rwsem_write':
      return 'rwsem_read';
    default:
      return resource;
  }
}

/** A lock/mode state key: lock class plus object. */
export function lockKey(resource: Resource, obj: Sym): string {
  return `${lockClass(resource)}:${obj}`;
}

export class PathState {
  /** Variables to symbols. */
  env: CowMap<string, Sym>;
  /** Union-find parent links among symbols (equalities learnt on this path). */
  parent: CowMap<Sym, Sym>;
  /** Facts by representative symbol. */
  facts: CowMap<Sym, ValueFacts>;
  /** Facts of the simulation's constants: the same on every path, shared by all its states
   *  rather than copied into each. */
  constFacts: Map<Sym, ValueFacts>;
  /** Disequalities between representatives: "a|b" (a < b) -> [a, b]. */
  neq: CowMap<string, readonly [Sym, Sym]>;
  /** Relations decided on this path for opaque conditions: "op|a|b" -> the decision. */
  decided: CowMap<string, DecidedRelation>;
  /** Flags by representative (device_private, large, ...): true/false once known. */
  flags: CowMap<Sym, Record<string, boolean>>;
  /** Fields: "rep.field" -> value symbol. */
  fields: CowMap<string, Sym>;
  /** page_folio(): page representative -> folio symbol. */
  pageFolio: CowMap<Sym, Sym>;
  /** Lock state by lockKey(resource, rep). Absent = not held by this context. */
  held: CowMap<string, HeldLock>;
  /** Lock keys of entry objects whose state this path has fixed (acquired or released). Entry
   *  objects (parameters and what hangs off them) start in an unknown lock state. */
  touched: CowSet<string>;
  /** What this path assumed about the caller's locks on entry objects: lockKey -> need. */
  pre: CowMap<string, { resource: Resource; obj: Sym; need: 'held' | 'free'; line: number; test?: boolean }>;
  /** Reference deltas by representative. */
  refs: CowMap<Sym, RefState>;
  /** Objects passed to functions the simulator cannot see: their lock state is unknown. */
  opaque: CowSet<Sym>;
  /** Objects given to unknown code together with something the caller can reach (a
   *  parameter, a global): the reference may now belong to that structure. */
  refHanded: CowSet<Sym>;
  /** Objects handed off (stored into arrays/fields owned elsewhere). */
  escaped: CowSet<Sym>;
  /** Pointers whose PTE table was unmapped on this path: rep -> line of the unmap. */
  unmapped: CowMap<Sym, { line: number; how: string }>;
  /** Variables holding a folio computed before a split for a page that may have moved: name -> split line. */
  staleVars: CowMap<string, { line: number; split: string }>;
  /** Variables assigned page_folio(page): name -> page symbol. */
  varFromPage: CowMap<string, Sym>;
  /** Memoized results of pure calls on this path: "name(args)" -> symbol. */
  memo: CowMap<string, Sym>;
  /** The first call on this path that may sleep while the caller's locks are still held. */
  slept: { line: number; how: string } | null;
  /** Folios this path split (representatives at the time), for summaries. */
  splitLog: Sym[];
  trail: Trail | null;
  /** Set when the path went around a back edge (`goto again`, a loop) with locks held:
   *  re-taking one of them is a retry with the lock held, reported at the jump. */
  retry: { line: number; character: number; endLine: number; endCharacter: number; keys: Set<string> } | null;
  /** The last jump statement or loop end this path passed (where going around is reported). */
  lastJump: { line: number; character: number; endLine: number; endCharacter: number } | null;
  /** Number of decisions (branch splits) taken, for path counting. */
  decisions: number;

  /** A fresh state, or (with `from`) a copy of `from` that shares its maps until either side
   *  writes one. */
  constructor(from?: PathState) {
    this.env = from ? from.env.fork() : new CowMap();
    this.parent = from ? from.parent.fork() : new CowMap();
    this.facts = from ? from.facts.fork() : new CowMap();
    this.neq = from ? from.neq.fork() : new CowMap();
    this.decided = from ? from.decided.fork() : new CowMap();
    this.flags = from ? from.flags.fork() : new CowMap();
    this.fields = from ? from.fields.fork() : new CowMap();
    this.pageFolio = from ? from.pageFolio.fork() : new CowMap();
    this.held = from ? from.held.fork() : new CowMap();
    this.touched = from ? from.touched.fork() : new CowSet();
    this.pre = from ? from.pre.fork() : new CowMap();
    this.refs = from ? from.refs.fork() : new CowMap();
    this.escaped = from ? from.escaped.fork() : new CowSet();
    this.opaque = from ? from.opaque.fork() : new CowSet();
    this.refHanded = from ? from.refHanded.fork() : new CowSet();
    this.unmapped = from ? from.unmapped.fork() : new CowMap();
    this.staleVars = from ? from.staleVars.fork() : new CowMap();
    this.varFromPage = from ? from.varFromPage.fork() : new CowMap();
    this.memo = from ? from.memo.fork() : new CowMap();
    this.constFacts = from ? from.constFacts : new Map();
    this.splitLog = from ? from.splitLog : [];
    this.slept = from ? from.slept : null;
    this.trail = from ? from.trail : null;
    this.retry = from ? from.retry : null;
    this.lastJump = from ? from.lastJump : null;
    this.decisions = from ? from.decisions : 0;
  }

  clone(): PathState {
    return new PathState(this);
  }

  rep(x: Sym): Sym {
    let cur = x;
    for (;;) {
      const p = this.parent.get(cur);
      if (p === undefined || p === cur) return cur;
      cur = p;
    }
  }

  getFacts(x: Sym): ValueFacts {
    const r = this.rep(x);
    return this.facts.get(r) ?? this.constFacts.get(r) ?? UNKNOWN_FACTS;
  }

  setFacts(x: Sym, f: ValueFacts): void {
    this.facts.set(this.rep(x), f);
  }

  flag(x: Sym, name: string): boolean | undefined {
    return this.flags.get(this.rep(x))?.[name];
  }

  setFlag(x: Sym, name: string, value: boolean): void {
    const r = this.rep(x);
    this.flags.set(r, { ...(this.flags.get(r) ?? {}), [name]: value });
  }

  isNeq(a: Sym, b: Sym): boolean {
    const ra = this.rep(a);
    const rb = this.rep(b);
    return this.neq.has(ra < rb ? `${ra}|${rb}` : `${rb}|${ra}`);
  }

  addNeq(a: Sym, b: Sym): void {
    const ra = this.rep(a);
    const rb = this.rep(b);
    if (ra < rb) this.neq.set(`${ra}|${rb}`, [ra, rb]);
    else this.neq.set(`${rb}|${ra}`, [rb, ra]);
  }

  push(step: WitnessStep): void {
    this.trail = { step, prev: this.trail, length: (this.trail?.length ?? 0) + 1 };
  }

  getHeld(resource: Resource, obj: Sym): HeldLock | undefined {
    return this.held.get(lockKey(resource, obj < 0 ? obj : this.rep(obj)));
  }

  setHeld(h: HeldLock): void {
    const obj = h.obj < 0 ? h.obj : this.rep(h.obj);
    this.held.set(lockKey(h.resource, obj), { ...h, obj });
  }

  dropHeld(resource: Resource, obj: Sym): void {
    this.held.delete(lockKey(resource, obj < 0 ? obj : this.rep(obj)));
  }


  refOf(obj: Sym): RefState {
    return this.refs.get(this.rep(obj)) ?? { delta: 0, line: -1 };
  }
}

/** Global mode pseudo-objects (negative ids never collide with symbols). */
export const GLOBAL_OBJ: Record<string, Sym> = {
  lazy_mmu: -1,
  rcu: -2,
  atomic: -3,
};
