import type { Tree } from 'web-tree-sitter';
import type { SyntaxNode } from './syntax';
import type { Range } from '../types';

/** A kernel lock annotation read from the source before it was blanked for the parser. */
export interface LockAnnotation {
  kind: 'acquires' | 'releases' | 'must_hold' | 'cond_acquires';
  /** The annotation's arguments as written, e.g. ["ptl"] or ["ret", "&folio->lock"]. */
  args: string[];
}

export interface ParamDecl {
  name: string;
  /** The declared type as written without the name, normalised to single spaces, e.g. "struct page *". */
  type: string;
}

export interface FunctionDef {
  name: string;
  /** The function_definition node (or the recovered node that holds the body). */
  node: SyntaxNode;
  /** The compound_statement that is the body. */
  body: SyntaxNode;
  params: ParamDecl[];
  /** The return type as written, e.g. "int", "struct folio *", "void". */
  returnType: string;
  isStatic: boolean;
  annotations: LockAnnotation[];
  range: Range;
  /** True when the body contains tree-sitter ERROR or MISSING nodes (tolerated, never reported). */
  hasParseErrors: boolean;
}

export interface ParsedDocument {
  /** The text the parser saw (same length as the original: annotations are blanked with spaces). */
  text: string;
  tree: Tree;
  functions: FunctionDef[];
  /** Call this when the document analysis is done (frees the tree). */
  dispose(): void;
}
