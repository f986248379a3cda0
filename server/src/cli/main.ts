// `folio-lens`: the command-line face of the engine. Parses arguments, collects files,
// runs the engine on them (in this thread or on workers) and prints text, JSON or SARIF.
// No analysis happens here.

import * as v8 from 'node:v8';
import { parseKernelVersion, type KernelVersion } from '../engine';
import { loadExtraContracts } from './contracts';
import { formatFileText } from './format/text';
import { buildJsonReport } from './format/json';
import { buildSarifLog } from './format/sarif';
import { collectInputs } from './inputs';
import { parseArgs, USAGE, type CliOptions } from './options';
import { checkFiles } from './pool';
import type { FileCheckSettings, FileReport } from './report';
import { formatSummary, summarize } from './summary';
import packageJson from '../../../package.json';

const TOOL = { name: 'folio-lens', version: packageJson.version };

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

function usageError(message: string): number {
  process.stderr.write(`folio-lens: ${message}\n`);
  return EXIT_ERROR;
}

/** One line on stderr for each file that was not analysed or had input problems. */
function fileMessages(report: FileReport): string[] {
  if (report.status !== 'analyzed') return [`${report.path}: ${report.status}: ${report.reason ?? 'unknown reason'}`];
  return report.inputErrors.map((e) => `${report.path}: input error: ${e}`);
}

async function run(options: CliOptions): Promise<number> {
  const started = performance.now();

  let kernelVersion: KernelVersion | undefined;
  if (options.kernelVersion !== undefined) {
    kernelVersion = parseKernelVersion(options.kernelVersion) ?? undefined;
    if (!kernelVersion) {
      return usageError(`--kernel-version must look like MAJOR.MINOR (e.g. 6.12), got '${options.kernelVersion}'`);
    }
  }

  let extraContracts: unknown[] | undefined;
  if (options.contractsFile !== undefined) {
    const loaded = loadExtraContracts(options.contractsFile);
    if (!loaded.ok) {
      process.stderr.write(`folio-lens: invalid contract file ${options.contractsFile}:\n`);
      for (const e of loaded.errors) process.stderr.write(`  ${e}\n`);
      return EXIT_ERROR;
    }
    extraContracts = loaded.tables;
  }

  const inputs = collectInputs(options.paths);
  if (inputs.errors.length > 0) {
    for (const e of inputs.errors) process.stderr.write(`folio-lens: ${e}\n`);
    return EXIT_ERROR;
  }

  const settings: FileCheckSettings = { maxBytes: options.maxBytes };
  if (kernelVersion) settings.kernelVersion = kernelVersion;
  if (extraContracts) settings.extraContracts = extraContracts;
  if (options.rules) settings.rules = options.rules;
  if (options.budget !== undefined) settings.budget = options.budget;

  const reports = await checkFiles(inputs.files, settings, options.jobs, (report) => {
    for (const line of fileMessages(report)) process.stderr.write(`${line}\n`);
    if (options.format === 'text') {
      const text = formatFileText(report, options.showPaths);
      if (text) process.stdout.write(`${text}\n`);
    }
  });

  const summary = summarize(reports, performance.now() - started);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(buildJsonReport(reports, summary, TOOL), null, 2)}\n`);
  } else if (options.format === 'sarif') {
    process.stdout.write(`${JSON.stringify(buildSarifLog(reports, TOOL), null, 2)}\n`);
  }
  if (options.summary) {
    // Machine-readable formats keep stdout to themselves.
    const out = options.format === 'text' ? process.stdout : process.stderr;
    out.write(`${formatSummary(summary)}\n`);
  }

  if (summary.crashed > 0 || summary.unreadable > 0) return EXIT_ERROR;
  if (summary.findings > 0 && !options.kernelCheckMode) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return EXIT_CLEAN;
    case 'version':
      process.stdout.write(`${TOOL.name} ${TOOL.version}\n`);
      return EXIT_CLEAN;
    case 'usage-error':
      return usageError(parsed.message);
    case 'run':
      return run(parsed.options);
  }
}

/**
 * A check is a short run, mostly spent before the optimising compiler has settled: in a
 * cold process (and in each worker thread) TurboFan compiled the simulator's hot functions
 * with deep inlining, deoptimised them as new object shapes turned up and compiled them
 * again, which cost as much CPU as the analysis itself. Without inlining each compilation
 * is small; on linux-6.12 mm/ the whole check then takes about a fifth less CPU (--jobs 2:
 * 16.0 s to 12.3 s of user time, --jobs 1: 10.6 s to 9.2 s). Set before anything is
 * compiled hot, for this process and the worker threads it starts (V8's flags are per
 * process); only when run as the program, not when main() is called as a library.
 */
function tuneCompilerForShortRuns(): void {
  v8.setFlagsFromString('--no-turbo-inlining');
}

if (require.main === module) {
  tuneCompilerForShortRuns();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`folio-lens: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
