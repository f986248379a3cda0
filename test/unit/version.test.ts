import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  NEWEST_KERNEL,
  clearKernelVersionCache,
  compareKernelVersions,
  detectKernelVersion,
  formatKernelVersion,
  parseKernelVersion,
  versionInRange,
} from '../../server/src/engine/model/version';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'folio-lens-version-'));
}

/** A minimal tree shaped like a kernel top level: Makefile header plus a Kbuild file. */
function makeKernelTree(root: string, version: number, patchlevel: number, marker: 'Kbuild' | 'kernel' = 'Kbuild'): void {
  fs.mkdirSync(path.join(root, 'mm'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'Makefile'),
    `# SPDX-License-Identifier: GPL-2.0\nVERSION = ${version}\nPATCHLEVEL = ${patchlevel}\nSUBLEVEL = 3\nEXTRAVERSION = -rc1\nNAME = Test\n`,
  );
  if (marker === 'Kbuild') fs.writeFileSync(path.join(root, 'Kbuild'), '# top-level Kbuild\n');
  else fs.mkdirSync(path.join(root, 'kernel'));
  fs.writeFileSync(path.join(root, 'mm', 'x.c'), 'int x;\n');
}

test('parseKernelVersion accepts the forms users type and rejects others', () => {
  assert.deepEqual(parseKernelVersion('6.12'), { major: 6, minor: 12 });
  assert.deepEqual(parseKernelVersion('6.12.3'), { major: 6, minor: 12 });
  assert.deepEqual(parseKernelVersion('v6.1'), { major: 6, minor: 1 });
  assert.deepEqual(parseKernelVersion(' 7.0 '), { major: 7, minor: 0 });
  assert.deepEqual(parseKernelVersion('6.15.0-rc2'), { major: 6, minor: 15 });
  assert.deepEqual(parseKernelVersion('6.1.0-23-amd64'), { major: 6, minor: 1 });
  for (const bad of ['', '6', 'six.twelve', '6.12.3.4', '6..12', 'v', '6.12 extra', 'linux-6.12']) {
    assert.equal(parseKernelVersion(bad), undefined, `should reject ${JSON.stringify(bad)}`);
  }
});

test('formatKernelVersion and compareKernelVersions order numerically, not as text', () => {
  assert.equal(formatKernelVersion({ major: 6, minor: 12 }), '6.12');
  assert.equal(formatKernelVersion(NEWEST_KERNEL), '7.0');
  assert.ok(compareKernelVersions({ major: 6, minor: 2 }, { major: 6, minor: 12 }) < 0);
  assert.ok(compareKernelVersions({ major: 7, minor: 0 }, { major: 6, minor: 15 }) > 0);
  assert.equal(compareKernelVersions({ major: 6, minor: 5 }, { major: 6, minor: 5 }), 0);
});

test('versionInRange is from-inclusive and until-exclusive', () => {
  const v = (s: string) => parseKernelVersion(s)!;
  assert.equal(versionInRange(v('6.1')), true);
  assert.equal(versionInRange(v('6.1'), {}), true);
  assert.equal(versionInRange(v('6.4'), { from: '6.4' }), true);
  assert.equal(versionInRange(v('6.3'), { from: '6.4' }), false);
  assert.equal(versionInRange(v('6.4'), { until: '6.4' }), false);
  assert.equal(versionInRange(v('6.3'), { until: '6.4' }), true);
  assert.equal(versionInRange(v('6.12'), { from: '6.5', until: '6.15' }), true);
  assert.equal(versionInRange(v('6.15'), { from: '6.5', until: '6.15' }), false);
  // 6.12 must not compare as "6.1" followed by something smaller than 6.5.
  assert.equal(versionInRange(v('6.12'), { until: '6.5' }), false);
});

test('detectKernelVersion reads VERSION/PATCHLEVEL of the enclosing tree', () => {
  clearKernelVersionCache();
  const root = tempDir();
  try {
    makeKernelTree(root, 6, 9);
    const found = detectKernelVersion(path.join(root, 'mm', 'x.c'));
    assert.deepEqual(found, { version: { major: 6, minor: 9 }, source: path.join(root, 'Makefile') });
    // A directory argument works as well.
    assert.deepEqual(detectKernelVersion(path.join(root, 'mm'))?.version, { major: 6, minor: 9 });
    // A file that does not exist yet (an unsaved buffer) still resolves by its directory.
    assert.deepEqual(detectKernelVersion(path.join(root, 'mm', 'new.c'))?.version, { major: 6, minor: 9 });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('detectKernelVersion accepts a kernel/ directory as the tree marker', () => {
  clearKernelVersionCache();
  const root = tempDir();
  try {
    makeKernelTree(root, 7, 0, 'kernel');
    assert.deepEqual(detectKernelVersion(path.join(root, 'mm', 'x.c'))?.version, { major: 7, minor: 0 });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('detectKernelVersion ignores Makefiles that are not a kernel top level', () => {
  clearKernelVersionCache();
  const root = tempDir();
  try {
    // A project Makefile with a VERSION line but no kernel markers beside it.
    const proj = path.join(root, 'proj');
    fs.mkdirSync(path.join(proj, 'src'), { recursive: true });
    fs.writeFileSync(path.join(proj, 'Makefile'), 'VERSION = 2\nPATCHLEVEL = 4\n');
    assert.equal(detectKernelVersion(path.join(proj, 'src', 'a.c')), undefined);

    // A subdirectory Makefile inside a kernel tree (no VERSION line) is skipped on the way up.
    const tree = path.join(root, 'linux');
    makeKernelTree(tree, 6, 1);
    fs.writeFileSync(path.join(tree, 'mm', 'Makefile'), 'obj-y += x.o\n');
    assert.deepEqual(detectKernelVersion(path.join(tree, 'mm', 'x.c'))?.version, { major: 6, minor: 1 });

    // VERSION far below the top of the file does not count.
    const late = path.join(root, 'late');
    fs.mkdirSync(late);
    fs.writeFileSync(path.join(late, 'Kbuild'), '');
    fs.writeFileSync(path.join(late, 'Makefile'), '#\n'.repeat(40) + 'VERSION = 6\nPATCHLEVEL = 6\n');
    assert.equal(detectKernelVersion(path.join(late, 'a.c')), undefined);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('detectKernelVersion caches per directory until the cache is cleared', () => {
  clearKernelVersionCache();
  const root = tempDir();
  try {
    makeKernelTree(root, 6, 6);
    const file = path.join(root, 'mm', 'x.c');
    assert.deepEqual(detectKernelVersion(file)?.version, { major: 6, minor: 6 });
    fs.writeFileSync(path.join(root, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 8\n');
    assert.deepEqual(detectKernelVersion(file)?.version, { major: 6, minor: 6 }, 'answer comes from the cache');
    clearKernelVersionCache();
    assert.deepEqual(detectKernelVersion(file)?.version, { major: 6, minor: 8 });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

for (const [dir, minor] of [
  ['/tmp/ksrc/linux-6.12', 12],
  ['/tmp/ksrc/linux-6.1', 1],
] as const) {
  test(`detectKernelVersion on the real tree ${dir}`, { skip: !fs.existsSync(path.join(dir, 'Makefile')) }, () => {
    clearKernelVersionCache();
    const found = detectKernelVersion(path.join(dir, 'mm', 'migrate_device.c'));
    assert.deepEqual(found, { version: { major: 6, minor }, source: path.join(dir, 'Makefile') });
  });
}
