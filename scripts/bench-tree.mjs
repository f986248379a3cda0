#!/usr/bin/env node
// Benchmark (issue 4): the CLI with `--jobs 2` over every .c file of linux-6.12 (the same
// run as scripts/whole-tree.mjs), printing wall time (target at most 5 minutes), peak
// resident memory of the CLI process (target at most 1 GiB) and files per second, each
// with its measured/target ratio. A benchmark, never a timed test.
//
//   node scripts/bench-tree.mjs [--version 6.12] [--jobs 2] [--dir SUBDIR]

import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTreeOptions, runCli, treeTarget } from './whole-tree.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_WALL_S = 5 * 60;
const TARGET_RSS_BYTES = 1024 ** 3;

function verdict(ratio) {
  return ratio <= 1 ? 'PASS' : 'FAIL';
}

async function main() {
  const options = parseTreeOptions(process.argv.slice(2));
  const { tree, target } = await treeTarget(options);
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  const run = await runCli(target, { jobs: options.jobs, cwd: tree });
  const s = run.report.summary;
  const seconds = run.wallMs / 1000;
  const rssMiB = run.peakRssBytes / 1024 / 1024;
  const wallRatio = seconds / TARGET_WALL_S;
  const rssRatio = run.peakRssBytes / TARGET_RSS_BYTES;
  console.log(`linux-${options.version}${options.dir ? `/${options.dir}` : ''}, --jobs ${options.jobs}: ${s.files} files, ${s.functions} functions, CLI exit ${run.exitCode}`);
  console.log(`wall time: ${seconds.toFixed(1)} s; ratio to the 300 s target: ${wallRatio.toFixed(2)} ${verdict(wallRatio)}`);
  console.log(`peak RSS: ${rssMiB.toFixed(0)} MiB; ratio to the 1 GiB target: ${rssRatio.toFixed(2)} ${verdict(rssRatio)}`);
  console.log(`files/s: ${(s.files / seconds).toFixed(1)}`);
}

main().catch((err) => {
  console.error(`bench-tree: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 2;
});
