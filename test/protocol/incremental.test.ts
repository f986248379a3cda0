// Incremental sync: a run of small edits ends with the same diagnostics as
// opening the final text cold; rapid edits publish only the last version; a
// request waiting for a pending analysis can be cancelled.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { LOCK_STATES, markerLine } from './fixtures';
import { fileUri, LspTestClient, WAIT_MS, type Diagnostic } from './lspTestClient';

const original = fs.readFileSync(LOCK_STATES, 'utf8');
const TYPED = '\tfolio_unlock(folio);';

let client: LspTestClient;
let coldCounter = 0;

before(async () => {
  ({ client } = await LspTestClient.start());
});

after(async () => {
  await client?.stop();
});

/** Everything a user sees of a diagnostic except the document it points into. */
function comparable(diagnostics: Diagnostic[]): unknown[] {
  return diagnostics
    .map((d) => ({
      code: d.code,
      range: d.range,
      severity: d.severity,
      message: d.message,
      related: (d.relatedInformation ?? []).map((r) => ({ range: r.location.range, message: r.message })),
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Diagnostics of `text` opened cold in a document of its own. */
async function cold(text: string): Promise<Diagnostic[]> {
  const uri = fileUri(LOCK_STATES).replace(/\.c$/, `-cold${++coldCounter}.c`);
  const { diagnostics } = await client.openAndWait(uri, text);
  await client.close(uri);
  return diagnostics;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('typing a folio_unlock line char by char, then deleting it, matches cold opens', { timeout: WAIT_MS * 4 }, async () => {
  await client.configure({ debounceMs: 20 });
  const uri = fileUri(LOCK_STATES).replace(/\.c$/, '-typing.c');
  const start = await client.openAndWait(uri, original);
  const at = markerLine(original, 'unlock');
  const eol = original.split('\n')[at]!.length;

  // A new line after `folio_unlock(folio); /* @unlock */`: functions below move down one line.
  let version = await client.edit(uri, { start: { line: at, character: eol }, end: { line: at, character: eol } }, '\n');
  for (let i = 0; i < TYPED.length; i++) {
    const pos = { line: at + 1, character: i };
    version = await client.edit(uri, { start: pos, end: pos }, TYPED[i]!);
    await sleep(i % 4 === 0 ? 60 : 5); // some analyses run between keystrokes, some are overtaken
  }
  const typedText = original.replace(/(@unlock \*\/)\n/, `$1\n${TYPED}\n`);
  const typed = await client.diagnosticsForVersion(uri, version);
  assert.deepEqual(comparable(typed.diagnostics), comparable(await cold(typedText)));
  const second = typed.diagnostics.filter((d) => d.code === 'unlock-not-held').map((d) => d.range.start.line).sort();
  assert.deepEqual(second, [at + 1, markerLine(typedText, 'second-unlock')], 'the typed unlock and the moved one are both reported');

  for (let i = TYPED.length; i > 0; i--) {
    version = await client.edit(uri, { start: { line: at + 1, character: i - 1 }, end: { line: at + 1, character: i } }, '');
    await sleep(i % 5 === 0 ? 60 : 5);
  }
  version = await client.edit(uri, { start: { line: at, character: eol }, end: { line: at + 1, character: 0 } }, '');
  const restored = await client.diagnosticsForVersion(uri, version);
  assert.deepEqual(comparable(restored.diagnostics), comparable(start.diagnostics));
  assert.deepEqual(comparable(restored.diagnostics), comparable(await cold(original)));
  await client.close(uri);
});

test('rapid edits inside the debounce publish only the last version', { timeout: WAIT_MS * 2 }, async () => {
  await client.configure({ debounceMs: 1500 });
  const uri = fileUri(LOCK_STATES).replace(/\.c$/, '-rapid.c');
  const first = await client.openAndWait(uri, original);
  const from = client.published.length;
  const at = markerLine(original, 'after-unlock');
  // Ten edits sent back to back (no awaiting between them on the server side).
  const sends: Promise<number>[] = [];
  for (let i = 0; i < 10; i++) {
    const pos = { line: at, character: 0 };
    sends.push(client.edit(uri, { start: pos, end: pos }, i < 9 ? ' ' : ''));
  }
  const versions = await Promise.all(sends);
  const last = versions[versions.length - 1]!;
  await client.diagnosticsForVersion(uri, last);
  const after = client.published.slice(from).filter((p) => p.uri === uri);
  assert.deepEqual(after.map((p) => p.version), [last], 'one publication, for the last version only');
  assert.equal(after[0]!.diagnostics.length, first.diagnostics.length, 'leading blanks change no finding');
  await client.close(uri);
});

test('$/cancelRequest on a simulate request that waits for a pending analysis', { timeout: WAIT_MS * 2 }, async () => {
  await client.configure({ debounceMs: 60_000 }); // the edit below stays pending for the whole test
  const uri = fileUri(LOCK_STATES).replace(/\.c$/, '-cancel.c');
  await client.openAndWait(uri, original);
  const at = markerLine(original, 'after-unlock');
  await client.edit(uri, { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, ' ');
  const source = new CancellationTokenSource();
  const pending = client.request('folioLens/simulateFunction', { uri, name: 'lens_lock_and_get' }, source);
  await sleep(100);
  source.cancel();
  await assert.rejects(pending, (err: { code?: number }) => err.code === -32800, 'RequestCancelled');
  // The server is still answering, and closing the document resolves nothing stale.
  await client.close(uri);
  await client.configure({});
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  assert.equal(hover, null);
});
