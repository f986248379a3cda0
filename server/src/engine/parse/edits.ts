// Same-length text edits: every rewrite before parsing keeps each character's offset,
// so tree-sitter positions are positions in the user's file.

export class SameLengthEdits {
  private readonly edits: { start: number; text: string }[] = [];

  constructor(private readonly original: string) {}

  /** Replaces [start, start + text.length) with `text`. */
  replace(start: number, text: string): void {
    this.edits.push({ start, text });
  }

  /** Replaces [start, end) with spaces, keeping line breaks so lines stay where they were. */
  blank(start: number, end: number): void {
    this.replace(start, this.original.slice(start, end).replace(/[^\r\n]/g, ' '));
  }

  get count(): number {
    return this.edits.length;
  }

  /** Applies the edits; later edits win where two overlap. */
  apply(): string {
    if (this.edits.length === 0) return this.original;
    const chars = new Map<number, string>();
    const sorted = [...this.edits].sort((a, b) => a.start - b.start);
    const parts: string[] = [];
    let at = 0;
    // Overlaps are rare (an annotation inside a rewritten span); resolve them per character.
    let overlapping = false;
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].start < sorted[i - 1].start + sorted[i - 1].text.length) overlapping = true;
    }
    if (overlapping) {
      for (const e of this.edits) for (let k = 0; k < e.text.length; k++) chars.set(e.start + k, e.text[k]);
      const positions = [...chars.keys()].sort((a, b) => a - b);
      for (const p of positions) {
        parts.push(this.original.slice(at, p), chars.get(p) as string);
        at = p + 1;
      }
    } else {
      for (const e of sorted) {
        parts.push(this.original.slice(at, e.start), e.text);
        at = e.start + e.text.length;
      }
    }
    parts.push(this.original.slice(at));
    return parts.join('');
  }
}
