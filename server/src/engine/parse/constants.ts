// Integer constants a document defines: enumerators and object-like #defines
// whose value is a plain integer expression. Knowing them makes
// `flags == KSM_GET_FOLIO_LOCK` mean the same in a helper and its caller, and
// lets tests of flag bits be decided.

import type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

/** Evaluate a small integer expression (literals, names already known, + - * | & ^ << >> ~ and parentheses). */
export function evalIntExpr(text: string, known: Map<string, number>): number | undefined {
  const src = text.replace(/\b(\d+|0[xX][0-9a-fA-F]+)[uUlL]*\b/g, '$1').replace(/\bBIT\(\s*([^()]+)\s*\)/g, '(1 << ($1))').replace(/\(\s*(unsigned\s+)?(int|long|u32|u64|__force\s+\w+|vm_fault_t|gfp_t|fgf_t|zap_flags_t)\s*\)/g, '');
  const tokens = src.match(/0[xX][0-9a-fA-F]+|\d+|[A-Za-z_]\w*|<<|>>|[-+*|&^~()]/g);
  if (!tokens || tokens.join('').length !== src.replace(/\s+/g, '').length) return undefined;
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const primary = (): number | undefined => {
    const t = tokens[i++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') return undefined;
      return v;
    }
    if (t === '~') {
      const v = primary();
      return v === undefined ? undefined : ~v;
    }
    if (t === '-') {
      const v = primary();
      return v === undefined ? undefined : -v;
    }
    if (/^0[xX]/.test(t)) return parseInt(t, 16);
    if (/^\d/.test(t)) return /^0\d/.test(t) ? parseInt(t, 8) : parseInt(t, 10);
    return known.get(t);
  };
  const binary = (next: () => number | undefined, ops: string[], apply: (op: string, a: number, b: number) => number): (() => number | undefined) => () => {
    let a = next();
    while (a !== undefined && ops.includes(peek() ?? '')) {
      const op = tokens[i++];
      const b = next();
      if (b === undefined) return undefined;
      a = apply(op, a, b);
    }
    return a;
  };
  const mul = binary(primary, ['*'], (_o, a, b) => a * b);
  const add = binary(mul, ['+', '-'], (o, a, b) => (o === '+' ? a + b : a - b));
  const shift = binary(add, ['<<', '>>'], (o, a, b) => (o === '<<' ? (b < 31 ? a << b : NaN) : a >> b));
  const and = binary(shift, ['&'], (_o, a, b) => a & b);
  const xor = binary(and, ['^'], (_o, a, b) => a ^ b);
  const or = binary(xor, ['|'], (_o, a, b) => a | b);
  const v = or();
  if (v === undefined || i !== tokens.length || !Number.isSafeInteger(v)) return undefined;
  return v;
}

/** Enumerator lists and #defines in source order: top-level items, conditional blocks, enum
 *  types in declarations, and the function bodies that declare some (an `enum` local to a
 *  function, a `#define` inside one). Other function bodies, most of a file, are not walked. */
function constantDefinitions(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode): void => {
    switch (n.type) {
      case 'preproc_def':
      case 'enumerator_list':
        out.push(n);
        return;
      case 'function_definition':
        if (/\benum\b|#\s*define\b/.test(n.text)) for (const d of n.descendantsOfType(['preproc_def', 'enumerator_list'])) if (d) out.push(d);
        return;
      case 'compound_statement':
      case 'preproc_function_def':
      case 'comment':
      case 'string_literal':
        return;
      default:
        for (const c of n.namedChildren) if (c) visit(c);
    }
  };
  visit(root);
  return out;
}

export function documentConstants(tree: Tree, base: Record<string, number>): Map<string, number> {
  const known = new Map<string, number>(Object.entries(base));
  for (const n of constantDefinitions(tree.rootNode)) {
    if (!n) continue;
    if (n.type === 'preproc_def') {
      const name = n.childForFieldName('name')?.text;
      const value = n.childForFieldName('value')?.text;
      if (!name || !value) continue;
      const v = evalIntExpr(value.trim(), known);
      if (v !== undefined) known.set(name, v);
      continue;
    }
    let next = 0;
    for (const e of n.namedChildren) {
      if (!e || e.type !== 'enumerator') continue;
      const name = e.childForFieldName('name')?.text;
      const valueNode = e.childForFieldName('value');
      const v = valueNode ? evalIntExpr(valueNode.text, known) : next;
      if (!name) continue;
      if (v === undefined) {
        next = NaN;
        continue;
      }
      known.set(name, v);
      next = v + 1;
    }
  }
  return known;
}
