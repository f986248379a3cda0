import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILTIN_TABLE } from '../../server/src/engine/model/table';
import { CONTRACT_KEYS, ENTRY_KEYS, LOCK_FIELD_KEYS, RESOURCES, validateTable } from '../../server/src/engine/model/validate';
import {
  builtinTable,
  contractsFor,
  findWorkspaceContracts,
  loadContractFile,
  validateContractJson,
} from '../../server/src/engine/model/load';
import { parseKernelVersion, versionInRange } from '../../server/src/engine/model/version';
import type { Contract, ContractTable, Effect, LockField, Outcome } from '../../server/src/engine/model/types';

const V = (s: string) => parseKernelVersion(s)!;
const RESOURCE_LIST = 'folio_lock, ptl, pte_map, spinlock, mutex, mmap_read, mmap_write, vma_read, rwsem_read, rwsem_write, rcu, srcu, lazy_mmu';

function contractAt(version: string, name: string): Contract {
  const c = contractsFor(V(version), []).byName.get(name);
  assert.ok(c, `${name} should have a contract for ${version}`);
  return c;
}

function outcome(c: Contract, when: Outcome['when']): Outcome {
  const o = c.outcomes?.find((x) => x.when === when);
  assert.ok(o, `${c.name} should have a "${when}" outcome`);
  return o;
}

function acquires(effects: Effect[], resource: string): boolean {
  return effects.some((e) => e.op === 'acquire' && e.resource === resource);
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'folio-lens-contracts-'));
}

// ---------------------------------------------------------------------------------------

test('the built-in table passes the validator, as data and after a JSON round trip', () => {
  assert.deepEqual(validateTable(BUILTIN_TABLE, 'built-in').errors, []);
  const roundTrip = validateTable(JSON.parse(JSON.stringify(BUILTIN_TABLE)), 'built-in');
  assert.deepEqual(roundTrip.errors, []);
  assert.deepEqual(roundTrip.table, JSON.parse(JSON.stringify(BUILTIN_TABLE)));
  assert.equal(builtinTable(), BUILTIN_TABLE);
});

// Every API named in CONTRACTS.md's tables and sections, written out by hand.
const CONTRACTS_MD_APIS = [
  // folio lock
  'folio_lock', 'folio_trylock', 'folio_lock_killable', 'folio_unlock', 'lock_page', 'trylock_page', 'unlock_page',
  'folio_test_locked', 'PageLocked', 'folio_lock_or_retry', 'filemap_lock_folio', '__filemap_get_folio',
  'folio_end_read', 'swap_read_folio', 'read_folio', 'zone_device_page_init',
  // references
  'folio_get', 'folio_try_get', 'folio_put', 'get_page', 'put_page', 'folio_put_refs', 'folio_ref_add', 'folio_ref_sub',
  'folio_get_nontail_page', 'folio_isolate_lru', 'folio_putback_lru', 'split_huge_pmd_address', 'vm_normal_folio',
  'pte_page', 'pmd_folio', 'pfn_swap_entry_to_page',
  // splitting
  'split_folio', 'split_huge_page', 'folio_split_unmapped', 'split_huge_pmd',
  // page-table locks
  'pte_offset_map_lock', 'pte_unmap_unlock', 'pte_offset_map', 'pte_unmap', 'pte_offset_map_nolock',
  'pte_offset_map_ro_nolock', 'pte_offset_map_rw_nolock', 'pmd_lock', 'pud_lock', 'pmd_trans_huge_lock',
  'pud_trans_huge_lock', 'pmd_lockptr', 'pte_lockptr', 'get_locked_pte', 'pte_alloc_map_lock', 'huge_pte_lock',
  'page_vma_mapped_walk', 'page_vma_mapped_walk_done', 'folio_walk_start', 'folio_walk_end',
  'spin_lock', 'spin_unlock', 'spin_trylock', 'spin_lock_irq', 'spin_unlock_irq', 'spin_lock_irqsave',
  'spin_unlock_irqrestore', 'spin_lock_bh', 'spin_unlock_bh',
  'migration_entry_wait_on_locked', 'softleaf_entry_wait_on_locked', 'migration_entry_wait',
  'arch_enter_lazy_mmu_mode', 'arch_leave_lazy_mmu_mode', 'lazy_mmu_mode_enable', 'lazy_mmu_mode_disable',
  // other locks and contexts
  'mmap_read_lock', 'mmap_read_unlock', 'mmap_write_lock', 'mmap_write_unlock', 'mmap_read_trylock',
  'mmap_read_lock_killable', 'mmap_write_lock_killable', 'lock_vma_under_rcu', 'vma_end_read', 'vmf_anon_prepare',
  'release_fault_lock', 'rcu_read_lock', 'rcu_read_unlock', 'mutex_lock', 'mutex_unlock', 'mutex_trylock',
  'mutex_lock_interruptible', 'mutex_lock_killable', 'might_sleep', 'cond_resched', 'lru_add_drain_all',
  'mmu_notifier_invalidate_range_start', 'try_to_migrate', 'remove_migration_ptes', 'folio_mapped', 'folio_mapcount',
  'page_folio',
  // device migration
  'migrate_vma_setup', 'migrate_vma_pages', 'migrate_vma_finalize', 'migrate_device_finalize', 'migrate_device_range',
  'migrate_device_pfns',
];

