#!/usr/bin/env node
// Whole-tree robustness run (issue 4): the CLI (`dist/cli.js check --jobs 2 --format json
// --summary`) over every .c file of Debian's linux-source-6.12, unpacked whole by
// kernel-source.mjs at run time. Prints files, functions, crashes, hangs (functions that
// spent their time budget), incomplete functions by name (top 50 and a count), findings
// per rule, wall time, peak RSS of the CLI process (GNU time's maximum resident set size,
// which covers its worker threads) and files/s; writes the CLI's full JSON summary and
// these figures to test-results/whole-tree.json.
//
//   node scripts/whole-tree.mjs [--version 6.12] [--jobs 2] [--dir SUBDIR]
//
// --dir limits the run to part of the tree (e.g. mm) for a quick look.
// Exit status: 0 when nothing crashed or hung, 1 otherwise, 2 when the run could not start.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureKernel } from './kernel-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'test-results');
const GNU_TIME = '/usr/bin/time';

export function parseTreeOptions(argv) {
  const options = { version: '6.12', jobs: 2, dir: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--version') options.version = argv[++i];
    else if (argv[i] === '--jobs') options.jobs = Number(argv[++i]);
    else if (argv[i] === '--dir') options.dir = argv[++i];
    else throw new Error(`unknown option ${argv[i]} (known: --version M.m, --jobs N, --dir SUBDIR)`);
  }
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new Error('--jobs needs a positive integer');
  return options;
}

function build() {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** Peak RSS of a running process, from the kernel's high-water mark (fallback without GNU time). */
function vmHwmKiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs the CLI over `target` and returns { report, wallMs, peakRssBytes, exitCode, stderrTail }.
 * stdout (the JSON report, tens of MB for the whole tree) goes to a file, not memory.
 */
export async function runCli(target, { jobs, cwd }) {
  mkdirSync(resultsDir, { recursive: true });
  const jsonFile = join(resultsDir, `cli-report.${process.pid}.json`);
  const timeFile = join(resultsDir, `cli-time.${process.pid}.txt`);
  const cliArgs = [join(root, 'dist', 'cli.js'), 'check', target, '--jobs', String(jobs), '--format', 'json', '--summary'];
  const useGnuTime = existsSync(GNU_TIME);
  const [command, args] = useGnuTime ? [GNU_TIME, ['-v', '-o', timeFile, process.execPath, ...cliArgs]] : [process.execPath, cliArgs];

  const started = performance.now();
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(jsonFile);
  child.stdout.pipe(out);
  const stderr = [];
  child.stderr.on('data', (chunk) => {
    stderr.push(chunk.toString());
    if (stderr.length > 2000) stderr.splice(0, 1000);
  });
  // Without GNU time, sample the CLI's own high-water mark while it runs.
  let hwmKiB = 0;
  const poll = useGnuTime ? undefined : setInterval(() => (hwmKiB = Math.max(hwmKiB, vmHwmKiB(child.pid))), 250);
  const exitCode = await new Promise((resolveExit) => child.on('close', (code) => resolveExit(code)));
  if (poll) clearInterval(poll);
  await new Promise((resolveFlush) => out.end(resolveFlush));
  const wallMs = performance.now() - started;

  let peakRssBytes = hwmKiB * 1024;
  if (useGnuTime && existsSync(timeFile)) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'));
    if (m) peakRssBytes = Number(m[1]) * 1024;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  } catch (err) {
    throw new Error(`the CLI (exit ${exitCode}) wrote no JSON report: ${err.message}\n${stderr.join('').slice(-2000)}`);
  }
  rmSync(jsonFile, { force: true });
  rmSync(timeFile, { force: true });
  return { report, wallMs, peakRssBytes, exitCode, stderrTail: stderr.join('').slice(-4000) };
}

/** The tree (or a directory of it) to check, fetched whole at run time. */
export async function treeTarget(options) {
  const tree = await ensureKernel(options.version, { parts: 'all' });
  return { tree, target: options.dir ? join(tree, options.dir) : tree };
}

