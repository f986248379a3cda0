import assert from 'node:assert/strict';
import { test } from 'node:test';

// scripts/gen-grammar.mjs is an ES module (typed by gen-grammar.d.mts); load it the way node does.
const gen = import('../../../scripts/gen-grammar.mjs');

const arg0 = { arg: 0 };

test('primitives are classed by what they do to locks first, then to references', async () => {
  const { classify } = await gen;
  assert.equal(classify({ name: 'folio_lock', effects: [{ op: 'acquire', resource: 'folio_lock', target: arg0 }] }), 'acquire');
  assert.equal(classify({ name: 'folio_trylock', outcomes: [{ when: 'nonzero', effects: [{ op: 'acquire', resource: 'folio_lock', target: arg0 }] }] }), 'acquire');
  assert.equal(classify({ name: 'folio_end_read', effects: [{ op: 'transfer', resource: 'folio_lock', target: arg0 }] }), 'release');
  assert.equal(classify({ name: 'folio_get', effects: [{ op: 'ref', target: arg0, delta: 1 }] }), 'refGet');
  assert.equal(classify({ name: 'folio_put_refs', effects: [{ op: 'ref', target: arg0, deltaArg: 1, sign: -1 }] }), 'refPut');
  assert.equal(classify({ name: 'folio_test_locked', predicate: { flag: 'locked', target: arg0 } }), 'other');
});

test('the injection grammar matches calls of the named primitives only', async () => {
  const { buildInjectionGrammar, CLASS_SCOPES } = await gen;
  const g = buildInjectionGrammar([
    { name: 'folio_lock', effects: [{ op: 'acquire', resource: 'folio_lock', target: arg0 }] },
    { name: 'folio_unlock', effects: [{ op: 'release', resource: 'folio_lock', target: arg0 }] },
  ]);
  assert.equal(g.injectionSelector, 'L:source.c -comment -string');
  const acquire = new RegExp(g.patterns.find((p) => p.name === CLASS_SCOPES.acquire)!.match);
  assert.ok(acquire.test('\tfolio_lock(folio);'));
  assert.ok(acquire.test('folio_lock (folio)'));
  assert.ok(!acquire.test('folio_locked(folio)'));
  assert.ok(!acquire.test('my_folio_lock(folio)'));
  assert.ok(!acquire.test('p->folio_lock = 1'));
  assert.throws(() => buildInjectionGrammar([{ name: 'a|b' }]), /not a C identifier/);
});

test('every name in the contract table is highlighted exactly once', async () => {
  const { buildInjectionGrammar, loadBuiltinContracts } = await gen;
  const contracts = await loadBuiltinContracts();
  const names = new Set(contracts.map((c) => c.name));
  assert.ok(names.has('folio_lock') && names.has('folio_unlock') && names.has('pte_offset_map_lock'));
  const g = buildInjectionGrammar(contracts);
  const regexes = g.patterns.map((p) => new RegExp(`^(?:${p.match})$`.replace('(?=\\s*\\()', '')));
  for (const name of names) {
    const hits = regexes.filter((r) => r.test(name)).length;
    assert.equal(hits, 1, `${name} matched by ${hits} patterns`);
  }
});
