// Locates the first JSON syntax error in a text as line:column with a plain message.
// JSON.parse's own messages differ between Node versions and sometimes carry no position
// at all ("Unexpected end of JSON input"); users need to know where to look.

export interface JsonSyntaxError {
  /** 1-based, as editors show them. */
  line: number;
  column: number;
  offset: number;
  message: string;
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(message: string, at = this.pos): never {
    throw new LocatedError(message, at);
  }

  skipSpace(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        this.pos++;
        continue;
      }
      if (ch === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) {
        this.fail('comments are not allowed in JSON');
      }
      return;
    }
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return 'end of input';
    return JSON.stringify(this.text[this.pos]);
  }

  value(depth: number): void {
    if (depth > 512) this.fail('nesting too deep');
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.fail(`expected a value but found ${this.describeHere()}`);
  }

  object(depth: number): void {
    this.pos++; // {
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') this.fail('trailing comma before "}"');
      if (this.text[this.pos] !== '"') this.fail(`expected a property name in double quotes but found ${this.describeHere()}`);
      this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail(`expected ":" after the property name but found ${this.describeHere()}`);
      this.pos++;
      this.value(depth + 1);
      this.skipSpace();
      const ch = this.text[this.pos];
      if (ch === ',') {
        this.pos++;
        continue;
      }
      if (ch === '}') {
        this.pos++;
        return;
      }
      this.fail(`expected "," or "}" but found ${this.describeHere()}`);
    }
  }

  array(depth: number): void {
    this.pos++; // [
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ']') this.fail('trailing comma before "]"');
      this.value(depth + 1);
      this.skipSpace();
      const ch = this.text[this.pos];
      if (ch === ',') {
        this.pos++;
        continue;
      }
      if (ch === ']') {
        this.pos++;
        return;
      }
      this.fail(`expected "," or "]" but found ${this.describeHere()}`);
    }
  }

  string(): void {
    const start = this.pos;
    this.pos++; // opening quote
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', start);
      const ch = this.text[this.pos];
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === '\\') {
        const esc = this.text[this.pos + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.fail('bad \\u escape');
          this.pos += 6;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) this.fail('bad escape in string');
        this.pos += 2;
        continue;
      }
      if (ch < ' ') this.fail('control character in string (use an escape)');
      this.pos++;
    }
  }

  number(): void {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) this.fail('malformed number');
    this.pos += m[0].length;
  }

  document(): void {
    this.value(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describeHere()} after the end of the JSON value`);
  }
}

class LocatedError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (e) {
    if (!(e instanceof LocatedError)) throw e;
    return { ...lineAndColumn(text, e.offset), offset: e.offset, message: e.message };
  }
}
