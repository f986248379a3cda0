// The editor path through the engine: incremental parsing of a document's next version and
// simulating only some functions must give what a cold analysis of the same text gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, forgetDocument, initEngine } from '../../server/src/engine';
import { affectedFunctions, calledNames } from '../../server/src/lsp/callGraph';

const fixture = path.join(__dirname, '..', 'fixtures', 'double_lock_migrate_device_fault_folio_after_split.c');

function shape(a: ReturnType<typeof analyzeText>): string {
  return JSON.stringify({
    fns: a.functions.map((f) => [f.name, f.range.start.line, f.range.end.line, f.textHash]),
    findings: a.findings.map((f) => [f.rule, f.range.start.line, f.range.start.character, f.message]),
  });
}

test('incremental parses of a sequence of edits equal cold analyses of each text', async () => {
  await initEngine();
  const uri = 'file:///incremental/migrate_device_test.c';
  let text = fs.readFileSync(fixture, 'utf8');
  analyzeText(uri, text, { incremental: true });
  // Type a line into the body character by character, then delete it again.
  const at = text.indexOf('\tret = split_folio(folio);');
  assert.ok(at > 0);
  const typed = '\tfolio_unlock(folio);\n';
  const texts: string[] = [];
  for (let i = 1; i <= typed.length; i++) texts.push(text.slice(0, at) + typed.slice(0, i) + text.slice(at));
  for (let i = typed.length - 1; i >= 0; i--) texts.push(text.slice(0, at) + typed.slice(0, i) + text.slice(at));
  let sawDifferentFindings = false;
  // Cold analyses under a path of the same kind: the fault_page contract is scoped to migrate-device files.
  const cold = (i: number | string, t: string): ReturnType<typeof analyzeText> => analyzeText(`file:///cold${i}/migrate_device_test.c`, t, {});
  const base = shape(cold('base', text));
  for (const t of texts) {
    const inc = analyzeText(uri, t, { incremental: true });
    const c = cold(texts.indexOf(t), t);
    assert.equal(shape(inc), shape(c));
    if (shape(c) !== base) sawDifferentFindings = true;
  }
  // The typed unlock changes what is found part-way (the edits are not all no-ops).
  assert.ok(sawDifferentFindings);
  text = texts[texts.length - 1];
  assert.equal(shape(analyzeText(uri, text, { incremental: true })), base);
  forgetDocument(uri);
});

test('onlyFunctions simulates the named functions and returns the others as stubs', async () => {
  await initEngine();
  const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lock_leak_helper_locked_caller_forgets.c'), 'utf8');
  const full = analyzeText('a.c', text, {});
  assert.ok(full.functions.length >= 2);
  const target = full.functions.find((f) => f.findings.length > 0)!;
  const only = analyzeText('a.c', text, { onlyFunctions: [target.name] });
  const again = only.functions.find((f) => f.name === target.name)!;
  assert.deepEqual(again.findings.map((f) => [f.rule, f.range.start.line]), target.findings.map((f) => [f.rule, f.range.start.line]));
  for (const f of only.functions) {
    const before = full.functions.find((g) => g.name === f.name)!;
    assert.equal(f.textHash, before.textHash);
    // A left-out function is a stub unless it was simulated for a summary of a requested one.
    if (f.name !== target.name && f.paths === 0) assert.equal(f.findings.length, 0);
  }
});

