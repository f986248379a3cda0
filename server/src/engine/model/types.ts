// The API contract table: what each kernel function does to locks, references,
// page-table mappings and folio identity. Data, not code: the simulator's
// applyContract() interprets these records; nothing here is executed.

/** Kernel versions a contract holds for: from <= v < until (MAJOR.MINOR strings). */
export interface VersionRange {
  from?: string;
  until?: string;
}

/**
 * What an effect acts on.
 * - arg: the object the N-th argument (0-based) points to. With `via: "folio"` the argument is
 *   a page and the effect is on page_folio(page) (lock_page, get_page, ...).
 * - ret: the object the call returns; with `member`, the object embedded at that member of it
 *   (`&ret->member`: folio_lruvec_lock() returns the lruvec whose `lru_lock` it took).
 * - out: the N-th argument is `&var`; the effect is on the value the call stores into `var`
 *   (pte_offset_map_lock's `&ptl`).
 * - field: the N-th argument is a pointer to (or `&`) a structure; the effect is on its field
 *   `path` (page_vma_mapped_walk's `pvmw->ptl`, folio_walk_start's `fw->ptl`).
 * - member: the N-th argument points to a structure that embeds the object at that member
 *   (`&lruvec->lru_lock` for unlock_page_lruvec(lruvec)), where `field` is a pointer stored there.
 * - global: a per-context mode such as lazy-MMU or the RCU read lock.
 * - keyed: the object a `keyed` return of the same key and argument values names (the PMD lock
 *   of a pmd: `{ keyed: "pmd_ptl", args: [2] }` is what pmd_lock(mm, pmd) of argument 2 returns).
 */
export type Target =
  | { arg: number; via?: 'folio' }
  | { ret: true; member?: string }
  | { out: number }
  | { field: string; arg: number }
  | { member: string; arg: number }
  | { global: GlobalMode }
  | { keyed: string; args: number[] };

export type GlobalMode = 'lazy_mmu' | 'rcu' | 'atomic';

/** The resources the simulator tracks. */
export type Resource =
  | 'folio_lock' // PG_locked of a folio
  | 'ptl' // a page-table spinlock (PTE or PMD level)
  | 'pte_map' // a mapped PTE table (kmap + RCU read section since 6.5)
  | 'spinlock' // any other spinlock (also what guard(spinlock) takes)
  | 'mutex'
  | 'mmap_read'
  | 'mmap_write'
  | 'vma_read' // per-VMA read lock
  | 'rwsem_read'
  | 'rwsem_write'
  | 'rcu'
  | 'srcu' // an SRCU read-side section on one srcu_struct: may sleep inside, nests
  | 'lazy_mmu';

/** What the result value of a call means, for choosing one of its outcomes. */
export type ResultCondition =
  | 'always'
  | 'null' // == NULL
  | 'nonnull' // != NULL and not an error pointer
  | 'errptr' // IS_ERR()
  | 'zero' // == 0 / false
  | 'nonzero' // != 0 / true
  | 'negative' // < 0
  | 'positive'; // > 0

export type Effect =
  /** Take a lock or enter a mode. `trylock` (only in outcomes): the call fails rather than
   *  waits when the lock is held, this context included, so on a path that holds it this
   *  outcome cannot happen (`WARN_ON(spin_trylock(l))` asserts that l is held). */
  | { op: 'acquire'; resource: Resource; target: Target; trylock?: boolean }
  /** Release a lock or leave a mode. `ifHeld`: only if this context holds it (iterators such
   *  as page_vma_mapped_walk drop what their previous step left held). */
  | { op: 'release'; resource: Resource; target: Target; ifHeld?: boolean }
  /** The lock is handed to someone else (I/O completion releases it): no longer ours, not a leak. */
  | { op: 'transfer'; resource: Resource; target: Target }
  /** Reference count change by `delta`, or by the value of argument `deltaArg`. */
  | { op: 'ref'; target: Target; delta?: number; deltaArg?: number; sign?: 1 | -1 }
  /** The folio was split: its identity changes for pages it contained. `keep: "page"` means the
   *  piece containing argument `arg`'s page keeps the lock (split_huge_page). */
  | { op: 'split'; target: Target; keep?: 'head' | 'page' }
  /** The object is stored where someone else owns it (arrays, structures): stop tracking as a leak.
   *  `what: "ref"`: only the references go (a page table that now maps the folio owns the
   *  reference taken for it); its lock stays this path's to release. `encoded`: the target is a
   *  value computed from objects rather than an object (a page-table entry made from a page):
   *  what goes are the references this path took on the objects it was computed from. */
  | { op: 'handoff'; target: Target; what?: 'ref'; encoded?: boolean }
  /** Every argument object passed is handed off (migrate_vma_* style). */
  | { op: 'handoff-args' }
  /** The mapping being removed gives back the reference it owned (the mirror of
   *  `handoff what:"ref"`): this path may drop it, and need not. */
  | { op: 'handback'; target: Target };

