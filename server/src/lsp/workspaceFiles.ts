// Finding the C files of a workspace folder: a bounded walk that skips the
// excluded globs (matched against the path relative to the folder, with `/`
// separators), version-control and dependency folders, and symbolic links.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** `**` any depth, `*` within one segment, `?` one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export function makeExcluder(globs: string[]): (relative: string, isDirectory: boolean) => boolean {
  const patterns = globs.map(globToRegExp);
  return (relative, isDirectory) =>
    // A directory is excluded when a pattern matches it or anything under it (`arch/**` matches `arch/`).
    patterns.some((p) => p.test(relative) || (isDirectory && (p.test(`${relative}/`) || p.test(`${relative}/x`))));
}

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface WalkResult {
  files: string[];
  /** C files seen beyond the limit. */
  overLimit: number;
}

/** Lists `*.c` files under `root`, breadth-first, at most `maxFiles`; stops early when `cancelled()`. */
export async function listCFiles(
  root: string,
  exclude: string[],
  maxFiles: number,
  cancelled: () => boolean,
): Promise<WalkResult> {
  const excluded = makeExcluder(exclude);
  const files: string[] = [];
  let overLimit = 0;
  const queue: string[] = [''];
  while (queue.length > 0 && !cancelled()) {
    const relDir = queue.shift()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(path.join(root, relDir), { withFileTypes: true });
    } catch {
      continue; // unreadable or deleted meanwhile
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(entry.name) && !excluded(rel, true)) queue.push(rel);
      } else if (entry.isFile() && entry.name.endsWith('.c') && !excluded(rel, false)) {
        if (files.length < maxFiles) files.push(path.join(root, rel));
        else overLimit++;
      }
    }
  }
  return { files, overLimit };
}
