// Human descriptions of the rule ids, for SARIF's rule metadata and --help-style output.
// The engine decides what each rule reports; this table only says it in words.

import { ALL_RULES, type RuleId } from '../engine/types';

export interface RuleDescription {
  /** One line. */
  short: string;
  /** A few sentences for tools that show more. */
  full: string;
}

export const RULE_DESCRIPTIONS: Record<RuleId, RuleDescription> = {
  'double-lock': {
    short: 'A lock is taken again on a path where this context already holds it.',
    full:
      'Taking a non-recursive lock (a folio lock, a page-table lock, a spinlock) that the same ' +
      'context already holds hangs forever. This includes a folio whose lock the caller holds ' +
      'by contract, such as the fault folio in device migration.',
  },
  'unlock-not-held': {
    short: 'An unlock of something that is not held on this path.',
    full: 'Releasing a lock that the path never took, or already released, corrupts the lock state.',
  },
  'lock-leak': {
    short: 'A return holds a lock or mode inconsistently with other returns or the contract.',
    full:
      'At a return, something held (a folio lock, a page-table lock, a mapped PTE table, ' +
      'lazy-MMU mode, an RCU read section, a VMA read lock) is held on this path but not on ' +
      'others, and the return value does not explain the difference.',
  },
  'ref-leak': {
    short: 'A return keeps a folio reference that other returns or the contract do not.',
    full:
      'The reference count change at this return differs from the other returns without the ' +
      'return value explaining it: a reference taken on this path is never dropped.',
  },
  'ref-underflow': {
    short: 'A path drops more references than the function may drop.',
    full: 'A put without a matching get: the folio may be freed while someone else still uses it.',
  },
  'sleep-in-atomic': {
    short: 'A call that may sleep while a spinlock, RCU read lock or lazy-MMU mode is held.',
    full:
      'folio_lock, split_folio, mmap_read_lock, GFP_KERNEL allocations and other sleeping calls ' +
      'are not allowed in atomic context.',
  },
  'pte-after-unmap': {
    short: 'A pte pointer is used after pte_unmap_unlock or pte_unmap.',
    full: 'Once the PTE table is unmapped, the pointer into it must not be dereferenced.',
  },
  'pte-map-unchecked': {
    short: 'The result of pte_offset_map_lock/pte_offset_map is used where it may be NULL.',
    full:
      'Since 6.5 these calls return NULL when the page table changed under them; the result ' +
      'must be checked before it is dereferenced, advanced or unlocked.',
  },
  'retry-with-lock-held': {
    short: 'A retry (goto again or a loop back edge) re-takes a lock that is still held.',
    full: 'The retry path forgets to release a lock before jumping back to the code that takes it.',
  },
  'requires-lock': {
    short: 'A call whose contract requires a lock or reference is made without it.',
    full:
      'split_folio, try_to_migrate, remove_migration_ptes, folio_end_read and similar calls ' +
      'require the folio lock (or a reference) to be held by the caller.',
  },
  'use-after-put': {
    short: 'A folio is used after the path dropped the last reference it knew of.',
    full:
      'After the last known reference is dropped the folio may be freed at once; locking, ' +
      'testing or passing it on afterwards is a use after free unless something else pins it.',
  },
  'split-device-private': {
    short: 'split_folio on a folio that is device-private on this path.',
    full: 'Splitting device-private folios is not supported by every kernel version.',
  },
  'stale-folio-after-split': {
    short: 'A folio value computed before a split is used for a page that may have moved.',
    full:
      'After a successful split, page_folio() of a page that was in the split folio may be a ' +
      'new, unlocked folio; a folio pointer computed before the split is stale for it.',
  },
  'analysis-incomplete': {
    short: 'The analysis budget was spent; the rest of the function is unchecked.',
    full:
      'The function has more paths or states than the budget allows (see --budget). The ' +
      'finding says where the analysis stopped; nothing after it was checked.',
  },
};

export function describedRules(): { id: RuleId; description: RuleDescription }[] {
  return ALL_RULES.map((id) => ({ id, description: RULE_DESCRIPTIONS[id] }));
}