test('every API named in CONTRACTS.md has a contract', () => {
  const names = new Set(BUILTIN_TABLE.contracts.map((c) => c.name));
  const missing = CONTRACTS_MD_APIS.filter((n) => !names.has(n));
  assert.deepEqual(missing, []);
});

test('no two built-in contracts of one name hold for the same version', () => {
  for (const version of ['6.1', '6.3', '6.4', '6.5', '6.12', '6.15', '7.0']) {
    const counts = new Map<string, number>();
    for (const c of BUILTIN_TABLE.contracts) {
      if (versionInRange(V(version), c.versions)) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
    }
    const ambiguous = [...counts].filter(([, n]) => n > 1).map(([name]) => name);
    assert.deepEqual(ambiguous, [], `at ${version}`);
  }
  // And every versioned name is covered on both sides of its boundary.
  for (const name of ['folio_lock_or_retry', 'pte_offset_map_lock', 'pte_offset_map', 'folio_isolate_lru', '__filemap_get_folio', 'filemap_lock_folio', 'migration_entry_wait_on_locked']) {
    for (const version of ['6.1', '6.12', '7.0']) assert.ok(contractsFor(V(version), []).byName.has(name), `${name} at ${version}`);
  }
});

// ---------------------------------------------------------------------------------------
// Version differences (CONTRACTS.md "Version differences")

test('folio_lock_or_retry: true = locked in 6.1, 0 = locked from 6.5 with the fault lock released on retry', () => {
  const old = contractAt('6.1', 'folio_lock_or_retry');
  // true (1) = locked: a positive result.
  assert.ok(acquires(outcome(old, 'positive').effects, 'folio_lock'));
  assert.deepEqual(outcome(old, 'zero').effects, [{ op: 'release', resource: 'mmap_read', target: { arg: 1 } }]);
  for (const v of ['6.12', '7.0']) {
    const c = contractAt(v, 'folio_lock_or_retry');
    assert.ok(acquires(outcome(c, 'zero').effects, 'folio_lock'), v);
    assert.deepEqual(outcome(c, 'nonzero').effects, [{ op: 'release', resource: 'vma_read', target: { field: 'vma', arg: 1 } }]);
  }
  assert.equal(contractsFor(V('6.1'), []).byName.has('__folio_lock_or_retry'), false);
});

test('pte_offset_map_lock and pte_offset_map never return NULL before 6.5 and may from 6.5', () => {
  for (const name of ['pte_offset_map_lock', 'pte_offset_map']) {
    const old = contractAt('6.1', name);
    assert.deepEqual(old.outcomes?.map((o) => o.when), ['always'], name);
    assert.ok(acquires(old.outcomes![0]!.effects, 'pte_map'));
    assert.deepEqual(contractAt('6.4', name).outcomes?.map((o) => o.when), ['always'], `${name} 6.4`);
    for (const v of ['6.5', '6.12', '7.0']) {
      const c = contractAt(v, name);
      assert.deepEqual(c.outcomes?.map((o) => o.when).sort(), ['nonnull', 'null'], `${name} ${v}`);
      assert.deepEqual(outcome(c, 'null').effects, []);
    }
  }
  const locked = outcome(contractAt('6.12', 'pte_offset_map_lock'), 'nonnull').effects;
  assert.deepEqual(locked, [
    { op: 'acquire', resource: 'pte_map', target: { ret: true } },
    { op: 'acquire', resource: 'ptl', target: { out: 3 } },
  ]);
});

