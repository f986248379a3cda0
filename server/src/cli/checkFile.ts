// Checks one file: screens the input (unreadable, too large, binary), picks the kernel
// version, runs the engine, and turns any exception into a report instead of a crash.
// Used in-process for --jobs 1 and inside each worker thread otherwise, so both give
// the same reports.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeText, type AnalyzeOptions, type DocumentAnalysis } from '../engine';
import { compareFindings, emptyReport, type FileCheckSettings, type FileReport } from './report';

/** How much of the start of a file is searched for NUL bytes to call it binary. */
const BINARY_PROBE_BYTES = 8192;

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    // The first stack frame says where in the engine it broke, for a bug report.
    const frame = err.stack?.split('\n').find((l) => l.trim().startsWith('at '));
    return `${err.name}: ${err.message}${frame ? ` (${frame.trim()})` : ''}`;
  }
  return String(err);
}

/** Reads and screens a file; returns its text or the report saying why it is not analysed. */
function readInput(file: string, maxBytes: number): { text: string } | { report: FileReport } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { report: emptyReport(file, 'unreadable', `cannot read file (${code})`) };
  }
  if (!stat.isFile()) return { report: emptyReport(file, 'unreadable', 'not a regular file') };
  if (stat.size > maxBytes) {
    return {
      report: emptyReport(file, 'skipped', `file too large (${stat.size} bytes, limit ${maxBytes}; see --max-bytes)`),
    };
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { report: emptyReport(file, 'unreadable', `cannot read file (${code})`) };
  }
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
    return { report: emptyReport(file, 'skipped', 'binary file') };
  }
  return { text: bytes.toString('utf8') };
}

export async function checkFile(file: string, settings: FileCheckSettings): Promise<FileReport> {
  const started = performance.now();
  const input = readInput(file, settings.maxBytes);
  if ('report' in input) {
    input.report.millis = elapsed(started);
    return input.report;
  }

  const report = emptyReport(file, 'analyzed');
  try {
    // Without --kernel-version the engine reads the version of the tree the file is in.
    const options: AnalyzeOptions = { detail: 'findings' };
    if (settings.kernelVersion) options.kernelVersion = settings.kernelVersion;
    if (settings.extraContracts) options.extraContracts = settings.extraContracts;
    if (settings.rules) options.rules = settings.rules;
    if (settings.budget !== undefined) options.budget = { maxStateVisits: settings.budget };

    const result: DocumentAnalysis = await analyzeText(pathToFileURL(path.resolve(file)).href, input.text, options);
    report.kernelVersion = result.kernelVersion;
    report.versionSource = result.versionSource;
    report.functions = result.functions.length;
    report.incompleteFunctions = result.functions
      .filter((f) => !f.complete)
      .map((f) => ({ name: f.name, reason: f.incompleteReason ?? 'unknown' }));
    report.findings = [...result.findings].sort(compareFindings);
    report.inputErrors = result.inputErrors;
    report.parseMillis = result.parseMillis;
    report.simulateMillis = result.simulateMillis;
  } catch (err) {
    const crashed = emptyReport(file, 'crashed', `engine error: ${describeError(err)}`);
    crashed.millis = elapsed(started);
    return crashed;
  }
  report.millis = elapsed(started);
  return report;
}
