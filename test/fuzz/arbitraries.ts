// fast-check arbitraries for hostile engine input. Every input is a string the editor or
// the CLI could hand to analyzeText: mutated slices of real kernel code, random bytes
// decoded as UTF-8 or Latin-1, NUL bytes and lone surrogates, deep nesting, unterminated
// comments and strings, and functions made of macros. Sizes stay small (a few KB, deep
// nesting aside) so thousands of inputs run in a minute; extremes.ts has the huge ones.

import fc from 'fast-check';
import type { Seed } from './seeds';

export interface FuzzInput {
  /** Which generator made it: per-kind statistics and saved reproducers use it. */
  kind: string;
  text: string;
}

/** Tokens spliced into kernel code: structure, the tracked APIs, and hostile characters. */
export const SPLICE_TOKENS: readonly string[] = [
  '{', '}', '(', ')', ';', ',', '[', ']', '*', '&', '->', '.', '=', '==', '!', '?', ':',
  'if (', 'else ', 'while (', 'for (;;) ', 'do {', '} while (0);', 'switch (x) {', 'case 1:', 'default:',
  'return ', 'return -EAGAIN;', 'return NULL;', 'goto out;', 'goto again;', 'out:', 'again:', 'break;', 'continue;',
  'folio_lock(folio);', 'folio_unlock(folio);', 'folio_trylock(folio)', 'folio_get(folio);', 'folio_put(folio);',
  'spin_lock(ptl);', 'spin_unlock(ptl);', 'pte_offset_map_lock(mm, pmd, addr, &ptl)', 'pte_unmap_unlock(ptep, ptl);',
  'rcu_read_lock();', 'rcu_read_unlock();', 'arch_enter_lazy_mmu_mode();', 'arch_leave_lazy_mmu_mode();',
  'split_folio(folio)', 'page_folio(page)', 'kmalloc(sz, GFP_KERNEL)', 'cond_resched();',
  'guard(spinlock)(ptl);', 'scoped_guard(rcu) {', 'list_for_each_entry(folio, &list, lru) {',
  '__acquires(ptl)', '__releases(ptl)', '__must_hold(&folio->lock)', 'SYSCALL_DEFINE2(x, int, a, int, b)',
  '#define FOO(x) do { x; } while (0)\n', '#if 0\n', '#ifdef CONFIG_X\n', '#else\n', '#endif\n', '#include <linux/mm.h>\n',
  '/*', '*/', '//', '"', "'", '\\', '\\\n', '##', '#', '\n', '\t', ' ',
  '\u0000', '\ufffd', '\ud800', '\udfff', '\u00ff', '\u200b', '\r', '\f', '\v', '\u2028',
];

type Mutation =
  | { op: 'insert'; at: number; token: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'truncate'; at: number };

/** A position as a fraction of the current length, so mutations compose on any text. */
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fraction, token: fc.constantFrom(...SPLICE_TOKENS) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fraction, length: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fraction }) },
);

export function applyMutation(text: string, m: Mutation): string {
  const at = Math.floor(m.at * (text.length + 1));
  switch (m.op) {
    case 'insert':
      return text.slice(0, at) + m.token + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
    case 'truncate':
      return text.slice(0, at);
  }
}

/** A window of a seed (about one to a few functions) with up to 12 mutations applied. */
export function mutatedKernel(seeds: readonly Seed[]): fc.Arbitrary<FuzzInput> {
  if (seeds.length === 0) throw new Error('mutatedKernel needs at least one seed');
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      start: fraction,
      length: fc.integer({ min: 200, max: 6000 }),
      mutations: fc.array(mutation, { maxLength: 12 }),
    })
    .map(({ seed, start, length, mutations }) => {
      const source = seeds[seed]!.text;
      // Start at a line boundary: windows then usually begin with whole declarations.
      const from = source.lastIndexOf('\n', Math.floor(start * source.length)) + 1;
      let text = source.slice(from, from + length);
      for (const m of mutations) text = applyMutation(text, m);
      return { kind: 'mutated-kernel', text };
    });
}

/** Random bytes decoded as a file reader would: UTF-8 (invalid sequences become U+FFFD) or Latin-1. */
export const randomBytes: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom('utf8' as const, 'latin1' as const))
  .map(([bytes, encoding]) => ({ kind: `random-bytes-${encoding}`, text: Buffer.from(bytes).toString(encoding) }));

/** Arbitrary UTF-16 code units: lone surrogates and every control character included. */
export const randomCodeUnits: fc.Arbitrary<FuzzInput> = fc
  .string({ unit: 'binary', maxLength: 2000 })
  .map((text) => ({ kind: 'random-code-units', text }));

/**
 * Kernel code with NUL bytes or invalid UTF-8 placed after the first 8 KB as well as
 * before it (a binary sniffer that looks only at the head must not be what saves us).
 */
export function nulAndInvalidUtf8(seeds: readonly Seed[]): fc.Arbitrary<FuzzInput> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      length: fc.integer({ min: 100, max: 12000 }),
      at: fc.array(fraction, { minLength: 1, maxLength: 6 }),
      bad: fc.constantFrom('\u0000', '\u0000\u0000\u0000\u0000', '\ufffd', '\ufffd\ufffd', '\ud800', '\udc00x', '\u0000\ufffd'),
    })
    .map(({ seed, length, at, bad }) => {
      let text = seeds[seed]!.text.slice(0, length);
      for (const f of at) {
        const i = Math.floor(f * (text.length + 1));
        text = text.slice(0, i) + bad + text.slice(i);
      }
      return { kind: 'nul-invalid-utf8', text };
    });
}

