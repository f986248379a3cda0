// Entry contexts of static functions from their call sites: what the editor shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, initEngine } from '../../server/src/engine';

const read = (name: string): string => fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');

test('the editor lists what every call site guarantees among the assumptions, with the lines', async () => {
  await initEngine();
  const held = analyzeText('a.c', read('ok_unlock_not_held_helper_drops_callers_pmd_lock.c'), { detail: 'full' });
  const helper = held.functions.find((f) => f.name === 'scan_finish_pmd')!;
  assert.deepEqual(helper.findings, []);
  assert.ok(helper.assumptions.includes('caller holds the page-table lock on pmd_ptl(pmd) at every call site (line 28)'), helper.assumptions.join('; '));
  const same = analyzeText('b.c', read('ok_lock_leak_helper_folio_is_callers_page_folio.c'), { detail: 'full' });
  const finish = same.functions.find((f) => f.name === 'sd_finish')!;
  assert.ok(finish.assumptions.includes('folio is page_folio(sd->page) at every call site (line 34)'), finish.assumptions.join('; '));
});

test('no entry context when a call site does not guarantee it, or the function is also used as a value', async () => {
  await initEngine();
  for (const name of ['unlock_not_held_helper_one_caller_without_pmd_lock.c', 'unlock_not_held_helper_also_used_as_callback.c']) {
    const r = analyzeText(name, read(name), { detail: 'full' });
    const helper = r.functions.find((f) => f.name === 'scan_finish_pmd')!;
    assert.equal(helper.assumptions.filter((a) => a.includes('every call site')).length, 0, name);
  }
});
