#!/usr/bin/env node
// Makes the one universal VSIX: production build, grammar generation from the contract
// table, then @vscode/vsce (run with the cached Node 24, since vsce needs Node >= 22).
// Fails when a file the extension needs is missing or the VSIX reaches 2 MB.
//
//   node scripts/package.mjs [--out path.vsix]

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureTools, node24Bin, vsceScript } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BYTES = 2 * 1024 * 1024;

/** What the installed extension loads at run time (package.json main, server module, webview, parser, grammars). */
export const REQUIRED_FILES = [
  'dist/extension.js',
  'dist/server.js',
  'dist/webview.js',
  'dist/tree-sitter.wasm',
  'dist/tree-sitter-c.wasm',
  'dist/syntaxes/folio-lens-c.injection.tmLanguage.json',
  'syntaxes/folio-lens-report.tmLanguage.json',
];

function run(cmd, args, env = process.env) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env });
}

function main() {
  const started = Date.now();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : join(root, `${pkg.name}-${pkg.version}.vsix`);

  const node24 = ensureTools();
  run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
  run(process.execPath, [join(root, 'scripts', 'gen-grammar.mjs')]);

  const missing = REQUIRED_FILES.filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) throw new Error(`missing build outputs: ${missing.join(', ')}`);

  const env = { ...process.env, PATH: `${node24Bin()}:${process.env.PATH ?? ''}` };
  // No public repository URL yet: keep README links relative rather than invent a host.
  const vsceArgs = ['--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'];
  const listing = execFileSync(node24, [vsceScript(), 'ls', '--no-dependencies'], { cwd: root, env, encoding: 'utf8' });
  const files = listing.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const notShipped = REQUIRED_FILES.filter((f) => !files.includes(f));
  if (notShipped.length > 0) throw new Error(`.vscodeignore leaves out needed files: ${notShipped.join(', ')}`);
  console.log(`package: ${files.length} files: ${files.join(', ')}`);

  run(node24, [vsceScript(), 'package', ...vsceArgs, '--out', out], env);

  const size = statSync(out).size;
  const rel = relative(root, out) || out;
  console.log(`package: ${rel} is ${(size / 1024).toFixed(1)} KiB (${size} bytes, limit ${MAX_BYTES}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (size >= MAX_BYTES) throw new Error(`${rel} is ${size} bytes: over the 2 MB limit`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    main();
  } catch (err) {
    console.error(`package failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
