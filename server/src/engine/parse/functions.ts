// Parse a kernel C document and collect its function definitions, including those
// tree-sitter could only recover inside ERROR nodes. Never throws on bad input.

import type { Node as SyntaxNode, Tree } from 'web-tree-sitter';
import type { FunctionDef, LockAnnotation, ParamDecl, ParsedDocument } from './types';
import type { Range } from '../types';
import { parseC } from './parser';
import { parseIncremental } from './incremental';
import { preprocessKernelC, registerStatementMacros } from './preprocess';
import type { LockAnnotationSite } from './annotations';

const DECLARATOR_WRAPPERS = new Set(['pointer_declarator', 'parenthesized_declarator', 'attributed_declarator']);

function normaliseType(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/\s*\*\s*/g, ' *')
    .replace(/\* \*/g, '**')
    .replace(/\*\s+\*/g, '**')
    .trim();
}

/** The function_declarator inside a declarator chain (through pointers and parentheses). */
function findFunctionDeclarator(decl: SyntaxNode | null): SyntaxNode | null {
  let d = decl;
  for (let depth = 0; d && depth < 16; depth++) {
    if (d.type === 'function_declarator') return d;
    if (!DECLARATOR_WRAPPERS.has(d.type)) return null;
    d = d.childForFieldName('declarator');
  }
  return null;
}

/** Name of the innermost identifier a declarator declares. */
export function declaratorName(decl: SyntaxNode | null): string | null {
  let d = decl;
  for (let depth = 0; d && depth < 32; depth++) {
    if (d.type === 'identifier' || d.type === 'field_identifier' || d.type === 'type_identifier') return d.text;
    const inner = d.childForFieldName('declarator');
    if (inner) {
      d = inner;
      continue;
    }
    // parenthesized_declarator has no field name for its content.
    d = d.namedChildren.find((c) => c !== null && c.type !== 'type_qualifier' && c.type !== 'ms_pointer_modifier') ?? null;
  }
  return null;
}

/** The declared type of a declarator without its name, e.g. `*page` with base "struct page" -> "struct page *". */
function typeWithoutName(base: string, decl: SyntaxNode | null, name: string | null): string {
  if (!decl) return normaliseType(base);
  let declText = decl.text;
  if (name) {
    const at = declText.lastIndexOf(name);
    if (at >= 0) declText = declText.slice(0, at) + declText.slice(at + name.length);
  }
  return normaliseType(`${base} ${declText}`);
}

/** Text of a declaration's specifiers (everything before its declarator), minus `static`/`inline`/`extern`. */
function specifierText(node: SyntaxNode, declarator: SyntaxNode | null): string {
  const parts: string[] = [];
  for (const c of node.children) {
    if (!c) continue;
    if (declarator && c.startIndex >= declarator.startIndex) break;
    if (c.type === 'storage_class_specifier' || c.type === 'ERROR' || c.type === 'comment') continue;
    if (c.type === 'compound_statement') break;
    parts.push(c.text);
  }
  return parts.join(' ');
}

function readParams(fnDecl: SyntaxNode): ParamDecl[] {
  const list = fnDecl.childForFieldName('parameters');
  if (!list) return [];
  const params: ParamDecl[] = [];
  for (const p of list.namedChildren) {
    if (!p || p.type !== 'parameter_declaration') continue;
    const decl = p.childForFieldName('declarator');
    const name = declaratorName(decl);
    const base = specifierText(p, decl);
    if (!decl && normaliseType(base) === 'void') continue;
    params.push({ name: name ?? '', type: typeWithoutName(base, decl, name) });
  }
  return params;
}

function rangeOf(start: SyntaxNode, end: SyntaxNode): Range {
  return {
    start: { line: start.startPosition.row, character: start.startPosition.column },
    end: { line: end.endPosition.row, character: end.endPosition.column },
  };
}

function isStaticNode(node: SyntaxNode, until: number): boolean {
  for (const c of node.children) {
    if (!c || c.startIndex >= until) break;
    if (c.type === 'storage_class_specifier' && c.text === 'static') return true;
    if (c.type === 'static') return true;
  }
  return false;
}

/** Lock annotations between a function's start and its body belong to it. */
function annotationsFor(sites: LockAnnotationSite[], start: number, bodyStart: number): LockAnnotation[] {
  const found: LockAnnotation[] = [];
  for (const s of sites) if (s.start >= start && s.end <= bodyStart) found.push(s.annotation);
  return found;
}

function fromDefinition(def: SyntaxNode, sites: LockAnnotationSite[]): FunctionDef | null {
  const body = def.childForFieldName('body');
  const declarator = def.childForFieldName('declarator');
  const fnDecl = findFunctionDeclarator(declarator);
  if (!body || body.type !== 'compound_statement' || !fnDecl || !declarator) return null;
  const name = declaratorName(fnDecl.childForFieldName('declarator'));
  if (!name) return null;
  const base = specifierText(def, declarator);
  // Return type: the specifiers plus the pointer stars wrapped around the function declarator.
  const declText = declarator.text;
  const stars = declText.slice(0, fnDecl.startIndex - declarator.startIndex).replace(/[^*]/g, '');
  return {
    name,
    node: def,
    body,
    params: readParams(fnDecl),
    returnType: normaliseType(`${base} ${stars}`) || 'int',
    isStatic: isStaticNode(def, declarator.startIndex),
    annotations: annotationsFor(sites, def.startIndex, body.startIndex),
    range: rangeOf(def, def),
    hasParseErrors: body.hasError,
  };
}