export interface Outcome {
  when: ResultCondition;
  effects: Effect[];
  /** Short text for witnesses, e.g. "trylock succeeded". */
  note?: string;
  /** Bits of the result this outcome stands for, besides `when` (vm_fault_t: VM_FAULT_RETRY set). */
  bits?: { set?: number; clear?: number };
  /** The call can end this way only when argument `arg` may have one of the bits `anySet` and
   *  may lack all of `allClear` (handle_mm_fault drops the mmap lock on VM_FAULT_RETRY only with
   *  FAULT_FLAG_ALLOW_RETRY and without FAULT_FLAG_RETRY_NOWAIT); the path then knows that much
   *  of the argument (a single `anySet` bit is set, the `allClear` bits are clear). */
  argBits?: { arg: number; anySet?: number; allClear?: number };
  /** The result is exactly this value (->writepage's AOP_WRITEPAGE_ACTIVATE). */
  value?: number;
  /** Flags the result has (or lacks) on this outcome: a predicate of that flag on it then
   *  answers without forking (6.1's page-cache lookup with FGP_ENTRY returns either a folio or
   *  a value entry, which `xa_is_value()` tells apart). */
  resultFlags?: { flag: string; set: boolean }[];
  /** On this outcome the result carries no reference, though the contract's `returnRef` says
   *  the call hands one out (a value entry is not a folio). */
  noRef?: boolean;
  /** The call cannot end this way when the target has this flag on the path (a device-private
   *  folio cannot be DMA-pinned, so duplicating its mapping cannot fail). */
  impossibleIf?: Predicate;
  /** On this outcome the call ran the function passed as argument `fn` on the values of
   *  arguments `args`, after this outcome's effects (kref_put's release callback): a function
   *  of the document is applied through its summary. */
  runs?: { fn: number; args: number[] };
}

/**
 * How the returned value relates to the arguments.
 * - fresh: a new value with no relation (the default).
 * - arg: the same value as argument N (e.g. a function that returns its argument).
 * - folioOf: page_folio(argument N); the same folio object each time until a split.
 * - keyed: the same value for the same `key` and the same argument values on one path
 *   (pmd_lockptr(mm, pmd) == pmd_lockptr(mm, pmd)); used for lock pointers.
 * - derived: a new object derived from argument N; it inherits its flags (device-private ...),
 *   e.g. pfn_swap_entry_to_page(entry).
 * - pageOf: a page inside the folio argument N (folio_page(folio, n)): page_folio() of it is
 *   that folio until a split changes it.
 * - pageOfResult: in `outs` only, a page inside the folio the call returns (folio_walk_start()
 *   stores the page it found into fw->page).
 */
export type ReturnSpec =
  | { kind: 'fresh' }
  | { kind: 'arg'; arg: number }
  | { kind: 'folioOf'; arg: number }
  | { kind: 'keyed'; key: string; args: number[] }
  | { kind: 'derived'; arg: number }
  | { kind: 'pageOf'; arg: number }
  | { kind: 'pageOfResult' };

/** Provenance of a returned object: does the caller get a reference with it? */
export type ReturnRef = 'ref' | 'noref' | 'unknown';

/** The declared type of argument `arg` at a call, as C writes it (`struct mm_struct *`). */
export interface ArgType {
  arg: number;
  type: string;
}

/** A predicate function: its result tests a flag or a lock of its target. */
export interface Predicate {
  /** Flag name (e.g. "device_private", "large", "zero_page") or "locked" for the folio lock. */
  flag: string;
  target: Target;
}

