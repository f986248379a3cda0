// The built-in API contract table: what each kernel function does to folio locks,
// folio references, page-table locks and the other locks and modes around them.
// Pure data, interpreted by the simulator; facts checked against linux 6.12 (and 6.1
// for the older side of each version difference) and written in our own words.
//
// Conventions the schema (./types.ts) leaves to the table:
//  - Reference accounting of a returned object lives in `returnRef`: 'ref' means the caller
//    owns one reference of the object the call returns (on the outcomes that return one);
//    no contract here writes a `ref` effect on `{ ret: true }`, so nothing counts it twice.
//  - Lock pointers have identity through `keyed` returns. Keys name the lock, args the
//    argument that determines it: 'pmd_ptl' / 'pud_ptl' / 'pte_ptl' are keyed by the pmd
//    (pud) pointer alone, 'huge_pte_ptl' by the pte pointer. Two different keys do NOT mean
//    two different locks: the PTE and PMD locks may be one spinlock (split ptlocks off), so
//    `ptl != pml` stays a real branch.
//  - Values a call stores through an out argument (`&ptl` of pte_offset_map_lock,
//    pte_alloc_map_lock, get_locked_pte and the _nolock family) are given by `outs`; the
//    C return value (the pte pointer) is then fresh.
//  - A spinlock taken as 'ptl' (page-table lock) is released by spin_unlock(), whose effect
//    is written on 'spinlock': the simulator treats 'ptl' and 'spinlock' as the same kind of
//    lock when matching a release with what is held on the same object.
//  - Entry contracts apply to the caller's view for the whole function.

import type { Contract, ContractTable, EntryContract, LockField, Resource, Target } from './types';

/** vm_fault_t bits (include/linux/mm_types.h). */
const VM_FAULT_RETRY = 0x400;
const VM_FAULT_COMPLETED = 0x4000;
/** OOM | SIGBUS | SIGSEGV | HWPOISON | HWPOISON_LARGE | FALLBACK */
const VM_FAULT_ERROR = 0x873;
/** enum fault_flag (include/linux/mm_types.h). */
const FAULT_FLAG_ALLOW_RETRY = 0x4;
const FAULT_FLAG_RETRY_NOWAIT = 0x8;
/** fgf_t (include/linux/pagemap.h): the page-cache lookup returns the folio locked. */
const FGP_LOCK = 0x2;
/** 6.1 only (removed in 6.3): a lookup that finds a value entry (shadow, swap) returns it. */
const FGP_ENTRY = 0x100;
/** enum positive_aop_returns (include/linux/fs.h). */
const AOP_WRITEPAGE_ACTIVATE = 0x80000;

/** A VMA looked up in an mm belongs to it: vma->vm_mm is that mm. */
const VMA_OF_MM = [{ field: 'vm_mm', arg: 0 }];

/** The writepage convention: called with the page locked, it unlocks it (I/O completion or
 *  failure) unless it returns AOP_WRITEPAGE_ACTIVATE. Both the a_ops method and the
 *  `writepage_t` callback of write_cache_pages() (6.1) follow it. */
const writepageContract = (name: string, how: { method?: boolean; pointerType?: boolean }): Contract => ({
  name,
  ...how,
  sleeps: true,
  requires: [{ resource: 'folio_lock', target: P0 }],
  outcomes: [
    {
      when: 'always',
      bits: { clear: AOP_WRITEPAGE_ACTIVATE },
      effects: [{ op: 'release', resource: 'folio_lock', target: P0 }],
      note: 'written or failed: the folio was unlocked',
    },
    { when: 'positive', value: AOP_WRITEPAGE_ACTIVATE, effects: [], note: 'AOP_WRITEPAGE_ACTIVATE: still locked' },
  ],
  source: 'include/linux/fs.h (struct address_space_operations), include/linux/writeback.h, Documentation/filesystems/locking.rst',
  note: how.method
    ? 'The ->writepage(page, wbc) method, called through a_ops: it is called with the page locked and unlocks it, ' +
      'except when it returns AOP_WRITEPAGE_ACTIVATE, which leaves it locked (locking.rst, "writepage").'
    : 'The writepage_t callback (page, wbc, data) that write_cache_pages() calls on each locked dirty page: like ' +
      '->writepage it unlocks the page, except on AOP_WRITEPAGE_ACTIVATE.',
});

/** What xa_is_value() answers for a page-cache lookup's result. */
const VALUE_ENTRY = [{ flag: 'xa_value', set: true }];
const NOT_VALUE_ENTRY = [{ flag: 'xa_value', set: false }];

const vmaLookup = (name: string, source: string): Contract => ({
  name,
  outcomes: [
    { when: 'nonnull', effects: [], note: 'VMA found' },
    { when: 'null', effects: [], note: 'no VMA' },
  ],
  retFields: VMA_OF_MM,
  source,
  note:
    'Signature (mm, addr, ...): returns NULL or a VMA of mm (never an error pointer), so its vm_mm is mm; no lock ' +
    'effect (the caller holds the mmap lock).',
});

const A0: Target = { arg: 0 };
const A1: Target = { arg: 1 };
const A2: Target = { arg: 2 };
const P0: Target = { arg: 0, via: 'folio' };
const RET: Target = { ret: true };
const LAZY: Target = { global: 'lazy_mmu' };
const RCU: Target = { global: 'rcu' };

/** A split that needs the folio locked and referenced, may sleep, and returns 0 when it split. */
const splitCall = (name: string, target: Target, keep: 'head' | 'page', splitNote: string, source: string, note?: string): Contract => ({
  name,
  sleeps: true,
  requires: [
    { resource: 'folio_lock', target },
    { resource: 'ref', target },
  ],
  outcomes: [
    { when: 'zero', effects: [{ op: 'split', target, keep }], note: splitNote },
    { when: 'nonzero', effects: [], note: 'not split' },
  ],
  usesArgs: true,
  source,
  ...(note !== undefined ? { note } : {}),
});

/** Read sides: a trylock of one this context already holds for read succeeds (readers share). */
const SHARED: ReadonlySet<Resource> = new Set(['rwsem_read', 'mmap_read', 'vma_read']);

/** A trylock of a generic kernel lock: it returns 1 (true) when it took the lock and 0 when
 *  not, never a negative value, so a function that returns its result (`return
 *  mutex_trylock(&m)`) returns a success, not an error code, with the lock held. */
const tryAcquire = (name: string, resource: Resource, target: Target, source: string, trylock = !SHARED.has(resource)): Contract => ({
  name,
  outcomes: [
    { when: 'positive', effects: [{ op: 'acquire', resource, target, ...(trylock ? { trylock } : {}) }], note: 'taken' },
    { when: 'zero', effects: [], note: 'not taken' },
  ],
  source,
});

/** A lock that waits killably or interruptibly: 0 when taken, -EINTR (never a positive
 *  value) when a signal came first, so `if (lock_killable(x) < 0)` decides both ways. */
const killableAcquire = (name: string, resource: Resource, target: Target, source: string): Contract => ({
  name,
  sleeps: true,
  outcomes: [
    { when: 'zero', effects: [{ op: 'acquire', resource, target }], note: 'taken' },
    { when: 'negative', effects: [], note: 'killed (-EINTR): not taken' },
  ],
  source,
});

// ---------------------------------------------------------------------------------------
// Folio lock (PG_locked: one non-recursive bit per folio)

