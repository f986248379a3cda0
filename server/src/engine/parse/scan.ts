// A light lexical scan of unpreprocessed C: which characters are code, comments,
// string/char literals or preprocessor directives. The rewrites that run before
// tree-sitter use it so they never touch text inside strings, comments or #lines.

export const CODE = 0;
export const COMMENT = 1;
export const LITERAL = 2;
export const DIRECTIVE = 3;

/** Upper bound on how far a balanced-parenthesis search looks, so hostile input stays linear-ish. */
export const MAX_PAREN_SPAN = 8192;

export interface ScannedText {
  text: string;
  /** One of CODE/COMMENT/LITERAL/DIRECTIVE per UTF-16 unit of `text`. */
  kind: Uint8Array;
}

export function scanText(text: string): ScannedText {
  const n = text.length;
  const kind = new Uint8Array(n);
  let i = 0;
  let lineStart = true; // only whitespace seen since the last newline
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      kind.fill(COMMENT, i, stop);
      i = stop;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      let stop = i;
      // A line comment continues over backslash-newlines.
      while (stop < n && text.charCodeAt(stop) !== 0x0a) stop++;
      while (stop < n && text.charCodeAt(stop - 1) === 0x5c && stop + 1 < n) {
        stop++;
        while (stop < n && text.charCodeAt(stop) !== 0x0a) stop++;
      }
      kind.fill(COMMENT, i, stop);
      i = stop;
      continue;
    }
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) { j += 2; continue; }
        if (d === c) { j++; break; }
        if (d === 0x0a) break; // unterminated literal: stop at the line end
        j++;
      }
      kind.fill(LITERAL, i, Math.min(j, n));
      lineStart = false;
      i = j;
      continue;
    }
    if (c === 0x23 /* # */ && lineStart) {
      // A directive runs to the end of the line, continued by backslash-newline.
      // Comments inside are part of it; a block comment may carry it further.
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x2f && text.charCodeAt(j + 1) === 0x2a) {
          const end = text.indexOf('*/', j + 2);
          j = end < 0 ? n : end + 2;
          continue;
        }
        if (d === 0x0a) {
          if (text.charCodeAt(j - 1) === 0x5c || (text.charCodeAt(j - 1) === 0x0d && text.charCodeAt(j - 2) === 0x5c)) {
            j++;
            continue;
          }
          break;
        }
        j++;
      }
      kind.fill(DIRECTIVE, i, j);
      i = j;
      continue;
    }
    if (c === 0x0a) lineStart = true;
    else if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0c) lineStart = false;
    i++;
  }
  return { text, kind };
}

export function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b;
}

/** Index of the next code character at or after `i` that is not whitespace or comment; n when none. */
export function nextSignificant(s: ScannedText, i: number): number {
  const n = s.text.length;
  while (i < n && (s.kind[i] === COMMENT || (s.kind[i] === CODE && isSpace(s.text.charCodeAt(i))))) i++;
  return i;
}

/** Index of the previous code character before `i` that is not whitespace or comment; -1 when none. */
export function prevSignificant(s: ScannedText, i: number): number {
  i--;
  while (i >= 0 && (s.kind[i] === COMMENT || (s.kind[i] === CODE && isSpace(s.text.charCodeAt(i))))) i--;
  return i;
}

/** Index of the `)` matching the `(` at `open`, counting code characters only; -1 when not found nearby. */
export function matchParen(s: ScannedText, open: number): number {
  let depth = 0;
  const limit = Math.min(s.text.length, open + MAX_PAREN_SPAN);
  for (let i = open; i < limit; i++) {
    if (s.kind[i] !== CODE) {
      if (s.kind[i] === DIRECTIVE) return -1; // a #line splits the argument list: give up
      continue;
    }
    const c = s.text.charCodeAt(i);
    if (c === 0x28) depth++;
    else if (c === 0x29) {
      depth--;
      if (depth === 0) return i;
    } else if (c === 0x7b || c === 0x7d || c === 0x3b) {
      // A brace or semicolon cannot be inside an annotation's or iterator's arguments
      // (statement expressions aside, which these rewrites do not need).
      return -1;
    }
  }
  return -1;
}

/** Splits the text between `open` and `close` (exclusive) at top-level commas; returns [start, end) spans. */
export function splitArgs(s: ScannedText, open: number, close: number): [number, number][] {
  const spans: [number, number][] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    if (s.kind[i] !== CODE) continue;
    const c = s.text.charCodeAt(i);
    if (c === 0x28 || c === 0x5b) depth++;
    else if (c === 0x29 || c === 0x5d) depth--;
    else if (c === 0x2c && depth === 0) {
      spans.push([start, i]);
      start = i + 1;
    }
  }
  if (close > open + 1 || spans.length > 0) spans.push([start, close]);
  return spans;
}

/** `text` with comments and string/char literals blanked (newlines kept): what a search for
 *  names in code must look at ("see try_to_unuse()" in a comment is not a call). */
export function codeOnly(text: string): string {
  const { kind } = scanText(text);
  const parts: string[] = [];
  let from = 0;
  let i = 0;
  while (i < text.length) {
    if (kind[i] !== COMMENT && kind[i] !== LITERAL) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && (kind[end] === COMMENT || kind[end] === LITERAL)) end++;
    parts.push(text.slice(from, i), text.slice(i, end).replace(/[^\n]/g, ' '));
    from = i = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** Splits code text (comments already blanked) at the commas outside (), [] and {}: the
 *  arguments when `text` is an argument list without its parentheses. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x29 || c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

/** The arguments of the call whose `(` is at `open` in code text (comments already
 *  blanked), or undefined when the list does not close. */
export function callArgumentTexts(text: string, open: number): string[] | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
    else if ((c === 0x29 || c === 0x5d || c === 0x7d) && --depth === 0) return splitTopLevel(text.slice(open + 1, i));
  }
  return undefined;
}