test('folio_isolate_lru succeeds with 0 before 6.4 and with true from 6.4', () => {
  const old = contractAt('6.1', 'folio_isolate_lru');
  assert.deepEqual(outcome(old, 'zero').effects, [{ op: 'ref', target: { arg: 0 }, delta: 1 }]);
  assert.deepEqual(contractAt('6.3', 'folio_isolate_lru'), old);
  for (const v of ['6.4', '6.12', '7.0']) {
    const c = contractAt(v, 'folio_isolate_lru');
    assert.deepEqual(outcome(c, 'positive').effects, [{ op: 'ref', target: { arg: 0 }, delta: 1 }], v);
    assert.deepEqual(outcome(c, 'zero').effects, [], v);
  }
});

test('page-cache lookups miss with NULL before 6.3 and with an error pointer from 6.3', () => {
  for (const name of ['__filemap_get_folio', 'filemap_lock_folio', 'filemap_get_folio']) {
    const old = contractAt('6.1', name);
    assert.ok(old.outcomes?.some((o) => o.when === 'null'), `${name} 6.1`);
    assert.ok(!old.outcomes?.some((o) => o.when === 'errptr'), `${name} 6.1`);
    for (const v of ['6.3', '6.12', '7.0']) {
      const c = contractAt(v, name);
      assert.ok(c.outcomes?.some((o) => o.when === 'errptr'), `${name} ${v}`);
      assert.ok(!c.outcomes?.some((o) => o.when === 'null'), `${name} ${v}`);
      assert.equal(c.returnRef, 'ref');
    }
  }
  assert.ok(acquires(outcome(contractAt('6.12', 'filemap_lock_folio'), 'nonnull').effects, 'folio_lock'));
  assert.ok(acquires(outcome(contractAt('6.1', 'filemap_lock_folio'), 'nonnull').effects, 'folio_lock'));
});

test('migration_entry_wait_on_locked unmaps ptep as well in 6.1 and only unlocks from 6.5', () => {
  assert.deepEqual(contractAt('6.1', 'migration_entry_wait_on_locked').effects, [
    { op: 'release', resource: 'ptl', target: { arg: 2 } },
    { op: 'release', resource: 'pte_map', target: { arg: 1 } },
  ]);
  for (const v of ['6.12', '7.0']) {
    const c = contractAt(v, 'migration_entry_wait_on_locked');
    assert.deepEqual(c.effects, [{ op: 'release', resource: 'ptl', target: { arg: 1 } }], v);
    assert.equal(c.sleeps, true);
  }
});

test('the fault page is referenced before 6.15 and locked and referenced from 6.15', () => {
  const at = (v: string) => contractsFor(V(v), []).entries;
  for (const v of ['6.1', '6.12', '6.14']) {
    const entries = at(v);
    assert.equal(entries.length, 2, v);
    for (const e of entries) {
      assert.deepEqual(e.holds, ['ref'], `${e.id} at ${v}`);
      assert.equal(e.folioOfPage, true);
    }
  }
  for (const v of ['6.15', '7.0']) {
    const entries = at(v);
    assert.equal(entries.length, 2, v);
    for (const e of entries) assert.deepEqual(e.holds, ['folio_lock', 'ref'], `${e.id} at ${v}`);
  }
  const [field, param] = [at('7.0').find((e) => 'field' in e.match), at('7.0').find((e) => 'param' in e.match)];
  assert.deepEqual(field?.match, { field: 'fault_page', baseType: 'struct migrate_vma' });
  assert.equal(field?.files, undefined);
  assert.deepEqual(param?.match, { param: 'fault_page', type: 'struct page *' });
  assert.deepEqual(param?.files, ['migrate_device']);
});

// ---------------------------------------------------------------------------------------
// Facts the simulator relies on

