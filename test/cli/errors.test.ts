// Every failure a user can cause gives one clear message and the documented exit status:
// usage errors exit 2; binary, huge and unreadable files are reported per file and the
// run goes on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli, tempDir } from './helpers';

const CLEAN_C = `#include <linux/mm.h>

static void sample_touch(struct folio *folio)
{
\tfolio_lock(folio);
\tfolio_mark_dirty(folio);
\tfolio_unlock(folio);
}
`;

/** Exactly one non-empty line on stderr, matching `pattern`; nothing on stdout. */
function assertUsageError(args: string[], pattern: RegExp): void {
  const run = runCli(args);
  assert.equal(run.status, 2, `${args.join(' ')}: exit ${run.status}\n${run.stderr}`);
  const lines = run.stderr.split('\n').filter((l) => l.length > 0);
  assert.equal(lines.length, 1, `one message expected, got:\n${run.stderr}`);
  assert.match(lines[0], pattern);
  assert.equal(run.stdout, '');
}

test('usage errors exit 2 with one clear message', () => {
  assertUsageError(['check'], /^folio-lens: no files or directories to check/);
  assertUsageError([], /^folio-lens: no files or directories to check/);
  assertUsageError(['check', '--frobnicate', 'samples'], /^folio-lens: unknown option '--frobnicate'/);
  assertUsageError(['check', 'no/such/path.c'], /^folio-lens: no\/such\/path\.c: no such file or directory$/);
  assertUsageError(['check', '--format', 'xml', 'samples'], /--format must be text, json or sarif, got 'xml'/);
  assertUsageError(['check', '--jobs', '0', 'samples'], /--jobs needs a positive integer, got '0'/);
  assertUsageError(['check', '--budget', 'lots', 'samples'], /--budget needs a positive integer/);
  assertUsageError(['check', '--rules', 'double-lock,no-such-rule', 'samples'], /--rules: unknown rule 'no-such-rule'/);
  assertUsageError(['check', '--kernel-version', 'six', 'samples'], /--kernel-version must look like MAJOR\.MINOR/);
  assertUsageError(['check', '--format'], /--format needs a value/);
});

test('a directory without C files is a usage error', () => {
  const dir = tempDir('noc');
  fs.writeFileSync(path.join(dir, 'README'), 'nothing to check\n');
  assertUsageError(['check', dir], /directory contains no \.c files$/);
});

test('--help and --version exit 0', () => {
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  for (const option of ['--format', '--no-paths', '--kernel-version', '--contracts', '--rules', '--disable-rules',
    '--budget', '--jobs', '--max-bytes', '--summary']) {
    assert.ok(help.stdout.includes(option), `help mentions ${option}`);
  }
  const version = runCli(['--version']);
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^folio-lens \d+\.\d+\.\d+\n$/);
});

