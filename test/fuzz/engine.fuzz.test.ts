// CI-sized fuzzing of the engine, in this process: a few thousand generated inputs
// (mutated kernel code, random bytes, NUL and invalid UTF-8, deep nesting, unterminated
// comments and strings, macros everywhere), the fixed extremes (10,000-deep nesting, a
// 5 MB file) and every saved crash reproducer under regressions/. The property: no
// exception escapes analyzeText, its result is a well-formed DocumentAnalysis, each
// input ends within timeBoundMs, and the process's RSS stays bounded.
//
// FUZZ_RUNS=n and FUZZ_SEED=s override the run count and fast-check's seed;
// `node scripts/fuzz.mjs --runs 100000` is the long run.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { analyzeText, initEngine } from '../../server/src/engine';
import { fuzzInput, type FuzzInput } from './arbitraries';
import { deepInputs, fiveMegabyteTable, hostileEncodings, unterminatedInputs } from './extremes';
import { assertWellFormed, functionStats, timeBoundMs } from './property';
import { loadSeeds, type Seed } from './seeds';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
/** RSS may grow this much over a whole test (tree-sitter's wasm heap never shrinks). */
const RSS_GROWTH_LIMIT = 512 * 1024 * 1024;
const REGRESSIONS = path.join(__dirname, 'regressions');

let seeds: Seed[];

before(async () => {
  await initEngine();
  const loaded = loadSeeds();
  seeds = loaded.seeds;
  console.log(`fuzz seeds: ${seeds.length} files from ${loaded.origin}`);
});

/** Analyses one input and checks the property; returns the wall time. */
function analyseChecked(input: FuzzInput, uri = `file:///fuzz/${input.kind.replace(/[^\w.-]/g, '_')}.c`): number {
  const started = performance.now();
  let result;
  try {
    result = analyzeText(uri, input.text, { detail: 'findings' });
  } catch (err) {
    throw new Error(`analyzeText threw on ${input.kind} input (${input.text.length} chars): ${err instanceof Error ? err.stack : String(err)}`);
  }
  const millis = performance.now() - started;
  assertWellFormed(uri, input.text, result);
  const bound = timeBoundMs(input.text);
  assert.ok(millis <= bound, `${input.kind} input (${input.text.length} chars) took ${millis.toFixed(0)} ms, bound ${bound.toFixed(0)} ms`);
  const internal = functionStats(result).internalErrors;
  if (internal.length > 0) console.log(`  ${input.kind}: engine caught internal errors: ${internal.slice(0, 3).join('; ')}`);
  return millis;
}

test(`${RUNS} generated inputs: no throw, well-formed result, bounded time and memory`, { timeout: 600_000 }, () => {
  const rssBefore = process.memoryUsage().rss;
  let maxMillis = 0;
  let maxKind = '';
  let total = 0;
  const started = performance.now();
  fc.assert(
    fc.property(fuzzInput(seeds), (input) => {
      const millis = analyseChecked(input);
      total++;
      if (millis > maxMillis) {
        maxMillis = millis;
        maxKind = `${input.kind}, ${input.text.length} chars`;
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  const seconds = (performance.now() - started) / 1000;
  const growth = process.memoryUsage().rss - rssBefore;
  console.log(
    `fuzz: ${total} inputs in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s), seed ${SEED}, ` +
      `max ${maxMillis.toFixed(0)} ms per input (${maxKind}), RSS growth ${(growth / 1e6).toFixed(0)} MB`,
  );
  assert.ok(growth < RSS_GROWTH_LIMIT, `RSS grew by ${(growth / 1e6).toFixed(0)} MB over the run`);
});

test('10,000-deep braces, parentheses and if statements end within the bound', { timeout: 300_000 }, () => {
  for (const input of deepInputs()) {
    const millis = analyseChecked(input);
    console.log(`  ${input.kind}: ${millis.toFixed(0)} ms`);
  }
});

test('a 5 MB file is analysed (or refused with an input error) within the bound', { timeout: 300_000 }, () => {
  const rssBefore = process.memoryUsage().rss;
  const input = fiveMegabyteTable(seeds);
  assert.ok(input.text.length >= 5 * 1024 * 1024 - 1);
  const millis = analyseChecked(input);
  const growth = process.memoryUsage().rss - rssBefore;
  console.log(`  ${input.kind}: ${millis.toFixed(0)} ms, RSS growth ${(growth / 1e6).toFixed(0)} MB`);
  assert.ok(growth < RSS_GROWTH_LIMIT, `RSS grew by ${(growth / 1e6).toFixed(0)} MB on one 5 MB input`);
});

test('NUL bytes, invalid UTF-8 and lone surrogates, at the head and deep inside', { timeout: 300_000 }, () => {
  for (const input of hostileEncodings(seeds)) analyseChecked(input);
  // A NUL in the first bytes is binary by any measure: a clear input error, no findings.
  const head = analyzeText('file:///fuzz/nul-head.c', `\u0000${seeds[0]!.text}`, { detail: 'findings' });
  assert.equal(head.functions.length, 0);
  assert.ok(head.inputErrors.length > 0, 'a NUL at the start is reported as an input error');
});

test('unterminated comments, strings, character literals and #if', { timeout: 300_000 }, () => {
  for (const input of unterminatedInputs(seeds)) analyseChecked(input);
});

test('every saved reproducer in regressions/ satisfies the property', { timeout: 300_000 }, () => {
  const files = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).filter((f) => f.endsWith('.c')).sort() : [];
  for (const name of files) {
    // latin1 keeps every byte as one code unit: the reproducer's bytes reach the engine as saved.
    const text = fs.readFileSync(path.join(REGRESSIONS, name), name.includes('latin1') ? 'latin1' : 'utf8');
    const millis = analyseChecked({ kind: `regression ${name}`, text }, `file:///fuzz/regressions/${name}`);
    console.log(`  ${name}: ${millis.toFixed(0)} ms`);
  }
});
