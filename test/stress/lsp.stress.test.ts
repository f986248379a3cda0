// The language server under stress (issue 4), through the real server over stdio:
// 1,000 rapid edits, open/close/change races, a request cancelled in the middle of an
// analysis, a file deleted while open, a contract file that turns malformed mid-session,
// and a hover on a small file while a large one is analysed. Throughout, the server stays
// up and its resident memory (read from /proc/PID/status) stays flat; after each burst
// the published diagnostics equal those of a cold analysis of the final text by a fresh
// server. No timing assertion except the ordering one (the hover is answered before the
// large file's diagnostics arrive).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { fileUri, LspTestClient, ROOT, WAIT_MS, withTimeout, type Diagnostic } from '../protocol/lspTestClient';

const SMALL = fs.readFileSync(path.join(ROOT, 'test', 'protocol', 'fixtures', 'lock_states.c'), 'utf8');
const SHARED_FIXTURES = path.join(ROOT, 'test', 'fixtures');
/** Allowed RSS growth of the server from after warm-up to the end of the whole run (a gross
 *  leak); the flatness check proper compares two identical rounds of edits. */
const RSS_GROWTH_FACTOR = 2;
/** Allowed growth from one round of 500 edits to the next. */
const ROUND_GROWTH_FACTOR = 1.15;

let scratch: string;
let client: LspTestClient;
let contracts: string;
let rssAfterWarmup = 0;

/** Every shared fixture, `copies` times over, functions renamed per copy: a large, slow document. */
function largeDocument(copies: number): string {
  const all = fs
    .readdirSync(SHARED_FIXTURES)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => fs.readFileSync(path.join(SHARED_FIXTURES, f), 'utf8'))
    .join('\n');
  let text = '';
  for (let i = 0; i < copies; i++) text += `${all.replace(/^(\w[^\n(]*?\b)(\w+)\(/gm, (_m, head: string, name: string) => `${head}${name}_${i}(`)}\n`;
  return text;
}

