// Seed texts the fuzzer mutates: real mm/ files of linux-6.12 when the kernel tree is in
// the cache (scripts/kernel-source.mjs puts it there), otherwise the project's own
// kernel-style fixtures. Seeds are read, never copied into the repository.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** mm/ files rich in the locking the engine tracks; a few are enough for mutation. */
export const KERNEL_SEED_FILES = ['migrate_device.c', 'rmap.c', 'gup.c', 'mlock.c', 'khugepaged.c', 'madvise.c'];

export interface Seed {
  name: string;
  text: string;
}

/** Where kernel-source.mjs caches linux-M.m (kept in step with its cacheRoot()). */
export function cachedKernelTree(version: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'folio-lens', `linux-${version}`);
}

function readSeeds(dir: string, names: readonly string[]): Seed[] {
  const seeds: Seed[] = [];
  for (const name of names) {
    try {
      seeds.push({ name: path.join(path.basename(dir), name), text: fs.readFileSync(path.join(dir, name), 'utf8') });
    } catch {
      // A file missing from this tree: the others still make a corpus.
    }
  }
  return seeds;
}

/** The fixtures, sorted, as a fallback corpus. */
export function fixtureSeeds(): Seed[] {
  const names = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.c'))
    .sort();
  return readSeeds(FIXTURES, names);
}

/**
 * Kernel mm/ files from `tree` (or the cached 6.12 tree) when present; fixtures otherwise.
 * `origin` says which, so a run can print what it fuzzed.
 */
export function loadSeeds(tree?: string): { origin: string; seeds: Seed[] } {
  const mm = path.join(tree ?? cachedKernelTree('6.12'), 'mm');
  const kernel = fs.existsSync(mm) ? readSeeds(mm, KERNEL_SEED_FILES) : [];
  if (kernel.length > 0) return { origin: `kernel ${mm}`, seeds: kernel };
  return { origin: `fixtures ${FIXTURES}`, seeds: fixtureSeeds() };
}
