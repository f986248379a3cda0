// The fixed extreme inputs issue 4 names: 10,000-deep nesting of braces, parentheses
// and if statements, a 5 MB file, NUL bytes and invalid UTF-8, unterminated comments and
// strings. Built in memory from seeds, never stored.

import { nestedFunction, type FuzzInput } from './arbitraries';
import type { Seed } from './seeds';

export const DEEP = 10_000;
export const FIVE_MB = 5 * 1024 * 1024;

export function deepInputs(depth = DEEP): FuzzInput[] {
  return ['braces', 'parens', 'if', 'if-braces', 'unclosed-braces', 'unclosed-parens'].map((shape) => ({
    kind: `deep-${shape}-${depth}`,
    text: nestedFunction(shape, depth),
  }));
}

/**
 * 5 MB the way big kernel files are big: a generated table (firmware blobs, register
 * lists) with a few locking functions around it. Cheap to simulate, so CI can afford it.
 */
export function fiveMegabyteTable(seeds: readonly Seed[]): FuzzInput {
  const functions = seeds.map((s) => s.text.slice(0, 20_000)).join('\n');
  const row = '\t0x00, 0x1f, 0x2e, 0x3d, 0x4c, 0x5b, 0x6a, 0x79, 0x88, 0x97, 0xa6, 0xb5, 0xc4, 0xd3, 0xe2, 0xf1,\n';
  const rows = Math.ceil((FIVE_MB - functions.length) / row.length);
  const text = `${functions}\nstatic const unsigned char blob[] = {\n${row.repeat(rows)}};\n`;
  return { kind: 'five-mb-table', text: text.slice(0, FIVE_MB) };
}

/** 5 MB of real kernel code: the seeds repeated until the size is reached (the long run only). */
export function fiveMegabyteCode(seeds: readonly Seed[]): FuzzInput {
  const all = seeds.map((s) => s.text).join('\n');
  let text = '';
  while (text.length < FIVE_MB) text += all;
  // Cut at a line end: the tail is then a half function, as in a file being written.
  return { kind: 'five-mb-code', text: text.slice(0, text.lastIndexOf('\n', FIVE_MB) + 1) };
}

/** NUL bytes and invalid UTF-8 at the head, and only after the first 64 KB. */
export function hostileEncodings(seeds: readonly Seed[]): FuzzInput[] {
  // Just over 64 KB: enough to put the bad bytes beyond any head a binary sniffer reads.
  const code = seeds.map((s) => s.text).join('\n').slice(0, 72_000);
  const invalidUtf8 = Buffer.concat([Buffer.from(code.slice(0, 66_000)), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xff, 0xfe]), Buffer.from(code.slice(66_000))]);
  return [
    { kind: 'nul-at-head', text: `\u0000${code}` },
    { kind: 'nul-after-64k', text: `${code.slice(0, 65_536)}\u0000\u0000${code.slice(65_536)}` },
    { kind: 'nul-every-line-after-64k', text: code.slice(0, 65_536) + code.slice(65_536).replace(/\n/g, '\u0000\n') },
    { kind: 'invalid-utf8-decoded', text: invalidUtf8.toString('utf8') },
    { kind: 'invalid-utf8-latin1', text: invalidUtf8.toString('latin1') },
    { kind: 'lone-surrogates', text: code.slice(0, 20_000).replace(/;/g, ';\ud800') },
  ];
}

/** Real code with an opener that is never closed, placed early so most of the file is swallowed. */
export function unterminatedInputs(seeds: readonly Seed[]): FuzzInput[] {
  const code = seeds.map((s) => s.text).join('\n').slice(0, 20_000);
  const at = code.indexOf('{') + 1;
  return ['/*', '"', "'", '#if 0\n', '#define X \\\n', 'R"('].map((opener) => ({
    kind: `unterminated-${JSON.stringify(opener)}`,
    text: code.slice(0, at) + opener + code.slice(at),
  }));
}
