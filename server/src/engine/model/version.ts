// Kernel versions: parsing, comparison against a contract's VersionRange, and
// detection of the version of the tree a file lives in (from the top-level
// Makefile's VERSION / PATCHLEVEL lines).

import * as fs from 'node:fs';
import { isDirectory, isFile } from './fsCheck';
import * as path from 'node:path';
import type { KernelVersion } from '../types';
import type { VersionRange } from './types';

/** The newest kernel whose contracts the table knows; used for files outside any tree. */
export const NEWEST_KERNEL: KernelVersion = Object.freeze({ major: 7, minor: 0 });

const VERSION_TEXT = /^v?(\d{1,3})\.(\d{1,3})(?:\.\d{1,4})?(?:[-+~][0-9A-Za-z.+~_-]*)?$/;

/** Accepts "6.12", "6.12.3", "v6.1", "6.12.0-rc2", "6.1.0-23-amd64". */
export function parseKernelVersion(s: string): KernelVersion | undefined {
  const m = VERSION_TEXT.exec(s.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function formatKernelVersion(v: KernelVersion): string {
  return `${v.major}.${v.minor}`;
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareKernelVersions(a: KernelVersion, b: KernelVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/**
 * True when `from <= v < until`. A missing range or bound is open. A bound that does not
 * parse is treated as open too: the validator rejects such tables before they get here.
 */
export function versionInRange(v: KernelVersion, range?: VersionRange): boolean {
  if (!range) return true;
  const from = range.from === undefined ? undefined : parseKernelVersion(range.from);
  const until = range.until === undefined ? undefined : parseKernelVersion(range.until);
  if (from && compareKernelVersions(v, from) < 0) return false;
  if (until && compareKernelVersions(v, until) >= 0) return false;
  return true;
}

export interface DetectedVersion {
  version: KernelVersion;
  /** The Makefile the version was read from. */
  source: string;
}

// Per-directory cache: every directory visited on a walk records the answer for that
// directory, so files in the same tree cost one stat per directory the first time only.
const detectCache = new Map<string, DetectedVersion | null>();

/** Forget cached detections (tests, or after the user edits a Makefile). */
export function clearKernelVersionCache(): void {
  detectCache.clear();
}

/** How many lines from the top of a Makefile VERSION/PATCHLEVEL may appear. */
const HEADER_LINES = 20;

function readMakefileHeader(makefile: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(makefile, 'r');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split('\n').slice(0, HEADER_LINES).join('\n');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}



/**
 * The version of the kernel tree whose top-level Makefile is in `dir`, if it is one.
 * A top-level kernel Makefile has `VERSION = N` and `PATCHLEVEL = M` near its top; other
 * projects' Makefiles sometimes have a VERSION line too, so a sibling `Kbuild`, `Kconfig`
 * or `kernel/` directory is also required.
 */
function kernelTreeVersionAt(dir: string): DetectedVersion | undefined {
  const makefile = path.join(dir, 'Makefile');
  if (!isFile(makefile)) return undefined;
  const looksLikeKernelRoot =
    isFile(path.join(dir, 'Kbuild')) || isFile(path.join(dir, 'Kconfig')) || isDirectory(path.join(dir, 'kernel'));
  if (!looksLikeKernelRoot) return undefined;
  const header = readMakefileHeader(makefile);
  if (header === undefined) return undefined;
  const major = /^VERSION\s*=\s*(\d+)\s*$/m.exec(header);
  const minor = /^PATCHLEVEL\s*=\s*(\d+)\s*$/m.exec(header);
  if (!major || !minor) return undefined;
  return { version: { major: Number(major[1]), minor: Number(minor[1]) }, source: makefile };
}

/**
 * Walks up from the file's directory (or from the path itself when it is a directory) to
 * the first directory holding a top-level kernel Makefile. Undefined outside any tree.
 */
export function detectKernelVersion(filePath: string): DetectedVersion | undefined {
  const resolved = path.resolve(filePath);
  let dir = isDirectory(resolved) ? resolved : path.dirname(resolved);
  const visited: string[] = [];
  let found: DetectedVersion | null = null;
  for (;;) {
    const cached = detectCache.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    const here = kernelTreeVersionAt(dir);
    if (here) {
      found = here;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of visited) detectCache.set(d, found);
  return found ?? undefined;
}
