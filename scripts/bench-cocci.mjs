#!/usr/bin/env node
// Benchmark (issue 4): mm/ of linux-6.12 analysed by the Folio Lens CLI versus the
// kernel's own Coccinelle lock scripts (scripts/coccinelle/locks/*.cocci of the same
// tree), timed in the same run, one after the other. Coccinelle runs the way
// `make coccicheck MODE=report M=mm` runs it: `spatch -D report --no-show-diff
// --very-quiet --cocci-file X.cocci <the script's "Options:" line> --dir mm -I ...
// --jobs N --chunksize 1`, once per script. Folio Lens runs `check mm --jobs N
// --format json`. Prints both times and the ratio folio-lens / coccinelle (target at
// most 0.05). Installs Debian's coccinelle with apt-get when spatch is missing.
//
//   node scripts/bench-cocci.mjs [--version 6.12] [--jobs 2]

import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureKernel } from './kernel-source.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_RATIO = 0.05;

function parseOptions(argv) {
  const options = { version: '6.12', jobs: 2 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--version') options.version = argv[++i];
    else if (argv[i] === '--jobs') options.jobs = Number(argv[++i]);
    else throw new Error(`unknown option ${argv[i]} (known: --version M.m, --jobs N)`);
  }
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new Error('--jobs needs a positive integer');
  return options;
}

function hasSpatch() {
  return spawnSync('spatch', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Debian's coccinelle package, installed once (apt-get update first when apt does not know it). */
function ensureSpatch() {
  if (hasSpatch()) return;
  const known = () => /Candidate:\s*(?!\(none\))\S+/.test(spawnSync('apt-cache', ['policy', 'coccinelle'], { encoding: 'utf8' }).stdout ?? '');
  if (!known()) {
    console.error('bench-cocci: apt does not know coccinelle; running apt-get update once');
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
  }
  console.error('bench-cocci: installing coccinelle with apt-get');
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'coccinelle'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (install.status !== 0 || !hasSpatch()) throw new Error('could not install coccinelle (spatch)');
}

/** Runs a command to completion; resolves with wall time, exit code, and stdout/stderr sizes. */
function timed(command, args, cwd) {
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-8000)));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ millis: performance.now() - started, code, stdout, stderr }));
  });
}

function countFiles(dir, suffix) {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) n += countFiles(full, suffix);
    else if (entry.name.endsWith(suffix) && statSync(full).isFile()) n++;
  }
  return n;
}

/** The script's own "// Options:" line, as coccicheck reads it. */
function scriptOptions(file) {
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.includes('Options:'));
  return line ? line.split(':')[1].trim().split(/\s+/).filter(Boolean) : [];
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const tree = await ensureKernel(options.version);
  ensureSpatch();
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');

  const locks = join(tree, 'scripts', 'coccinelle', 'locks');
  const scripts = readdirSync(locks).filter((f) => f.endsWith('.cocci')).sort();
  const cFiles = countFiles(join(tree, 'mm'), '.c');
  const hFiles = countFiles(join(tree, 'mm'), '.h');
  const version = spawnSync('spatch', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  console.log(`linux-${options.version} mm/: ${cFiles} .c files (${hFiles} .h files there too, which coccicheck's --include-headers also reads)`);
  console.log(`coccinelle: ${version}; scripts: ${scripts.join(', ')}; --jobs ${options.jobs}`);

  // Folio Lens first: the file cache is then equally warm for Coccinelle.
  const lens = await timed(process.execPath, [join(root, 'dist', 'cli.js'), 'check', 'mm', '--jobs', String(options.jobs), '--format', 'json'], tree);
  if (lens.code !== 0 && lens.code !== 1) throw new Error(`folio-lens exited ${lens.code}: ${lens.stderr}`);
  const lensSummary = JSON.parse(lens.stdout).summary;
  console.log(`folio-lens check mm --jobs ${options.jobs}: ${(lens.millis / 1000).toFixed(1)} s (${lensSummary.files} files, ${lensSummary.functions} functions, ${lensSummary.findings} findings)`);

  // coccicheck's include flags for x86 (LINUXINCLUDE without the generated headers, which an
  // unconfigured tree lacks); the lock scripts pass --no-includes, so they matter little.
  const include = ['-I', 'arch/x86/include', '-I', 'arch/x86/include/uapi', '-I', 'include', '-I', 'include/uapi'];
  let coccinelleMillis = 0;
  for (const script of scripts) {
    const file = join(locks, script);
    const args = [
      '-D', 'report', '--no-show-diff', '--very-quiet',
      '--cocci-file', file, ...scriptOptions(file),
      '--dir', 'mm', ...include,
      ...(options.jobs > 1 ? ['--jobs', String(options.jobs), '--chunksize', '1'] : []),
    ];
    const run = await timed('spatch', args, tree);
    if (run.code !== 0) throw new Error(`spatch ${script} exited ${run.code}: ${run.stderr}`);
    const reports = run.stdout.split('\n').filter((l) => l.trim() !== '').length;
    console.log(`spatch ${script}: ${(run.millis / 1000).toFixed(1)} s (${reports} report lines)`);
    coccinelleMillis += run.millis;
  }
  const ratio = lens.millis / coccinelleMillis;
  console.log(`coccinelle, all ${scripts.length} lock scripts: ${(coccinelleMillis / 1000).toFixed(1)} s`);
  console.log(`ratio folio-lens / coccinelle: ${ratio.toFixed(3)} (target <= ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`);
  console.log(`ratio to target: ${(ratio / TARGET_RATIO).toFixed(2)}`);
}

main().catch((err) => {
  console.error(`bench-cocci: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 2;
});