const folioLock: Contract[] = [
  {
    name: 'folio_lock',
    sleeps: true,
    effects: [{ op: 'acquire', resource: 'folio_lock', target: A0 }],
    usesArgs: true,
    source: 'include/linux/pagemap.h',
    note: 'Not recursive: locking a folio this context already holds never returns.',
  },
  {
    name: '__folio_lock',
    sleeps: true,
    effects: [{ op: 'acquire', resource: 'folio_lock', target: A0 }],
    usesArgs: true,
    source: 'mm/filemap.c',
  },
  {
    name: 'folio_trylock',
    outcomes: [
      { when: 'positive', effects: [{ op: 'acquire', resource: 'folio_lock', target: A0, trylock: true }], note: 'trylock succeeded' },
      { when: 'zero', effects: [], note: 'trylock failed' },
    ],
    usesArgs: true,
    source: 'include/linux/pagemap.h',
    note: 'Any context. Fails (returns false) on a folio this context already holds.',
  },
  {
    name: 'folio_lock_killable',
    sleeps: true,
    outcomes: [
      { when: 'zero', effects: [{ op: 'acquire', resource: 'folio_lock', target: A0 }], note: 'locked' },
      { when: 'negative', effects: [], note: 'interrupted (-EINTR), not locked' },
    ],
    usesArgs: true,
    source: 'include/linux/pagemap.h',
  },
  {
    name: '__folio_lock_killable',
    sleeps: true,
    outcomes: [
      { when: 'zero', effects: [{ op: 'acquire', resource: 'folio_lock', target: A0 }], note: 'locked' },
      { when: 'negative', effects: [], note: 'a fatal signal (-EINTR): not locked' },
    ],
    usesArgs: true,
    source: 'mm/filemap.c, include/linux/pagemap.h',
    note:
      'The slow path of folio_lock_killable(): folio_wait_bit_common(folio, PG_locked, TASK_KILLABLE, EXCLUSIVE) ' +
      'returns 0 once it took the lock, -EINTR on a fatal signal without it.',
  },
  {
    name: 'folio_unlock',
    effects: [{ op: 'release', resource: 'folio_lock', target: A0 }],
    usesArgs: true,
    source: 'mm/filemap.c',
    note: 'The folio must be locked by this context (a debug build BUGs otherwise).',
  },
  // Non-atomic forms (include/linux/page-flags.h, __PAGEFLAG(Locked, ...)): used on a folio
  // nobody else can see yet (a new folio before it enters the page or swap cache).
  { name: '__folio_set_locked', effects: [{ op: 'acquire', resource: 'folio_lock', target: A0 }], source: 'include/linux/page-flags.h' },
  { name: '__folio_clear_locked', effects: [{ op: 'release', resource: 'folio_lock', target: A0 }], source: 'include/linux/page-flags.h' },
  { name: '__SetPageLocked', effects: [{ op: 'acquire', resource: 'folio_lock', target: P0 }], source: 'include/linux/page-flags.h' },
  { name: '__ClearPageLocked', effects: [{ op: 'release', resource: 'folio_lock', target: P0 }], source: 'include/linux/page-flags.h' },
  {
    name: 'lock_page',
    sleeps: true,
    effects: [{ op: 'acquire', resource: 'folio_lock', target: P0 }],
    usesArgs: true,
    source: 'include/linux/pagemap.h',
    note: 'The lock belongs to page_folio(page), not to the page.',
  },
  {
    name: 'trylock_page',
    outcomes: [
      { when: 'positive', effects: [{ op: 'acquire', resource: 'folio_lock', target: P0, trylock: true }], note: 'trylock succeeded' },
      { when: 'zero', effects: [], note: 'trylock failed' },
    ],
    usesArgs: true,
    source: 'include/linux/pagemap.h',
  },
  {
    name: 'unlock_page',
    effects: [{ op: 'release', resource: 'folio_lock', target: P0 }],
    usesArgs: true,
    source: 'mm/folio-compat.c',
  },
  {
    name: 'folio_test_locked',
    predicate: { flag: 'locked', target: A0 },
    usesArgs: true,
    source: 'include/linux/page-flags.h',
    note: 'Tests the folio lock itself: branching on it decides whether this context holds it.',
  },
  {
    name: 'PageLocked',
    predicate: { flag: 'locked', target: P0 },
    usesArgs: true,
    source: 'include/linux/page-flags.h',
  },
  {
    name: 'folio_lock_or_retry',
    versions: { until: '6.5' },
    sleeps: true,
    outcomes: [
      { when: 'positive', effects: [{ op: 'acquire', resource: 'folio_lock', target: A0 }], note: 'locked' },
      {
        when: 'zero',
        effects: [{ op: 'release', resource: 'mmap_read', target: A1 }],
        note: 'not locked; the mmap read lock was dropped',
      },
    ],
    usesArgs: true,
    source: 'include/linux/pagemap.h (6.1), mm/filemap.c __folio_lock_or_retry (6.1)',
    note:
      'Signature (folio, mm, flags), bool: true = locked. On false the mmap read lock of `mm` has been released, ' +
      'except with FAULT_FLAG_RETRY_NOWAIT, which keeps it; the table cannot express that flag test. ' +
      'Verified in 6.1 (old form) and 6.12 (new form); the 6.5 boundary is inferred (the vm_fault rework), not checked in a tree.',
  },
  {
    name: 'folio_lock_or_retry',
    versions: { from: '6.5' },
    sleeps: true,
    outcomes: [
      { when: 'zero', effects: [{ op: 'acquire', resource: 'folio_lock', target: A0 }], note: 'locked' },
      {
        when: 'nonzero',
        bits: { set: VM_FAULT_RETRY },
        effects: [{ op: 'release', resource: 'vma_read', target: { field: 'vma', arg: 1 } }],
        note: 'VM_FAULT_RETRY: not locked and the fault lock was released',
      },
    ],
    usesArgs: true,
    source: 'include/linux/pagemap.h, mm/filemap.c __folio_lock_or_retry',
    note:
      'Signature (folio, vmf), vm_fault_t: 0 = locked. Non-zero (VM_FAULT_RETRY) = not locked, and the fault lock ' +
      'was released (release_fault_lock) unless the fault flags asked to keep it: the caller must not use the vma after it. ' +
      'Encoded as the VMA read lock of vmf->vma; on an mmap-locked fault it is the mmap read lock of vmf->vma->vm_mm instead. ' +
      'The 6.5 boundary is inferred, not checked in a tree.',
  },
  {
    name: '__folio_lock_or_retry',
    versions: { from: '6.5' },
    sleeps: true,
    outcomes: [
      { when: 'zero', effects: [{ op: 'acquire', resource: 'folio_lock', target: A0 }], note: 'locked' },
      {
        when: 'nonzero',
        bits: { set: VM_FAULT_RETRY },
        effects: [{ op: 'release', resource: 'vma_read', target: { field: 'vma', arg: 1 } }],
        note: 'VM_FAULT_RETRY: not locked and the fault lock was released',
      },
    ],
    usesArgs: true,
    source: 'mm/filemap.c',
    note: 'The slow path of folio_lock_or_retry; same contract (every non-zero return is VM_FAULT_RETRY).',
  },
  {
    name: 'filemap_lock_folio',
    versions: { until: '6.3' },
    sleeps: true,
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'folio_lock', target: RET }], note: 'found: locked and referenced' },
      { when: 'null', effects: [], note: 'miss' },
    ],
    returnRef: 'ref',
    source: 'include/linux/pagemap.h (6.1)',
    note: 'A miss returns NULL before 6.3 (checked in 6.1). The 6.3 boundary comes from CONTRACTS.md.',
  },
  {
    name: 'filemap_lock_folio',
    versions: { from: '6.3' },
    sleeps: true,
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'folio_lock', target: RET }], note: 'found: locked and referenced' },
      { when: 'errptr', effects: [], note: 'miss: ERR_PTR(-ENOENT)' },
    ],
    returnRef: 'ref',
    source: 'include/linux/pagemap.h',
    note: 'A miss returns an error pointer, never NULL (checked in 6.12).',
  },
  {
    name: '__filemap_get_folio',
    versions: { until: '6.3' },
    gfpArg: 3,
    outcomes: [
      { when: 'nonnull', argBits: { arg: 2, anySet: FGP_LOCK }, resultFlags: NOT_VALUE_ENTRY, effects: [{ op: 'acquire', resource: 'folio_lock', target: RET }], note: 'found: referenced and locked (FGP_LOCK)' },
      { when: 'nonnull', argBits: { arg: 2, allClear: FGP_LOCK }, resultFlags: NOT_VALUE_ENTRY, effects: [], note: 'found: referenced (no FGP_LOCK)' },
      { when: 'nonnull', argBits: { arg: 2, anySet: FGP_ENTRY }, resultFlags: VALUE_ENTRY, noRef: true, effects: [], note: 'value entry (FGP_ENTRY): no folio, nothing taken' },
      { when: 'null', effects: [], note: 'miss' },
    ],
    returnRef: 'ref',
    source: 'mm/filemap.c (6.1), include/linux/pagemap.h',
    note:
      'Returns a referenced folio, locked exactly when the flags argument (2) has FGP_LOCK (0x2; FGP_WRITEBEGIN ' +
      'includes it), or NULL on a miss. With FGP_ENTRY (0x100) a shadow or swap entry found at the index is ' +
      'returned as it is, with no reference and no lock; xa_is_value() tells it from a folio. With FGP_LOCK it ' +
      'may sleep even when gfp is 0.',
  },
  {
    name: '__filemap_get_folio',
    versions: { from: '6.3' },
    gfpArg: 3,
    outcomes: [
      { when: 'nonnull', argBits: { arg: 2, anySet: FGP_LOCK }, effects: [{ op: 'acquire', resource: 'folio_lock', target: RET }], note: 'found: referenced and locked (FGP_LOCK)' },
      { when: 'nonnull', argBits: { arg: 2, allClear: FGP_LOCK }, effects: [], note: 'found: referenced (no FGP_LOCK)' },
      { when: 'errptr', effects: [], note: 'miss: error pointer' },
    ],
    returnRef: 'ref',
    source: 'mm/filemap.c, include/linux/pagemap.h',
    note:
      'Returns a referenced folio, or an error pointer on a miss. The folio is locked exactly when the flags argument ' +
      '(2) has FGP_LOCK (0x2; FGP_WRITEBEGIN includes it): a caller passing its own flags gets both cases, decided by ' +
      'its later test of the same bit. With FGP_LOCK it may sleep even when gfp is 0.',
  },
  {
    name: 'filemap_get_folio',
    versions: { until: '6.3' },
    outcomes: [
      { when: 'nonnull', effects: [], note: 'found, referenced' },
      { when: 'null', effects: [], note: 'miss' },
    ],
    returnRef: 'ref',
    source: 'include/linux/pagemap.h (6.1)',
  },
  {
    name: 'filemap_get_folio',
    versions: { from: '6.3' },
    outcomes: [
      { when: 'nonnull', effects: [], note: 'found, referenced' },
      { when: 'errptr', effects: [], note: 'miss: ERR_PTR(-ENOENT)' },
    ],
    returnRef: 'ref',
    source: 'include/linux/pagemap.h',
  },
  {
    name: 'folio_end_read',
    requires: [{ resource: 'folio_lock', target: A0 }],
    effects: [{ op: 'transfer', resource: 'folio_lock', target: A0 }],
    usesArgs: true,
    source: 'mm/filemap.c',
    note: 'Marks the read done and unlocks: the lock is consumed here, no unlock may follow.',
  },
  {
    name: 'swap_read_folio',
    requires: [{ resource: 'folio_lock', target: A0 }],
    effects: [{ op: 'transfer', resource: 'folio_lock', target: A0 }],
    usesArgs: true,
    source: 'mm/swap.h, mm/page_io.c',
    note: 'Hands the folio lock to the read I/O; its completion unlocks. Not a leak.',
  },
  {
    name: 'swap_readpage',
    requires: [{ resource: 'folio_lock', target: P0 }],
    effects: [{ op: 'transfer', resource: 'folio_lock', target: P0 }],
    usesArgs: true,
    source: 'mm/swap.h (6.1)',
    note: 'The 6.1 spelling of swap_read_folio, on a page.',
  },
  {
    name: 'read_folio',
    requires: [{ resource: 'folio_lock', target: A1 }],
    effects: [{ op: 'transfer', resource: 'folio_lock', target: A1 }],
    usesArgs: true,
    source: 'include/linux/fs.h (struct address_space_operations)',
    note: 'The ->read_folio(file, folio) method, called through a_ops: the I/O completion unlocks the folio.',
  },
  writepageContract('writepage', { method: true }),
  writepageContract('writepage_t', { pointerType: true }),
  {
    name: 'kill_sb',
    method: true,
    sleeps: true,
    effects: [{ op: 'release', resource: 'rwsem_write', target: { member: 's_umount', arg: 0 } }],
    source: 'include/linux/fs.h (struct file_system_type), Documentation/filesystems/locking.rst',
    note:
      'The ->kill_sb(sb) method, called through the file system type: it "takes a write-locked superblock, does all ' +
      'shutdown work on it, unlocks and drops the reference" (locking.rst, "file_system_type").',
  },
  {
    name: 'filemap_read_folio',
    sleeps: true,
    requires: [{ resource: 'folio_lock', target: { arg: 2 } }],
    effects: [{ op: 'transfer', resource: 'folio_lock', target: { arg: 2 } }],
    usesArgs: true,
    source: 'mm/filemap.c',
    note:
      'static int filemap_read_folio(file, filler, folio): calls filler(file, folio) (a_ops->read_folio or a ' +
      'read_cache_folio() filler) with the folio locked; the read unlocks it ("The read will unlock the page"), and ' +
      'it then waits for that unlock. It returns with the folio unlocked on every path. Its body is not simulated: ' +
      'the lock goes away through a call through a function pointer.',
  },
  {
    name: 'btrfs_read_folio',
    requires: [{ resource: 'folio_lock', target: A1 }],
    effects: [{ op: 'transfer', resource: 'folio_lock', target: A1 }],
    usesArgs: true,
    source: 'fs/btrfs/extent_io.h, fs/btrfs/inode.c (btrfs_aops.read_folio)',
    note:
      "Btrfs's ->read_folio(file, folio) method, also called directly (defrag, block truncation): like every " +
      'read_folio it takes the locked folio and its read completion unlocks it, so callers lock it again after.',
  },
  {
    name: 'zone_device_page_init',
    effects: [
      { op: 'ref', target: P0, delta: 1 },
      { op: 'acquire', resource: 'folio_lock', target: P0 },
    ],
    source: 'mm/memremap.c',
    note: 'A fresh device page: its refcount is set to one and it is locked, both now owned by the caller.',
  },
];

// ---------------------------------------------------------------------------------------
// References

