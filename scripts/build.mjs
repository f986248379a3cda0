#!/usr/bin/env node
// Bundles the CLI, its worker, the language server, the VS Code client and the webview
// with esbuild, and copies the two tree-sitter wasm files next to them (the engine's
// parser looks beside the running script first).
//
//   node scripts/build.mjs               development build (sourcemaps, not minified)
//   node scripts/build.mjs --production  minified
//
// Entries whose source file does not exist yet are skipped, so the build works while
// parts of the project are still being written.

import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const production = process.argv.includes('--production');

// web-tree-sitter ships an ES module (which needs import.meta.url, absent from a CommonJS
// bundle) and a CommonJS build; esbuild would pick the ES one for an `import` statement.
export const useTreeSitterCommonJs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({
      path: join(root, 'node_modules', 'web-tree-sitter', 'tree-sitter.cjs'),
    }));
  },
};

const nodeDefaults = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  plugins: [useTreeSitterCommonJs],
};

const entries = [
  {
    source: 'server/src/cli/main.ts',
    outfile: 'dist/cli.js',
    options: { ...nodeDefaults, banner: { js: '#!/usr/bin/env node' } },
    executable: true,
  },
  { source: 'server/src/cli/worker.ts', outfile: 'dist/cliWorker.js', options: nodeDefaults },
  { source: 'server/src/lsp/main.ts', outfile: 'dist/server.js', options: nodeDefaults },
  {
    source: 'client/src/extension.ts',
    outfile: 'dist/extension.js',
    options: { ...nodeDefaults, external: ['vscode'] },
  },
  {
    source: 'client/src/webview/main.ts',
    outfile: 'dist/webview.js',
    options: {
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      sourcemap: true,
      minify: production,
      logLevel: 'warning',
    },
  },
];

const wasmFiles = [
  'node_modules/web-tree-sitter/tree-sitter.wasm',
  'node_modules/tree-sitter-c/tree-sitter-c.wasm',
];

async function main() {
  mkdirSync(dist, { recursive: true });
  const started = Date.now();
  const built = [];
  const skipped = [];
  for (const entry of entries) {
    const source = join(root, entry.source);
    if (!existsSync(source)) {
      skipped.push(entry.source);
      continue;
    }
    const outfile = join(root, entry.outfile);
    await esbuild.build({ ...entry.options, entryPoints: [source], outfile });
    if (entry.executable) chmodSync(outfile, 0o755);
    built.push(entry.outfile);
  }
  for (const wasm of wasmFiles) {
    const from = join(root, wasm);
    if (!existsSync(from)) throw new Error(`missing ${wasm}: run npm ci first`);
    copyFileSync(from, join(dist, wasm.split('/').pop()));
  }
  const mode = production ? 'production' : 'development';
  console.log(`build (${mode}): ${built.join(', ') || 'nothing'} in ${Date.now() - started} ms`);
  if (skipped.length > 0) console.log(`build: skipped (no source yet): ${skipped.join(', ')}`);
}

// Run only when executed, so other scripts (bench.mjs) can import the plugin above.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    // esbuild has already printed its diagnostics; keep the exit code meaningful.
    console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