test('summaries of functions in other files are used through externalSummaries', async () => {
  await initEngine();
  const helperFile = [
    'static struct folio *grab_locked_folio(struct address_space *mapping, pgoff_t index)',
    '{',
    '\tstruct folio *folio = filemap_lock_folio(mapping, index);',
    '',
    '\tif (IS_ERR(folio))',
    '\t\treturn NULL;',
    '\treturn folio;',
    '}',
  ].join('\n');
  const callerFile = [
    'static int touch_index(struct address_space *mapping, pgoff_t index)',
    '{',
    '\tstruct folio *folio = grab_locked_folio(mapping, index);',
    '',
    '\tif (!folio)',
    '\t\treturn -ENOENT;',
    '\tfolio_put(folio);',
    '\treturn 0;',
    '}',
  ].join('\n');
  const helper = analyzeText('helper.c', helperFile, {});
  const summary = helper.functions.find((f) => f.name === 'grab_locked_folio')!.engineSummary;
  assert.ok(summary, 'a complete function exposes its summary');
  // Without the other file, the call is unknown and nothing can be said.
  assert.deepEqual(analyzeText('caller.c', callerFile, {}).findings.map((f) => f.rule), []);
  // With it, the folio comes back locked and the caller returns without unlocking it.
  const withSummary = analyzeText('caller.c', callerFile, { externalSummaries: { grab_locked_folio: JSON.parse(JSON.stringify(summary)) } });
  assert.deepEqual(withSummary.findings.map((f) => [f.rule, f.range.start.line]), [['lock-leak', 7]]);
});

test('the editor re-simulates a caller when a function it passes as a callback changes', () => {
  const known = new Set(['blob_release', 'blob_put', 'blob_done']);
  const calls = new Map([
    ['blob_put', calledNames('static int blob_put(struct blob *b) { return kref_put(&b->ref, blob_release); }', known)],
    ['blob_done', calledNames('static void blob_done(struct blob *b) { if (blob_put(b)) return; }', known)],
  ]);
  assert.ok(calls.get('blob_put')!.has('blob_release'));
  assert.deepEqual([...affectedFunctions(['blob_release'], calls)].sort(), ['blob_done', 'blob_put', 'blob_release']);
});

test('a static function analysed alone, or after an edit of its caller, gets the entry context of its call sites', async () => {
  await initEngine();
  const read = (name: string): string => fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');
  const held = read('ok_unlock_not_held_helper_drops_callers_pmd_lock.c');
  const notHeld = read('unlock_not_held_helper_one_caller_without_pmd_lock.c');
  const helperFindings = (a: ReturnType<typeof analyzeText>): string[] =>
    a.functions.find((f) => f.name === 'scan_finish_pmd')!.findings.map((f) => `${f.rule}@${f.range.start.line + 1}`);
  // Alone: its callers are simulated for their call sites, as in a cold analysis.
  for (const text of [held, notHeld]) {
    assert.deepEqual(helperFindings(analyzeText('ctx.c', text, { onlyFunctions: ['scan_finish_pmd'] })), helperFindings(analyzeText('ctx.c', text, {})));
  }
  assert.deepEqual(helperFindings(analyzeText('ctx.c', held, {})), []);
  assert.deepEqual(helperFindings(analyzeText('ctx.c', notHeld, {})), ['unlock-not-held@15']);
  // The editor: an edit that adds a caller re-simulates the helper (a callee of the edited
  // function) with the new call sites, and removing it again takes the finding away.
  const uri = 'file:///ctx/helper_context.c';
  analyzeText(uri, held, { incremental: true });
  const names = (t: string): Set<string> => new Set(analyzeText('names.c', t, { onlyFunctions: [] }).functions.map((f) => f.name));
  const callsIn = (t: string): Map<string, Set<string>> => {
    const known = names(t);
    return new Map(analyzeText('calls.c', t, { onlyFunctions: [] }).functions.map((f) => [f.name, calledNames(t.split('\n').slice(f.range.start.line, f.range.end.line + 1).join('\n'), known)]));
  };
  const edited = [...affectedFunctions(['scan_abort', 'scan_range'], callsIn(notHeld))];
  assert.ok(edited.includes('scan_finish_pmd'));
  assert.deepEqual(helperFindings(analyzeText(uri, notHeld, { incremental: true, onlyFunctions: edited })), ['unlock-not-held@15']);
  // As the editor plans it: the removed caller's calls are still known from before.
  const back = [...affectedFunctions(['scan_abort', 'scan_range'], new Map([...callsIn(held), ['scan_abort', callsIn(notHeld).get('scan_abort')!]]))];
  assert.ok(back.includes('scan_finish_pmd'));
  assert.deepEqual(helperFindings(analyzeText(uri, held, { incremental: true, onlyFunctions: back })), []);
  forgetDocument(uri);
});
