// The bundled sample (samples/mm/) through the real CLI: exactly the defects it was
// written to contain, marked in its source with `/* expect: rule */`, in every output
// format and for any --jobs; and the kernel CHECK= calling convention.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/engine/types';
import { expectedFindings, key, REPO, runCli, tempDir } from './helpers';

const SAMPLE_FILES = ['samples/mm/folio_isolate_sample.c', 'samples/mm/migrate_device_sample.c'];
const expected = expectedFindings(SAMPLE_FILES);

/** `file:line:col: severity: message [rule]` lines of the text output. */
const FINDING_LINE = /^(.+?):(\d+):(\d+): (error|warning|info|note): (.+) \[([a-z-]+)\]$/;
const NOTE_LINE = /^ {2}(.+?):(\d+): note: .+$/;

function textFindings(stdout: string): { file: string; line: number; rule: string }[] {
  return stdout
    .split('\n')
    .map((l) => FINDING_LINE.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[1], line: Number(m[2]), rule: m[6] }));
}

test('the sample marks the five defects it was designed with', () => {
  // Guards the test itself: a lost marker would silently shrink what is checked.
  assert.deepEqual(
    expected.map((e) => e.rule).sort(),
    ['double-lock', 'pte-map-unchecked', 'ref-leak', 'retry-with-lock-held', 'sleep-in-atomic'],
  );
});

test('text output: exactly the expected (file, line, rule) set, exit 1, with witness paths', () => {
  const run = runCli(['check', 'samples/']);
  assert.equal(run.status, 1, `exit status\n${run.stderr}`);
  const found = textFindings(run.stdout);
  assert.deepEqual(found.map(key).sort(), expected.map(key).sort(), run.stdout);

  // Every line is a finding or a witness note under one; every finding has a path.
  const lines = run.stdout.split('\n').filter((l) => l.length > 0);
  let notesSinceFinding = -1;
  for (const line of lines) {
    if (FINDING_LINE.test(line)) {
      assert.notEqual(notesSinceFinding, 0, `previous finding has no witness path:\n${run.stdout}`);
      notesSinceFinding = 0;
    } else {
      assert.match(line, NOTE_LINE, 'unexpected output line');
      assert.ok(notesSinceFinding >= 0, 'witness note before any finding');
      notesSinceFinding++;
    }
  }
  assert.ok(notesSinceFinding > 0, 'last finding has no witness path');
  assert.equal(run.stderr, '');
});

test('--no-paths prints the findings alone', () => {
  const run = runCli(['check', '--no-paths', 'samples/']);
  assert.equal(run.status, 1);
  const lines = run.stdout.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, expected.length);
  for (const line of lines) assert.match(line, FINDING_LINE);
});

test('--format json: documented shape, same findings, 1-based positions', () => {
  const run = runCli(['check', '--format', 'json', 'samples']);
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.formatVersion, 1);
  assert.equal(report.tool.name, 'folio-lens');
  assert.deepEqual(
    report.files.map((f: { path: string }) => f.path),
    SAMPLE_FILES,
  );
  for (const file of report.files) {
    assert.equal(file.status, 'analyzed');
    assert.ok(file.functions >= 4, `${file.path}: ${file.functions} functions`);
    assert.deepEqual(file.incompleteFunctions, []);
    assert.deepEqual(file.inputErrors, []);
    assert.match(file.kernelVersion, /^\d+\.\d+$/);
    assert.match(file.versionSource, /^default/, 'outside a kernel tree the newest contracts apply');
  }
  assert.deepEqual(report.findings.map(key).sort(), expected.map(key).sort());
  for (const f of report.findings) {
    assert.ok(ALL_RULES.includes(f.rule));
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
    assert.equal(typeof f.message, 'string');
    assert.ok(f.message.length > 0);
    assert.ok(Number.isInteger(f.column) && f.column >= 1);
    assert.ok(f.endLine >= f.line);
    assert.match(f.function, /^sample_[a-z_]+$/);
    assert.match(f.kernelVersion, /^\d+\.\d+$/);
    assert.ok(f.witness.length > 0, `${key(f)} has no witness`);
    for (const step of f.witness) {
      assert.ok(step.line >= 1 && step.column >= 1);
      assert.ok(['branch', 'event', 'call', 'assume', 'loop'].includes(step.kind));
      assert.ok(step.text.length > 0);
    }
  }
  assert.equal(report.summary.files, 2);
  assert.equal(report.summary.findings, expected.length);
  assert.equal(report.summary.crashed, 0);
});

