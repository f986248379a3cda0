// Command-line parsing for `folio-lens`. Two modes:
//
//  - check mode: `folio-lens check [options] PATH...` (the `check` word may be left out);
//  - kernel CHECK= mode: the kernel's Makefile runs `$(CHECK) $(CHECKFLAGS) $(c_flags) file.c`
//    (scripts/Makefile.build, cmd_checksrc), so when compiler-style flags are present they are
//    ignored and the last argument is the one file to check.
//
// Parsing is pure (no file system access) so it can be tested on its own.

import { ALL_RULES, type RuleId } from '../engine/types';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CliOptions {
  paths: string[];
  format: OutputFormat;
  /** Raw `--kernel-version` text (validated by the caller with the engine's parser). */
  kernelVersion?: string;
  contractsFile?: string;
  /** Rules to run after --rules / --disable-rules; undefined = every rule. */
  rules?: RuleId[];
  /** State visits per function (--budget). */
  budget?: number;
  jobs: number;
  summary: boolean;
  showPaths: boolean;
  maxBytes: number;
  /** True when invoked the way the kernel's `make C=1 CHECK=...` invokes a checker. */
  kernelCheckMode: boolean;
}

export type ParsedCommand =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string };

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

export const USAGE = `Usage: folio-lens check [options] PATH...
       folio-lens [compiler flags...] FILE.c      (as the kernel's CHECK= program)

Checks Linux kernel C files for folio lock, folio reference and page-table lock
defects by simulating each function path by path. PATH may be a file or a
directory (searched recursively for *.c; symlinked directories and .git skipped).

Options:
  --format text|json|sarif   output format (default: text, gcc-style)
  --no-paths                 text format: omit the witness path notes
  --kernel-version M.m       contracts of this kernel version (default: from the
                             tree's top-level Makefile, else the newest known)
  --contracts FILE           extra contract JSON file (validated, never executed)
  --rules a,b,...            run only these rules
  --disable-rules a,b,...    run every rule except these
  --budget N                 state visits per function before giving up
  --jobs N                   analyse with N worker threads (default 1)
  --max-bytes N              skip files larger than N bytes (default ${DEFAULT_MAX_BYTES})
  --summary                  print per-rule counts, files, functions, time
  -h, --help                 show this help
  --version                  print the version

Exit status: 0 no findings, 1 findings, 2 usage error or a file that could not be
read or analysed. In CHECK= mode findings do not change the exit status (as with
sparse), so a kernel build goes on.

Rules: ${ALL_RULES.join(', ')}`;

/** Options that take a value, in `--opt value` or `--opt=value` form. */
const VALUE_OPTIONS = new Set([
  '--format',
  '--kernel-version',
  '--contracts',
  '--rules',
  '--disable-rules',
  '--budget',
  '--jobs',
  '--max-bytes',
]);
const FLAG_OPTIONS = new Set(['--summary', '--no-paths', '--help', '-h', '--version']);

/** Compiler flags that take their value as the next argument (gcc spelling). */
const COMPILER_FLAGS_WITH_VALUE = new Set([
  '-isystem',
  '-include',
  '-imacros',
  '-iquote',
  '-idirafter',
  '-iprefix',
  '-MF',
  '-MT',
  '-MQ',
  '-o',
  '-x',
  '-D',
  '-U',
  '-I',
  '--param',
]);

