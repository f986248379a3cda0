#!/usr/bin/env node
// Benchmark (issue 4): language-server latency on mm/migrate_device.c of linux-6.12,
// through the real server (`node dist/server.js --stdio`) and the protocol tests' client.
// The file is opened from the kernel tree (so its Makefile gives the version), then 200
// scripted edits type a statement character by character into the body of
// migrate_vma_collect_pmd and delete it again, each as an incremental didChange. For each
// edit the time from sending didChange to the publishDiagnostics of that version is
// taken; the next edit goes out once it arrived. Then hovers on the lines of
// migrate_device_unmap (another function), one at a time. Prints p50/p95 of both and the
// measured/target ratio of each target (edit p95 <= 50 ms, hover p95 <= 10 ms).
//
// The server debounces edits (folioLens.debounceMs, 150 ms by default); the benchmark
// sets folioLens.debounceMs to 0 through workspace/configuration, so the figure is the
// server's own work, not the wait it adds on purpose.
//
//   node scripts/bench-lsp.mjs [--edits 200] [--hovers 200] [--version 6.12]

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ensureKernel } from './kernel-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EDIT_TARGET_MS = 50;
const HOVER_TARGET_MS = 10;
const EDITED_FUNCTION = /^static int migrate_vma_collect_pmd\(/;
const HOVERED_FUNCTION = /^static unsigned long migrate_device_unmap\(/;
const TYPED = '\tmigrate->cpages += 0;';

function parseOptions(argv) {
  const options = { edits: 200, hovers: 200, version: '6.12' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--edits') options.edits = Number(argv[++i]);
    else if (argv[i] === '--hovers') options.hovers = Number(argv[++i]);
    else if (argv[i] === '--version') options.version = argv[++i];
    else throw new Error(`unknown option ${argv[i]} (known: --edits N, --hovers N, --version M.m)`);
  }
  return options;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Lines [first, last] of the function whose header matches `header`: to its closing brace in column 0. */
function functionLines(lines, header) {
  const first = lines.findIndex((l) => header.test(l));
  if (first < 0) throw new Error(`no function matching ${header} in migrate_device.c`);
  const last = lines.findIndex((l, i) => i > first && l.startsWith('}'));
  return { first, last };
}

/** The edit script: type TYPED on a new line after the body's declarations, then delete it; repeat. */
function* editScript(lines, count) {
  const { first, last } = functionLines(lines, EDITED_FUNCTION);
  // The first blank line of the body ends its declarations in kernel style.
  const blank = lines.findIndex((l, i) => i > first && i < last && l.trim() === '');
  const line = blank > 0 ? blank : first + 2;
  let made = 0;
  while (made < count) {
    for (let i = 0; i < TYPED.length && made < count; i++, made++) {
      yield { range: { start: { line, character: i }, end: { line, character: i } }, text: TYPED[i] };
    }
    for (let i = TYPED.length; i > 0 && made < count; i--, made++) {
      yield { range: { start: { line, character: i - 1 }, end: { line, character: i } }, text: '' };
    }
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const tree = await ensureKernel(options.version);
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const { LspTestClient, fileUri } = await tsImport(join(root, 'test', 'protocol', 'lspTestClient.ts'), import.meta.url);

  const file = join(tree, 'mm', 'migrate_device.c');
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const uri = fileUri(file);
  const { client } = await LspTestClient.start({ settings: { debounceMs: 0 }, workspaceFolders: [] });
  try {
    const openStarted = performance.now();
    const opened = await client.openAndWait(uri, text);
    console.log(`opened ${file}: ${opened.diagnostics.length} diagnostics in ${(performance.now() - openStarted).toFixed(0)} ms (cold)`);

    const editMillis = [];
    for (const change of editScript(lines, options.edits)) {
      const sent = performance.now();
      const version = await client.edit(uri, change.range, change.text);
      await client.diagnosticsForVersion(uri, version);
      editMillis.push(performance.now() - sent);
    }

    const { first, last } = functionLines(lines, HOVERED_FUNCTION);
    const hoverMillis = [];
    let answered = 0;
    for (let i = 0; i < options.hovers; i++) {
      const line = first + 1 + (i % (last - first - 1));
      const character = Math.max(0, lines[line].search(/\S/));
      const sent = performance.now();
      const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
      hoverMillis.push(performance.now() - sent);
      if (hover) answered++;
    }

    const editP50 = percentile(editMillis, 50);
    const editP95 = percentile(editMillis, 95);
    const hoverP50 = percentile(hoverMillis, 50);
    const hoverP95 = percentile(hoverMillis, 95);
    console.log(`folioLens.debounceMs = 0 (set through workspace/configuration): latencies exclude the deliberate debounce`);
    console.log(`${editMillis.length} edits in migrate_vma_collect_pmd, didChange -> publishDiagnostics: p50 ${editP50.toFixed(1)} ms, p95 ${editP95.toFixed(1)} ms, max ${Math.max(...editMillis).toFixed(1)} ms`);
    console.log(`${hoverMillis.length} hovers in migrate_device_unmap (${answered} with content): p50 ${hoverP50.toFixed(1)} ms, p95 ${hoverP95.toFixed(1)} ms, max ${Math.max(...hoverMillis).toFixed(1)} ms`);
    console.log(`ratio edit p95 / ${EDIT_TARGET_MS} ms target: ${(editP95 / EDIT_TARGET_MS).toFixed(2)} ${editP95 <= EDIT_TARGET_MS ? 'PASS' : 'FAIL'}`);
    console.log(`ratio hover p95 / ${HOVER_TARGET_MS} ms target: ${(hoverP95 / HOVER_TARGET_MS).toFixed(2)} ${hoverP95 <= HOVER_TARGET_MS ? 'PASS' : 'FAIL'}`);
  } finally {
    await client.stop();
  }
}

main().catch((err) => {
  console.error(`bench-lsp: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 2;
});