test('--format sarif: SARIF 2.1.0 with every rule described and code flows for paths', () => {
  const run = runCli(['check', '--format', 'sarif', 'samples']);
  assert.equal(run.status, 1, run.stderr);
  const log = JSON.parse(run.stdout);
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const [sarifRun] = log.runs;
  const rules = sarifRun.tool.driver.rules;
  assert.deepEqual(rules.map((r: { id: string }) => r.id), [...ALL_RULES]);
  for (const rule of rules) {
    assert.ok(rule.shortDescription.text.length > 0);
    assert.ok(rule.fullDescription.text.length > 0);
  }
  const found = sarifRun.results.map(
    (r: { ruleId: string; ruleIndex: number; level: string; locations: any[]; codeFlows: any[] }) => {
      assert.equal(rules[r.ruleIndex].id, r.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(r.level));
      const loc = r.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      const steps = r.codeFlows[0].threadFlows[0].locations;
      assert.ok(steps.length > 0);
      for (const s of steps) {
        assert.ok(s.location.physicalLocation.region.startLine >= 1);
        assert.ok(s.location.message.text.length > 0);
      }
      return { file: loc.artifactLocation.uri, line: loc.region.startLine, rule: r.ruleId };
    },
  );
  assert.deepEqual(found.map(key).sort(), expected.map(key).sort());
  assert.equal(sarifRun.invocations[0].executionSuccessful, true);
  assert.ok(sarifRun.originalUriBaseIds['%SRCROOT%'].uri.startsWith('file://'));
});

test('--jobs 2 prints exactly what --jobs 1 prints, also when workers are replaced after every file', () => {
  // Six files, so that each worker has files left when it is replaced.
  const many = tempDir('jobs');
  for (let copy = 0; copy < 3; copy++) {
    for (const f of fs.readdirSync(path.join(REPO, 'samples', 'mm'))) fs.copyFileSync(path.join(REPO, 'samples', 'mm', f), path.join(many, `${copy}_${f}`));
  }
  for (const [format, dir, recycle] of [['text', 'samples', undefined], ['json', 'samples', undefined], ['json', many, '0']] as const) {
    const one = runCli(['check', '--format', format, '--jobs', '1', dir]);
    const two = runCli(['check', '--format', format, '--jobs', '2', dir], { env: recycle === undefined ? undefined : { FOLIO_LENS_WORKER_RECYCLE_MB: recycle } });
    assert.ok(JSON.stringify(one.stdout).length > 100, `${dir} gives output`);
    assert.equal(two.status, one.status);
    if (format === 'json') {
      // Timings differ between runs; everything else must not.
      const strip = (s: string) => {
        const r = JSON.parse(s);
        delete r.summary.millis;
        for (const f of r.files) delete f.millis;
        return r;
      };
      assert.deepEqual(strip(two.stdout), strip(one.stdout));
    } else {
      assert.equal(two.stdout, one.stdout);
    }
  }
});

test('--rules and --disable-rules select what is reported', () => {
  const only = runCli(['check', '--format', 'json', '--rules', 'double-lock,ref-leak', 'samples']);
  assert.equal(only.status, 1, only.stderr);
  const onlyRules = JSON.parse(only.stdout).findings.map((f: { rule: string }) => f.rule).sort();
  assert.deepEqual(onlyRules, ['double-lock', 'ref-leak']);

  const without = runCli(['check', '--format', 'json', '--disable-rules', 'double-lock,ref-leak', 'samples']);
  const withoutKeys = JSON.parse(without.stdout).findings.map(key).sort();
  assert.deepEqual(
    withoutKeys,
    expected.filter((e) => e.rule !== 'double-lock' && e.rule !== 'ref-leak').map(key).sort(),
  );
});

