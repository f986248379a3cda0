// Argument parsing on its own: the two calling conventions (check, and the kernel's
// CHECK= program) and the rule selection arithmetic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCompilerFlag, parseArgs, DEFAULT_MAX_BYTES } from '../../server/src/cli/options';

function options(argv: string[]) {
  const parsed = parseArgs(argv);
  assert.equal(parsed.kind, 'run', JSON.stringify(parsed));
  return (parsed as Extract<typeof parsed, { kind: 'run' }>).options;
}

test('check mode defaults', () => {
  assert.deepEqual(options(['check', 'mm/']), {
    paths: ['mm/'],
    format: 'text',
    jobs: 1,
    summary: false,
    showPaths: true,
    maxBytes: DEFAULT_MAX_BYTES,
    kernelCheckMode: false,
  });
});

test('values in both --opt value and --opt=value form', () => {
  const o = options(['check', '--format=sarif', '--jobs', '3', '--budget=500', '--kernel-version', '6.1', '--contracts=x.json', 'a.c', 'b']);
  assert.equal(o.format, 'sarif');
  assert.equal(o.jobs, 3);
  assert.equal(o.budget, 500);
  assert.equal(o.kernelVersion, '6.1');
  assert.equal(o.contractsFile, 'x.json');
  assert.deepEqual(o.paths, ['a.c', 'b']);
});

test('--rules and --disable-rules combine; an empty result is an error', () => {
  assert.deepEqual(options(['check', '--rules', 'double-lock,lock-leak', '--disable-rules', 'lock-leak', 'f.c']).rules, ['double-lock']);
  const all = options(['check', '--disable-rules', 'analysis-incomplete', 'f.c']).rules ?? [];
  assert.equal(all.includes('analysis-incomplete'), false);
  assert.equal(all.includes('double-lock'), true);
  const none = parseArgs(['check', '--rules', 'ref-leak', '--disable-rules', 'ref-leak', 'f.c']);
  assert.deepEqual(none, { kind: 'usage-error', message: '--rules and --disable-rules leave no rule to run' });
});

test('flags that take no value reject one', () => {
  assert.deepEqual(parseArgs(['check', '--summary=yes', 'f.c']), { kind: 'usage-error', message: '--summary takes no value' });
});

test('-- ends options', () => {
  assert.deepEqual(options(['check', '--', '--weird-name.c']).paths, ['--weird-name.c']);
});

test('compiler flags are recognised the way kbuild passes them', () => {
  for (const flag of ['-D__KERNEL__', '-I./include', '-Wall', '-Wp,-MMD,mm/.x.o.d', '-fno-common', '-m64', '-std=gnu11',
    '-nostdinc', '-isystem', '-include', '--arch=x86', '-O2', '-g', '-pg', '-c', '-o', '--param=allow-store-data-races=0']) {
    assert.equal(isCompilerFlag(flag), true, flag);
  }
  for (const ours of ['--format', '--jobs', '--summary', '--no-paths', '-h', 'mm/x.c']) {
    assert.equal(isCompilerFlag(ours), false, ours);
  }
});

test('CHECK= mode: flags and their separate values are skipped, the last argument is the file', () => {
  const o = options(['-D__linux__', '-isystem', '/usr/lib/gcc/include', '-include', 'include/linux/kconfig.h',
    '-I', 'include', '-o', 'mm/x.o', '--format', 'json', 'mm/x.c']);
  assert.equal(o.kernelCheckMode, true);
  assert.equal(o.format, 'json');
  assert.deepEqual(o.paths, ['mm/x.c']);
});

test('the check subcommand is optional in CHECK= mode', () => {
  const o = options(['check', '-Dfoo', '-I', 'include', 'first.c', 'mm/x.c']);
  assert.equal(o.kernelCheckMode, true);
  assert.deepEqual(o.paths, ['mm/x.c']);
});

test('unknown options are errors outside CHECK= mode', () => {
  assert.deepEqual(parseArgs(['check', '--fast', 'f.c']), {
    kind: 'usage-error',
    message: "unknown option '--fast' (see folio-lens --help)",
  });
});
