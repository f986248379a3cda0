// Follows the functions of the last analysed text through the incremental edits
// that came after it: where each function is now (its lines shift when text
// above it grows or shrinks) and whether any edit touched it. Line granularity,
// inclusive at both ends, so an edit on a function's first or last line counts
// as touching it: conservative, never misses a change.

import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

export interface TrackedFunction {
  /** Key of the function in the analysed text: name plus its ordinal among same-named functions. */
  key: string;
  name: string;
  /** Current first and last line (0-based, inclusive). */
  startLine: number;
  endLine: number;
  /** Lines moved since the analysed text (valid while not dirty). */
  shift: number;
  dirty: boolean;
}

/** `name#n`: kernel files often define one name twice under #ifdef/#else. */
export function functionKeys(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return `${name}#${n}`;
  });
}

function newlineCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

export class EditTracker {
  private functions: TrackedFunction[] = [];
  /** True when a change replaced the whole document (no range): nothing can be reused. */
  private wholeDocumentReplaced = false;

  /** Starts tracking from a freshly analysed text. */
  reset(functions: { name: string; startLine: number; endLine: number }[]): void {
    const keys = functionKeys(functions.map((f) => f.name));
    this.functions = functions.map((f, i) => ({
      key: keys[i]!,
      name: f.name,
      startLine: f.startLine,
      endLine: f.endLine,
      shift: 0,
      dirty: false,
    }));
    this.wholeDocumentReplaced = false;
  }

  /** Applies one change event, in the order the client sent them (each relative to the text before it). */
  apply(change: TextDocumentContentChangeEvent): void {
    if (!('range' in change) || !change.range) {
      this.wholeDocumentReplaced = true;
      return;
    }
    const { start, end } = change.range;
    const delta = newlineCount(change.text) - (end.line - start.line);
    for (const f of this.functions) {
      if (end.line < f.startLine) {
        f.startLine += delta;
        f.endLine += delta;
        f.shift += delta;
      } else if (start.line > f.endLine) {
        // The edit is below this function: nothing moves.
      } else {
        f.dirty = true;
        // Keep an extent that still covers everything the function became.
        f.startLine = Math.min(f.startLine, start.line);
        f.endLine = Math.max(f.endLine + delta, start.line + newlineCount(change.text));
      }
    }
  }

  get replacedWholeDocument(): boolean {
    return this.wholeDocumentReplaced;
  }

  get tracked(): readonly TrackedFunction[] {
    return this.functions;
  }
}