test('--summary counts files, functions and findings per rule', () => {
  const run = runCli(['check', '--summary', '--no-paths', 'samples']);
  assert.equal(run.status, 1);
  assert.match(run.stdout, /^files: 2 \(analysed 2, skipped 0, unreadable 0, crashed 0\)$/m);
  assert.match(run.stdout, /^functions: \d+ \(incomplete 0\)$/m);
  assert.match(run.stdout, new RegExp(`^findings: ${expected.length}$`, 'm'));
  for (const rule of new Set(expected.map((e) => e.rule))) {
    const n = expected.filter((e) => e.rule === rule).length;
    assert.match(run.stdout, new RegExp(`^  ${rule}: ${n}$`, 'm'));
  }
  assert.match(run.stdout, /^time: \d+\.\d\d s$/m);
});

test('kernel CHECK= invocation: compiler flags ignored, last argument checked, exit 0 like sparse', () => {
  // The shape of scripts/Makefile.build's cmd_checksrc: $(CHECK) $(CHECKFLAGS) $(c_flags) $<
  const file = 'samples/mm/migrate_device_sample.c';
  const args = [
    '-D__linux__', '-Dlinux', '-D__STDC__', '-Dunix', '-D__unix__', '-Wbitwise', '-Wno-return-void',
    '-Wno-unknown-attribute', '--arch=x86', '-mlittle-endian', '-m64',
    '-Wp,-MMD,mm/.migrate_device.o.d', '-nostdinc', '-I./arch/x86/include', '-I', './include',
    '-isystem', '/usr/lib/gcc/x86_64-linux-gnu/12/include',
    '-include', './include/linux/kconfig.h', '-D__KERNEL__', '-std=gnu11', '-fno-strict-aliasing',
    '-O2', '-g', '-DKBUILD_MODFILE="mm/migrate_device"', '-DKBUILD_BASENAME="migrate_device"',
    '-c', '-o', 'mm/migrate_device.o', file,
  ];
  const run = runCli(args);
  assert.equal(run.status, 0, run.stderr);
  const found = textFindings(run.stdout);
  assert.deepEqual(
    found.map(key).sort(),
    expected.filter((e) => e.file === file).map(key).sort(),
  );
  // `check` may still be given (CHECK="folio-lens check"), and our own options apply.
  const json = runCli(['check', '--format', 'json', ...args.slice(0, 4), 'samples/mm/folio_isolate_sample.c', file]);
  assert.equal(json.status, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout).files.map((f: { path: string }) => f.path), [file]);
});

test('a file inside a kernel tree is read with that tree\'s version', () => {
  // The version comes from the top-level Makefile of the tree the file is in.
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-lens-tree-'));
  try {
    fs.writeFileSync(path.join(tree, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n');
    fs.writeFileSync(path.join(tree, 'Kconfig'), 'mainmenu "test"\n');
    fs.mkdirSync(path.join(tree, 'mm'));
    fs.copyFileSync(path.join(REPO, 'samples/mm/folio_isolate_sample.c'), path.join(tree, 'mm', 'f.c'));
    const run = runCli(['check', '--format', 'json', path.join(tree, 'mm')]);
    const report = JSON.parse(run.stdout);
    assert.equal(report.files[0].kernelVersion, '6.1');
    assert.ok(report.files[0].versionSource.includes(path.join(tree, 'Makefile')), report.files[0].versionSource);
    const forced = JSON.parse(runCli(['check', '--format', 'json', '--kernel-version', '6.12', tree]).stdout);
    assert.equal(forced.files[0].kernelVersion, '6.12');
    assert.equal(forced.files[0].versionSource, 'option');
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
});
