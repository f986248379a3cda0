// Scheduling of files on --jobs workers: the last files go largest first (no worker is left
// alone with a big file at the end); the others keep input order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scheduleOrder } from '../../server/src/cli/pool';
import { tempDir } from './helpers';

test('the tail of the file list is scheduled largest first, the rest in input order', () => {
  const dir = tempDir('schedule');
  const sizes = [5, 1, 700, 30, 2];
  const files = sizes.map((n, i) => {
    const f = path.join(dir, `f${i}.c`);
    fs.writeFileSync(f, 'x'.repeat(n));
    return f;
  });
  // Five files are all "tail": sorted by size, largest first.
  assert.deepEqual(scheduleOrder(files), [2, 3, 0, 4, 1]);
  // A missing file counts as empty and still gets scheduled.
  assert.deepEqual(scheduleOrder([...files, path.join(dir, 'gone.c')]), [2, 3, 0, 4, 1, 5]);
});

test('a long list keeps its head in input order', () => {
  const dir = tempDir('schedule-long');
  const files = Array.from({ length: 600 }, (_, i) => {
    const f = path.join(dir, `g${i}.c`);
    fs.writeFileSync(f, 'x'.repeat(i % 7));
    return f;
  });
  const order = scheduleOrder(files);
  assert.equal(order.length, 600);
  assert.deepEqual(order.slice(0, 88), Array.from({ length: 88 }, (_, i) => i));
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: 600 }, (_, i) => i));
  const tailSizes = order.slice(88).map((i) => i % 7);
  assert.deepEqual(tailSizes, [...tailSizes].sort((a, b) => b - a));
});