test('lock pointers for the same pmd share a key across pmd_lock, pmd_lockptr and pmd_trans_huge_lock', () => {
  const c = (n: string) => contractAt('6.12', n).returns;
  // pmd_lock(mm, pmd) and pmd_lockptr(mm, pmd): pmd is argument 1; pmd_trans_huge_lock(pmd, vma): argument 0.
  assert.deepEqual(c('pmd_lock'), { kind: 'keyed', key: 'pmd_ptl', args: [1] });
  assert.deepEqual(c('pmd_lockptr'), { kind: 'keyed', key: 'pmd_ptl', args: [1] });
  assert.deepEqual(c('pmd_trans_huge_lock'), { kind: 'keyed', key: 'pmd_ptl', args: [0] });
  assert.deepEqual(c('pte_lockptr'), { kind: 'keyed', key: 'pte_ptl', args: [1] });
  // The calls that store the PTE lock through `&ptl` give it the same key through `outs`.
  for (const n of ['pte_offset_map_lock', 'pte_offset_map_nolock', 'pte_alloc_map_lock']) {
    assert.deepEqual(contractAt('6.12', n).outs, [{ arg: 3, value: { kind: 'keyed', key: 'pte_ptl', args: [1] } }], n);
    assert.equal(c(n), undefined, `${n} returns a fresh pte pointer`);
  }
  assert.deepEqual(c('pud_lock'), { kind: 'keyed', key: 'pud_ptl', args: [1] });
});

test('pte_unmap_unlock releases the ptl of argument 1 and the mapping of argument 0', () => {
  assert.deepEqual(contractAt('6.12', 'pte_unmap_unlock').effects, [
    { op: 'release', resource: 'ptl', target: { arg: 1 } },
    { op: 'release', resource: 'pte_map', target: { arg: 0 } },
  ]);
});

test('split_huge_pmd_address consumes one reference of its folio argument (the last one)', () => {
  const c = contractAt('6.12', 'split_huge_pmd_address');
  assert.deepEqual(c.effects, [{ op: 'ref', target: { arg: 3 }, delta: -1 }]);
  assert.equal(c.sleeps, true);
});

test('split contracts: split_folio keeps the head locked, split_huge_page keeps the page\'s piece', () => {
  const sf = contractAt('6.12', 'split_folio');
  assert.deepEqual(outcome(sf, 'zero').effects, [{ op: 'split', target: { arg: 0 }, keep: 'head' }]);
  assert.deepEqual(sf.requires, [
    { resource: 'folio_lock', target: { arg: 0 } },
    { resource: 'ref', target: { arg: 0 } },
  ]);
  const shp = contractAt('6.12', 'split_huge_page');
  assert.deepEqual(outcome(shp, 'zero').effects, [{ op: 'split', target: { arg: 0, via: 'folio' }, keep: 'page' }]);
});

test('walk contracts act on the fields of struct page_vma_mapped_walk and struct folio_walk', () => {
  const pvmw = outcome(contractAt('6.12', 'page_vma_mapped_walk'), 'nonzero').effects;
  assert.deepEqual(pvmw, [
    { op: 'acquire', resource: 'ptl', target: { field: 'ptl', arg: 0 } },
    { op: 'acquire', resource: 'pte_map', target: { field: 'pte', arg: 0 } },
  ]);
  const fw = outcome(contractAt('6.12', 'folio_walk_start'), 'nonnull').effects;
  assert.deepEqual(fw, [
    { op: 'acquire', resource: 'ptl', target: { field: 'ptl', arg: 0 } },
    { op: 'acquire', resource: 'pte_map', target: { field: 'ptep', arg: 0 } },
  ]);
  assert.equal(contractAt('6.12', 'folio_walk_start').returnRef, 'noref');
});

test('page wrappers act on the folio, lock tests are predicates, folio_put_refs takes its count from argument 1', () => {
  assert.deepEqual(contractAt('6.12', 'lock_page').effects, [{ op: 'acquire', resource: 'folio_lock', target: { arg: 0, via: 'folio' } }]);
  assert.deepEqual(contractAt('6.12', 'put_page').effects, [{ op: 'ref', target: { arg: 0, via: 'folio' }, delta: -1 }]);
  assert.deepEqual(contractAt('6.12', 'folio_test_locked').predicate, { flag: 'locked', target: { arg: 0 } });
  assert.deepEqual(contractAt('6.12', 'PageLocked').predicate, { flag: 'locked', target: { arg: 0, via: 'folio' } });
  assert.deepEqual(contractAt('6.12', 'folio_put_refs').effects, [{ op: 'ref', target: { arg: 0 }, deltaArg: 1, sign: -1 }]);
  assert.deepEqual(contractAt('6.12', 'page_folio').returns, { kind: 'folioOf', arg: 0 });
  assert.deepEqual(contractAt('6.12', 'folio_end_read').effects, [{ op: 'transfer', resource: 'folio_lock', target: { arg: 0 } }]);
});