const references: Contract[] = [
  {
    name: 'folio_get',
    effects: [{ op: 'ref', target: A0, delta: 1 }],
    usesArgs: true,
    source: 'include/linux/mm.h',
    note: 'The count must already be non-zero: a reference held, or the folio pinned by a held PTL.',
  },
  {
    name: 'folio_try_get',
    returnsBool: true,
    outcomes: [
      { when: 'positive', effects: [{ op: 'ref', target: A0, delta: 1 }], note: 'got a reference' },
      { when: 'zero', effects: [], note: 'folio freed or frozen' },
    ],
    usesArgs: true,
    source: 'include/linux/page_ref.h',
    note:
      'Returns bool (6.1 and 6.12): true is 1, never negative, so a helper that returns its result ' +
      '(`ret = folio_try_get(folio)` beside `ret = -EBUSY`) tells its caller which happened.',
  },
  {
    name: 'folio_put',
    effects: [{ op: 'ref', target: A0, delta: -1 }],
    source: 'include/linux/mm.h',
    note: 'May free the folio. Fine under a spinlock.',
  },
  {
    name: 'get_page_unless_zero',
    returnsBool: true,
    outcomes: [
      { when: 'nonzero', effects: [{ op: 'ref', target: P0, delta: 1 }], note: 'got a reference' },
      { when: 'zero', effects: [], note: 'count was zero (free, frozen, or a tail page): nothing taken' },
    ],
    usesArgs: true,
    source: 'include/linux/mm.h',
    note:
      'page_ref_add_unless(page, 1, 0) in 6.1 and 6.12: it counts on the page itself, and a tail page\'s count is ' +
      'always zero, so success means the page heads its folio and the reference is on page_folio(page).',
  },
  {
    name: 'get_page',
    effects: [{ op: 'ref', target: P0, delta: 1 }],
    usesArgs: true,
    source: 'include/linux/mm.h',
  },
  {
    name: 'put_page',
    effects: [{ op: 'ref', target: P0, delta: -1 }],
    source: 'include/linux/mm.h',
  },
  {
    name: '__free_pages',
    effects: [{ op: 'ref', target: P0, delta: -1 }],
    source: 'include/linux/gfp.h, mm/page_alloc.c',
    note: '(page, order): drops the reference the allocation gave (put_page_testzero) and frees the pages when it was the last. Any context but NMI.',
  },
  {
    name: '__free_page',
    effects: [{ op: 'ref', target: P0, delta: -1 }],
    source: 'include/linux/gfp.h',
    note: '__free_pages(page, 0).',
  },
  {
    name: 'folio_put_refs',
    effects: [{ op: 'ref', target: A0, deltaArg: 1, sign: -1 }],
    source: 'include/linux/mm.h',
  },
  {
    name: 'folio_ref_add',
    effects: [{ op: 'ref', target: A0, deltaArg: 1, sign: 1 }],
    usesArgs: true,
    source: 'include/linux/page_ref.h',
  },
  {
    name: 'folio_ref_sub',
    effects: [{ op: 'ref', target: A0, deltaArg: 1, sign: -1 }],
    source: 'include/linux/page_ref.h',
  },
  {
    name: 'folio_ref_inc',
    effects: [{ op: 'ref', target: A0, delta: 1 }],
    usesArgs: true,
    source: 'include/linux/page_ref.h',
  },
  {
    name: 'folio_ref_dec',
    effects: [{ op: 'ref', target: A0, delta: -1 }],
    source: 'include/linux/page_ref.h',
  },
  {
    name: 'folio_get_nontail_page',
    outcomes: [
      { when: 'nonnull', effects: [], note: 'referenced folio' },
      { when: 'null', effects: [], note: 'tail page or freed: nothing taken' },
    ],
    returns: { kind: 'folioOf', arg: 0 },
    returnRef: 'ref',
    source: 'include/linux/mm.h',
  },
  {
    name: 'folio_isolate_lru',
    versions: { until: '6.4' },
    outcomes: [
      { when: 'zero', effects: [{ op: 'ref', target: A0, delta: 1 }], note: 'isolated: the isolation reference is taken' },
      { when: 'nonzero', effects: [], note: 'not on an LRU (-EBUSY)' },
    ],
    usesArgs: true,
    source: 'mm/vmscan.c (6.1)',
    note:
      'Returns int before 6.4: 0 = isolated (checked in 6.1). The 6.4 boundary comes from CONTRACTS.md. ' +
      'The caller needs a reference or a held PTL that pins the folio; never succeeds for device-private folios.',
  },
  {
    name: 'folio_isolate_lru',
    versions: { from: '6.4' },
    outcomes: [
      { when: 'positive', effects: [{ op: 'ref', target: A0, delta: 1 }], note: 'isolated: the isolation reference is taken' },
      { when: 'zero', effects: [], note: 'not on an LRU' },
    ],
    usesArgs: true,
    source: 'mm/vmscan.c, mm/internal.h',
    note:
      'Returns bool from 6.4: true = isolated (checked in 6.12). The caller needs a reference or a held PTL that ' +
      'pins the folio (mm/mempolicy.c relies on the PTL); never succeeds for device-private folios.',
  },
  {
    name: 'isolate_lru_page',
    outcomes: [
      { when: 'zero', effects: [{ op: 'ref', target: P0, delta: 1 }], note: 'isolated' },
      { when: 'nonzero', effects: [], note: 'not on an LRU' },
    ],
    usesArgs: true,
    source: 'mm/folio-compat.c (6.1)',
    note: 'The page wrapper returned int (0 = isolated) for as long as it existed; gone in 6.12.',
  },
  {
    name: 'folio_putback_lru',
    effects: [{ op: 'ref', target: A0, delta: -1 }],
    source: 'mm/vmscan.c',
    note: 'Back on the LRU; the isolation reference is dropped.',
  },
  {
    name: 'putback_lru_page',
    effects: [{ op: 'ref', target: P0, delta: -1 }],
    source: 'mm/folio-compat.c (6.1)',
  },
  {
    name: 'migrate_misplaced_page',
    sleeps: true,
    effects: [{ op: 'ref', target: P0, delta: -1 }],
    source: 'mm/migrate.c (6.1)',
    note:
      'NUMA hinting migration of (page, vma, node): the caller\'s reference is consumed on every path, dropped at ' +
      '`out:` when the page is not migrated, and after isolation (which took its own) when it is. Non-zero = migrated.',
  },
  {
    name: 'split_huge_pmd_address',
    sleeps: true,
    requires: [{ resource: 'folio_lock', target: { arg: 3 } }],
    effects: [{ op: 'ref', target: { arg: 3 }, delta: -1 }],
    source: 'mm/huge_memory.c, include/linux/huge_mm.h',
    note:
      'Signature (vma, address, freeze, folio) in 6.1 and 6.12. With freeze set, the PMD mapping of `folio` becomes ' +
      'migration entries and one reference of the folio is dropped, so callers take one first. With freeze false the ' +
      'folio argument is NULL and nothing is consumed (the table cannot test the flag; a NULL argument has no object). ' +
      'The folio must be locked (a debug warning in 6.12). Sleeps: mmu notifier.',
  },
  {
    name: 'vm_normal_folio',
    returnRef: 'noref',
    source: 'mm/memory.c',
    note: 'No reference: the folio is pinned only while the PTL (or the mapped table) is held.',
  },
  { name: 'vm_normal_page', returnRef: 'noref', source: 'mm/memory.c', note: 'No reference: pinned only under the PTL.' },
  { name: 'vm_normal_folio_pmd', returnRef: 'noref', source: 'mm/memory.c', note: 'No reference: pinned only under the PMD lock.' },
  { name: 'pte_page', returnRef: 'noref', source: 'arch/x86/include/asm/pgtable.h', note: 'No reference: pinned only under the PTL.' },
  {
    name: 'pmd_folio',
    returnRef: 'noref',
    source: 'include/linux/pgtable.h',
    note: 'No reference. Only valid on a present PMD: pmd_trans_huge_lock also succeeds on migration entries.',
  },
  { name: 'pmd_page', returnRef: 'noref', source: 'arch/x86/include/asm/pgtable.h', note: 'No reference; only on a present PMD.' },
  {
    name: 'pfn_swap_entry_to_page',
    returns: { kind: 'derived', arg: 0 },
    returnRef: 'noref',
    returnEntryRefIf: { flag: 'device_exclusive', target: A0 },
    source: 'include/linux/swapops.h, mm/rmap.c (page_make_device_exclusive_one), mm/memory.c (zap_pte_range)',
    note:
      'The page of a migration or device entry: no reference; it inherits the entry\'s flags (device-private). A ' +
      'device-exclusive entry replaced the mapping, removing its rmap but keeping its reference (6.1, 6.12): the ' +
      'code that zaps the entry drops that reference with no rmap call to give it back first.',
  },
  {
    name: 'pfn_swap_entry_folio',
    returns: { kind: 'derived', arg: 0 },
    returnRef: 'noref',
    source: 'include/linux/swapops.h',
  },
  {
    name: 'page_folio',
    returns: { kind: 'folioOf', arg: 0 },
    returnRef: 'noref',
    source: 'include/linux/page-flags.h',
    note: 'The same folio object each time until a split; no lock or reference effect.',
  },
  {
    name: 'folio_page',
    returns: { kind: 'pageOf', arg: 0 },
    source: 'include/linux/page-flags.h',
    note: 'The n-th page of the folio (nth_page(&folio->page, n)): page_folio() of it is the folio; no lock or reference effect.',
  },
  {
    name: 'folio_file_page',
    returns: { kind: 'pageOf', arg: 0 },
    source: 'include/linux/pagemap.h',
    note: 'The page of the folio that holds a file index: page_folio() of it is the folio; no lock or reference effect.',
  },
];

// ---------------------------------------------------------------------------------------
// Splitting large folios

const splitting: Contract[] = [
  {
    name: 'split_folio',
    sleeps: true,
    requires: [
      { resource: 'folio_lock', target: A0 },
      { resource: 'ref', target: A0 },
    ],
    outcomes: [
      { when: 'zero', effects: [{ op: 'split', target: A0, keep: 'head' }], note: 'split' },
      { when: 'nonzero', effects: [], note: 'not split (-EAGAIN, -EBUSY, -EINVAL): unchanged, still locked' },
    ],
    usesArgs: true,
    source: 'include/linux/huge_mm.h, mm/huge_memory.c',
    note:
      'On success the head piece (still this folio) stays locked and keeps the caller\'s reference; the other pieces ' +
      'are new unlocked folios. Sleeps: anon_vma / i_mmap rwsems and the rmap walk.',
  },
  splitCall('split_folio_to_list', A0, 'head', 'split', 'mm/huge_memory.c'),
  splitCall('split_folio_to_order', A0, 'head', 'split', 'include/linux/huge_mm.h'),
  splitCall('split_folio_to_list_to_order', A0, 'head', 'split', 'include/linux/huge_mm.h'),
  splitCall('split_huge_page', P0, 'page', 'split: the piece holding the page stays locked', 'include/linux/huge_mm.h', 'The piece containing the page keeps the lock: when the page was a tail page, the old head ends unlocked.'),
  splitCall('split_huge_page_to_list', P0, 'page', 'split', 'mm/huge_memory.c (6.1)'),
  splitCall('split_huge_page_to_list_to_order', P0, 'page', 'split', 'mm/huge_memory.c'),
  {
    name: 'folio_split_unmapped',
    sleeps: true,
    requires: [{ resource: 'folio_lock', target: A0 }],
    outcomes: [
      { when: 'zero', effects: [{ op: 'split', target: A0, keep: 'head' }], note: 'split: every new piece stays locked' },
      { when: 'nonzero', effects: [], note: 'not split' },
    ],
    usesArgs: true,
    source: 'CONTRACTS.md (7.0; not in the 6.12 tree)',
    note:
      'On success all pieces stay locked, which `keep` cannot say (it names one locked piece): a later unlock of ' +
      'another piece is correct code. Not verifiable in the 6.1/6.12 trees.',
  },
  {
    name: 'split_huge_pmd',
    sleeps: true,
    source: 'include/linux/huge_mm.h',
    note: 'Takes and drops the PMD lock inside; sleeps in the mmu notifier. Call it without that PMD lock held.',
  },
  {
    name: '__split_huge_pmd',
    sleeps: true,
    source: 'mm/huge_memory.c',
  },
];

// ---------------------------------------------------------------------------------------
// Page-table locks and mappings

