#!/usr/bin/env node
// The long fuzz run over the engine (issue 4): fast-check generates inputs (mutated mm/
// files of linux-6.12 fetched at run time, random bytes, NUL bytes and invalid UTF-8,
// deep nesting, unterminated comments and strings, macros everywhere; plus, once each,
// 10,000-deep nesting and a 5 MB file) and a worker thread analyses them. The parent
// keeps a hard time limit per input: a worker that does not answer is killed and the
// input counted as a hang. Prints inputs/s, the slowest input, crashes, hangs and RSS;
// crashing and hanging inputs are saved under test-results/fuzz/ (JSON keeps lone
// surrogates intact) for copying into test/fuzz/regressions/.
//
//   node scripts/fuzz.mjs [--runs 100000] [--seed N] [--hard-limit-ms 120000] [--fixtures-only] [--no-extremes]
//
// Exit status: 0 when nothing crashed or hung, 1 otherwise, 2 when the run could not start.

import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';
import { ensureKernel } from './kernel-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test-results', 'fuzz');
const CHUNK = 250;

function parseOptions(argv) {
  const options = { runs: 100_000, seed: Date.now() % 2 ** 31, hardLimitMs: 120_000, kernel: true, extremes: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') options.runs = Number(argv[++i]);
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else if (arg === '--hard-limit-ms') options.hardLimitMs = Number(argv[++i]);
    else if (arg === '--fixtures-only') options.kernel = false;
    else if (arg === '--no-extremes') options.extremes = false;
    else throw new Error(`unknown option ${arg} (known: --runs N, --seed N, --hard-limit-ms N, --fixtures-only, --no-extremes)`);
  }
  for (const key of ['runs', 'seed', 'hardLimitMs']) {
    if (!Number.isInteger(options[key]) || options[key] < 0) throw new Error(`--${key} needs a non-negative integer`);
  }
  return options;
}

