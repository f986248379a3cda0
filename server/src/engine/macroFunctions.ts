// Functions a file defines through its own macros:
//
//   #define DEFINE_GROUP_LOCK(action, mutex_action) \
//   static void group_ ## action(struct group *g, bool nonatomic) { ... }
//   DEFINE_GROUP_LOCK(lock, lock);
//   DEFINE_GROUP_LOCK(unlock, unlock);
//
// tree-sitter sees only the invocations, so calls of group_lock() were calls of an unknown
// function: a lock taken through it was invisible while its partner was not. The
// invocations are expanded here (parameters substituted, `##` pasted, `#x` quoted) and the
// expansion parsed on its own, on the invocation's line, so that the functions it defines
// have summaries like any other function of the file.

import { splitTopLevel } from './parse/scan';
import { parseDocument } from './parse/functions';
import type { ParsedDocument } from './parse/types';

interface FunctionMacro {
  params: string[];
  body: string;
}

/** At most this many expansions per file (a file generating hundreds is a table, not helpers). */
const MAX_EXPANSIONS = 64;

/** `#define NAME(params) body` whose body (continuation lines joined) is a function definition. */
function functionMacros(text: string): Map<string, FunctionMacro> {
  const out = new Map<string, FunctionMacro>();
  const re = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(([^)]*)\)((?:[^\n]*\\\n)*[^\n]*)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[3].replace(/\\\n/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').trim();
    // A definition: a declarator's closing parenthesis, then the body in braces, to the end.
    if (!/^[A-Za-z_][\w\s*#]*\([^;{}]*\)\s*\{[\s\S]*\}$/.test(body)) continue;
    const params = m[2].split(',').map((p) => p.trim()).filter((p) => p.length > 0);
    if (params.some((p) => !/^[A-Za-z_]\w*$/.test(p))) continue; // variadic macros are left alone
    out.set(m[1], { params, body });
  }
  return out;
}

/** The body with the arguments substituted: `#p` quoted, `a ## b` pasted. */
function expand(macro: FunctionMacro, args: string[]): string {
  const value = new Map(macro.params.map((p, i) => [p, args[i] ?? '']));
  const substituted = macro.body.replace(/(##\s*)?(#\s*)?\b([A-Za-z_]\w*)\b/g, (all, paste: string | undefined, hash: string | undefined, id: string) => {
    const v = value.get(id);
    if (v === undefined) return all;
    if (hash && !paste) return `"${v}"`;
    return `${paste ?? ''}${v}`;
  });
  return substituted.replace(/\s*##\s*/g, '');
}

/**
 * The functions defined by invocations, at file scope, of this file's function-defining
 * macros: parsed documents whose text puts each expansion on its invocation's line.
 * The caller disposes of them.
 */
export function macroDefinedFunctions(text: string): ParsedDocument[] {
  if (!text.includes('#define') || !text.includes('##')) return [];
  const macros = functionMacros(text);
  if (macros.size === 0) return [];
  const names = [...macros.keys()].join('|');
  const call = new RegExp(`^(${names})\\(([^\\n]*)\\)[ \\t]*;?[ \\t]*$`, 'gm');
  const lines: string[] = [];
  let count = 0;
  for (let m = call.exec(text); m && count < MAX_EXPANSIONS; m = call.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length - 1;
    const macro = macros.get(m[1])!;
    const args = splitTopLevel(m[2]);
    if (args.length !== macro.params.length) continue;
    while (lines.length < line) lines.push('');
    if (lines.length > line) continue; // two on one line: keep the first
    lines.push(expand(macro, args));
    count++;
  }
  if (count === 0) return [];
  try {
    return [parseDocument(lines.join('\n'))];
  } catch {
    return [];
  }
}