test('binary, empty and oversized files: one message each, the rest still checked', () => {
  const dir = tempDir('bad');
  fs.writeFileSync(path.join(dir, 'a_binary.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
  fs.writeFileSync(path.join(dir, 'b_empty.c'), '');
  fs.writeFileSync(path.join(dir, 'c_huge.c'), `/*\n${' * a long generated comment line\n'.repeat(160 * 1024)} */\n`);
  fs.writeFileSync(path.join(dir, 'd_clean.c'), CLEAN_C);
  // A Latin-1 author name in a comment: invalid UTF-8, but still C source.
  fs.writeFileSync(path.join(dir, 'e_invalid_utf8.c'), Buffer.concat([Buffer.from('/* Copyright J'), Buffer.from([0xe9]), Buffer.from('r'), Buffer.from([0xf4]), Buffer.from('me */\n'), Buffer.from(CLEAN_C)]));

  const run = runCli(['check', '--format', 'json', dir]);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  const byName = new Map(report.files.map((f: { path: string }) => [path.basename(f.path), f]));
  assert.deepEqual([...byName.keys()], ['a_binary.c', 'b_empty.c', 'c_huge.c', 'd_clean.c', 'e_invalid_utf8.c']);
  assert.deepEqual(
    { status: (byName.get('a_binary.c') as any).status, reason: (byName.get('a_binary.c') as any).reason },
    { status: 'skipped', reason: 'binary file' },
  );
  assert.equal((byName.get('b_empty.c') as any).status, 'analyzed');
  assert.equal((byName.get('b_empty.c') as any).functions, 0);
  assert.equal((byName.get('c_huge.c') as any).status, 'skipped');
  assert.match((byName.get('c_huge.c') as any).reason, /file too large \(\d+ bytes, limit 4194304; see --max-bytes\)/);
  assert.equal((byName.get('d_clean.c') as any).functions, 1);
  assert.equal((byName.get('e_invalid_utf8.c') as any).status, 'analyzed');
  assert.equal((byName.get('e_invalid_utf8.c') as any).functions, 1);
  assert.deepEqual(report.findings, []);

  const stderr = run.stderr.split('\n').filter((l) => l.length > 0);
  assert.deepEqual(stderr, [
    `${path.join(dir, 'a_binary.c')}: skipped: binary file`,
    `${path.join(dir, 'c_huge.c')}: skipped: ${(byName.get('c_huge.c') as any).reason}`,
  ]);

  // --max-bytes raises the limit: the large comment-only file is analysed then.
  const raised = runCli(['check', '--format', 'json', '--max-bytes', String(8 * 1024 * 1024), path.join(dir, 'c_huge.c')]);
  assert.equal(JSON.parse(raised.stdout).files[0].status, 'analyzed');
});

test('an unreadable file is reported by name and makes the run exit 2', { skip: process.getuid?.() === 0 && 'root reads everything' }, () => {
  const dir = tempDir('unreadable');
  const file = path.join(dir, 'locked.c');
  fs.writeFileSync(file, CLEAN_C);
  fs.chmodSync(file, 0);
  const run = runCli(['check', file]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: unreadable: cannot read file \\(EACCES\\)$`, 'm'));
});

test('a path that is not a regular file is reported by name and makes the run exit 2', () => {
  const dir = tempDir('fifo');
  const fifo = path.join(dir, 'pipe.c');
  const made = spawnSync('mkfifo', [fifo]);
  assert.equal(made.status, 0, 'mkfifo');
  fs.writeFileSync(path.join(dir, 'ok.c'), CLEAN_C);
  const run = runCli(['check', fifo, path.join(dir, 'ok.c')]);
  assert.equal(run.status, 2);
  assert.deepEqual(run.stderr.split('\n').filter((l) => l), [`${fifo}: unreadable: not a regular file`]);
});

test('a directory walk skips .git and symlinked directories and follows sorted order', () => {
  const dir = tempDir('walk');
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, '.git', 'hook.c'), CLEAN_C);
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'b.c'), CLEAN_C);
  fs.writeFileSync(path.join(dir, 'a.c'), CLEAN_C);
  fs.writeFileSync(path.join(dir, 'notes.h'), CLEAN_C);
  fs.symlinkSync(path.join(dir, 'sub'), path.join(dir, 'linked'));
  const run = runCli(['check', '--format', 'json', dir]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(
    JSON.parse(run.stdout).files.map((f: { path: string }) => path.relative(dir, f.path)),
    ['a.c', path.join('sub', 'b.c')],
  );
});

test('an invalid --contracts file exits 2 and names the JSON path of each error', () => {
  const dir = tempDir('contracts');
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ contracts: [{ name: 'my_lock', effects: [{ op: 'explode' }] }] }));
  const run = runCli(['check', '--contracts', bad, 'samples']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, new RegExp(`^folio-lens: invalid contract file ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:$`, 'm'));
  assert.match(run.stderr, /contracts\[0\]\.effects\[0\]/);
  assert.equal(run.stdout, '');

  const notJson = path.join(dir, 'broken.json');
  fs.writeFileSync(notJson, '{ "contracts": [ ');
  const broken = runCli(['check', '--contracts', notJson, 'samples']);
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /invalid contract file/);

  const missing = runCli(['check', '--contracts', path.join(dir, 'absent.json'), 'samples']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /absent\.json/);
});

test('a valid --contracts file teaches the checker a new lock', () => {
  const dir = tempDir('extra');
  const contracts = path.join(dir, 'extra.json');
  fs.writeFileSync(
    contracts,
    JSON.stringify({
      contracts: [
        { name: 'my_folio_lock', sleeps: true, effects: [{ op: 'acquire', resource: 'folio_lock', target: { arg: 0 } }] },
      ],
    }),
  );
  const file = path.join(dir, 'use.c');
  fs.writeFileSync(
    file,
    [
      '#include <linux/mm.h>',
      '',
      'static void sample_twice(struct folio *folio)',
      '{',
      '\tmy_folio_lock(folio);',
      '\tmy_folio_lock(folio);',
      '\tfolio_unlock(folio);',
      '}',
      '',
    ].join('\n'),
  );
  const without = runCli(['check', '--format', 'json', '--rules', 'double-lock', file]);
  assert.deepEqual(JSON.parse(without.stdout).findings, [], 'unknown names change nothing');
  const withContracts = runCli(['check', '--format', 'json', '--rules', 'double-lock', '--contracts', contracts, file]);
  assert.equal(withContracts.status, 1, withContracts.stderr);
  const findings = JSON.parse(withContracts.stdout).findings;
  assert.deepEqual(findings.map((f: { rule: string; line: number }) => [f.rule, f.line]), [['double-lock', 6]]);
});