/** Per-function facts from the JSON report: hangs, internal errors, incomplete by name. */
export function analyseReport(report) {
  const incomplete = [];
  const hangs = [];
  const internalErrors = [];
  for (const file of report.files) {
    for (const f of file.incompleteFunctions) {
      const entry = `${file.path}: ${f.name} (${f.reason})`;
      incomplete.push({ file: file.path, name: f.name, reason: f.reason, entry });
      if (/^time budget/.test(f.reason)) hangs.push(entry);
      if (/^internal error/.test(f.reason)) internalErrors.push(entry);
    }
  }
  const crashedFiles = report.files.filter((f) => f.status === 'crashed').map((f) => `${f.path}: ${f.reason ?? ''}`);
  const unreadable = report.files.filter((f) => f.status === 'unreadable').map((f) => `${f.path}: ${f.reason ?? ''}`);
  const skipped = report.files.filter((f) => f.status === 'skipped').map((f) => `${f.path}: ${f.reason ?? ''}`);
  // Incomplete functions grouped by name: a name that recurs points at a common construct.
  const byName = new Map();
  for (const f of incomplete) byName.set(f.name, (byName.get(f.name) ?? 0) + 1);
  return { incomplete, hangs, internalErrors, crashedFiles, unreadable, skipped, byName };
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function main() {
  const options = parseTreeOptions(process.argv.slice(2));
  const { tree, target } = await treeTarget(options);
  build();
  console.log(`whole-tree: checking ${target} with --jobs ${options.jobs}`);
  const run = await runCli(target, { jobs: options.jobs, cwd: tree });
  const s = run.report.summary;
  const facts = analyseReport(run.report);
  const seconds = run.wallMs / 1000;

  const lines = [];
  lines.push(`linux-${options.version}${options.dir ? `/${options.dir}` : ''}: CLI exit ${run.exitCode}`);
  lines.push(`files: ${s.files} (analysed ${s.analyzed}, skipped ${s.skipped}, unreadable ${s.unreadable}, crashed ${s.crashed})`);
  lines.push(`functions: ${s.functions}`);
  lines.push(`crashes: ${facts.crashedFiles.length} files, ${facts.internalErrors.length} functions with an internal error`);
  for (const c of [...facts.crashedFiles, ...facts.internalErrors].slice(0, 20)) lines.push(`  ${c}`);
  lines.push(`hangs (functions that spent their time budget): ${facts.hangs.length}`);
  for (const h of facts.hangs.slice(0, 20)) lines.push(`  ${h}`);
  lines.push(`incomplete functions: ${facts.incomplete.length} (${(100 * facts.incomplete.length / Math.max(1, s.functions)).toFixed(2)} % of functions)`);
  for (const f of facts.incomplete.slice(0, 50)) lines.push(`  ${f.entry}`);
  const recurring = [...facts.byName].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
  if (recurring.length > 0) lines.push(`  names incomplete in more than one file: ${recurring.slice(0, 10).map(([n, c]) => `${n} x${c}`).join(', ')}`);
  lines.push(`findings: ${s.findings}`);
  for (const [rule, n] of Object.entries(s.byRule)) lines.push(`  ${rule}: ${n}`);
  lines.push(`wall time: ${seconds.toFixed(1)} s (CLI's own: ${(s.millis / 1000).toFixed(1)} s)`);
  lines.push(`peak RSS: ${mib(run.peakRssBytes)}`);
  lines.push(`files/s: ${(s.files / seconds).toFixed(1)}`);
  console.log(lines.join('\n'));
  if (facts.skipped.length) console.log(`skipped files (first 10):\n  ${facts.skipped.slice(0, 10).join('\n  ')}`);

  const out = join(resultsDir, 'whole-tree.json');
  writeFileSync(
    out,
    JSON.stringify(
      {
        version: options.version,
        target,
        jobs: options.jobs,
        cliExitCode: run.exitCode,
        wallMillis: Math.round(run.wallMs),
        peakRssBytes: run.peakRssBytes,
        filesPerSecond: s.files / seconds,
        summary: s,
        crashedFiles: facts.crashedFiles,
        internalErrors: facts.internalErrors,
        hangs: facts.hangs,
        incompleteFunctions: facts.incomplete.map((f) => f.entry),
        unreadable: facts.unreadable,
        skipped: facts.skipped,
        files: run.report.files.map((f) => ({ path: f.path, status: f.status, functions: f.functions, findings: f.findings, millis: f.millis })),
      },
      null,
      1,
    ),
  );
  console.log(`full summary: ${out}`);
  process.exitCode = facts.crashedFiles.length + facts.internalErrors.length + facts.hangs.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`whole-tree: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 2;
  });
}
