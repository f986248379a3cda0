#!/usr/bin/env node
// `npm test`: builds dist/ (tests of the CLI and the server run the bundles), then runs
// every *.test.ts under test/ except test/e2e/ (the real-editor test has its own runner)
// with node's built-in test runner through tsx. Node's own summary is the last thing
// printed and its exit code is ours.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const testRoot = join(root, 'test');
const EXCLUDED = new Set([join(testRoot, 'e2e')]);

function findTests(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!EXCLUDED.has(full) && entry.name !== 'node_modules') findTests(full, out);
    } else if (entry.isFile() && entry.name.endsWith('.test.ts')) {
      out.push(full);
    }
  }
  return out;
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error(`run-tests: build failed (exit ${build.status ?? build.signal})`);
  process.exit(build.status || 1);
}

const files = findTests(testRoot, []).sort();
console.log(`run-tests: ${files.length} test files`);
for (const f of files) console.log(`  ${relative(root, f)}`);
if (files.length === 0) {
  console.error('run-tests: no *.test.ts files found under test/');
  process.exit(1);
}

const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