const pageTables: Contract[] = [
  {
    name: 'pte_offset_map_lock',
    versions: { until: '6.5' },
    outcomes: [
      {
        when: 'always',
        effects: [
          { op: 'acquire', resource: 'pte_map', target: RET },
          { op: 'acquire', resource: 'ptl', target: { out: 3 } },
        ],
        note: 'mapped and locked',
      },
    ],
    outs: [{ arg: 3, value: { kind: 'keyed', key: 'pte_ptl', args: [1] } }],
    source: 'include/linux/mm.h (6.1: a macro)',
    note:
      'Never NULL before 6.5 (6.1 checked: a macro that maps and locks unconditionally); the 6.5 boundary is from ' +
      'CONTRACTS.md. `outs` gives the lock stored through &ptl: pte_lockptr(mm, pmd).',
  },
  {
    name: 'pte_offset_map_lock',
    versions: { from: '6.5' },
    outcomes: [
      {
        when: 'nonnull',
        effects: [
          { op: 'acquire', resource: 'pte_map', target: RET },
          { op: 'acquire', resource: 'ptl', target: { out: 3 } },
        ],
        note: 'mapped and locked',
      },
      { when: 'null', effects: [], note: 'no page table here: nothing held, ptl unchanged' },
    ],
    outs: [{ arg: 3, value: { kind: 'keyed', key: 'pte_ptl', args: [1] } }],
    source: 'include/linux/mm.h, mm/pgtable-generic.c',
    note:
      'May return NULL from 6.5 on: callers must check. `outs` gives the lock stored ' +
      'through &ptl, pte_lockptr(mm, pmd); the pte pointer itself is fresh.',
  },
  {
    name: 'pte_unmap_unlock',
    effects: [
      { op: 'release', resource: 'ptl', target: A1 },
      { op: 'release', resource: 'pte_map', target: A0 },
    ],
    usesArgs: true,
    source: 'include/linux/mm.h',
    note: 'Unlocks, then unmaps. The pte may point anywhere in the mapped table (pte - 1 after a loop).',
  },
  {
    name: 'pte_offset_map',
    versions: { until: '6.5' },
    outcomes: [{ when: 'always', effects: [{ op: 'acquire', resource: 'pte_map', target: RET }], note: 'mapped' }],
    source: 'include/linux/pgtable.h (6.1)',
    note: 'Never NULL before 6.5 (6.1: a macro).',
  },
  {
    name: 'pte_offset_map',
    versions: { from: '6.5' },
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'pte_map', target: RET }], note: 'mapped' },
      { when: 'null', effects: [], note: 'no page table: nothing held' },
    ],
    source: 'include/linux/mm.h, mm/pgtable-generic.c',
    note: 'Maps the table (an RCU read section from 6.5); may return NULL.',
  },
  {
    name: '__pte_offset_map',
    versions: { from: '6.5' },
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'pte_map', target: RET }], note: 'mapped' },
      { when: 'null', effects: [], note: 'no page table: nothing held' },
    ],
    source: 'mm/pgtable-generic.c',
    note: 'What pte_offset_map() and the _lock/_nolock variants are built on: the RCU read section it enters on success is the mapping pte_unmap() ends.',
  },
  {
    name: 'pte_unmap',
    effects: [{ op: 'release', resource: 'pte_map', target: A0 }],
    usesArgs: true,
    source: 'include/linux/pgtable.h',
  },
  {
    name: 'pte_offset_map_nolock',
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'pte_map', target: RET }], note: 'mapped, lock not taken' },
      { when: 'null', effects: [], note: 'no page table: nothing held' },
    ],
    outs: [{ arg: 3, value: { kind: 'keyed', key: 'pte_ptl', args: [1] } }],
    source: 'include/linux/mm.h, mm/pgtable-generic.c',
    note:
      'Signature (mm, pmd, addr, &ptl) in 6.12. Maps only; stores the PTE lock pointer through the last argument ' +
      'without taking it (`outs` gives that stored lock). Replaced by the _ro/_rw variants after 6.12.',
  },
  {
    name: 'pte_offset_map_ro_nolock',
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'pte_map', target: RET }], note: 'mapped, lock not taken' },
      { when: 'null', effects: [], note: 'no page table: nothing held' },
    ],
    outs: [{ arg: 3, value: { kind: 'keyed', key: 'pte_ptl', args: [1] } }],
    source: 'CONTRACTS.md (after 6.12; not in the 6.12 tree)',
    note:
      'Signature (mm, pmd, addr, &ptl), inferred from the newer tree, not checked here. Maps only; the lock pointer ' +
      'stored through the last argument (given by `outs`) is not taken.',
  },
  {
    name: 'pte_offset_map_rw_nolock',
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'pte_map', target: RET }], note: 'mapped, lock not taken' },
      { when: 'null', effects: [], note: 'no page table: nothing held' },
    ],
    outs: [{ arg: 4, value: { kind: 'keyed', key: 'pte_ptl', args: [1] } }],
    source: 'CONTRACTS.md (after 6.12; not in the 6.12 tree)',
    note:
      'Signature (mm, pmd, addr, &pmdval, &ptl), inferred, not checked here. Maps only; the lock pointer stored ' +
      'through the last argument (given by `outs`) is not taken.',
  },
  {
    name: 'pte_lockptr',
    returns: { kind: 'keyed', key: 'pte_ptl', args: [1] },
    source: 'include/linux/mm.h',
    note: 'The PTE table lock of this pmd; may be the same spinlock as the PMD lock.',
  },
  {
    name: 'pmd_lockptr',
    returns: { kind: 'keyed', key: 'pmd_ptl', args: [1] },
    source: 'include/linux/mm.h',
    note: 'May be the same spinlock as the PTE lock: code nests the two only under `ptl != pml`.',
  },
  {
    name: 'pud_lockptr',
    returns: { kind: 'keyed', key: 'pud_ptl', args: [1] },
    source: 'include/linux/mm.h',
  },
  {
    name: 'pmd_lock',
    effects: [{ op: 'acquire', resource: 'ptl', target: RET }],
    returns: { kind: 'keyed', key: 'pmd_ptl', args: [1] },
    source: 'include/linux/mm.h',
    note: 'Always returns the PMD lock, held; release with spin_unlock.',
  },
  {
    name: 'pud_lock',
    effects: [{ op: 'acquire', resource: 'ptl', target: RET }],
    returns: { kind: 'keyed', key: 'pud_ptl', args: [1] },
    source: 'include/linux/mm.h',
  },
  {
    name: 'pmd_trans_huge_lock',
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'ptl', target: RET }], note: 'huge or non-present PMD: locked' },
      { when: 'null', effects: [], note: 'not a huge PMD: nothing held' },
    ],
    returns: { kind: 'keyed', key: 'pmd_ptl', args: [0] },
    source: 'include/linux/huge_mm.h, mm/huge_memory.c',
    note:
      'Also succeeds on a migration or device-private PMD: check pmd_present() before pmd_folio()/pmd_page().',
  },
  {
    name: 'move_pages_huge_pmd',
    versions: { from: '6.8' },
    sleeps: true,
    effects: [{ op: 'release', resource: 'ptl', target: { keyed: 'pmd_ptl', args: [2] } }],
    source: 'include/linux/userfaultfd_k.h, mm/huge_memory.c',
    note:
      'Signature (mm, dst_pmd, src_pmd, dst_pmdval, dst_vma, src_vma, dst_addr, src_addr). Called with the PMD lock of ' +
      'src_pmd held (it asserts it) and returns with it released on every path; after dropping it, it may sleep ' +
      '(folio lock, anon_vma lock, mmu notifiers).',
  },
  {
    name: 'pud_trans_huge_lock',
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'ptl', target: RET }], note: 'huge PUD: locked' },
      { when: 'null', effects: [], note: 'nothing held' },
    ],
    returns: { kind: 'keyed', key: 'pud_ptl', args: [0] },
    source: 'include/linux/huge_mm.h',
  },
  {
    name: 'get_locked_pte',
    sleeps: true,
    outcomes: [
      {
        when: 'nonnull',
        effects: [
          { op: 'acquire', resource: 'pte_map', target: RET },
          { op: 'acquire', resource: 'ptl', target: { out: 2 } },
        ],
        note: 'mapped and locked',
      },
      { when: 'null', effects: [], note: 'allocation failed: nothing held' },
    ],
    source: 'include/linux/mm.h, mm/memory.c',
    note: 'May allocate page tables (sleeps) before locking. Signature (mm, addr, &ptl).',
  },
  {
    name: 'pte_alloc_map_lock',
    sleeps: true,
    outcomes: [
      {
        when: 'nonnull',
        effects: [
          { op: 'acquire', resource: 'pte_map', target: RET },
          { op: 'acquire', resource: 'ptl', target: { out: 3 } },
        ],
        note: 'mapped and locked',
      },
      { when: 'null', effects: [], note: 'allocation failed or no table: nothing held' },
    ],
    outs: [{ arg: 3, value: { kind: 'keyed', key: 'pte_ptl', args: [1] } }],
    source: 'include/linux/mm.h',
    note: 'May allocate (sleeps) before locking. `outs` gives the lock stored through &ptl.',
  },
  {
    name: 'huge_pte_lock',
    effects: [{ op: 'acquire', resource: 'ptl', target: RET }],
    returns: { kind: 'keyed', key: 'huge_pte_ptl', args: [2] },
    source: 'include/linux/hugetlb.h',
    note: 'Signature (h, mm, pte): returns the lock, held.',
  },
  {
    name: 'huge_pte_lockptr',
    returns: { kind: 'keyed', key: 'huge_pte_ptl', args: [2] },
    source: 'include/linux/hugetlb.h',
  },
  {
    name: 'page_vma_mapped_walk',
    effects: [
      { op: 'release', resource: 'pte_map', target: { field: 'pte', arg: 0 }, ifHeld: true },
      { op: 'release', resource: 'ptl', target: { field: 'ptl', arg: 0 }, ifHeld: true },
    ],
    outcomes: [
      {
        when: 'nonzero',
        effects: [
          { op: 'acquire', resource: 'ptl', target: { field: 'ptl', arg: 0 } },
          { op: 'acquire', resource: 'pte_map', target: { field: 'pte', arg: 0 } },
        ],
        note: 'found a mapping: pvmw->ptl held, pvmw->pte mapped',
      },
      { when: 'zero', effects: [], note: 'no more mappings: nothing held' },
    ],
    source: 'include/linux/rmap.h, mm/page_vma_mapped.c',
    note:
      'For a PMD mapping only pvmw->pmd is set (pte NULL, no table mapped). Each call releases what the previous ' +
      'successful call left held before looking further, so a `while (page_vma_mapped_walk(&pvmw))` loop holds ' +
      'the lock only inside its body; leaving the loop early needs page_vma_mapped_walk_done().',
  },
  {
    name: 'page_vma_mapped_walk_done',
    effects: [
      { op: 'release', resource: 'pte_map', target: { field: 'pte', arg: 0 } },
      { op: 'release', resource: 'ptl', target: { field: 'ptl', arg: 0 } },
    ],
    source: 'include/linux/rmap.h',
    note: 'Unmaps the pte (when set) and unlocks the ptl (when set).',
  },
  {
    name: 'folio_walk_start',
    outcomes: [
      {
        when: 'nonnull',
        effects: [
          { op: 'acquire', resource: 'ptl', target: { field: 'ptl', arg: 0 } },
          { op: 'acquire', resource: 'pte_map', target: { field: 'ptep', arg: 0 } },
        ],
        note: 'folio found: fw->ptl held (and the PTE table mapped)',
      },
      { when: 'null', effects: [], note: 'nothing mapped: nothing held' },
    ],
    returnRef: 'noref',
    outs: [{ arg: 0, field: 'page', value: { kind: 'pageOfResult' } }],
    source: 'include/linux/pagewalk.h, mm/pagewalk.c',
    note:
      'Signature (fw, vma, addr, flags); needs the mmap lock (not expressible: it is on vma->vm_mm). The folio comes ' +
      'without a reference, pinned by fw->ptl. The table is mapped only at PTE level (fw->ptep), not for a PMD/PUD. ' +
      'fw->page is the page of the returned folio mapped at addr.',
  },
  {
    name: 'folio_walk_end',
    effects: [
      { op: 'release', resource: 'ptl', target: { field: 'ptl', arg: 0 } },
      { op: 'release', resource: 'pte_map', target: { field: 'ptep', arg: 0 } },
    ],
    source: 'include/linux/pagewalk.h',
    note: 'Unlocks fw->ptl and, at PTE level, unmaps fw->ptep.',
  },
  {
    name: 'migration_entry_wait_on_locked',
    versions: { until: '6.5' },
    sleeps: true,
    effects: [
      { op: 'release', resource: 'ptl', target: A2 },
      { op: 'release', resource: 'pte_map', target: A1 },
    ],
    source: 'mm/filemap.c (6.1)',
    note:
      'Signature (entry, ptep, ptl) (checked in 6.1): unlocks ptl and unmaps ptep itself, then sleeps; with a NULL ' +
      'ptep (PMD case) only unlocks. A later unlock is a double unlock. The 6.5 boundary is inferred (the series that ' +
      'let pte_offset_map fail dropped ptep), not checked in a tree.',
  },
  {
    name: 'migration_entry_wait_on_locked',
    versions: { from: '6.5' },
    sleeps: true,
    effects: [{ op: 'release', resource: 'ptl', target: A1 }],
    source: 'include/linux/migrate.h, mm/filemap.c',
    note: 'Signature (entry, ptl) (checked in 6.12): unlocks ptl itself, then sleeps. A later unlock is a double unlock.',
  },
  {
    name: 'softleaf_entry_wait_on_locked',
    sleeps: true,
    effects: [{ op: 'release', resource: 'ptl', target: A1 }],
    source: 'CONTRACTS.md (7.0 name of migration_entry_wait_on_locked)',
    note: 'Signature (entry, ptl) assumed from the rename; not in the 6.12 tree.',
  },
  {
    name: 'migration_entry_wait',
    sleeps: true,
    source: 'mm/migrate.c',
    note: 'Maps and locks the table itself: call it with neither the PTL nor a mapping of that table held.',
  },
  {
    name: 'pmd_migration_entry_wait',
    sleeps: true,
    source: 'mm/migrate.c',
    note: 'Takes the PMD lock itself: call it without it.',
  },
  {
    name: 'do_swap_page',
    sleeps: true,
    effects: [{ op: 'release', resource: 'pte_map', target: { field: 'pte', arg: 0 } }],
    source: 'mm/memory.c do_swap_page(), pte_unmap_same()',
    note:
      'Signature (vmf), entered with vmf->pte mapped and not locked. Its first step, pte_unmap_same(), unmaps vmf->pte on ' +
      'every path (6.1 and 6.12); the tables it maps later it unmaps itself, so the caller\'s mapping is gone on ' +
      'return. On VM_FAULT_RETRY the fault\'s mmap or VMA lock may have been released (not modelled here). Sleeps: ' +
      'swap-in I/O, the folio lock.',
  },
  {
    name: 'arch_enter_lazy_mmu_mode',
    effects: [{ op: 'acquire', resource: 'lazy_mmu', target: LAZY }],
    source: 'include/linux/pgtable.h',
    note: 'No sleeping until arch_leave_lazy_mmu_mode; leave it before dropping the PTL on every path. Does not nest.',
  },
  {
    name: 'arch_leave_lazy_mmu_mode',
    effects: [{ op: 'release', resource: 'lazy_mmu', target: LAZY }],
    source: 'include/linux/pgtable.h',
  },
  {
    name: 'lazy_mmu_mode_enable',
    effects: [{ op: 'acquire', resource: 'lazy_mmu', target: LAZY }],
    source: 'CONTRACTS.md (7.0; not in the 6.12 tree)',
    note: 'The 7.0 form. Unlike the arch_ hooks these sections nest: an enable inside another is not a double lock.',
  },
  {
    name: 'lazy_mmu_mode_disable',
    effects: [{ op: 'release', resource: 'lazy_mmu', target: LAZY }],
    source: 'CONTRACTS.md (7.0; not in the 6.12 tree)',
  },
  {
    name: 'lazy_mmu_mode_pause',
    effects: [{ op: 'release', resource: 'lazy_mmu', target: LAZY }],
    source: 'CONTRACTS.md (7.0; not in the 6.12 tree)',
    note: 'Leaves lazy-MMU mode until lazy_mmu_mode_resume.',
  },
  {
    name: 'lazy_mmu_mode_resume',
    effects: [{ op: 'acquire', resource: 'lazy_mmu', target: LAZY }],
    source: 'CONTRACTS.md (7.0; not in the 6.12 tree)',
  },
];

// ---------------------------------------------------------------------------------------
// Spinlocks. The irqsave forms are macros whose second argument is assigned.

const SPIN = 'include/linux/spinlock.h';
const spinlocks: Contract[] = [
  { name: 'spin_lock', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_lock_nested', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_lock_irq', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_lock_irqsave', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_lock_irqsave_nested', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_lock_bh', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_unlock', effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_unlock_irq', effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_unlock_irqrestore', effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'spin_unlock_bh', effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SPIN },
  tryAcquire('spin_trylock', 'spinlock', A0, SPIN),
  tryAcquire('spin_trylock_irq', 'spinlock', A0, SPIN),
  tryAcquire('spin_trylock_irqsave', 'spinlock', A0, SPIN),
  tryAcquire('spin_trylock_bh', 'spinlock', A0, SPIN),
  { name: 'raw_spin_lock', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'raw_spin_lock_irq', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'raw_spin_lock_irqsave', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'raw_spin_lock_nested', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'raw_spin_lock_bh', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'raw_spin_unlock', effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'raw_spin_unlock_irq', effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'raw_spin_unlock_irqrestore', effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SPIN },
  { name: 'raw_spin_unlock_bh', effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SPIN },
  tryAcquire('raw_spin_trylock', 'spinlock', A0, SPIN),
];

