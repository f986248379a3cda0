#!/usr/bin/env node
// Fetches a real kernel tree at run time (never committed): Debian's linux-source-M.m
// package, downloaded with `apt-get download`, unpacked with `dpkg-deb -x`, and only the
// needed parts of its tarball extracted into
//   ${XDG_CACHE_HOME:-~/.cache}/folio-lens/linux-M.m/
// The tarball is kept beside it so that asking for more parts later needs no download.
//
//   import { ensureKernel } from './kernel-source.mjs';
//   const tree = await ensureKernel('6.12');                 // default parts
//   const all = await ensureKernel('6.12', { parts: 'all' }); // the whole tree
//
//   node scripts/kernel-source.mjs 6.12 [--all]               // prints the tree's path

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the corpus run, the benchmarks and the driver checks need. Kbuild and Kconfig make
 * the top-level Makefile recognisable as a kernel tree's (version detection needs them).
 */
export const DEFAULT_PARTS = [
  'Makefile',
  'Kbuild',
  'Kconfig',
  '.clang-format',
  'mm',
  'include',
  'scripts/coccinelle',
  'lib/test_hmm.c',
  'drivers/gpu/drm/nouveau',
  'drivers/gpu/drm/amd/amdkfd',
];

const STAMP = '.folio-lens-parts.json';

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'folio-lens');
}

function log(message) {
  process.stderr.write(`kernel-source: ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim()}`);
  }
  return result.stdout;
}

function hasCandidate(pkg) {
  const result = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' });
  return result.status === 0 && /Candidate:\s*(?!\(none\))\S+/.test(result.stdout);
}

/** Downloads linux-source-M.m and returns the path of its source tarball in the cache. */
function ensureTarball(version) {
  const dir = join(cacheRoot(), 'debs');
  const tarball = join(dir, `linux-source-${version}.tar.xz`);
  if (existsSync(tarball)) return tarball;
  mkdirSync(dir, { recursive: true });

  const pkg = `linux-source-${version}`;
  if (!hasCandidate(pkg)) {
    log(`apt has no ${pkg} in its lists; running apt-get update once`);
    run('apt-get', ['update']);
    if (!hasCandidate(pkg)) throw new Error(`apt knows no package ${pkg} (is this a Debian system with it in its sources?)`);
  }

  const work = mkdtempSync(join(tmpdir(), 'folio-lens-kernel-'));
  try {
    log(`downloading ${pkg} with apt-get download`);
    run('apt-get', ['download', pkg], { cwd: work });
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
    run('dpkg-deb', ['-x', join(work, deb), join(work, 'root')]);
    const inner = join(work, 'root', 'usr', 'src');
    const found = existsSync(inner) ? readdirSync(inner).find((f) => /^linux-source-.*\.tar\.(xz|bz2|gz)$/.test(f)) : undefined;
    if (!found) throw new Error(`${deb} holds no usr/src/linux-source-*.tar.* tarball`);
    // Rename within the cache directory so a concurrent run never sees half a file.
    const partial = `${tarball}.partial-${process.pid}`;
    execFileSync('mv', [join(inner, found), partial]);
    renameSync(partial, tarball);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return tarball;
}

function readStamp(tree) {
  try {
    return JSON.parse(readFileSync(join(tree, STAMP), 'utf8'));
  } catch {
    return { all: false, parts: [] };
  }
}

/** The tarball's top directory, e.g. "linux-source-6.12". */
function topDirectory(tarball) {
  const listing = spawnSync('sh', ['-c', `tar -tf "$1" | head -n 1`, 'sh', tarball], { encoding: 'utf8' });
  const first = (listing.stdout || '').trim();
  const top = first.split('/')[0];
  if (!top) throw new Error(`cannot list ${tarball}`);
  return top;
}

/**
 * Returns the path of an unpacked kernel tree for `version` ("6.12", "6.1"), fetching and
 * extracting what is missing. `parts` is a list of top-level-relative paths, or 'all'.
 */
export async function ensureKernel(version, { parts = DEFAULT_PARTS } = {}) {
  if (!/^\d+\.\d+$/.test(version)) throw new Error(`kernel version must look like 6.12, got '${version}'`);
  const tree = join(cacheRoot(), `linux-${version}`);
  const stamp = readStamp(tree);
  if (stamp.all) return tree;
  const wanted = parts === 'all' ? 'all' : parts.filter((p) => !stamp.parts.includes(p));
  if (wanted !== 'all' && wanted.length === 0) return tree;

  const tarball = ensureTarball(version);
  mkdirSync(tree, { recursive: true });
  const top = topDirectory(tarball);
  const started = Date.now();
  if (wanted === 'all') {
    log(`extracting the whole tree into ${tree}`);
    run('tar', ['-xf', tarball, '-C', tree, '--strip-components=1']);
    writeFileSync(join(tree, STAMP), JSON.stringify({ all: true, parts: [] }));
  } else {
    log(`extracting ${wanted.join(' ')} into ${tree}`);
    // Members missing from an older tree are tolerated; tar still extracts the others.
    const members = wanted.map((p) => `${top}/${p}`);
    const result = spawnSync('tar', ['-xf', tarball, '-C', tree, '--strip-components=1', ...members], {
      encoding: 'utf8',
    });
    const missing = (result.stderr || '')
      .split('\n')
      .filter((l) => /Not found in archive/.test(l));
    if (result.status !== 0 && missing.length === 0) {
      throw new Error(`tar failed (exit ${result.status}): ${(result.stderr || '').trim()}`);
    }
    for (const m of missing) log(`not in this tree: ${m.replace(/^tar:\s*/, '')}`);
    writeFileSync(join(tree, STAMP), JSON.stringify({ all: false, parts: [...stamp.parts, ...wanted] }));
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tree;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const version = process.argv[2] ?? '6.12';
  const parts = process.argv.includes('--all') ? 'all' : DEFAULT_PARTS;
  ensureKernel(version, { parts }).then(
    (tree) => console.log(tree),
    (err) => {
      console.error(`kernel-source: ${err.message}`);
      process.exit(1);
    },
  );
}