/** The server's resident set size in bytes, as the kernel reports it. */
function serverRss(): number {
  const status = fs.readFileSync(`/proc/${client.process.pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  assert.ok(m, 'VmRSS in /proc/PID/status');
  return Number(m[1]) * 1024;
}

/** What a user sees of diagnostics, in a stable order. */
function comparable(diagnostics: Diagnostic[]): string[] {
  return diagnostics
    .map((d) => JSON.stringify({ code: d.code, range: d.range, severity: d.severity, message: d.message, related: (d.relatedInformation ?? []).map((r) => [r.location.range, r.message]) }))
    .sort();
}

/** Diagnostics of `text` at `uri` from a fresh server that never saw an edit. */
async function coldDiagnostics(uri: string, text: string): Promise<Diagnostic[]> {
  const { client: cold } = await LspTestClient.start({ settings: client.settings });
  try {
    return (await cold.openAndWait(uri, text)).diagnostics;
  } finally {
    await cold.stop();
  }
}

/** Applies an LSP range edit to a text (lines split on \n, as the fixtures are). */
function applyEdit(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, insert: string): string {
  const offset = (p: { line: number; character: number }): number => {
    let at = 0;
    for (let l = 0; l < p.line; l++) at = text.indexOf('\n', at) + 1;
    return at + p.character;
  };
  return text.slice(0, offset(range.start)) + insert + text.slice(offset(range.end));
}

function lineOf(text: string, marker: string): number {
  const line = text.split('\n').findIndex((l) => l.includes(marker));
  assert.ok(line >= 0, `marker ${marker}`);
  return line;
}

before(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-lens-stress-'));
  contracts = path.join(scratch, 'contracts.json');
  fs.writeFileSync(contracts, JSON.stringify({ contracts: [], entries: [] }));
  ({ client } = await LspTestClient.start({ settings: { debounceMs: 10, contractFiles: [contracts] } }));
  // Warm-up: the engine, the parser's heap and the worker see a small and a large file once.
  await client.openAndWait(fileUri(path.join(scratch, 'warm-small.c')), SMALL);
  const large = fileUri(path.join(scratch, 'warm-large.c'));
  await client.openAndWait(large, largeDocument(8));
  await client.close(large);
  rssAfterWarmup = serverRss();
});

after(async () => {
  try {
    if (client) {
      // Stopped below whatever the assertions say, so a failure never leaves the server running.
      assert.ok(client.alive, 'the server is still running at the end');
      const rss = serverRss();
      console.log(`server RSS: after warm-up ${(rssAfterWarmup / 1e6).toFixed(0)} MB, at the end ${(rss / 1e6).toFixed(0)} MB (${(rss / rssAfterWarmup).toFixed(2)}x)`);
      const exitCode = await client.stop();
      assert.ok(rss < RSS_GROWTH_FACTOR * rssAfterWarmup, `server RSS grew from ${(rssAfterWarmup / 1e6).toFixed(0)} MB to ${(rss / 1e6).toFixed(0)} MB`);
      assert.equal(exitCode, 0, 'the server exits cleanly');
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('1,000 rapid edits end with the diagnostics of a cold analysis of the final text', { timeout: WAIT_MS * 2 }, async () => {
  const uri = fileUri(path.join(scratch, 'rapid.c'));
  let text = SMALL;
  await client.openAndWait(uri, text);
  const line = lineOf(text, '@after-get') + 1;
  const typed = '\tfolio_unlock(folio);';
  let version = 1;
  // Type the line, delete it, type it again...; sent back to back, no waiting in between.
  text = applyEdit(text, { start: { line, character: 0 }, end: { line, character: 0 } }, '\n');
  version = await client.edit(uri, { start: { line, character: 0 }, end: { line, character: 0 } }, '\n');
  // Two rounds of the same work: memory after the second round must be what it was after
  // the first (flat), whatever the heap grew to while warming up.
  const rssAfterRound: number[] = [];
  for (let n = 1; n < 1000; n++) {
    const cycle = (n - 1) % (2 * typed.length);
    const range =
      cycle < typed.length
        ? { start: { line, character: cycle }, end: { line, character: cycle } }
        : { start: { line, character: 2 * typed.length - cycle - 1 }, end: { line, character: 2 * typed.length - cycle } };
    const insert = cycle < typed.length ? typed[cycle]! : '';
    text = applyEdit(text, range, insert);
    version = await client.edit(uri, range, insert);
    if (n === 499 || n === 999) {
      await client.diagnosticsForVersion(uri, version);
      rssAfterRound.push(serverRss());
    }
  }
  assert.equal(version, 1001);
  console.log(`server RSS after 500 edits ${(rssAfterRound[0]! / 1e6).toFixed(0)} MB, after 1,000 ${(rssAfterRound[1]! / 1e6).toFixed(0)} MB`);
  assert.ok(rssAfterRound[1]! < ROUND_GROWTH_FACTOR * rssAfterRound[0]! + 32e6, 'server memory stays flat from one round of edits to the next');
  const final = await client.diagnosticsForVersion(uri, version);
  assert.deepEqual(comparable(final.diagnostics), comparable(await coldDiagnostics(uri, text)));
  const stale = client.published.filter((p) => p.uri === uri && p.version !== undefined && p.version > 1 && p.version < version).length;
  console.log(`1,000 edits: ${stale} intermediate versions published (debounce coalesces the rest)`);
  assert.ok(client.alive);
});

test('open/close/change races leave the server consistent with the final text', { timeout: WAIT_MS * 2 }, async () => {
  const uri = fileUri(path.join(scratch, 'races.c'));
  const at = lineOf(SMALL, '@unlock');
  let text = SMALL;
  for (let round = 0; round < 40; round++) {
    // Open, change, close and reopen with other text, all without waiting for the server.
    await client.open(uri, SMALL, 1);
    await client.edit(uri, { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, '//');
    if (round % 3 === 0) await client.edit(uri, { start: { line: at, character: 0 }, end: { line: at, character: 2 } }, '');
    await client.close(uri);
  }
  text = applyEdit(SMALL, { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, '//');
  await client.open(uri, text, 100);
  const final = await client.diagnosticsForVersion(uri, 100);
  assert.deepEqual(comparable(final.diagnostics), comparable(await coldDiagnostics(uri, text)));
  // A closed document's diagnostics are cleared: the last message for it after a close is empty.
  await client.close(uri);
  const cleared = await client.diagnostics(uri, (p) => p.diagnostics.length === 0 && p.version === undefined, 'cleared diagnostics after close');
  assert.deepEqual(cleared.diagnostics, []);
  assert.ok(client.alive);
});

test('a hover on a small file is answered while a large file is analysed; a request cancelled mid-analysis', { timeout: WAIT_MS * 2 }, async () => {
  const small = fileUri(path.join(scratch, 'hover-small.c'));
  await client.openAndWait(small, SMALL);
  const large = fileUri(path.join(scratch, 'large.c'));
  const largeText = largeDocument(8);

  // Cancellation in the middle of an analysis: a hover on the large file waits for its analysis.
  await client.open(large, largeText, 1);
  const source = new CancellationTokenSource();
  const cancelledHover = client.request('textDocument/hover', { textDocument: { uri: large }, position: { line: 3, character: 1 } }, source);
  setTimeout(() => source.cancel(), 20);
  const outcome = await cancelledHover.then(
    () => 'answered',
    (err: { code?: number }) => (err.code === -32800 ? 'cancelled' : `error ${JSON.stringify(err)}`),
  );
  assert.ok(outcome === 'cancelled' || outcome === 'answered', `cancelled hover: ${outcome}`);

  // While the large file is (re)analysed, a hover on the small one must not wait for it.
  const edited = await client.edit(large, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '\n');
  const order: string[] = [];
  const largeDone = client.diagnosticsForVersion(large, edited).then(() => order.push('large diagnostics'));
  const hoverLine = lineOf(SMALL, '@after-get');
  const hover = await client.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: hoverLine, character: 2 } });
  order.push('small hover');
  await withTimeout(largeDone, 'large file diagnostics');
  assert.ok(hover, 'the hover has content');
  assert.deepEqual(order, ['small hover', 'large diagnostics'], 'the hover did not wait for the large analysis');
  await client.close(large);
  assert.ok(client.alive);
});

test('a file deleted while open keeps being analysed from the editor text', { timeout: WAIT_MS * 2 }, async () => {
  const file = path.join(scratch, 'deleted.c');
  fs.writeFileSync(file, SMALL);
  const uri = fileUri(file);
  await client.openAndWait(uri, SMALL);
  fs.rmSync(file);
  const at = lineOf(SMALL, '@second-unlock');
  const range = { start: { line: at, character: 0 }, end: { line: at, character: 0 } };
  const version = await client.edit(uri, range, '//');
  const text = applyEdit(SMALL, range, '//');
  const published = await client.diagnosticsForVersion(uri, version);
  assert.deepEqual(comparable(published.diagnostics), comparable(await coldDiagnostics(uri, text)));
  await client.close(uri);
  assert.ok(client.alive);
});

test('a contract file that turns malformed mid-session gives an error message, not a crash', { timeout: WAIT_MS * 2 }, async () => {
  const uri = fileUri(path.join(scratch, 'contracts-user.c'));
  const before = await client.openAndWait(uri, SMALL);
  fs.writeFileSync(contracts, '{ "contracts": [ { "name": "folio_lock", "effects": [ '); // cut mid-write
  await client.configure({ ...client.settings }); // as an editor does when settings are touched
  const at = lineOf(SMALL, '@after-unlock');
  const version = await client.edit(uri, { start: { line: at, character: 0 }, end: { line: at, character: 0 } }, ' ');
  const after = await client.diagnosticsForVersion(uri, version);
  await withTimeout(
    (async () => {
      while (!client.shownMessages.some((m) => m.type === 1 && m.message.includes('contracts.json'))) await new Promise((r) => setTimeout(r, 50));
    })(),
    'an error message naming the contract file',
  );
  // The built-in contracts still apply: the same rules fire as before.
  assert.deepEqual(after.diagnostics.map((d) => d.code).sort(), before.diagnostics.map((d) => d.code).sort());
  fs.writeFileSync(contracts, JSON.stringify({ contracts: [], entries: [] }));
  await client.close(uri);
  assert.ok(client.alive);
});
