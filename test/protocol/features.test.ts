// Hover, inlay hints, code lens and the simulate request on a fixture whose
// states are known by construction (test/protocol/fixtures/lock_states.c).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { LOCK_STATES, markerLine } from './fixtures';
import { fileUri, LspTestClient, WAIT_MS } from './lspTestClient';

const text = fs.readFileSync(LOCK_STATES, 'utf8');
const uri = fileUri(LOCK_STATES);
const line = (name: string): number => markerLine(text, name);
const lineCount = text.split('\n').length;

let client: LspTestClient;

before(async () => {
  ({ client } = await LspTestClient.start());
  await client.openAndWait(uri, text);
});

after(async () => {
  await client?.stop();
});

async function hover(atLine: number): Promise<string> {
  const result = await client.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', {
    textDocument: { uri },
    position: { line: atLine, character: 2 },
  });
  assert.ok(result, `a hover at line ${atLine + 1}`);
  assert.equal(result.contents.kind, 'markdown');
  return result.contents.value;
}

test('hover after folio_lock shows the folio lock held and the line it was taken on', { timeout: WAIT_MS }, async () => {
  const value = await hover(line('branch'));
  assert.match(value, /folio lock/i);
  assert.match(value, new RegExp(`taken at line ${line('lock') + 1}\\b`));
  assert.match(value, /lens\\?_lock\\?_and\\?_get/);
  assert.match(value, /\d+ paths? reach this line/);
  assert.match(value, /Kernel \d+\.\d+ contracts/);
  assert.match(value, /Assumptions on entry/);
});

test('hover after folio_get shows the reference delta; after the unlock nothing is held', { timeout: WAIT_MS }, async () => {
  assert.match(await hover(line('after-get')), /reference \+1 on `folio`/);
  const afterUnlock = await hover(line('after-unlock'));
  assert.doesNotMatch(afterUnlock, /folio lock/i);
  assert.match(afterUnlock, /Nothing held/);
});

test('hover under pte_offset_map_lock shows the page-table lock with its line', { timeout: WAIT_MS }, async () => {
  const value = await hover(line('under-ptl'));
  assert.match(value, /PTL/i);
  assert.match(value, new RegExp(`taken at line ${line('map-lock') + 1}\\b`));
});

test('hover outside every function has nothing to say', { timeout: WAIT_MS }, async () => {
  const result = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  assert.equal(result, null);
});

test('inlay hints: compact state after lock events and at branches, ∅ after the unlock; off by setting', { timeout: WAIT_MS * 2 }, async () => {
  type Hint = { position: { line: number; character: number }; label: string };
  const range = { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } };
  const hints = await client.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range });
  assert.ok(hints.length > 0);
  const at = (l: number): Hint | undefined => hints.find((h) => h.position.line === l);
  const lockHint = at(line('lock'));
  assert.ok(lockHint, 'a hint after folio_lock');
  assert.match(lockHint.label, /folio/);
  assert.equal(lockHint.position.character, text.split('\n')[line('lock')]!.length, 'placed at the end of the line');
  assert.ok(at(line('branch'))?.label, 'a hint at the branch point, where the lock is held');
  assert.equal(at(line('unlock'))?.label, '\u2205', 'nothing held after the unlock');

  await client.configure({ inlayHints: { enabled: false } });
  const none = await client.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range });
  assert.deepEqual(none, []);
  await client.configure({});
  const back = await client.request<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range });
  assert.equal(back.length, hints.length);
});

test('code lens: paths and findings per function, and a Simulate command', { timeout: WAIT_MS }, async () => {
  type Lens = { range: { start: { line: number } }; command: { title: string; command: string; arguments?: unknown[] } };
  const lenses = await client.request<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
  const names = ['lens_lock_and_get', 'lens_unlock_twice', 'lens_pte_lock'];
  const simulate = lenses.filter((l) => l.command.command === 'folioLens.simulateFunction');
  assert.deepEqual(simulate.map((l) => l.command.arguments), names.map((n) => [uri, n]));
  const counts = lenses.filter((l) => l.command.command === '');
  assert.equal(counts.length, names.length);
  for (const lens of counts) assert.match(lens.command.title, /^\d+ paths? · \d+ findings?/);
  assert.match(counts[0]!.command.title, /· 0 findings/);
  assert.match(counts[1]!.command.title, /· 1 finding\b/);
  const lockAndGetPaths = Number(/^(\d+)/.exec(counts[0]!.command.title)![1]);
  assert.ok(lockAndGetPaths >= 2, 'both sides of `if (fail)` were simulated');
});

test('folioLens/simulateFunction by name: paths with their events, the CFG with lock state', { timeout: WAIT_MS }, async () => {
  type Step = { line: number; kind: string; text: string };
  const result = await client.request<any>('folioLens/simulateFunction', { uri, name: 'lens_lock_and_get' });
  assert.equal(result.name, 'lens_lock_and_get');
  assert.match(result.kernelVersion, /^\d+\.\d+$/);
  assert.ok(result.paths.length >= 2);
  const lockEvent = result.paths.some((p: { steps: Step[] }) => p.steps.some((s) => s.kind === 'event' && s.line === line('lock')));
  assert.ok(lockEvent, 'a path records the folio_lock event on its line');
  const failBranch = result.paths.some((p: { steps: Step[] }) => p.steps.some((s) => s.kind === 'branch' && s.line === line('branch')));
  assert.ok(failBranch, 'a path records the decision of `if (fail)`');
  assert.ok(result.cfg.nodes.length > 0 && result.cfg.edges.length > 0);
  assert.ok(result.cfg.nodes.some((n: { line: number; held: string }) => n.line === line('branch') && n.held !== ''), 'lock state on the branch node');
  assert.deepEqual(result.findings, []);
  assert.equal(result.complete, true);
});

test('folioLens/simulateFunction by position, and null for a name that does not exist', { timeout: WAIT_MS }, async () => {
  const result = await client.request<any>('folioLens/simulateFunction', { uri, position: { line: line('second-unlock'), character: 3 } });
  assert.equal(result.name, 'lens_unlock_twice');
  assert.deepEqual(result.findings.map((f: { rule: string }) => f.rule), ['unlock-not-held']);
  assert.equal(await client.request('folioLens/simulateFunction', { uri, name: 'no_such_function' }), null);
});

test('folioLens/simulateFunction on a file that is not open reads it from disk', { timeout: WAIT_MS * 2 }, async () => {
  const { client: other } = await LspTestClient.start();
  try {
    const result = await other.request<any>('folioLens/simulateFunction', { uri, name: 'lens_pte_lock' });
    assert.equal(result.name, 'lens_pte_lock');
    assert.ok(result.paths.length >= 2, 'the NULL and non-NULL outcomes of pte_offset_map_lock');
  } finally {
    await other.stop();
  }
});