test('table conventions: sources everywhere, returned references counted only by returnRef', () => {
  for (const c of BUILTIN_TABLE.contracts) {
    assert.ok(c.source && c.source.length > 0, `${c.name} needs a source`);
    const all = [...(c.effects ?? []), ...(c.outcomes ?? []).flatMap((o) => o.effects)];
    assert.ok(!all.some((e) => e.op === 'ref' && 'ret' in e.target), `${c.name}: reference on ret belongs in returnRef`);
    if (c.predicate) assert.equal(c.effects, undefined, `${c.name}: a predicate has no effects`);
  }
});

test('kref_put runs its release callback (argument 1) on the kref (argument 0) exactly when it returns 1', () => {
  const c = contractAt('6.12', 'kref_put');
  assert.deepEqual(outcome(c, 'positive').runs, { fn: 1, args: [0] });
  assert.equal(outcome(c, 'zero').runs, undefined);
  assert.deepEqual(outcome(c, 'zero').effects, []);
});

test('trylocks of exclusive locks fail on a held lock; read-side trylocks and dec-and-lock waits do not', () => {
  const tries = (name: string): boolean | undefined => {
    const e = outcome(contractAt('6.12', name), 'positive').effects[0];
    return e.op === 'acquire' ? e.trylock : undefined;
  };
  for (const name of ['spin_trylock', 'mutex_trylock', 'folio_trylock', 'trylock_page', 'down_write_trylock', 'write_trylock', 'mmap_write_trylock']) assert.equal(tries(name), true, name);
  for (const name of ['down_read_trylock', 'read_trylock', 'mmap_read_trylock', 'refcount_dec_and_lock', 'atomic_dec_and_mutex_lock']) assert.equal(tries(name), undefined, name);
});

test('the JSON schema documents the same fields and resources the validator checks', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../docs/contracts.schema.json'), 'utf8'));
  assert.deepEqual(Object.keys(schema.definitions.contract.properties).sort(), [...CONTRACT_KEYS].sort());
  assert.deepEqual(Object.keys(schema.definitions.entry.properties).sort(), [...ENTRY_KEYS].sort());
  assert.deepEqual(Object.keys(schema.definitions.lockField.properties).sort(), [...LOCK_FIELD_KEYS].sort());
  assert.deepEqual(schema.definitions.resource.enum, [...RESOURCES]);
});

// ---------------------------------------------------------------------------------------
// Validator errors, with the exact JSON path

function errorsOf(value: unknown): string[] {
  const r = validateTable(value, 'w.json');
  assert.equal(r.table, undefined);
  return r.errors;
}

test('validator: a misspelt resource deep inside an outcome', () => {
  const bad = {
    contracts: [
      { name: 'e' },
      { name: 'f' },
      { name: 'g', versions: { until: '6.5' } },
      {
        name: 'h',
        outcomes: [
          {
            when: 'nonnull',
            effects: [
              { op: 'acquire', resource: 'pte_map', target: { ret: true } },
              { op: 'acquire', resource: 'ptll', target: { out: 3 } },
            ],
          },
        ],
      },
    ],
  };
  assert.deepEqual(errorsOf(bad), [
    `w.json: contracts[3].outcomes[0].effects[1].resource: expected one of ${RESOURCE_LIST} but got "ptll"`,
  ]);
});