// ---------------------------------------------------------------------------------------
// Seqlock writers and exclusive readers take and drop the seqlock's own spinlock
// (`spin_lock(&sl->lock)` in write_seqlock(), read_seqlock_excl() and their _bh/_irq/_irqsave
// forms, include/linux/seqlock.h in 6.1 and 6.12): for this simulator the seqlock is that lock.

const SEQLOCK = 'include/linux/seqlock.h';
const seqlockAcquires = ['write_seqlock', 'write_seqlock_bh', 'write_seqlock_irq', 'write_seqlock_irqsave', 'read_seqlock_excl', 'read_seqlock_excl_bh', 'read_seqlock_excl_irq', 'read_seqlock_excl_irqsave'];
const seqlockReleases = ['write_sequnlock', 'write_sequnlock_bh', 'write_sequnlock_irq', 'write_sequnlock_irqrestore', 'read_sequnlock_excl', 'read_sequnlock_excl_bh', 'read_sequnlock_excl_irq', 'read_sequnlock_excl_irqrestore'];
const seqlocks: Contract[] = [
  ...seqlockAcquires.map((name): Contract => ({ name, effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SEQLOCK })),
  ...seqlockReleases.map((name): Contract => ({ name, effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: SEQLOCK })),
];

// ---------------------------------------------------------------------------------------
// The LRU lock of a lruvec (include/linux/memcontrol.h, mm/memcontrol.c): the lock helpers
// return the lruvec whose `lru_lock` spinlock they took; the unlock helpers drop that lock of
// the lruvec they are given. The same in 6.1 and 6.12.

const LRUVEC = 'include/linux/memcontrol.h, mm/memcontrol.c';
const LRU_LOCK_OF_RET: Target = { ret: true, member: 'lru_lock' };
const LRU_LOCK_OF_A0: Target = { member: 'lru_lock', arg: 0 };
const lruvecLocks: Contract[] = [
  { name: 'folio_lruvec_lock', effects: [{ op: 'acquire', resource: 'spinlock', target: LRU_LOCK_OF_RET }], source: LRUVEC },
  { name: 'folio_lruvec_lock_irq', effects: [{ op: 'acquire', resource: 'spinlock', target: LRU_LOCK_OF_RET }], source: LRUVEC },
  {
    name: 'folio_lruvec_lock_irqsave',
    effects: [{ op: 'acquire', resource: 'spinlock', target: LRU_LOCK_OF_RET }],
    source: LRUVEC,
    note: 'Signature (folio, &flags).',
  },
  { name: 'unlock_page_lruvec', effects: [{ op: 'release', resource: 'spinlock', target: LRU_LOCK_OF_A0 }], source: LRUVEC },
  { name: 'unlock_page_lruvec_irq', effects: [{ op: 'release', resource: 'spinlock', target: LRU_LOCK_OF_A0 }], source: LRUVEC },
  {
    name: 'unlock_page_lruvec_irqrestore',
    effects: [{ op: 'release', resource: 'spinlock', target: LRU_LOCK_OF_A0 }],
    source: LRUVEC,
    note: 'Signature (lruvec, flags).',
  },
];

// ---------------------------------------------------------------------------------------
// Other locks: mmap lock, per-VMA lock, RCU, mutexes, rwsems, rmap locks

const MMAP = 'include/linux/mmap_lock.h';
const otherLocks: Contract[] = [
  { name: 'mmap_read_lock', sleeps: true, effects: [{ op: 'acquire', resource: 'mmap_read', target: A0 }], source: MMAP },
  { name: 'mmap_read_unlock', effects: [{ op: 'release', resource: 'mmap_read', target: A0 }], source: MMAP },
  { name: 'mmap_write_lock', sleeps: true, effects: [{ op: 'acquire', resource: 'mmap_write', target: A0 }], source: MMAP },
  { name: 'mmap_write_unlock', effects: [{ op: 'release', resource: 'mmap_write', target: A0 }], source: MMAP },
  {
    name: 'bpf_mmap_unlock_mm',
    effects: [{ op: 'release', resource: 'mmap_read', target: A1 }],
    source: 'kernel/bpf/mmap_unlock_work.h',
    note:
      'bpf_mmap_unlock_mm(work, mm): drops the mmap read lock of mm, at once when work is NULL, otherwise from an ' +
      'irq_work once out of interrupt context (lockdep is told it is released now). Either way the caller no longer ' +
      'holds it after the call.',
  },
  {
    name: 'mmap_write_downgrade',
    effects: [
      { op: 'release', resource: 'mmap_write', target: A0 },
      { op: 'acquire', resource: 'mmap_read', target: A0 },
    ],
    source: MMAP,
  },
  {
    name: 'mmap_read_trylock',
    outcomes: [
      { when: 'positive', effects: [{ op: 'acquire', resource: 'mmap_read', target: A0 }], note: 'taken' },
      { when: 'zero', effects: [], note: 'not taken' },
    ],
    source: MMAP,
  },
  {
    name: 'mmap_write_trylock',
    outcomes: [
      { when: 'positive', effects: [{ op: 'acquire', resource: 'mmap_write', target: A0, trylock: true }], note: 'taken' },
      { when: 'zero', effects: [], note: 'not taken' },
    ],
    source: MMAP,
  },
  {
    name: 'mmap_read_lock_killable',
    sleeps: true,
    outcomes: [
      { when: 'zero', effects: [{ op: 'acquire', resource: 'mmap_read', target: A0 }], note: 'taken' },
      { when: 'negative', effects: [], note: 'interrupted (-EINTR)' },
    ],
    source: MMAP,
  },
  {
    name: 'mmap_write_lock_killable',
    sleeps: true,
    outcomes: [
      { when: 'zero', effects: [{ op: 'acquire', resource: 'mmap_write', target: A0 }], note: 'taken' },
      { when: 'negative', effects: [], note: 'interrupted (-EINTR)' },
    ],
    source: MMAP,
  },
  {
    name: 'lock_vma_under_rcu',
    outcomes: [
      { when: 'nonnull', effects: [{ op: 'acquire', resource: 'vma_read', target: RET }], note: 'VMA read-locked' },
      { when: 'null', effects: [], note: 'no VMA or contended: nothing held' },
    ],
    retFields: VMA_OF_MM,
    source: 'include/linux/mm.h, mm/memory.c',
  },
  {
    name: 'userfaultfd_remove',
    sleeps: true,
    outcomes: [
      { when: 'nonzero', effects: [], note: 'no userfaultfd context asking for remove events: the mmap read lock is kept' },
      {
        when: 'zero',
        effects: [{ op: 'release', resource: 'mmap_read', target: { field: 'vm_mm', arg: 0 } }],
        note: 'the remove event was delivered: the mmap read lock of vma->vm_mm was dropped (madvise retakes it)',
      },
    ],
    source: 'fs/userfaultfd.c, include/linux/userfaultfd_k.h',
    note:
      'Signature (vma, start, end), called with the mmap read lock of vma->vm_mm held. Returns true with the lock still ' +
      'held when the VMA has no userfaultfd context with UFFD_FEATURE_EVENT_REMOVE (always true without ' +
      'CONFIG_USERFAULTFD); otherwise it calls mmap_read_unlock(mm), waits for the event to be read and returns false.',
  },
  vmaLookup('find_vma', 'mm/mmap.c'),
  vmaLookup('vma_lookup', 'include/linux/mm.h'),
  vmaLookup('find_vma_intersection', 'mm/mmap.c'),
  vmaLookup('find_vma_prev', 'mm/mmap.c'),
  vmaLookup('find_extend_vma_locked', 'mm/mmap.c'),
  {
    name: 'expand_stack',
    versions: { from: '6.5' },
    // The StackRot fix (6.5) was backported to stable trees such as Debian's 6.1: the
    // argument types say which expand_stack a tree has (the older one takes the vma).
    signature: [{ arg: 0, type: 'struct mm_struct *' }],
    sleeps: true,
    outcomes: [
      { when: 'nonnull', effects: [], note: 'found (and maybe expanded): the mmap read lock is held again' },
      { when: 'null', effects: [{ op: 'release', resource: 'mmap_read', target: A0 }], note: 'no stack VMA: the mmap lock was dropped' },
    ],
    retFields: VMA_OF_MM,
    source: 'mm/mmap.c',
    note:
      'Signature (mm, addr), called with the mmap read lock held: it drops it, takes the write lock, looks the VMA up ' +
      'again and downgrades to read. On NULL it returns with the mmap lock dropped. (Before 6.5 it was ' +
      'expand_stack(vma, addr) with no lock change, unless the tree has the backport: linux-source-6.1 does.)',
  },
  {
    name: 'handle_mm_fault',
    sleeps: true,
    outcomes: [
      { when: 'always', bits: { clear: VM_FAULT_RETRY | VM_FAULT_COMPLETED }, effects: [], note: 'fault handled, the fault lock kept' },
      {
        when: 'nonzero',
        bits: { set: VM_FAULT_RETRY, clear: VM_FAULT_COMPLETED | VM_FAULT_ERROR },
        argBits: { arg: 2, anySet: FAULT_FLAG_ALLOW_RETRY, allClear: FAULT_FLAG_RETRY_NOWAIT },
        effects: [{ op: 'release', resource: 'mmap_read', target: { field: 'vm_mm', arg: 0 } }],
        note: 'VM_FAULT_RETRY: the mmap lock was released',
      },
      {
        when: 'positive',
        bits: { set: VM_FAULT_RETRY, clear: VM_FAULT_COMPLETED | VM_FAULT_ERROR },
        argBits: { arg: 2, anySet: FAULT_FLAG_RETRY_NOWAIT },
        effects: [],
        note: 'VM_FAULT_RETRY with FAULT_FLAG_RETRY_NOWAIT: the mmap lock is kept',
      },
      {
        when: 'nonzero',
        bits: { set: VM_FAULT_COMPLETED, clear: VM_FAULT_RETRY | VM_FAULT_ERROR },
        argBits: { arg: 2, anySet: FAULT_FLAG_ALLOW_RETRY, allClear: FAULT_FLAG_RETRY_NOWAIT },
        effects: [{ op: 'release', resource: 'mmap_read', target: { field: 'vm_mm', arg: 0 } }],
        note: 'VM_FAULT_COMPLETED: the mmap lock was released',
      },
    ],
    source: 'mm/memory.c, include/linux/mm_types.h',
    note:
      'Signature (vma, address, flags, regs), vm_fault_t. With VM_FAULT_RETRY or VM_FAULT_COMPLETED in the result the ' +
      'fault lock has been released (only possible when the flags have FAULT_FLAG_ALLOW_RETRY; with ' +
      'FAULT_FLAG_RETRY_NOWAIT it returns VM_FAULT_RETRY keeping the lock, and never VM_FAULT_COMPLETED); a retry or ' +
      'completed result carries no VM_FAULT_ERROR bit (gup\'s faultin_page tests COMPLETED before ERROR and relies on it): the mmap read lock of vma->vm_mm for ' +
      'the callers in mm/; with FAULT_FLAG_VMA_LOCK (arch fault handlers) it is the VMA read lock instead, a flag test ' +
      'the table cannot express.',
  },
  {
    name: 'vma_end_read',
    effects: [{ op: 'release', resource: 'vma_read', target: A0 }],
    source: 'include/linux/mm.h',
  },
  {
    name: 'vmf_anon_prepare',
    sleeps: true,
    outcomes: [
      { when: 'zero', effects: [], note: 'anon_vma ready' },
      {
        when: 'nonzero',
        effects: [{ op: 'release', resource: 'vma_read', target: { field: 'vma', arg: 0 } }],
        note: 'VM_FAULT_RETRY: the VMA read lock was released',
      },
    ],
    source: 'mm/internal.h, mm/memory.c',
    note:
      'On VM_FAULT_RETRY it has ended the VMA read lock of vmf->vma: nothing may use or unlock it after. ' +
      'The other non-zero result (VM_FAULT_OOM) keeps the lock, which `nonzero` cannot tell apart; the release is ' +
      'encoded for every non-zero result because that is the case where misuse hurts. Allocates (sleeps).',
  },
  {
    name: 'release_fault_lock',
    effects: [{ op: 'release', resource: 'vma_read', target: { field: 'vma', arg: 0 } }],
    source: 'include/linux/mm.h',
    note:
      'Releases whichever lock the fault holds: the VMA read lock of vmf->vma with FAULT_FLAG_VMA_LOCK, otherwise ' +
      'the mmap read lock of vmf->vma->vm_mm. Encoded as the VMA read lock; the flag test is not expressible.',
  },
  { name: 'rcu_read_lock', effects: [{ op: 'acquire', resource: 'rcu', target: RCU }], source: 'include/linux/rcupdate.h' },
  { name: 'rcu_read_unlock', effects: [{ op: 'release', resource: 'rcu', target: RCU }], source: 'include/linux/rcupdate.h' },
  { name: 'mutex_lock', sleeps: true, effects: [{ op: 'acquire', resource: 'mutex', target: A0 }], source: 'include/linux/mutex.h' },
  { name: 'mutex_lock_nested', sleeps: true, effects: [{ op: 'acquire', resource: 'mutex', target: A0 }], source: 'include/linux/mutex.h' },
  { name: 'mutex_unlock', effects: [{ op: 'release', resource: 'mutex', target: A0 }], source: 'include/linux/mutex.h' },
  tryAcquire('mutex_trylock', 'mutex', A0, 'include/linux/mutex.h'),
  {
    name: 'mutex_lock_interruptible',
    sleeps: true,
    outcomes: [
      { when: 'zero', effects: [{ op: 'acquire', resource: 'mutex', target: A0 }], note: 'taken' },
      { when: 'negative', effects: [], note: 'interrupted (-EINTR)' },
    ],
    source: 'include/linux/mutex.h, kernel/locking/mutex.c',
    note: '0: taken; -EINTR when a signal arrived while waiting, never a positive value.',
  },
  killableAcquire('mutex_lock_killable', 'mutex', A0, 'include/linux/mutex.h'),
  { name: 'down_read', sleeps: true, effects: [{ op: 'acquire', resource: 'rwsem_read', target: A0 }], source: 'include/linux/rwsem.h' },
  { name: 'up_read', effects: [{ op: 'release', resource: 'rwsem_read', target: A0 }], source: 'include/linux/rwsem.h' },
  { name: 'down_write', sleeps: true, effects: [{ op: 'acquire', resource: 'rwsem_write', target: A0 }], source: 'include/linux/rwsem.h' },
  { name: 'up_write', effects: [{ op: 'release', resource: 'rwsem_write', target: A0 }], source: 'include/linux/rwsem.h' },
  {
    name: 'downgrade_write',
    effects: [
      { op: 'release', resource: 'rwsem_write', target: A0 },
      { op: 'acquire', resource: 'rwsem_read', target: A0 },
    ],
    source: 'include/linux/rwsem.h',
  },
  tryAcquire('down_read_trylock', 'rwsem_read', A0, 'include/linux/rwsem.h'),
  tryAcquire('down_write_trylock', 'rwsem_write', A0, 'include/linux/rwsem.h'),
  killableAcquire('down_read_killable', 'rwsem_read', A0, 'include/linux/rwsem.h'),
  killableAcquire('down_write_killable', 'rwsem_write', A0, 'include/linux/rwsem.h'),
  {
    name: 'i_mmap_lock_read',
    sleeps: true,
    effects: [{ op: 'acquire', resource: 'rwsem_read', target: A0 }],
    source: 'include/linux/fs.h',
    note: 'The rwsem is mapping->i_mmap_rwsem; tracked on the mapping, which both lock and unlock take.',
  },
  { name: 'i_mmap_unlock_read', effects: [{ op: 'release', resource: 'rwsem_read', target: A0 }], source: 'include/linux/fs.h' },
  { name: 'i_mmap_lock_write', sleeps: true, effects: [{ op: 'acquire', resource: 'rwsem_write', target: A0 }], source: 'include/linux/fs.h' },
  { name: 'i_mmap_unlock_write', effects: [{ op: 'release', resource: 'rwsem_write', target: A0 }], source: 'include/linux/fs.h' },
  tryAcquire('i_mmap_trylock_read', 'rwsem_read', A0, 'include/linux/fs.h'),
  tryAcquire('i_mmap_trylock_write', 'rwsem_write', A0, 'include/linux/fs.h'),
  {
    name: 'anon_vma_lock_read',
    sleeps: true,
    effects: [{ op: 'acquire', resource: 'rwsem_read', target: A0 }],
    source: 'include/linux/rmap.h',
    note: 'The rwsem is anon_vma->root->rwsem; tracked on the anon_vma, which both lock and unlock take.',
  },
  { name: 'anon_vma_unlock_read', effects: [{ op: 'release', resource: 'rwsem_read', target: A0 }], source: 'include/linux/rmap.h' },
  { name: 'anon_vma_lock_write', sleeps: true, effects: [{ op: 'acquire', resource: 'rwsem_write', target: A0 }], source: 'include/linux/rmap.h' },
  { name: 'anon_vma_unlock_write', effects: [{ op: 'release', resource: 'rwsem_write', target: A0 }], source: 'include/linux/rmap.h' },
  tryAcquire('anon_vma_trylock_read', 'rwsem_read', A0, 'include/linux/rmap.h'),
  tryAcquire('anon_vma_trylock_write', 'rwsem_write', A0, 'include/linux/rmap.h'),
];