/**
 * A body tree-sitter could not attach to a definition: `<specifiers> <function_declarator> { ... }`
 * as siblings inside an ERROR (or at top level). Recover name, params and body from them.
 */
function recoverFromSiblings(body: SyntaxNode, sites: LockAnnotationSite[]): FunctionDef | null {
  const parent = body.parent;
  if (!parent) return null;
  let prev = body.previousNamedSibling;
  while (prev && prev.type === 'comment') prev = prev.previousNamedSibling;
  if (!prev) return null;
  let fnDecl = findFunctionDeclarator(prev);
  if (!fnDecl && prev.type === 'ERROR') {
    const last = prev.namedChildren.filter((c): c is SyntaxNode => c !== null).pop();
    fnDecl = findFunctionDeclarator(last ?? null);
  }
  if (!fnDecl) return null;
  const name = declaratorName(fnDecl.childForFieldName('declarator'));
  if (!name) return null;
  // The header starts at the first sibling after the previous `;` or `}` on the same level.
  let start: SyntaxNode = prev;
  for (let s = prev.previousSibling; s; s = s.previousSibling) {
    if (s.type === ';' || s.type === '}' || s.type === 'compound_statement' || s.type === 'function_definition' ||
        s.type === 'declaration' || s.type.startsWith('preproc') || s.type === 'comment' || s.type === 'expression_statement') break;
    start = s;
  }
  const specs: string[] = [];
  let isStatic = false;
  for (let s: SyntaxNode | null = start; s && s.startIndex < prev.startIndex; s = s.nextSibling) {
    if (s.text === 'static' || (s.type === 'storage_class_specifier' && s.text === 'static')) isStatic = true;
    else if (s.type !== 'storage_class_specifier') specs.push(s.text);
  }
  const declText = prev.text;
  const stars = declText.slice(0, Math.max(0, fnDecl.startIndex - prev.startIndex)).replace(/[^*]/g, '');
  return {
    name,
    node: parent.type === 'ERROR' ? parent : body,
    body,
    params: readParams(fnDecl),
    returnType: normaliseType(`${specs.join(' ')} ${stars}`) || 'int',
    isStatic,
    annotations: annotationsFor(sites, start.startIndex, body.startIndex),
    range: rangeOf(start, body),
    hasParseErrors: true,
  };
}

/** Walks the tree without recursion (deeply nested input must not overflow the stack). */
function collectFunctions(root: SyntaxNode, sites: LockAnnotationSite[]): FunctionDef[] {
  const found: FunctionDef[] = [];
  const cursor = root.walk();
  try {
    let descend = true;
    for (;;) {
      const node = cursor.currentNode;
      let enter = descend;
      if (descend) {
        if (node.type === 'function_definition') {
          const def = fromDefinition(node, sites);
          if (def) {
            found.push(def);
            enter = def.hasParseErrors; // a broken body may hold the functions that follow it
          }
        } else if (node.type === 'compound_statement' && node.parent?.type !== 'function_definition') {
          // Only at top level or directly inside an ERROR: statement blocks are not functions.
          const parentType = node.parent?.type;
          if (parentType === 'ERROR' || parentType === 'translation_unit' || parentType?.startsWith('preproc')) {
            const def = recoverFromSiblings(node, sites);
            if (def) {
              found.push(def);
              enter = false;
            }
          }
        }
        // A well-formed body holds no definitions; a broken one may have swallowed the next
        // functions (an unbalanced brace), so look inside it.
        if (enter && node.type === 'compound_statement' && node.parent?.type === 'function_definition') enter = node.hasError;
      }
      if (enter && cursor.gotoFirstChild()) {
        descend = true;
        continue;
      }
      if (cursor.gotoNextSibling()) {
        descend = true;
        continue;
      }
      let climbed = false;
      while (cursor.gotoParent()) {
        if (cursor.gotoNextSibling()) {
          climbed = true;
          break;
        }
      }
      if (!climbed) break;
      descend = true;
    }
  } finally {
    cursor.delete();
  }
  found.sort((a, b) => a.body.startIndex - b.body.startIndex);
  return found;
}

/**
 * Preprocesses (same-length), parses and collects function definitions.
 * `oldTree`, if given, must have been edited to match the new text (incremental parse).
 */
export function parseDocument(text: string, oldTree?: Tree, incrementalKey?: string): ParsedDocument {
  const pre = preprocessKernelC(text);
  const tree = incrementalKey !== undefined ? parseIncremental(incrementalKey, pre.text).tree : parseC(pre.text, oldTree);
  registerStatementMacros(tree, pre.statementMacros);
  let functions: FunctionDef[] = [];
  try {
    functions = collectFunctions(tree.rootNode, pre.lockAnnotations);
  } catch {
    functions = []; // a malformed tree yields no functions rather than an exception
  }
  let disposed = false;
  return {
    text: pre.text,
    tree,
    functions,
    dispose(): void {
      if (!disposed) {
        disposed = true;
        tree.delete();
      }
    },
  };
}
