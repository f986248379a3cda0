#!/usr/bin/env node
// `npm run corpus`: the checker on real kernel code. Fetches Debian's linux-source-6.12
// (see kernel-source.mjs), runs the built CLI with --format json over every mm/*.c file
// (125 files in 6.12; mm/ subdirectories such as damon/ and kasan/ only with --recursive),
// prints files, functions, findings per rule, crashes, incomplete functions and time, then
// checks mm/migrate_device.c on its own. Targets (non-zero exit when one fails):
//   0 crashes; every function of mm/migrate_device.c complete with 0 findings;
//   at most 9 findings over mm/.
// The findings are written to test-results/corpus-<version>.json for review.
//
//   node scripts/corpus.mjs [--version 6.12|6.1] [--jobs N] [--recursive] [--no-build]

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureKernel } from './kernel-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_FINDINGS = 9;

function parseOptions(argv) {
  const options = { version: '6.12', jobs: 1, recursive: false, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--version') options.version = value();
    else if (arg.startsWith('--version=')) options.version = arg.slice('--version='.length);
    else if (arg === '--jobs') options.jobs = Number(value());
    else if (arg === '--recursive') options.recursive = true;
    else if (arg === '--no-build') options.build = false;
    else throw new Error(`unknown option ${arg}`);
  }
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new Error('--jobs needs a positive integer');
  return options;
}

function listC(dir, recursive) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && recursive) out.push(...listC(full, true));
    else if (entry.isFile() && entry.name.endsWith('.c')) out.push(full);
  }
  return out;
}

/** Runs dist/cli.js with --format json; returns the parsed report, exit status and time. */
function runCli(args, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', '--format', 'json', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const millis = performance.now() - started;
  if (result.status === null || !result.stdout.trim()) {
    throw new Error(`folio-lens did not produce a report (status ${result.status}, signal ${result.signal}):\n${result.stderr}`);
  }
  return { report: JSON.parse(result.stdout), status: result.status, stderr: result.stderr, millis };
}

function printRun(title, run) {
  const { report } = run;
  const s = report.summary;
  console.log(`\n== ${title}`);
  console.log(`files: ${s.files} (analysed ${s.analyzed}, skipped ${s.skipped}, unreadable ${s.unreadable}, crashed ${s.crashed})`);
  console.log(`functions: ${s.functions}`);
  console.log(`findings: ${s.findings}`);
  for (const [rule, n] of Object.entries(s.byRule)) if (n > 0) console.log(`  ${rule}: ${n}`);
  for (const f of report.findings) {
    console.log(`  ${f.file}:${f.line}:${f.column}: ${f.rule} in ${f.function}: ${f.message}`);
  }
  console.log(`crashes: ${s.crashed}`);
  for (const f of report.files.filter((x) => x.status === 'crashed')) console.log(`  ${f.path}: ${f.reason}`);
  console.log(`incomplete functions: ${s.incompleteFunctions.length}`);
  for (const name of s.incompleteFunctions) console.log(`  ${name}`);
  const perFile = report.files.reduce((t, f) => t + (f.millis ?? 0), 0);
  console.log(`time: ${(run.millis / 1000).toFixed(2)} s wall (${(perFile / 1000).toFixed(2)} s summed over files)`);
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.build) {
    const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  const tree = await ensureKernel(options.version);
  const files = listC(join(tree, 'mm'), options.recursive).map((f) => relative(tree, f));
  const jobs = ['--jobs', String(options.jobs)];

  const whole = runCli([...jobs, ...files], tree);
  printRun(`linux-${options.version} mm/${options.recursive ? ' (recursive)' : '*.c'}: ${files.length} files`, whole);

  const single = runCli(['mm/migrate_device.c'], tree);
  printRun(`linux-${options.version} mm/migrate_device.c`, single);
  const md = single.report.files[0];

  mkdirSync(join(root, 'test-results'), { recursive: true });
  const out = join(root, 'test-results', `corpus-${options.version}${options.recursive ? '-recursive' : ''}.json`);
  writeFileSync(
    out,
    JSON.stringify(
      {
        kernel: options.version,
        tree,
        files: files.length,
        summary: whole.report.summary,
        crashed: whole.report.files.filter((f) => f.status === 'crashed'),
        findings: whole.report.findings,
      },
      null,
      2,
    ),
  );
  console.log(`\nfindings written to ${relative(root, out)}`);

  const targets = [
    ['0 crashes', whole.report.summary.crashed === 0 && single.report.summary.crashed === 0],
    [
      `mm/migrate_device.c: every function complete (${md.functions - md.incompleteFunctions.length}/${md.functions})`,
      md.status === 'analyzed' && md.functions > 0 && md.incompleteFunctions.length === 0,
    ],
    [`mm/migrate_device.c: 0 findings (${single.report.summary.findings})`, single.report.summary.findings === 0],
    [`mm/: at most ${MAX_FINDINGS} findings (${whole.report.summary.findings})`, whole.report.summary.findings <= MAX_FINDINGS],
  ];
  console.log('');
  for (const [name, ok] of targets) console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  if (targets.some(([, ok]) => !ok)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(`corpus: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
