// Same-length rewrites of kernel macro shapes that the C grammar cannot parse:
//  - iterator macros followed by a statement become `while(<call>)` loops;
//  - `struct X` as a macro argument (container_of, list_first_entry, ...) becomes `struct_X`;
//  - SYSCALL_DEFINEn(name, type, arg, ...) headers become `long sys_name(type arg, ...)`.
// Offsets stay exact everywhere except inside the rewritten syscall name.

import { CODE, DIRECTIVE, type ScannedText, isIdentPart, isIdentStart, matchParen, nextSignificant, prevSignificant, splitArgs } from './scan';
import type { SameLengthEdits } from './edits';

/** True for the names the kernel treats as loop macros (its .clang-format ForEachMacros all match). */
export function isIteratorMacroName(name: string): boolean {
  // `for_i915_gem_ww(&ww, err, intr) { ... continue; }` is a loop like `for_each_*`: a
  // `continue` in its body goes to its own next round, not to an enclosing loop's.
  return name.includes('for_each') || name.includes('foreach') || name.startsWith('for_next_') || (name.startsWith('for_') && name.length > 6);
}

/** Macros written like a loop header but meaning "run the block once with a lock held". */
export function isScopedGuardName(name: string): boolean {
  return name === 'scoped_guard';
}

/** The keyword text put over the start of an iterator macro's name. */
export const ITERATOR_PREFIX = 'while(';

/**
 * Rewrites `NAME(args) stmt` at statement position, for iterator macros and scoped_guard,
 * into `while(ME(args)) stmt`, where ME is NAME without its first six characters; the extra
 * `)` takes the place of one whitespace character after the argument list.
 * Returns offset of each rewrite -> the original macro name.
 */
export function rewriteStatementMacros(scan: ScannedText, edits: SameLengthEdits): Map<number, string> {
  const { text, kind } = scan;
  const rewritten = new Map<number, string>();
  // Whole identifiers, tested for the macro names: a linear scan (a pattern with the name in
  // its middle backtracks quadratically over a long run of letters).
  const re = /[A-Za-z_][A-Za-z0-9_]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    const name = m[0];
    if (!/for_each|foreach|for_next_|scoped_guard/.test(name)) continue;
    if (kind[start] !== CODE || (start > 0 && isIdentPart(text.charCodeAt(start - 1)))) continue;
    if (!isIteratorMacroName(name) && !isScopedGuardName(name)) continue;
    if (name.length < ITERATOR_PREFIX.length + 1 || !isIdentStart(name.charCodeAt(ITERATOR_PREFIX.length))) continue;
    const open = start + name.length;
    if (text.charCodeAt(open) !== 0x28 /* ( */) continue;
    // Statement position: after `;`, `{`, `}`, `:` (label/case), `)` (if/for/while head) or `else`.
    const prev = prevSignificant(scan, start);
    if (prev >= 0 && kind[prev] !== DIRECTIVE) {
      const p = text.charCodeAt(prev);
      const afterElse = p === 0x65 && text.slice(prev - 3, prev + 1) === 'else' && !isIdentPart(text.charCodeAt(prev - 4));
      if (!(p === 0x3b || p === 0x7b || p === 0x7d || p === 0x3a || p === 0x29 || afterElse)) continue;
    } else if (prev < 0) continue;
    const close = matchParen(scan, open);
    if (close < 0) continue;
    const after = nextSignificant(scan, close + 1);
    if (after >= text.length || kind[after] !== CODE) continue;
    const a = text.charCodeAt(after);
    const startsStatement =
      a === 0x7b /* { */ || isIdentStart(a) || a === 0x28 /* ( */ || a === 0x2a /* * */ ||
      ((a === 0x2b || a === 0x2d) && text.charCodeAt(after + 1) === a);
    if (!startsStatement) continue;
    // Room for the extra `)`: the character right after the argument list if it is a blank,
    // else the first character of the next line if that is indentation.
    let slot = -1;
    const next = text.charCodeAt(close + 1);
    if ((next === 0x20 || next === 0x09) && kind[close + 1] === CODE) slot = close + 1;
    else if (next === 0x0a) {
      const indent = text.charCodeAt(close + 2);
      if ((indent === 0x20 || indent === 0x09) && kind[close + 2] === CODE) slot = close + 2;
    } else if (next === 0x0d && text.charCodeAt(close + 2) === 0x0a) {
      const indent = text.charCodeAt(close + 3);
      if ((indent === 0x20 || indent === 0x09) && kind[close + 3] === CODE) slot = close + 3;
    }
    if (slot < 0) continue;
    edits.replace(start, ITERATOR_PREFIX);
    edits.replace(slot, ')');
    rewritten.set(start, name);
  }
  return rewritten;
}

/**
 * Rewrites `struct X` (or union/enum) that forms a whole top-level argument of a call-like
 * macro, e.g. `container_of(p, struct page, lru)`, into `struct_X`, which parses as an identifier.
 */
