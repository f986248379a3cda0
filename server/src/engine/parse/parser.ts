// tree-sitter setup: one wasm runtime and the C grammar shipped by tree-sitter-c.
// The wasm files are looked up next to the running script first (the bundled dist/
// layout, where the build copies both files) and then in node_modules.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, type Tree } from 'web-tree-sitter';

let parser: Parser | null = null;
let initializing: Promise<void> | null = null;

/** Finds a wasm file: next to this script (bundle) or through the package's own path. */
function locateWasm(fileName: string, packageSpecifier: string): string {
  const beside = path.join(__dirname, fileName);
  if (fs.existsSync(beside)) return beside;
  return require.resolve(packageSpecifier);
}

async function loadParser(): Promise<void> {
  const runtimeWasm = locateWasm('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
  const languageWasm = locateWasm('tree-sitter-c.wasm', 'tree-sitter-c/tree-sitter-c.wasm');
  await Parser.init({
    locateFile(name: string): string {
      return name === 'tree-sitter.wasm' ? runtimeWasm : path.join(path.dirname(runtimeWasm), name);
    },
  });
  const language = await Language.load(languageWasm);
  const created = new Parser();
  created.setLanguage(language);
  parser = created;
}

/** Loads the runtime and the C grammar. Safe to call many times and concurrently. */
export function initParser(): Promise<void> {
  if (parser) return Promise.resolve();
  if (!initializing) {
    initializing = loadParser().catch((err: unknown) => {
      initializing = null; // allow a retry after a failure
      throw err;
    });
  }
  return initializing;
}

export function isParserReady(): boolean {
  return parser !== null;
}

/**
 * Parses C text. `oldTree` must already have been edited (Tree.edit) to match `text`
 * for an incremental parse. Throws only if initParser() has not completed.
 */
export function parseC(text: string, oldTree?: Tree): Tree {
  if (!parser) throw new Error('parseC called before initParser() finished');
  const tree = parser.parse(text, oldTree ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
