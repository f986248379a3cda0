// Incremental parsing for an editor: the last tree of each document is kept, and
// the next text is parsed against it after telling tree-sitter what changed. The
// change is found by comparing the old and new (preprocessed) texts: one edit
// spanning from the first to the last differing character, which is what a
// keystroke, a paste or an undo produces. Only the edited region is re-parsed.

import type { Point, Tree } from 'web-tree-sitter';
import { parseC } from './parser';

interface CachedTree {
  text: string;
  tree: Tree;
}

const MAX_DOCUMENTS = 32;
const cache = new Map<string, CachedTree>();

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** Parse `text` (already preprocessed) for document `key`, reusing its previous tree. */
export function parseIncremental(key: string, text: string): { tree: Tree; reused: boolean } {
  const old = cache.get(key);
  let tree: Tree;
  let reused = false;
  if (old && old.text !== text) {
    const a = old.text;
    const b = text;
    let start = 0;
    const max = Math.min(a.length, b.length);
    while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
      endA--;
      endB--;
    }
    old.tree.edit({
      startIndex: start,
      oldEndIndex: endA,
      newEndIndex: endB,
      startPosition: pointAt(a, start),
      oldEndPosition: pointAt(a, endA),
      newEndPosition: pointAt(b, endB),
    });
    tree = parseC(text, old.tree);
    reused = true;
  } else if (old) {
    tree = old.tree.copy();
    reused = true;
  } else {
    tree = parseC(text);
  }
  old?.tree.delete();
  cache.delete(key);
  cache.set(key, { text, tree: tree.copy() });
  while (cache.size > MAX_DOCUMENTS) {
    const first = cache.keys().next().value as string;
    cache.get(first)?.tree.delete();
    cache.delete(first);
  }
  return { tree, reused };
}

/** Forget a document's tree (closed in the editor). */
export function forgetDocument(key: string): void {
  cache.get(key)?.tree.delete();
  cache.delete(key);
}