export function rewriteTypeArguments(scan: ScannedText, edits: SameLengthEdits): number {
  const { text, kind } = scan;
  let count = 0;
  const re = /\b(?:(?:struct|union|enum)[ \t]+[A-Za-z_][A-Za-z0-9_]*|(?:(?:unsigned|signed|long|short|int|char)[ \t]+)+(?:unsigned|signed|long|short|int|char)\b)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    if (kind[start] !== CODE || (start > 0 && isIdentPart(text.charCodeAt(start - 1)))) continue;
    const end = start + m[0].length;
    const before = prevSignificant(scan, start);
    const after = nextSignificant(scan, end);
    if (before < 0 || after >= text.length) continue;
    const b = text.charCodeAt(before);
    const a = text.charCodeAt(after);
    if (!(b === 0x28 || b === 0x2c) || !(a === 0x2c || a === 0x29)) continue;
    // The enclosing `(` must open a macro call `IDENT(`, not sizeof/typeof/a cast/a prototype.
    let depth = 0;
    let open = -1;
    for (let k = before; k >= 0 && k > start - 4096; k--) {
      if (kind[k] !== CODE) continue;
      const ch = text.charCodeAt(k);
      if (ch === 0x29) depth++;
      else if (ch === 0x28) {
        if (depth === 0) { open = k; break; }
        depth--;
      } else if (ch === 0x3b || ch === 0x7b || ch === 0x7d) break;
    }
    if (open < 0) continue;
    const calleeEnd = prevSignificant(scan, open);
    if (calleeEnd < 0 || !isIdentPart(text.charCodeAt(calleeEnd))) continue;
    let calleeStart = calleeEnd;
    while (calleeStart > 0 && isIdentPart(text.charCodeAt(calleeStart - 1))) calleeStart--;
    const callee = text.slice(calleeStart, calleeEnd + 1);
    if (/^(sizeof|typeof|__typeof__|__typeof|_Alignof|__alignof__|alignof|offsetof|_Generic|if|while|for|switch|return|(COMPAT_)?SYSCALL_DEFINE\d)$/.test(callee)) continue;
    // A function declarator `void f(struct page, ...)` has a type before its name.
    const beforeCallee = prevSignificant(scan, calleeStart);
    if (beforeCallee >= 0 && (isIdentPart(text.charCodeAt(beforeCallee)) || text.charCodeAt(beforeCallee) === 0x2a)) {
      const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(text.slice(Math.max(0, beforeCallee - 40), beforeCallee + 1));
      if (!word || !/^(return|case|else|do)$/.test(word[0])) continue;
    }
    edits.replace(start, m[0].replace(/[ \t]/g, '_'));
    count++;
  }
  return count;
}

/**
 * `SYSCALL_DEFINE3(name, type, a, type, b, type, c)` -> `long    sys_name(type  a, type  b, type  c)`
 * (and COMPAT_ -> compat_sys_). Parameter offsets stay exact; DEFINE0 shifts the name only.
 */
export function rewriteSyscallDefinitions(scan: ScannedText, edits: SameLengthEdits): number {
  const { text, kind } = scan;
  let count = 0;
  const re = /\b(COMPAT_)?SYSCALL_DEFINE([0-6])\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    if (kind[start] !== CODE) continue;
    const open = start + m[0].length - 1;
    const close = matchParen(scan, open);
    if (close < 0) continue;
    const args = splitArgs(scan, open, close);
    const arity = Number(m[2]);
    if (args.length !== 1 + 2 * arity) continue;
    const name = text.slice(args[0][0], args[0][1]).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const prefix = m[1] ? 'compat_sys_' : 'sys_';
    if (arity === 0) {
      const replacement = `long ${prefix}${name}()`;
      const length = close + 1 - start;
      if (replacement.length > length) continue;
      edits.replace(start, replacement + ' '.repeat(length - replacement.length));
    } else {
      const head = 'long' + ' '.repeat(m[0].length - 4 - prefix.length) + prefix; // same length as the macro head
      edits.replace(start, head);
      edits.replace(args[0][1], '('); // the comma after the name opens the parameter list
      for (let k = 1; k < args.length - 1; k += 2) edits.replace(args[k][1], ' '); // "type, name" -> "type  name"
    }
    count++;
  }
  return count;
}

/** `static DEFINE_RATELIMIT_STATE(...)` inside a body: blank `static` so the macro call parses as a statement. */
export function rewriteStaticDefineMacros(scan: ScannedText, edits: SameLengthEdits): number {
  const { text, kind } = scan;
  let count = 0;
  const re = /\bstatic([ \t]+)(DEFINE_[A-Z0-9_]+)[ \t]*\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (kind[m.index] !== CODE) continue;
    // Only inside a function body: the line is indented.
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (lineStart === m.index) continue;
    edits.blank(m.index, m.index + 'static'.length);
    count++;
  }
  return count;
}

/** `DECLARE_BITMAP(name, bits)` -> `unsigned long  name[bits]`, a declaration the grammar knows. */
export function rewriteDeclareBitmap(scan: ScannedText, edits: SameLengthEdits): number {
  const { text, kind } = scan;
  let count = 0;
  const re = /\bDECLARE_BITMAP\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (kind[m.index] !== CODE) continue;
    const open = m.index + m[0].length - 1;
    const close = matchParen(scan, open);
    if (close < 0) continue;
    const args = splitArgs(scan, open, close);
    if (args.length !== 2) continue;
    edits.replace(m.index, 'unsigned long'.padEnd(m[0].length, ' '));
    edits.replace(args[0][1], '[');
    edits.replace(close, ']');
    count++;
  }
  return count;
}