/** Does this argument look like a flag a compiler (or sparse's CHECKFLAGS) would get? */
export function isCompilerFlag(arg: string): boolean {
  if (COMPILER_FLAGS_WITH_VALUE.has(arg)) return true;
  if (/^--(arch|param)(=|$)/.test(arg)) return true;
  if (/^-(std=|nostdinc|nostdlib|isystem|include|imacros|iquote|idirafter)/.test(arg)) return true;
  // -DFOO -UFOO -I dir -Wall -Wp,-MMD -fno-... -m64 -O2 -g -pg -MD -c -E -p...
  return /^-[DUIWfmOgMpcE]/.test(arg) && !arg.startsWith('--');
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseRuleList(value: string, option: string): RuleId[] | string {
  const names = splitList(value);
  if (names.length === 0) return `${option} needs a comma-separated list of rule ids`;
  const unknown = names.filter((n) => !(ALL_RULES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    return `${option}: unknown rule ${unknown.map((u) => `'${u}'`).join(', ')} (known: ${ALL_RULES.join(', ')})`;
  }
  return names as RuleId[];
}

function parsePositiveInt(value: string, option: string): number | string {
  if (!/^\d+$/.test(value)) return `${option} needs a positive integer, got '${value}'`;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) return `${option} needs a positive integer, got '${value}'`;
  return n;
}

/** Parses argv (without node and the script). */
export function parseArgs(argv: readonly string[]): ParsedCommand {
  const args = argv[0] === 'check' ? argv.slice(1) : [...argv];
  // `check` is optional in CHECK= mode: CHECK="folio-lens check" works as well.
  const kernelCheckMode = args.some(isCompilerFlag);

  const options: CliOptions = {
    paths: [],
    format: 'text',
    jobs: 1,
    summary: false,
    showPaths: true,
    maxBytes: DEFAULT_MAX_BYTES,
    kernelCheckMode,
  };
  let onlyRules: RuleId[] | undefined;
  let disabledRules: RuleId[] = [];
  let wantsHelp = false;
  let wantsVersion = false;
  let endOfOptions = false;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (endOfOptions || !arg.startsWith('-') || arg === '-') {
      options.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      endOfOptions = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;

    if (FLAG_OPTIONS.has(name)) {
      if (name !== arg) return { kind: 'usage-error', message: `${name} takes no value` };
      if (name === '--summary') options.summary = true;
      else if (name === '--no-paths') options.showPaths = false;
      else if (name === '--version') wantsVersion = true;
      else wantsHelp = true;
      continue;
    }

    if (VALUE_OPTIONS.has(name)) {
      let value: string;
      if (name !== arg) value = arg.slice(eq + 1);
      else if (i + 1 < args.length) value = args[++i];
      else return { kind: 'usage-error', message: `${name} needs a value` };

      switch (name) {
        case '--format':
          if (value !== 'text' && value !== 'json' && value !== 'sarif') {
            return { kind: 'usage-error', message: `--format must be text, json or sarif, got '${value}'` };
          }
          options.format = value;
          break;
        case '--kernel-version':
          options.kernelVersion = value;
          break;
        case '--contracts':
          options.contractsFile = value;
          break;
        case '--rules': {
          const r = parseRuleList(value, name);
          if (typeof r === 'string') return { kind: 'usage-error', message: r };
          onlyRules = r;
          break;
        }
        case '--disable-rules': {
          const r = parseRuleList(value, name);
          if (typeof r === 'string') return { kind: 'usage-error', message: r };
          disabledRules = r;
          break;
        }
        case '--budget':
        case '--jobs':
        case '--max-bytes': {
          const n = parsePositiveInt(value, name);
          if (typeof n === 'string') return { kind: 'usage-error', message: n };
          if (name === '--budget') options.budget = n;
          else if (name === '--jobs') options.jobs = n;
          else options.maxBytes = n;
          break;
        }
      }
      continue;
    }

    if (kernelCheckMode) {
      // A compiler flag from CHECKFLAGS / c_flags: ignored, with its separate value if any.
      if (COMPILER_FLAGS_WITH_VALUE.has(arg)) i++;
      continue;
    }
    return { kind: 'usage-error', message: `unknown option '${arg}' (see folio-lens --help)` };
  }

  if (wantsHelp) return { kind: 'help' };
  if (wantsVersion) return { kind: 'version' };

  if (kernelCheckMode) {
    // The kernel passes the source file last; anything else positional is not ours to check.
    const last = options.paths[options.paths.length - 1];
    options.paths = last === undefined ? [] : [last];
  }
  if (options.paths.length === 0) {
    return { kind: 'usage-error', message: 'no files or directories to check (see folio-lens --help)' };
  }

  if (onlyRules || disabledRules.length > 0) {
    const base = onlyRules ?? [...ALL_RULES];
    options.rules = base.filter((r) => !disabledRules.includes(r));
    if (options.rules.length === 0) {
      return { kind: 'usage-error', message: '--rules and --disable-rules leave no rule to run' };
    }
  }
  return { kind: 'run', options };
}
