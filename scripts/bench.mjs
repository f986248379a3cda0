#!/usr/bin/env node
// `npm run bench`: how much the simulation costs on top of parsing, on real code.
// On every mm/*.c file of linux-6.12 (fetched by kernel-source.mjs), in one process:
//   parse only  — the engine's parse entry (kernel-macro preprocessing, tree-sitter,
//                 function extraction), tree freed after each file;
//   full        — analyzeText() with the detail the CLI uses ('findings': findings and
//                 summaries; --detail full adds the per-line states, path records and
//                 CFG views the editor asks for);
// each pass over all files repeated (default 3 times), the median taken, and the ratio
// full / parse printed (target at most 3). A benchmark, never a timed test.
//
//   node scripts/bench.mjs [--repeat N] [--version 6.12] [--detail findings|full]

import * as esbuild from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { useTreeSitterCommonJs } from './build.mjs';
import { ensureKernel } from './kernel-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_RATIO = 3;

function parseOptions(argv) {
  const options = { repeat: 3, version: '6.12', detail: 'findings' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repeat') options.repeat = Number(argv[++i]);
    else if (argv[i] === '--version') options.version = argv[++i];
    else if (argv[i] === '--detail') options.detail = argv[++i];
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!Number.isInteger(options.repeat) || options.repeat < 1) throw new Error('--repeat needs a positive integer');
  if (options.detail !== 'findings' && options.detail !== 'full') throw new Error('--detail must be findings or full');
  return options;
}

/** Bundles the engine's entry points the way the CLI ships them (next to the wasm files). */
async function loadEngine() {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const outfile = join(root, 'dist', 'benchEngine.js');
  await esbuild.build({
    stdin: {
      contents: [
        "export { initEngine, analyzeText } from './server/src/engine/index';",
        "export { parseDocument } from './server/src/engine/parse/functions';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    plugins: [useTreeSitterCommonJs],
  });
  return createRequire(import.meta.url)(outfile);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeIt(fn) {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const engine = await loadEngine();
  await engine.initEngine();
  const tree = await ensureKernel(options.version);
  const mm = join(tree, 'mm');
  const files = readdirSync(mm)
    .filter((f) => f.endsWith('.c'))
    .sort()
    .map((f) => join(mm, f));
  const inputs = files.map((file) => ({ uri: pathToFileURL(file).href, text: readFileSync(file, 'utf8') }));
  const bytes = inputs.reduce((n, i) => n + Buffer.byteLength(i.text), 0);
  const [major, minor] = options.version.split('.').map(Number);
  const analyzeOptions = { kernelVersion: { major, minor }, detail: options.detail };

  let functions = 0;
  let engineParse = 0;
  let engineSimulate = 0;
  const parseTimes = [];
  const fullTimes = [];
  for (let round = 0; round < options.repeat; round++) {
    parseTimes.push(
      await timeIt(() => {
        for (const input of inputs) engine.parseDocument(input.text).dispose();
      }),
    );
    functions = 0;
    engineParse = 0;
    engineSimulate = 0;
    fullTimes.push(
      await timeIt(async () => {
        for (const input of inputs) {
          // analyzeText is synchronous today; awaiting keeps this right if it becomes async.
          const result = await engine.analyzeText(input.uri, input.text, analyzeOptions);
          functions += result.functions.length;
          engineParse += result.parseMillis;
          engineSimulate += result.simulateMillis;
        }
      }),
    );
    console.log(`round ${round + 1}: parse ${(parseTimes[round] / 1000).toFixed(2)} s, full ${(fullTimes[round] / 1000).toFixed(2)} s`);
  }

  const parse = median(parseTimes);
  const full = median(fullTimes);
  const ratio = full / parse;
  console.log(`\nlinux-${options.version} mm/*.c: ${inputs.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${functions} functions`);
  console.log(`parse only (median of ${options.repeat}): ${(parse / 1000).toFixed(3)} s`);
  console.log(`full analysis, detail '${options.detail}' (median of ${options.repeat}): ${(full / 1000).toFixed(3)} s`);
  console.log(`  inside the last full run: parse ${(engineParse / 1000).toFixed(3)} s, simulate ${(engineSimulate / 1000).toFixed(3)} s`);
  console.log(`ratio full / parse: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 2;
});