/** One worker thread running test/fuzz/fuzzWorker.ts through tsx's require hook. */
function startWorker() {
  const require = createRequire(import.meta.url);
  const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(root, 'test', 'fuzz', 'fuzzWorker.ts'))});`;
  // A heap limit makes a runaway input kill the worker (a crash we count), not the machine.
  const worker = new Worker(code, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 3072 } });
  const ready = new Promise((resolveReady, reject) => {
    const onMessage = (m) => {
      if (m.id === -1) {
        worker.off('message', onMessage);
        resolveReady();
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  return { worker, ready };
}

/** Sends one input; resolves with the reply, or with { hang } / { died } when the worker fails. */
function analyse(state, input, id, hardLimitMs) {
  return new Promise((resolveReply) => {
    const { worker } = state.current;
    let settled = false;
    const settle = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolveReply(value);
    };
    const onMessage = (m) => m.id === id && settle(m);
    const onError = (err) => settle({ id, died: `worker error: ${err?.stack ?? err}` });
    const onExit = (code) => settle({ id, died: `worker exited with code ${code}` });
    const timer = setTimeout(() => settle({ id, hang: true }), hardLimitMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, kind: input.kind, text: input.text });
  });
}

function save(kind, id, input, detail) {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${kind}-${id}-${input.kind.replace(/[^\w.-]/g, '_')}.json`);
  writeFileSync(file, JSON.stringify({ kind: input.kind, detail, text: input.text }));
  return file;
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function main() {
  const options = parseOptions(process.argv.slice(2));
  let tree;
  if (options.kernel) {
    try {
      tree = await ensureKernel('6.12');
    } catch (err) {
      console.error(`fuzz: no kernel tree (${err.message}); mutating the fixtures instead`);
    }
  }
  const load = (file) => tsImport(join(root, 'test', 'fuzz', file), import.meta.url);
  const { loadSeeds, fixtureSeeds } = await load('seeds.ts');
  const { sampleFuzzInputs } = await load('arbitraries.ts');
  const { deepInputs, fiveMegabyteCode, hostileEncodings, unterminatedInputs } = await load('extremes.ts');
  const { timeBoundMs } = await load('property.ts');
  const { origin, seeds } = tree ? loadSeeds(tree) : { origin: 'fixtures', seeds: fixtureSeeds() };
  console.log(`fuzz: ${options.runs} generated inputs, seed ${options.seed}, seeds from ${origin}`);

  const state = { current: startWorker() };
  await state.current.ready;
  const rssStart = process.memoryUsage().rss;
  let rssAfterWarmup = rssStart;
  let rssMax = rssStart;

  const stats = { inputs: 0, crashes: [], hangs: [], overBound: [], internal: new Map(), budgetSpent: 0, functions: 0 };
  let slowest = { millis: 0, what: '' };
  const byKind = new Map();
  const started = performance.now();

  const runOne = async (input, id) => {
    const reply = await analyse(state, input, id, Math.max(options.hardLimitMs, 4 * timeBoundMs(input.text)));
    stats.inputs++;
    if (reply.hang || reply.died) {
      const what = reply.hang ? 'hang' : 'crash';
      const file = save(what, id, input, reply.died ?? 'no answer within the hard limit');
      (reply.hang ? stats.hangs : stats.crashes).push(`${input.kind} (${input.text.length} chars): ${reply.died ?? 'hang'} -> ${file}`);
      await state.current.worker.terminate();
      state.current = startWorker();
      await state.current.ready;
      return;
    }
    if (reply.error) {
      const file = save('crash', id, input, reply.error);
      stats.crashes.push(`${input.kind} (${input.text.length} chars): ${reply.error.split('\n')[0]} -> ${file}`);
    }
    stats.functions += reply.functions;
    stats.budgetSpent += reply.timeBudgetSpent;
    for (const e of reply.internalErrors) {
      const message = e.replace(/^[^:]*: /, '');
      stats.internal.set(message, (stats.internal.get(message) ?? 0) + 1);
    }
    const bound = timeBoundMs(input.text);
    if (reply.millis > bound) stats.overBound.push(`${input.kind} (${input.text.length} chars): ${reply.millis.toFixed(0)} ms > ${bound.toFixed(0)} ms`);
    if (reply.millis > slowest.millis) slowest = { millis: reply.millis, what: `${input.kind}, ${input.text.length} chars` };
    const k = byKind.get(input.kind) ?? { n: 0, max: 0 };
    k.n++;
    k.max = Math.max(k.max, reply.millis);
    byKind.set(input.kind, k);
    const rss = process.memoryUsage().rss;
    rssMax = Math.max(rssMax, rss);
    if (stats.inputs === 1000) rssAfterWarmup = rss;
  };

  let id = 0;
  if (options.extremes) {
    const extremes = [...deepInputs(), fiveMegabyteCode(seeds), ...hostileEncodings(seeds), ...unterminatedInputs(seeds)];
    for (const input of extremes) {
      const t = performance.now();
      await runOne(input, id++);
      console.log(`  extreme ${input.kind} (${input.text.length} chars): ${(performance.now() - t).toFixed(0)} ms`);
    }
  }
  const generatedStart = performance.now();
  const extremeInputs = stats.inputs;
  for (let chunk = 0; stats.inputs - extremeInputs < options.runs; chunk++) {
    const count = Math.min(CHUNK, options.runs - (stats.inputs - extremeInputs));
    for (const input of sampleFuzzInputs(seeds, count, options.seed + chunk)) await runOne(input, id++);
    if ((chunk + 1) % 20 === 0) {
      const done = stats.inputs - extremeInputs;
      const rate = done / ((performance.now() - generatedStart) / 1000);
      console.log(`  ${done} inputs, ${rate.toFixed(0)}/s, crashes ${stats.crashes.length}, hangs ${stats.hangs.length}, RSS ${mb(process.memoryUsage().rss)}`);
    }
  }
  await state.current.worker.terminate();

  const generated = stats.inputs - extremeInputs;
  const generatedSeconds = (performance.now() - generatedStart) / 1000;
  const rssEnd = process.memoryUsage().rss;
  console.log('');
  console.log(`inputs: ${stats.inputs} (${generated} generated, ${extremeInputs} extremes), functions analysed: ${stats.functions}`);
  console.log(`generated inputs/s: ${(generated / generatedSeconds).toFixed(1)} (${generatedSeconds.toFixed(1)} s); total wall ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`max time per input: ${slowest.millis.toFixed(0)} ms (${slowest.what})`);
  for (const [kind, k] of [...byKind].sort()) console.log(`  ${kind}: ${k.n} inputs, max ${k.max.toFixed(0)} ms`);
  console.log(`crashes (exception escaped or malformed result or worker died): ${stats.crashes.length}`);
  for (const c of stats.crashes.slice(0, 20)) console.log(`  ${c}`);
  console.log(`hangs (no answer within the hard limit): ${stats.hangs.length}`);
  for (const h of stats.hangs.slice(0, 20)) console.log(`  ${h}`);
  console.log(`over the time bound (15 s + 10 s/MB): ${stats.overBound.length}`);
  for (const o of stats.overBound.slice(0, 20)) console.log(`  ${o}`);
  console.log(`functions that spent their time budget: ${stats.budgetSpent}`);
  console.log(`internal errors the engine caught (function marked incomplete): ${[...stats.internal.values()].reduce((a, b) => a + b, 0)}`);
  for (const [message, n] of stats.internal) console.log(`  ${n} x ${message}`);
  console.log(`RSS: start ${mb(rssStart)}, after 1,000 inputs ${mb(rssAfterWarmup)}, max ${mb(rssMax)}, end ${mb(rssEnd)}`);
  process.exitCode = stats.crashes.length + stats.hangs.length > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(`fuzz: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 2;
});