test('validator: rejects a dozen specific malformed inputs with their JSON paths', () => {
  const cases: [unknown, string[]][] = [
    [[], ['w.json: (top level): expected an object but got an array']],
    [{ contract: [] }, ['w.json: contract: unknown field (allowed: $schema, contracts, entries, lockFields)']],
    [{ contracts: [{ sleeps: true }] }, ['w.json: contracts[0].name: missing required field']],
    [
      { contracts: [{ name: 'f', sleep: true }] },
      [`w.json: contracts[0].sleep: unknown field (allowed: ${CONTRACT_KEYS.join(', ')})`],
    ],
    [{ contracts: [{ name: 'f(x)' }] }, ['w.json: contracts[0].name: expected a C identifier but got "f(x)"']],
    [
      { contracts: [{ name: 'f', versions: { from: '6' } }] },
      ['w.json: contracts[0].versions.from: expected a kernel version "MAJOR.MINOR" but got "6"'],
    ],
    [
      { contracts: [{ name: 'f', versions: { from: '6.5', until: '6.5' } }] },
      ['w.json: contracts[0].versions: empty range: "from" 6.5 is not below "until" 6.5'],
    ],
    [
      { contracts: [{ name: 'f', effects: [{ op: 'release', resource: 'ptl', target: { arg: -1 } }] }] },
      ['w.json: contracts[0].effects[0].target.arg: expected an argument index (a non-negative integer) but got -1'],
    ],
    [
      { contracts: [{ name: 'f', gfpArg: 1.5 }] },
      ['w.json: contracts[0].gfpArg: expected an argument index (a non-negative integer) but got 1.5'],
    ],
    [
      { contracts: [{ name: 'f', effects: [{ op: 'release', resource: 'ptl', target: { argument: 0 } }] }] },
      ['w.json: contracts[0].effects[0].target: expected a target ({arg}, {ret: true[, member]}, {out}, {field, arg}, {member, arg}, {global} or {keyed, args}) but got an object'],
    ],
    [
      { contracts: [{ name: 'f', effects: [{ op: 'lock', resource: 'ptl', target: { arg: 0 } }] }] },
      ['w.json: contracts[0].effects[0].op: expected one of acquire, release, transfer, ref, split, handoff, handoff-args, handback but got "lock"'],
    ],
    [
      { contracts: [{ name: 'f', effects: [{ op: 'release', resource: 'ptl', target: { keyed: 'pmd_ptl', args: [2, 'x'] } }] }] },
      ['w.json: contracts[0].effects[0].target.args[1]: expected an argument index (a non-negative integer) but got "x"'],
    ],
    [
      { contracts: [{ name: 'f', effects: [{ op: 'handback', target: { arg: 0 }, delta: 1 }] }] },
      ['w.json: contracts[0].effects[0].delta: unknown field (allowed: op, target)'],
    ],
    [
      { contracts: [{ name: 'f', effects: [{ op: 'ref', target: { arg: 0 }, delta: 1, deltaArg: 1 }] }] },
      ['w.json: contracts[0].effects[0]: expected exactly one of "delta" and "deltaArg"'],
    ],
    [
      { contracts: [{ name: 'f', effects: [{ op: 'ref', target: { arg: 0 }, delta: 0 }] }] },
      ['w.json: contracts[0].effects[0].delta: expected a non-zero integer but got 0'],
    ],
    [
      { contracts: [{ name: 'f', outcomes: [{ when: 'zero', effects: [] }, { when: 'zero', effects: [] }] }] },
      ['w.json: contracts[0].outcomes[1].when: duplicate result condition "zero" (also contracts[0].outcomes[0])'],
    ],
    [
      { contracts: [{ name: 'f', outcomes: [{ when: 'true', effects: [] }] }] },
      ['w.json: contracts[0].outcomes[0].when: expected one of always, null, nonnull, errptr, zero, nonzero, negative, positive but got "true"'],
    ],
    [
      { contracts: [{ name: 'f', returns: { kind: 'keyed', key: 'pmd_ptl', args: 1 } }] },
      ['w.json: contracts[0].returns.args: expected an array but got 1'],
    ],
    [
      { contracts: [{ name: 'f', effects: [{ op: 'acquire', resource: 'lazy_mmu', target: { global: 'irq' } }] }] },
      ['w.json: contracts[0].effects[0].target.global: expected one of lazy_mmu, rcu, atomic but got "irq"'],
    ],
    [
      { contracts: [{ name: 'f', versions: { until: '6.5' } }, { name: 'f', versions: { from: '6.4' } }] },
      ['w.json: contracts[1].versions: versions overlap contracts[0] for the same name "f"'],
    ],
    [
      { entries: [{ id: 'e', match: { param: 'p' }, holds: ['folio_lock', 'locked'] }] },
      [`w.json: entries[0].holds[1]: expected one of ${RESOURCE_LIST}, ref but got "locked"`],
    ],
    [
      { entries: [{ id: 'e', match: { name: 'p' }, holds: ['ref'] }] },
      ['w.json: entries[0].match: expected a match ({param, type?} or {field, baseType?}) but got an object'],
    ],
    [
      { contracts: [{ name: 'f', predicate: { flag: 'locked', target: { ret: false } } }] },
      ['w.json: contracts[0].predicate.target.ret: expected true but got false'],
    ],
    [
      { contracts: [{ name: 'f', outcomes: [{ when: 'positive', effects: [], runs: { fn: 1, args: [-1] } }] }] },
      ['w.json: contracts[0].outcomes[0].runs.args[0]: expected an argument index (a non-negative integer) but got -1'],
    ],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(errorsOf(input), expected, JSON.stringify(input));
  }
});

