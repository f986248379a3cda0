// Runs the bundled CLI (dist/cli.js, built by `npm test` before the tests) as a child
// process, the way users and the kernel's Makefile run it.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
/** The CLI under test: the build in dist/, or another build named by FOLIO_LENS_CLI. */
export const CLI = process.env.FOLIO_LENS_CLI ?? path.join(REPO, 'dist', 'cli.js');
export const SAMPLES = path.join(REPO, 'samples');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it)`);
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO,
    encoding: 'utf8',
    input: options.input,
    maxBuffer: 64 * 1024 * 1024,
    env: options.env ? { ...process.env, ...options.env } : process.env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary directory, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `folio-lens-${prefix}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface ExpectedFinding {
  file: string;
  line: number;
  rule: string;
}

const MARKER = /\/\*\s*expect:\s*([a-z-]+)\s*\*\//g;

/**
 * The findings a sample was written to produce: every `/* expect: rule *\/` comment marks
 * one finding of that rule on its own line (1-based). `file` is relative to the repo.
 */
export function expectedFindings(files: string[]): ExpectedFinding[] {
  const out: ExpectedFinding[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(REPO, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const m of text.matchAll(MARKER)) out.push({ file, line: i + 1, rule: m[1] });
    });
  }
  return out;
}

export function key(f: { file: string; line: number; rule: string }): string {
  return `${f.file}:${f.line}:${f.rule}`;
}
