// Reading test inputs: the fixtures' expected findings and the marker lines the
// protocol tests aim hovers and edits at.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/engine/types';
import { ROOT } from './lspTestClient';

export const SHARED_FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const PROTOCOL_FIXTURES = path.join(__dirname, 'fixtures');
export const LOCK_STATES = path.join(PROTOCOL_FIXTURES, 'lock_states.c');

/** `*.c` files under a directory, recursively, sorted. */
export function cFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.c')) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

const MARKER = /\bexpect:?\s+([a-z][a-z-]*(?:[\s,]+[a-z][a-z-]*)*)/gi;

/**
 * The findings a fixture expects, as sorted "rule@line" strings (0-based lines):
 * every rule id named after `expect` (`// expect: double-lock` or
 * `/* EXPECT double-lock *\/`) on a line is expected on that line.
 */
export function expectedFindings(text: string): string[] {
  const rules = new Set<string>(ALL_RULES);
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(MARKER)) {
      for (const word of match[1]!.split(/[\s,]+/)) {
        if (rules.has(word)) out.push(`${word}@${i}`);
      }
    }
  });
  return out.sort();
}

/** The 0-based line holding `@name`. */
export function markerLine(text: string, name: string): number {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes(`@${name} `) || l.includes(`@${name}*`));
  if (index < 0) throw new Error(`marker @${name} not found`);
  return index;
}