// ---------------------------------------------------------------------------------------
// The rest of the generic kernel lock API: reader/writer spinlocks, the RCU flavours,
// lockdep-annotated (_nested, _nest_lock, _io) forms of mutexes and rwsems, rt-mutexes
// and per-CPU rwsems. Without them a lock taken or dropped through one of these is
// invisible, and its partner call (or the function's annotation) is reported instead.

const RWLOCK = 'include/linux/rwlock.h, include/linux/spinlock.h';
/** rwlock_t spins: both sides are atomic context and are tracked as a spinlock on the lock. */
const rwlockNote = 'rwlock_t: a spinning reader/writer lock; taking either side makes the context atomic.';
const rwLock = (name: string): Contract => ({ name, effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: RWLOCK, note: rwlockNote });
const rwUnlock = (name: string): Contract => ({ name, effects: [{ op: 'release', resource: 'spinlock', target: A0 }], source: RWLOCK, note: rwlockNote });
const rwTry = (name: string): Contract => ({ ...tryAcquire(name, 'spinlock', A0, RWLOCK, !name.startsWith('read_')), note: `${rwlockNote} Non-zero: taken.` });

const RCU_H = 'include/linux/rcupdate.h';
const rcuFlavour = (lock: string, unlock: string, what: string): Contract[] => [
  { name: lock, effects: [{ op: 'acquire', resource: 'rcu', target: RCU }], source: RCU_H, note: `${what}; a read-side critical section, no sleeping inside.` },
  { name: unlock, effects: [{ op: 'release', resource: 'rcu', target: RCU }], source: RCU_H, note: `Ends the section ${lock}() began.` },
];

const MUTEX_H = 'include/linux/mutex.h';
const RWSEM_H = 'include/linux/rwsem.h';
const sleepingLock = (name: string, resource: Resource, source: string, note: string): Contract => ({
  name,
  sleeps: true,
  effects: [{ op: 'acquire', resource, target: A0 }],
  source,
  note,
});
const unlockOf = (name: string, resource: Resource, source: string): Contract => ({ name, effects: [{ op: 'release', resource, target: A0 }], source });
const withNote = (c: Contract, note: string): Contract => ({ ...c, note });

/** Drop a count and, when it reaches zero, return 1 with the lock (second argument) held
 *  so the object can be torn down under it; otherwise return 0 without it. */
const decAndLock = (name: string, resource: Resource, source: string): Contract =>
  withNote(
    resource === 'mutex' ? { ...tryAcquire(name, resource, A1, source, false), sleeps: true } : tryAcquire(name, resource, A1, source, false),
    '1: the count reached zero and the lock in the second argument is held; 0: the count is still positive, nothing held.',
  );

/** Functions the kernel headers declare `__noreturn`: a path that calls one ends there, so
 *  the code after it (after `do_group_exit(signr);` the kernel writes NOTREACHED) is no path to check. */
const noReturn = (name: string, source: string): Contract => ({
  name,
  noreturn: true,
  source,
  note: `Declared __noreturn in ${source}: the calling task never comes back from it.`,
});
const noReturnCalls: Contract[] = [
  noReturn('do_group_exit', 'include/linux/sched/task.h'),
  noReturn('do_task_dead', 'include/linux/sched/task.h'),
  noReturn('kthread_exit', 'include/linux/kthread.h'),
  noReturn('kthread_complete_and_exit', 'include/linux/kthread.h'),
  noReturn('__module_put_and_kthread_exit', 'include/linux/module.h'),
  noReturn('usercopy_abort', 'include/linux/uaccess.h'),
];

const SRCU_H = 'include/linux/srcu.h';
/** SRCU readers: a read-side section on one srcu_struct (the first argument). Unlike RCU the
 *  reader may sleep, sections nest, and the lock returns an index (>= 0) that its unlock
 *  takes back: the section is tracked on the srcu_struct, not as a context mode. */
const srcuLock = (name: string, note: string): Contract => ({ name, effects: [{ op: 'acquire', resource: 'srcu', target: A0 }], source: SRCU_H, note });
const srcuUnlock = (name: string, lock: string): Contract => ({
  name,
  effects: [{ op: 'release', resource: 'srcu', target: A0 }],
  source: SRCU_H,
  note: `(ssp, idx): ends the SRCU read-side section ${lock}(ssp) began and returned idx for.`,
});
const srcuReaders: Contract[] = [
  srcuLock('srcu_read_lock', 'Registers a reader on ssp and returns its index; the reader may sleep (SRCU), sections nest.'),
  srcuUnlock('srcu_read_unlock', 'srcu_read_lock'),
  srcuLock('__srcu_read_lock', 'The srcu_read_lock body without lockdep annotation.'),
  srcuUnlock('__srcu_read_unlock', '__srcu_read_lock'),
  srcuLock('srcu_read_lock_nmisafe', 'An NMI-safe SRCU reader (returns its index).'),
  srcuUnlock('srcu_read_unlock_nmisafe', 'srcu_read_lock_nmisafe'),
  srcuLock('__srcu_read_lock_nmisafe', 'The NMI-safe reader without lockdep annotation.'),
  srcuUnlock('__srcu_read_unlock_nmisafe', '__srcu_read_lock_nmisafe'),
  srcuLock('srcu_read_lock_notrace', 'srcu_read_lock without tracing.'),
  srcuUnlock('srcu_read_unlock_notrace', 'srcu_read_lock_notrace'),
  srcuLock('srcu_down_read', 'A reader that another task may end with srcu_up_read (semaphore-like); returns its index.'),
  srcuUnlock('srcu_up_read', 'srcu_down_read'),
];

const moreLocks: Contract[] = [
  decAndLock('atomic_dec_and_lock', 'spinlock', SPIN),
  decAndLock('atomic_dec_and_lock_irqsave', 'spinlock', SPIN),
  decAndLock('atomic_dec_and_raw_lock', 'spinlock', SPIN),
  decAndLock('atomic_dec_and_raw_lock_irqsave', 'spinlock', SPIN),
  decAndLock('refcount_dec_and_lock', 'spinlock', 'include/linux/refcount.h'),
  decAndLock('refcount_dec_and_lock_irqsave', 'spinlock', 'include/linux/refcount.h'),
  decAndLock('refcount_dec_and_mutex_lock', 'mutex', 'include/linux/refcount.h'),
  decAndLock('atomic_dec_and_mutex_lock', 'mutex', 'include/linux/mutex.h'),
  ...['read_lock', 'read_lock_irq', 'read_lock_irqsave', 'read_lock_bh', 'write_lock', 'write_lock_irq', 'write_lock_irqsave', 'write_lock_bh', 'write_lock_nested'].map(rwLock),
  ...['read_unlock', 'read_unlock_irq', 'read_unlock_irqrestore', 'read_unlock_bh', 'write_unlock', 'write_unlock_irq', 'write_unlock_irqrestore', 'write_unlock_bh'].map(rwUnlock),
  ...['read_trylock', 'write_trylock', 'write_trylock_irqsave'].map(rwTry),
  { name: 'raw_spin_lock_irqsave_nested', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN, note: 'The lockdep subclass form of raw_spin_lock_irqsave.' },
  { name: 'spin_lock_nest_lock', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN, note: 'spin_lock with a lockdep nest lock (second argument).' },
  { name: 'raw_spin_lock_nest_lock', effects: [{ op: 'acquire', resource: 'spinlock', target: A0 }], source: SPIN, note: 'raw_spin_lock with a lockdep nest lock (second argument).' },
  withNote(tryAcquire('raw_spin_trylock_irq', 'spinlock', A0, SPIN), 'Non-zero: taken (with interrupts off).'),
  withNote(tryAcquire('raw_spin_trylock_irqsave', 'spinlock', A0, SPIN), 'Non-zero: taken (interrupt state saved in the flags argument).'),
  withNote(tryAcquire('raw_spin_trylock_bh', 'spinlock', A0, SPIN), 'Non-zero: taken (with softirqs off).'),
  ...rcuFlavour('rcu_read_lock_bh', 'rcu_read_unlock_bh', 'RCU-bh reader: also disables softirqs'),
  ...rcuFlavour('rcu_read_lock_sched', 'rcu_read_unlock_sched', 'RCU-sched reader: also disables preemption'),
  ...rcuFlavour('rcu_read_lock_sched_notrace', 'rcu_read_unlock_sched_notrace', 'RCU-sched reader without tracing'),
  sleepingLock('mutex_lock_io', 'mutex', MUTEX_H, 'mutex_lock accounted as I/O wait.'),
  sleepingLock('mutex_lock_io_nested', 'mutex', MUTEX_H, 'mutex_lock_io with a lockdep subclass.'),
  sleepingLock('mutex_lock_nest_lock', 'mutex', MUTEX_H, 'mutex_lock with a lockdep nest lock (second argument).'),
  withNote(killableAcquire('mutex_lock_interruptible_nested', 'mutex', A0, MUTEX_H), '0: taken; -EINTR: a signal arrived, not taken.'),
  withNote(killableAcquire('mutex_lock_killable_nested', 'mutex', A0, MUTEX_H), '0: taken; -EINTR: a fatal signal arrived, not taken.'),
  sleepingLock('down_read_nested', 'rwsem_read', RWSEM_H, 'down_read with a lockdep subclass.'),
  sleepingLock('down_read_non_owner', 'rwsem_read', RWSEM_H, 'down_read released by another task (up_read_non_owner).'),
  unlockOf('up_read_non_owner', 'rwsem_read', RWSEM_H),
  sleepingLock('down_write_nested', 'rwsem_write', RWSEM_H, 'down_write with a lockdep subclass.'),
  sleepingLock('down_write_nest_lock', 'rwsem_write', RWSEM_H, 'down_write with a lockdep nest lock (second argument).'),
  withNote(killableAcquire('down_read_interruptible', 'rwsem_read', A0, RWSEM_H), '0: taken; -EINTR: not taken.'),
  withNote(killableAcquire('down_read_killable_nested', 'rwsem_read', A0, RWSEM_H), '0: taken; -EINTR: not taken.'),
  withNote(killableAcquire('down_write_killable_nested', 'rwsem_write', A0, RWSEM_H), '0: taken; -EINTR: not taken.'),
  sleepingLock('percpu_down_read', 'rwsem_read', 'include/linux/percpu-rwsem.h', 'A per-CPU rwsem: readers may sleep; tracked like an rwsem.'),
  unlockOf('percpu_up_read', 'rwsem_read', 'include/linux/percpu-rwsem.h'),
  sleepingLock('percpu_down_write', 'rwsem_write', 'kernel/locking/percpu-rwsem.c', 'Waits for every reader: sleeps.'),
  unlockOf('percpu_up_write', 'rwsem_write', 'kernel/locking/percpu-rwsem.c'),
  withNote(tryAcquire('percpu_down_read_trylock', 'rwsem_read', A0, 'include/linux/percpu-rwsem.h'), 'True: taken.'),
  sleepingLock('rt_mutex_lock', 'mutex', 'include/linux/rtmutex.h', 'A priority-inheriting sleeping lock, tracked as a mutex.'),
  sleepingLock('rt_mutex_lock_nested', 'mutex', 'include/linux/rtmutex.h', 'rt_mutex_lock with a lockdep subclass.'),
  unlockOf('rt_mutex_unlock', 'mutex', 'include/linux/rtmutex.h'),
  withNote(tryAcquire('rt_mutex_trylock', 'mutex', A0, 'include/linux/rtmutex.h'), '1: taken; 0: contended.'),
  withNote(killableAcquire('rt_mutex_lock_interruptible', 'mutex', A0, 'include/linux/rtmutex.h'), '0: taken; -EINTR: not taken.'),
  withNote(killableAcquire('rt_mutex_lock_killable', 'mutex', A0, 'include/linux/rtmutex.h'), '0: taken; -EINTR: not taken.'),
];