test('validator: reports every error, not just the first', () => {
  const errors = errorsOf({ contracts: [{ name: 'a', sleeps: 'yes' }, { name: 'b', returnRef: 'owned' }] });
  assert.deepEqual(errors, [
    'w.json: contracts[0].sleeps: expected true or false but got "yes"',
    'w.json: contracts[1].returnRef: expected one of ref, noref, unknown but got "owned"',
  ]);
});

test('validator: accepts a minimal workspace file and fills the missing list', () => {
  const r = validateTable({ $schema: './docs/contracts.schema.json', contracts: [{ name: 'my_lock', effects: [{ op: 'acquire', resource: 'spinlock', target: { arg: 0 } }] }] }, 'w.json');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.table, { contracts: [{ name: 'my_lock', effects: [{ op: 'acquire', resource: 'spinlock', target: { arg: 0 } }] }], entries: [] });
});

// ---------------------------------------------------------------------------------------
// Loader

test('loader: JSON syntax errors carry line and column', () => {
  const text = '{\n  "contracts": [\n    { "name": "f", }\n  ]\n}\n';
  assert.deepEqual(validateContractJson(text, 'c.json').errors, ['c.json:3:20: invalid JSON: trailing comma before "}"']);
  assert.deepEqual(validateContractJson('{"contracts": [', 'c.json').errors, ['c.json:1:16: invalid JSON: expected a value but found end of input']);
  assert.deepEqual(validateContractJson('{\n  // note\n}', 'c.json').errors, ['c.json:2:3: invalid JSON: comments are not allowed in JSON']);
  assert.deepEqual(validateContractJson("{'contracts': []}", 'c.json').errors, [
    'c.json:1:2: invalid JSON: expected a property name in double quotes but found "\'"',
  ]);
  assert.deepEqual(validateContractJson('{"a": "x\n"}', 'c.json').errors, ['c.json:1:9: invalid JSON: control character in string (use an escape)']);
  assert.deepEqual(validateContractJson('{} {}', 'c.json').errors, ['c.json:1:4: invalid JSON: unexpected "{" after the end of the JSON value']);
});

test('loader: content errors come from the validator with JSON paths; a BOM is fine', () => {
  const r = validateContractJson('\ufeff{"contracts": [{"name": "f", "sleeps": 1}]}', 'c.json');
  assert.deepEqual(r.errors, ['c.json: contracts[0].sleeps: expected true or false but got 1']);
});