export interface Contract {
  /** The function or macro name, e.g. "folio_lock". */
  name: string;
  /** Kernel versions this entry holds for; absent = all. Several entries may share a name. */
  versions?: VersionRange;
  /** Declared types of arguments that identify this API when its parameters changed between
   *  versions (expand_stack(vma, addr) became expand_stack(mm, addr)). A call whose argument
   *  has a known declared type of another kind is the other API: this contract does not apply.
   *  A call whose arguments match selects it even outside `versions`: distribution trees carry
   *  backported APIs (Debian's 6.1 has the 6.5 expand_stack), and the call's own arguments say
   *  which one the tree has, where the version number cannot. */
  signature?: ArgType[];
  /** May sleep: illegal under a spinlock, RCU read lock or lazy-MMU mode. `gfpArg`: sleeps only
   *  when that argument allows direct reclaim (GFP_KERNEL, GFP_USER, ...). */
  sleeps?: boolean;
  gfpArg?: number;
  /** Locks or references that must be held on entry (else requires-lock). */
  requires?: { resource: Resource | 'ref'; target: Target }[];
  /** Effects that always happen (after `requires` is checked). */
  effects?: Effect[];
  /** Effects that depend on the result; the state forks, one state per outcome. */
  outcomes?: Outcome[];
  returns?: ReturnSpec;
  returnRef?: ReturnRef;
  predicate?: Predicate;
  /** The returned page comes with a reference that is this path's to drop when the target has
   *  the flag: the page-table entry it was read from owned one (a device-exclusive entry holds
   *  its page's reference without a mapcount), as a removed mapping gives its back. */
  returnEntryRefIf?: Predicate;
  /** Fields of the returned object that are known to be an argument: a VMA looked up in an mm
   *  belongs to it (`{ field: "vm_mm", arg: 0 }` for find_vma(mm, addr)). */
  retFields?: { field: string; arg: number }[];
  /** Values the call stores through `&var` arguments (pte_offset_map_lock's `&ptl` gets the
   *  PTE lock of its pmd: `{ arg: 3, value: { kind: 'keyed', key: 'pte_lock', args: [1] } }`),
   *  or with `field` into that field of the structure the argument points to. */
  outs?: { arg: number; field?: string; value: ReturnSpec }[];
  /** A method: the contract is for calls through a function pointer of this name in an
   *  operations table (`mapping->a_ops->writepage(page, wbc)`), not for a function so named. */
  method?: boolean;
  /** The name is a function-pointer type (`writepage_t`): the contract is for calls through a
   *  variable declared with that type (`(*writepage)(page, wbc, data)`), whatever it points to. */
  pointerType?: boolean;
  /** The function never returns (BUG, panic). */
  noreturn?: boolean;
  /** Use of the argument objects after this call is a "use" (for use-after-put and pte-after-unmap). */
  usesArgs?: boolean;
  /** The function returns C `bool`: an outcome `when: "nonzero"` is exactly 1 (a helper that
   *  stores `ret = folio_try_get(folio)` returns 1, which its caller tells from -EBUSY). */
  returnsBool?: boolean;
  /** Source of the fact (header or file), for hovers and review. */
  source?: string;
  note?: string;
}

/**
 * An entry assumption: what a caller guarantees about a parameter or a field.
 * `param`: a parameter with this name (and, if given, this type) holds these resources on entry.
 * `field`: any access `X->field` whose base has type `baseType` (e.g. migrate->fault_page).
 * `folio`: the assumption is about page_folio() of that page.
 */
export interface EntryContract {
  id: string;
  versions?: VersionRange;
  match:
    | { param: string; type?: string }
    | { field: string; baseType?: string };
  folioOfPage?: boolean;
  /** Resources the caller holds for the whole call ("folio_lock", "ref"). */
  holds: (Resource | 'ref')[];
  /** Restrict to files whose path contains one of these substrings; absent = everywhere. */
  files?: string[];
  note?: string;
}

/**
 * A lock inside a structure that is the structure's own lock under another name: taking the
 * inner lock with the plain lock calls takes the structure's lock. In 6.4..6.14 the per-VMA
 * read lock is the rwsem `vma->vm_lock->lock`: `down_read(&vma->vm_lock->lock)` is what
 * `vma_start_read(vma)` takes, and `vma_end_read(vma)` releases it.
 */
export interface LockField {
  id: string;
  versions?: VersionRange;
  /** Fields from the structure to the lock, outermost first: `["vm_lock", "lock"]`. */
  path: string[];
  /** Which kind of the inner lock stands for which lock of the structure. */
  as: { inner: Resource; outer: Resource }[];
  note?: string;
}

export interface ContractTable {
  contracts: Contract[];
  entries: EntryContract[];
  /** Optional in a workspace file. */
  lockFields?: LockField[];
}