// ---------------------------------------------------------------------------------------
// Sleeping calls, rmap walks, and calls with no lock effect that still "use" their folio

const contexts: Contract[] = [
  { name: 'might_sleep', sleeps: true, source: 'include/linux/kernel.h' },
  { name: 'cond_resched', sleeps: true, source: 'include/linux/sched.h' },
  { name: 'lru_add_drain_all', sleeps: true, source: 'mm/swap.c' },
  { name: 'mmu_notifier_invalidate_range_start', sleeps: true, source: 'include/linux/mmu_notifier.h' },
  { name: 'mmu_notifier_invalidate_range_end', sleeps: true, source: 'include/linux/mmu_notifier.h' },
  {
    name: 'try_to_migrate',
    sleeps: true,
    requires: [{ resource: 'folio_lock', target: A0 }],
    usesArgs: true,
    source: 'mm/rmap.c',
    note: 'Walks the folio\'s rmap (rwsems): the folio must be locked.',
  },
  {
    name: 'try_to_unmap',
    sleeps: true,
    requires: [{ resource: 'folio_lock', target: A0 }],
    usesArgs: true,
    source: 'mm/rmap.c',
  },
  {
    name: 'remove_migration_ptes',
    sleeps: true,
    requires: [
      { resource: 'folio_lock', target: A0 },
      { resource: 'folio_lock', target: A1 },
    ],
    usesArgs: true,
    source: 'mm/migrate.c',
    note:
      'Signature (src, dst, flags). The rmap walk is over dst (the kernel asserts its lock); every caller in 6.12 ' +
      'mm/ holds src locked too (often src == dst), so both are required. With RMP_LOCKED the rmap lock is already ' +
      'held and the walk does not sleep; the flag test is not expressible.',
  },
  { name: 'folio_mapped', usesArgs: true, source: 'include/linux/mm.h' },
  { name: 'folio_mapcount', usesArgs: true, source: 'include/linux/mm.h' },
  { name: 'folio_size', usesArgs: true, source: 'include/linux/mm.h' },
  { name: 'folio_nr_pages', usesArgs: true, source: 'include/linux/mm.h' },
  { name: 'folio_order', usesArgs: true, source: 'include/linux/mm.h' },
  { name: 'folio_pfn', usesArgs: true, source: 'include/linux/mm.h' },
  { name: 'folio_ref_count', usesArgs: true, source: 'include/linux/page_ref.h' },
  { name: 'folio_test_anon', usesArgs: true, source: 'include/linux/page-flags.h' },
  { name: 'folio_test_dirty', usesArgs: true, source: 'include/linux/page-flags.h' },
  { name: 'folio_test_uptodate', usesArgs: true, source: 'include/linux/page-flags.h' },
  { name: 'folio_test_writeback', usesArgs: true, source: 'include/linux/page-flags.h' },
  { name: 'folio_test_lru', usesArgs: true, source: 'include/linux/page-flags.h' },
  { name: 'folio_test_swapcache', usesArgs: true, source: 'include/linux/page-flags.h' },
  { name: 'folio_test_ksm', usesArgs: true, source: 'include/linux/page-flags.h' },
  { name: 'folio_test_hugetlb', usesArgs: true, source: 'include/linux/page-flags.h' },
  { name: 'folio_test_pmd_mappable', usesArgs: true, source: 'include/linux/huge_mm.h' },
  {
    name: 'folio_test_large',
    predicate: { flag: 'large', target: A0 },
    usesArgs: true,
    source: 'include/linux/page-flags.h',
  },
  {
    name: 'folio_is_device_private',
    predicate: { flag: 'device_private', target: A0 },
    usesArgs: true,
    source: 'include/linux/memremap.h',
  },
  {
    name: 'is_device_private_page',
    predicate: { flag: 'device_private', target: A0 },
    usesArgs: true,
    source: 'include/linux/memremap.h',
    note: 'The flag is on the page object; its folio (page_folio) shares it.',
  },
  {
    name: 'is_device_private_entry',
    predicate: { flag: 'device_private', target: A0 },
    source: 'include/linux/swapops.h',
    note: 'On a swap entry; pfn_swap_entry_to_page() of the entry inherits the flag.',
  },
  {
    name: 'is_device_exclusive_entry',
    predicate: { flag: 'device_exclusive', target: A0 },
    source: 'include/linux/swapops.h',
  },
  { name: 'is_zero_page', predicate: { flag: 'zero_page', target: A0 }, source: 'include/linux/mm.h' },
  { name: 'is_zero_folio', predicate: { flag: 'zero_page', target: A0 }, source: 'include/linux/mm.h' },
  // An XArray value entry (shadow or swap entry) stored where a folio would be.
  { name: 'xa_is_value', predicate: { flag: 'xa_value', target: A0 }, source: 'include/linux/xarray.h' },
  { name: 'is_zero_pfn', predicate: { flag: 'zero_page', target: A0 }, source: 'include/linux/pgtable.h' },
];

// ---------------------------------------------------------------------------------------
// Allocations: they sleep when the gfp argument allows direct reclaim (GFP_KERNEL, ...)

const SLAB = 'include/linux/slab.h';
const GFP = 'include/linux/gfp.h';
const allocations: Contract[] = [
  { name: 'kmalloc', gfpArg: 1, source: SLAB },
  { name: 'kzalloc', gfpArg: 1, source: SLAB },
  { name: 'kmalloc_node', gfpArg: 1, source: SLAB },
  { name: 'kcalloc', gfpArg: 2, source: SLAB },
  { name: 'kmalloc_array', gfpArg: 2, source: SLAB },
  { name: 'krealloc', gfpArg: 2, source: SLAB },
  { name: 'kvmalloc', gfpArg: 1, source: SLAB },
  { name: 'kvzalloc', gfpArg: 1, source: SLAB },
  { name: 'kvcalloc', gfpArg: 2, source: SLAB },
  { name: 'kvmalloc_array', gfpArg: 2, source: SLAB },
  { name: 'kmem_cache_alloc', gfpArg: 1, source: SLAB },
  { name: 'kmem_cache_zalloc', gfpArg: 1, source: SLAB },
  { name: 'kmem_cache_alloc_node', gfpArg: 1, source: SLAB },
  { name: 'vmalloc', sleeps: true, source: 'include/linux/vmalloc.h' },
  { name: 'vzalloc', sleeps: true, source: 'include/linux/vmalloc.h' },
  { name: 'alloc_pages', gfpArg: 0, returnRef: 'ref', source: GFP, note: 'The new page comes with one reference.' },
  { name: 'alloc_page', gfpArg: 0, returnRef: 'ref', source: GFP },
  { name: 'alloc_pages_node', gfpArg: 1, returnRef: 'ref', source: GFP },
  { name: '__get_free_pages', gfpArg: 0, source: GFP },
  { name: 'get_zeroed_page', gfpArg: 0, source: GFP },
  { name: 'folio_alloc', gfpArg: 0, returnRef: 'ref', source: GFP, note: 'The new folio comes with one reference.' },
  { name: '__folio_alloc', gfpArg: 0, returnRef: 'ref', source: GFP },
  { name: 'vma_alloc_folio', gfpArg: 0, returnRef: 'ref', source: GFP, note: 'Signature (gfp, order, vma, addr[, hugepage]).' },
  { name: 'alloc_page_vma', gfpArg: 0, returnRef: 'ref', source: GFP },
];

// ---------------------------------------------------------------------------------------
// Device migration (mm/migrate_device.c)

// ---------------------------------------------------------------------------------------
// Reverse mapping: adding a folio's mapping hands the reference the caller took for it to the
// page table that now maps it (it is dropped when the mapping is zapped). Only the reference
// goes: a folio locked while it is mapped is still the mapper's to unlock.

const rmapAdd = (name: string, target: Target, versions?: Contract['versions'], note?: string): Contract => ({
  name,
  ...(versions ? { versions } : {}),
  effects: [{ op: 'handoff', what: 'ref', target }],
  source: 'include/linux/rmap.h, mm/rmap.c',
  note: note ?? 'The mapping being added owns the reference the caller took for it.',
});

/** folio_try_dup_anon_rmap_*() and friends: 0 = the new mapping (of a fork or a copy) shares
 *  the page and owns the reference taken for it; -EBUSY = the page may be pinned and must be
 *  copied: nothing was added and the caller drops what it took. */
const rmapTryDup = (name: string, target: Target, versions?: Contract['versions']): Contract => ({
  name,
  ...(versions ? { versions } : {}),
  outcomes: [
    { when: 'zero', effects: [{ op: 'handoff', what: 'ref', target }], note: 'mapping duplicated' },
    { when: 'nonzero', effects: [], note: 'page may be pinned: not duplicated', impossibleIf: { flag: 'device_private', target } },
  ],
  source: 'include/linux/rmap.h',
  note:
    'Returns 0 when the mapping was duplicated (it owns the reference taken for it), -EBUSY when the page may be ' +
    'DMA-pinned and must be copied instead; a device-private folio is never treated as maybe-pinned, so it cannot fail.',
});

/** folio_remove_rmap_*() and friends, the mirror of rmapAdd: the mapping being removed (its
 *  page-table entry already cleared or replaced) owned a reference, which is now the
 *  caller's to drop, with folio_put() or by handing it to a TLB batch. */
const rmapRemove = (name: string, target: Target, versions?: Contract['versions'], note?: string): Contract => ({
  name,
  ...(versions ? { versions } : {}),
  effects: [{ op: 'handback', target }],
  source: 'include/linux/rmap.h, mm/rmap.c, mm/memory.c zap_present_folio_ptes',
  note:
    note ??
    'Only the mapcount changes here; the reference the removed mapping owned is dropped by the caller afterwards ' +
    '(folio_put() after the rmap removal, or the TLB gather frees it).',
});

// Lists and batches: putting a folio (through its embedded list head) on a list or into a
// batch hands the references and isolation it carries to whoever owns the list.
const listAdd = (name: string, arg: number): Contract => ({
  name,
  effects: [{ op: 'handoff', target: { arg } }],
  source: 'include/linux/list.h, include/linux/pagevec.h',
  note: 'The list (or batch) now owns what the added object carries.',
});