test('loadContractFile reads a file, and reports unreadable paths', () => {
  const dir = tempDir();
  try {
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ contracts: [{ name: 'drv_lock', sleeps: true, effects: [{ op: 'acquire', resource: 'mutex', target: { arg: 0 } }] }] }));
    const r = loadContractFile(good);
    assert.deepEqual(r.errors, []);
    assert.equal(r.table?.contracts[0]?.name, 'drv_lock');
    const missing = path.join(dir, 'nope.json');
    assert.deepEqual(loadContractFile(missing).errors, [`${missing}: cannot read contract file (ENOENT)`]);
    assert.deepEqual(loadContractFile(dir).errors, [`${dir}: not a regular file`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('contractsFor: extra tables override the built-in by name, later tables win, version ranges respected', () => {
  const mine: ContractTable = {
    contracts: [
      { name: 'folio_lock', note: 'overridden', source: 'w.json' },
      { name: 'drv_take', effects: [{ op: 'acquire', resource: 'spinlock', target: { arg: 0 } }] },
      { name: 'folio_put', versions: { from: '6.15' }, note: 'newer only' },
    ],
    entries: [{ id: 'fault_page parameter referenced (< 6.15)', match: { param: 'fault_page' }, holds: ['folio_lock', 'ref'] }],
  };
  const later: ContractTable = { contracts: [{ name: 'drv_take', note: 'second' }], entries: [] };
  const r = contractsFor(V('6.12'), [mine, later]);
  assert.equal(r.byName.get('folio_lock')?.note, 'overridden');
  assert.equal(r.byName.get('drv_take')?.note, 'second');
  assert.equal(r.byName.get('folio_put')?.source, 'include/linux/mm.h', 'a 6.15+ override does not apply to 6.12');
  assert.equal(contractsFor(V('7.0'), [mine]).byName.get('folio_put')?.note, 'newer only');
  const replaced = r.entries.find((e) => e.id === 'fault_page parameter referenced (< 6.15)');
  assert.deepEqual(replaced?.holds, ['folio_lock', 'ref']);
  assert.equal(r.entries.length, 2);
  // The built-in resolution is not changed by an earlier call with extras.
  assert.equal(contractsFor(V('6.12'), []).byName.get('folio_lock')?.source, 'include/linux/pagemap.h');
});

test('lockFields: validated with JSON paths, resolved by version, overridden by id', () => {
  const lf: LockField = { id: 'drv lock', path: ['inner', 'sem'], as: [{ inner: 'rwsem_read', outer: 'vma_read' }] };
  const ok = validateTable({ lockFields: [lf] }, 'w.json');
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(ok.table?.lockFields, [lf]);
  assert.deepEqual(errorsOf({ lockFields: [{ ...lf, path: ['inner->sem'] }] }), ['w.json: lockFields[0].path[0]: expected a C field name but got "inner->sem"']);
  assert.deepEqual(errorsOf({ lockFields: [{ ...lf, as: [{ inner: 'rwsem', outer: 'vma_read' }] }] }), [
    `w.json: lockFields[0].as[0].inner: expected one of ${RESOURCE_LIST} but got "rwsem"`,
  ]);
  // The VMA lock is the rwsem vm_lock->lock from 6.4 until 6.15 only.
  const vmLock = (v: string): string[] => contractsFor(V(v), []).lockFields.map((l) => l.path.join('->'));
  assert.deepEqual(vmLock('6.12'), ['vm_lock->lock']);
  assert.deepEqual(vmLock('6.1'), []);
  assert.deepEqual(vmLock('6.15'), []);
  const builtinId = contractsFor(V('6.12'), []).lockFields[0]!.id;
  const mine: ContractTable = { contracts: [], entries: [], lockFields: [{ ...lf, id: builtinId }] };
  assert.deepEqual(contractsFor(V('6.12'), [mine]).lockFields.map((l) => l.path.join('->')), ['inner->sem']);
});

test('findWorkspaceContracts walks up to the kernel tree root, outermost first', () => {
  const root = tempDir();
  try {
    const tree = path.join(root, 'linux');
    fs.mkdirSync(path.join(tree, 'mm', 'damon'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\n');
    fs.writeFileSync(path.join(tree, 'Kbuild'), '');
    fs.writeFileSync(path.join(root, '.folio-lens.json'), '{}'); // above the tree: not used
    fs.writeFileSync(path.join(tree, '.folio-lens.json'), '{}');
    fs.writeFileSync(path.join(tree, 'mm', 'folio-lens.contracts.json'), '{}');
    const found = findWorkspaceContracts(path.join(tree, 'mm', 'damon', 'paddr.c'));
    assert.deepEqual(found, [path.join(tree, '.folio-lens.json'), path.join(tree, 'mm', 'folio-lens.contracts.json')]);

    // Outside a kernel tree the walk stops at the directory holding .git.
    const repo = path.join(root, 'drv');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'src'));
    fs.writeFileSync(path.join(repo, '.folio-lens.json'), '{}');
    assert.deepEqual(findWorkspaceContracts(path.join(repo, 'src', 'dev.c')), [path.join(repo, '.folio-lens.json')]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('folio_try_get and get_page_unless_zero return C bool: their success outcome is exactly 1', () => {
  for (const v of ['6.1', '6.12']) {
    for (const name of ['folio_try_get', 'get_page_unless_zero']) assert.equal(contractAt(v, name).returnsBool, true, `${name} ${v}`);
  }
});

test('lruvec lock helpers take and drop the spinlock embedded at lruvec->lru_lock (member targets)', () => {
  for (const v of ['6.1', '6.12']) {
    assert.deepEqual(contractAt(v, 'folio_lruvec_lock_irqsave').effects, [{ op: 'acquire', resource: 'spinlock', target: { ret: true, member: 'lru_lock' } }]);
    assert.deepEqual(contractAt(v, 'unlock_page_lruvec_irqrestore').effects, [{ op: 'release', resource: 'spinlock', target: { member: 'lru_lock', arg: 0 } }]);
  }
});