/** Nesting of one construct to a random depth inside a function that takes a folio lock. */
export const deepNesting: fc.Arbitrary<FuzzInput> = fc
  .record({
    shape: fc.constantFrom('braces', 'parens', 'if', 'if-braces', 'unclosed-braces', 'unclosed-parens'),
    depth: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 200 }) }, { weight: 1, arbitrary: fc.integer({ min: 200, max: 2000 }) }),
  })
  .map(({ shape, depth }) => ({ kind: `deep-${shape}`, text: nestedFunction(shape, depth) }));

export function nestedFunction(shape: string, depth: number): string {
  const head = 'static int nested(struct folio *folio, int x)\n{\n\tfolio_lock(folio);\n';
  const tail = '\tfolio_unlock(folio);\n\treturn 0;\n}\n';
  switch (shape) {
    case 'braces':
      return `${head}${'{'.repeat(depth)}x++;${'}'.repeat(depth)}\n${tail}`;
    case 'parens':
      return `${head}\tx = ${'('.repeat(depth)}x${')'.repeat(depth)};\n${tail}`;
    case 'if':
      return `${head}\t${'if (x) '.repeat(depth)}x++;\n${tail}`;
    case 'if-braces':
      return `${head}${'if (x) {\n'.repeat(depth)}x++;\n${'}\n'.repeat(depth)}${tail}`;
    case 'unclosed-braces':
      return `${head}${'{'.repeat(depth)}x++;\n`;
    case 'unclosed-parens':
      return `${head}\tx = ${'('.repeat(depth)}x;\n${tail}`;
    default:
      throw new Error(`unknown nesting shape ${shape}`);
  }
}

/** A slice of real code cut by an opening comment, string or character literal, or #if. */
export function unterminated(seeds: readonly Seed[]): fc.Arbitrary<FuzzInput> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      length: fc.integer({ min: 50, max: 5000 }),
      at: fraction,
      opener: fc.constantFrom('/*', '"', "'", '#if 1\n', '#ifdef X\n', '#define M(x) \\\n', 'L"', 'R"(', '//\\\n'),
    })
    .map(({ seed, length, at, opener }) => {
      const text = seeds[seed]!.text.slice(0, length);
      const i = Math.floor(at * (text.length + 1));
      return { kind: 'unterminated', text: text.slice(0, i) + opener + text.slice(i) };
    });
}

const MACRO_NAME = fc.constantFrom(
  'FOO', 'BAR', 'WARN_ON', 'VM_BUG_ON_FOLIO', 'unlikely', 'likely', 'READ_ONCE', 'for_each_thing', 'DEFINE_LOCK',
  'folio_lock', 'spin_lock', 'scoped_guard', 'guard', 'list_for_each_entry_safe', '__must_hold', 'SYSCALL_DEFINE3',
);
const MACRO_ARG = fc.constantFrom('folio', 'ptl', '&vma->vm_mm->page_table_lock', 'x', '{ x++; }', '(a, b)', 'a ## b', '#x', '', '...', 'struct folio *');

/** Statements and declarations that are all macro invocations, nested, sometimes with bodies. */
export const macrosEverywhere: fc.Arbitrary<FuzzInput> = fc
  .array(
    fc.tuple(MACRO_NAME, fc.array(MACRO_ARG, { maxLength: 4 }), fc.constantFrom(';', ' {', '', ')', ' }', ' {\n}')),
    { minLength: 1, maxLength: 40 },
  )
  .chain((statements) =>
    fc.constantFrom('fn', 'toplevel', 'define').map((where) => {
      const body = statements.map(([name, args, end]) => `\t${name}(${args.join(', ')})${end}`).join('\n');
      if (where === 'fn') return { kind: 'macros-fn', text: `static DEFINE_THING(x);\nstatic int MACRO_RET f(MACRO_ARGS(folio))\n{\n${body}\n}\n` };
      if (where === 'define') return { kind: 'macros-define', text: `#define BODY(folio) \\\n${body.replace(/\n/g, ' \\\n')}\nvoid g(void) { BODY(folio); }\n` };
      return { kind: 'macros-toplevel', text: `${body}\n` };
    }),
  );

/** Every generator, weighted toward structured inputs (where the parser and simulator are exercised). */
export function fuzzInput(seeds: readonly Seed[]): fc.Arbitrary<FuzzInput> {
  return fc.oneof(
    { weight: 10, arbitrary: mutatedKernel(seeds) },
    { weight: 2, arbitrary: randomBytes },
    { weight: 1, arbitrary: randomCodeUnits },
    { weight: 2, arbitrary: nulAndInvalidUtf8(seeds) },
    { weight: 2, arbitrary: deepNesting },
    { weight: 2, arbitrary: unterminated(seeds) },
    { weight: 3, arbitrary: macrosEverywhere },
  );
}

/** `count` inputs drawn deterministically from `seed` (the long run draws them in chunks). */
export function sampleFuzzInputs(seeds: readonly Seed[], count: number, seed: number): FuzzInput[] {
  return fc.sample(fuzzInput(seeds), { numRuns: count, seed });
}