const containers: Contract[] = [
  listAdd('list_add', 0),
  listAdd('list_add_tail', 0),
  listAdd('list_move', 0),
  listAdd('list_move_tail', 0),
  listAdd('folio_batch_add', 1),
  {
    // The page cache is an XArray: a folio stored in it is owned by it through the references
    // its caller took for that (folio_ref_add(folio, nr) in __filemap_add_folio); the folio
    // lock stays the caller's.
    name: 'xas_store',
    effects: [{ op: 'handoff', what: 'ref', target: A1 }],
    source: 'include/linux/xarray.h, lib/xarray.c, mm/filemap.c',
    note: 'Stores the entry (arg 1) at the xa_state\'s index and returns the entry it replaced.',
  },
  {
    // The page batch before folio batches (gone in 6.6): it holds pages, and what a page
    // carries (the reference its caller took) is on its folio.
    name: 'pagevec_add',
    effects: [{ op: 'handoff', target: { arg: 1, via: 'folio' } }],
    source: 'include/linux/pagevec.h (6.1)',
    note: 'Stores the page in the batch and returns the space left; pagevec_release() or the batch user drops the references.',
  },
];

const reverseMapping: Contract[] = [
  rmapAdd('folio_add_new_anon_rmap', A0),
  rmapAdd('folio_add_anon_rmap_ptes', A0),
  rmapAdd('folio_add_anon_rmap_pte', A0, undefined, 'A macro for folio_add_anon_rmap_ptes(folio, page, 1, ...).'),
  rmapAdd('folio_add_anon_rmap_pmd', A0),
  rmapAdd('folio_add_file_rmap_ptes', A0),
  rmapAdd('folio_add_file_rmap_pte', A0, undefined, 'A macro for folio_add_file_rmap_ptes(folio, page, 1, vma).'),
  rmapAdd('folio_add_file_rmap_pmd', A0),
  rmapAdd('folio_dup_file_rmap_ptes', A0, { from: '6.8' }, 'Duplicates file mappings at fork: the new mappings own the references taken for them.'),
  rmapAdd('folio_dup_file_rmap_pte', A0, { from: '6.8' }, 'Duplicates a file mapping at fork: the new mapping owns the reference taken for it.'),
  rmapAdd('folio_dup_file_rmap_pmd', A0, { from: '6.8' }, 'Duplicates a file PMD mapping at fork: it owns the reference taken for it.'),
  rmapTryDup('folio_try_dup_anon_rmap_ptes', A0, { from: '6.8' }),
  rmapTryDup('folio_try_dup_anon_rmap_pte', A0, { from: '6.8' }),
  rmapTryDup('folio_try_dup_anon_rmap_pmd', A0, { from: '6.8' }),
  rmapAdd('hugetlb_add_anon_rmap', A0, { from: '6.8' }),
  rmapAdd('hugetlb_add_new_anon_rmap', A0, { from: '6.8' }),
  rmapAdd('hugetlb_add_file_rmap', A0, { from: '6.8' }),
  rmapTryDup('hugetlb_try_dup_anon_rmap', A0, { from: '6.8' }),
  rmapAdd('page_add_anon_rmap', P0, { until: '6.8' }),
  rmapAdd('page_add_new_anon_rmap', P0, { until: '6.8' }),
  rmapAdd('page_add_file_rmap', P0, { until: '6.8' }),
  rmapAdd('hugepage_add_anon_rmap', P0, { until: '6.8' }),
  rmapAdd('hugepage_add_new_anon_rmap', P0, { until: '6.8' }),
  rmapAdd('page_dup_file_rmap', P0, { until: '6.8' }, 'Duplicates a file mapping at fork (takes a page): the new mapping owns the reference taken for it.'),
  rmapTryDup('page_try_dup_anon_rmap', P0, { until: '6.8' }),
  rmapRemove('folio_remove_rmap_ptes', A0),
  rmapRemove('folio_remove_rmap_pte', A0, undefined, 'A macro for folio_remove_rmap_ptes(folio, page, 1, vma).'),
  rmapRemove('folio_remove_rmap_pmd', A0),
  rmapRemove('hugetlb_remove_rmap', A0, { from: '6.8' }),
  rmapRemove('page_remove_rmap', P0, { until: '6.8' }, 'Signature (page, vma, compound): the reference goes with page_folio(page).'),
];

// Page-table stores: an entry made from a page and set into a table maps that page, and the
// table owns the reference taken for it (kernel page tables such as the vmemmap's have no
// rmap call to say so; free_pages() of the table's pages drops it). What is stored is a value
// computed from the page (mk_pte(page, prot), pfn_pte(__pa(p) >> PAGE_SHIFT, prot)), so the
// references handed over are those this path took on the objects the entry was computed from.

const entryStore = (name: string, entryArg: number, source: string): Contract => ({
  name,
  effects: [{ op: 'handoff', what: 'ref', encoded: true, target: { arg: entryArg } }],
  source,
  note: 'The table now maps the page the entry was made from and owns the reference taken for it.',
});

const PGTABLE = 'include/linux/pgtable.h';
const pageTableStores: Contract[] = [
  entryStore('set_pte_at', 3, PGTABLE),
  entryStore('set_ptes', 3, PGTABLE),
  entryStore('set_pte', 1, 'arch/*/include/asm/pgtable.h'),
  entryStore('set_pmd_at', 3, PGTABLE),
  entryStore('set_pud_at', 3, PGTABLE),
  entryStore('set_huge_pte_at', 3, 'include/linux/hugetlb.h'),
  {
    name: 'set_pte_range',
    effects: [{ op: 'handoff', what: 'ref', target: A1 }],
    source: 'mm/memory.c, include/linux/mm.h',
    note:
      'Signature (vmf, folio, page, nr, addr): adds the rmap of nr pages of folio and sets their PTEs; the ' +
      'mappings own the references the caller took for them (before or after the call, under the PTL).',
  },
  {
    name: 'do_set_pte',
    effects: [{ op: 'handoff', what: 'ref', target: { arg: 1, via: 'folio' } }],
    source: 'mm/memory.c (before set_pte_range replaced it)',
    note: 'Signature (vmf, page, addr): adds the rmap of page and sets its PTE; the mapping owns the reference taken for it.',
  },
];

const deviceMigration: Contract[] = [
  {
    name: 'migrate_vma_setup',
    sleeps: true,
    outcomes: [
      {
        when: 'zero',
        effects: [{ op: 'acquire', resource: 'folio_lock', target: { field: 'src', arg: 0 } }],
        note: 'collected: the src array holds locked, referenced folios',
      },
      { when: 'nonzero', effects: [], note: 'failed: nothing collected' },
    ],
    source: 'mm/migrate_device.c, include/linux/migrate.h',
    note:
      'The caller holds the mmap lock of args->vma->vm_mm (not expressible). On 0, every src entry with ' +
      'MIGRATE_PFN_MIGRATE holds a locked, referenced, unmapped folio owned by the array (from 6.15 the fault ' +
      'folio\'s lock stays the caller\'s). The folios in args->src are tracked as one lock on that array, which ' +
      'migrate_vma_finalize() releases: a driver that returns after a successful setup without it leaks them.',
  },
  {
    name: 'migrate_vma_pages',
    sleeps: true,
    source: 'mm/migrate_device.c',
    note: 'Moves the struct pages; transfers no lock or reference. Destination pages must be locked by the driver.',
  },
  {
    name: 'migrate_device_pages',
    sleeps: true,
    source: 'mm/migrate_device.c',
    note: 'Like migrate_vma_pages for migrate_device_range users.',
  },
  {
    name: 'migrate_vma_finalize',
    sleeps: true,
    effects: [{ op: 'release', resource: 'folio_lock', target: { field: 'src', arg: 0 } }],
    source: 'mm/migrate_device.c',
    note:
      'Unlocks and puts every source folio (from 6.15 except the fault folio\'s lock) and every destination folio ' +
      'the array holds; the array owns them, so nothing is tracked on the caller.',
  },
  {
    name: 'migrate_device_finalize',
    sleeps: true,
    effects: [{ op: 'handoff-args' }],
    source: 'mm/migrate_device.c',
    note:
      'Signature (src_pfns, dst_pfns, npages); same as migrate_vma_finalize: it unlocks and puts every folio whose ' +
      'pfn the arrays hold, so what was encoded into them is no longer this function\'s to release.',
  },
  {
    name: 'migrate_device_coherent_folio',
    sleeps: true,
    effects: [{ op: 'ref', target: A0, delta: -1 }],
    usesArgs: true,
    source: 'mm/migrate_device.c (6.12)',
    note:
      'The caller\'s reference on the folio is copied to the new folio when the migration succeeds (0) and dropped ' +
      'when it fails (-EBUSY): either way it is no longer the caller\'s. Locks the folio (sleeps) and unlocks it.',
  },
  {
    name: 'migrate_device_coherent_page',
    sleeps: true,
    effects: [{ op: 'ref', target: P0, delta: -1 }],
    usesArgs: true,
    source: 'mm/migrate_device.c (6.1)',
    note: 'The page form before the folio conversion: consumes the caller\'s reference the same way.',
  },
  {
    name: 'migrate_device_range',
    sleeps: true,
    source: 'mm/migrate_device.c',
    note: 'Locks and references the folios it collects into the src array (owned by the array, not tracked).',
  },
  {
    name: 'migrate_device_pfns',
    sleeps: true,
    source: 'CONTRACTS.md (not in the 6.12 tree)',
    note: 'Like migrate_device_range for a list of pfns.',
  },
];

// ---------------------------------------------------------------------------------------
// Entry contracts: what callers guarantee to code that reads these parameters and fields

const entries: EntryContract[] = [
  {
    id: 'migrate_vma.fault_page locked (>= 6.15)',
    versions: { from: '6.15' },
    match: { field: 'fault_page', baseType: 'struct migrate_vma' },
    folioOfPage: true,
    holds: ['folio_lock', 'ref'],
    note:
      'From "mm/migrate: Trylock device page in do_swap_page" (about 6.15, per CONTRACTS.md) the fault handler locks ' +
      'the device page before migrate_to_ram(): its folio is locked and referenced for the whole migration.',
  },
  {
    id: 'migrate_vma.fault_page referenced (< 6.15)',
    versions: { until: '6.15' },
    match: { field: 'fault_page', baseType: 'struct migrate_vma' },
    folioOfPage: true,
    holds: ['ref'],
    note:
      'Before 6.15 the fault page is referenced but not locked (6.12 checked: migrate_vma_setup only requires it to ' +
      'be device-private), and migrate_device code locks and unlocks it like any other page.',
  },
  {
    id: 'fault_page parameter locked (>= 6.15)',
    versions: { from: '6.15' },
    match: { param: 'fault_page', type: 'struct page *' },
    folioOfPage: true,
    holds: ['folio_lock', 'ref'],
    files: ['migrate_device'],
    note: 'The fault page handed down inside mm/migrate_device.c: locked and referenced by the fault handler.',
  },
  {
    id: 'fault_page parameter referenced (< 6.15)',
    versions: { until: '6.15' },
    match: { param: 'fault_page', type: 'struct page *' },
    folioOfPage: true,
    holds: ['ref'],
    files: ['migrate_device'],
    note: 'Before 6.15: referenced, not locked.',
  },
];

const KREF_H = 'include/linux/kref.h';
/** Reference drops that run a release callback when the count reaches zero. The callback is
 *  the second argument and is called on the kref (the first): it finds its object with
 *  container_of(), so what it does (unlock, free) is done to the object the caller named. */
const releaseCallbacks: Contract[] = [
  {
    name: 'kref_put',
    outcomes: [
      { when: 'positive', effects: [], runs: { fn: 1, args: [0] }, note: 'last reference: release() ran' },
      { when: 'zero', effects: [], note: 'not the last reference' },
    ],
    source: KREF_H,
    note: '(kref, release): 1 exactly when the count reached zero and release(kref) ran; 0 otherwise, nothing else done.',
  },
];

// ---------------------------------------------------------------------------------------
// Locks inside structures that are the structure's own lock under another name

const lockFields: LockField[] = [
  {
    id: 'vma->vm_lock->lock is the VMA read lock (6.4 .. 6.14)',
    versions: { from: '6.4', until: '6.15' },
    path: ['vm_lock', 'lock'],
    as: [{ inner: 'rwsem_read', outer: 'vma_read' }],
    note:
      'include/linux/mm.h (6.12): vma_start_read() takes down_read_trylock(&vma->vm_lock->lock) and vma_end_read() ' +
      'does up_read(&vma->vm_lock->lock); code that holds the mmap lock takes it directly with down_read() ' +
      '(mm/userfaultfd.c) and hands it on like one from lock_vma_under_rcu(). The write side (vma_start_write) is ' +
      'not this lock. 6.15 replaced vm_lock with a reference count in the VMA.',
  },
];

export const BUILTIN_TABLE: ContractTable = {
  contracts: [
    ...folioLock,
    ...references,
    ...splitting,
    ...pageTables,
    ...spinlocks,
    ...seqlocks,
    ...lruvecLocks,
    ...otherLocks,
    ...moreLocks,
    ...releaseCallbacks,
    ...noReturnCalls,
    ...srcuReaders,
    ...contexts,
    ...allocations,
    ...reverseMapping,
    ...pageTableStores,
    ...containers,
    ...deviceMigration,
  ],
  entries,
  lockFields,
};
