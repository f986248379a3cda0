// Everything done to kernel C text before tree-sitter sees it. All edits keep the
// text's length and every line break, so node positions are positions in the user's file.

import type { Tree } from 'web-tree-sitter';
import { SameLengthEdits } from './edits';
import { blankAnnotations, type LockAnnotationSite } from './annotations';
import { rewriteDeclareBitmap, rewriteStatementMacros, rewriteStaticDefineMacros, rewriteSyscallDefinitions, rewriteTypeArguments } from './rewrite';
import { scanText } from './scan';

export interface PreprocessedText {
  /** The text to parse: same length as the input. */
  text: string;
  lockAnnotations: LockAnnotationSite[];
  /** Offset of each iterator / scoped_guard macro rewritten into `while(...)` -> its original name. */
  statementMacros: Map<number, string>;
  typeArgumentsRewritten: number;
  syscallsRewritten: number;
  otherRewrites: number;
}

export function preprocessKernelC(text: string): PreprocessedText {
  const scan = scanText(text);
  const edits = new SameLengthEdits(text);
  const lockAnnotations = blankAnnotations(scan, edits);
  const statementMacros = rewriteStatementMacros(scan, edits);
  const typeArgumentsRewritten = rewriteTypeArguments(scan, edits);
  const syscallsRewritten = rewriteSyscallDefinitions(scan, edits);
  const otherRewrites = rewriteStaticDefineMacros(scan, edits) + rewriteDeclareBitmap(scan, edits);
  return { text: edits.apply(), lockAnnotations, statementMacros, typeArgumentsRewritten, syscallsRewritten, otherRewrites };
}

// The CFG builder needs each rewritten statement macro's real name (the tree only shows
// `while(...)`); each parsed tree carries its map here.
const statementMacrosByTree = new WeakMap<Tree, Map<number, string>>();

export function registerStatementMacros(tree: Tree, names: Map<number, string>): void {
  statementMacrosByTree.set(tree, names);
}

/** The original macro name (iterator or scoped_guard) rewritten into `while(` at `offset`, if any. */
export function statementMacroAt(tree: Tree, offset: number): string | undefined {
  return statementMacrosByTree.get(tree)?.get(offset);
}
