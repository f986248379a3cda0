// Turns the PATH arguments into the ordered list of files to check.
// Directories are searched recursively for *.c, in sorted order so output is stable;
// symlinked directories and .git are skipped (a kernel tree may link into itself).

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CollectedInputs {
  files: string[];
  /** One clear sentence per PATH that cannot be used (a usage error). */
  errors: string[];
}

const SKIPPED_DIRECTORIES = new Set(['.git']);

function walkDirectory(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable subdirectory holds nothing we can check
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walkDirectory(full, out);
    } else if (entry.name.endsWith('.c')) {
      if (entry.isFile()) out.push(full);
      else if (entry.isSymbolicLink() && isRegularFile(full)) out.push(full);
    }
  }
}

function isRegularFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Expands files and directories; a file given by name is checked whatever its extension. */
export function collectInputs(paths: readonly string[]): CollectedInputs {
  const files: string[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = path.resolve(file);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(file);
    }
  };

  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push(
        code === 'ENOENT' || code === 'ENOTDIR'
          ? `${given}: no such file or directory`
          : `${given}: cannot access (${code ?? String(err)})`,
      );
      continue;
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      walkDirectory(given, found);
      if (found.length === 0) errors.push(`${given}: directory contains no .c files`);
      found.forEach(add);
    } else {
      add(given);
    }
  }
  return { files, errors };
}
