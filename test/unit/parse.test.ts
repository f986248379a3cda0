// Kernel-tolerant parsing: annotation blanking with exact offsets, macro rewrites,
// function collection and recovery.

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../../server/src/engine/parse/parser';
import { parseDocument } from '../../server/src/engine/parse/functions';
import { preprocessKernelC } from '../../server/src/engine/parse/preprocess';
import { codeOnly } from '../../server/src/engine/parse/scan';
import { documentConstants } from '../../server/src/engine/parse/constants';
import type { FunctionDef, ParsedDocument } from '../../server/src/engine/parse/types';

before(async () => {
  await initParser();
});

function parse(src: string): ParsedDocument {
  return parseDocument(src);
}

function fn(doc: ParsedDocument, name: string): FunctionDef {
  const f = doc.functions.find((x) => x.name === name);
  assert.ok(f, `function ${name} not found; found: ${doc.functions.map((x) => x.name).join(', ')}`);
  return f;
}

describe('annotations', () => {
  it('reads lock annotations and blanks them with same-length spaces', () => {
    const src = [
      'static void unlock_it(spinlock_t *ptl)',
      '\t__releases(ptl)',
      '{',
      '\tspin_unlock(ptl);',
      '}',
      'static bool try_it(struct folio *folio) __cond_acquires(ret, &folio->lock)',
      '{',
      '\treturn folio_trylock(folio);',
      '}',
      'static int __init setup_it(void) __must_hold(&mm->mmap_lock) __acquires(x)',
      '{',
      '\treturn 0;',
      '}',
    ].join('\n');
    const doc = parse(src);
    assert.equal(doc.text.length, src.length);
    assert.equal(doc.text.split('\n').length, src.split('\n').length);
    assert.deepEqual(fn(doc, 'unlock_it').annotations, [{ kind: 'releases', args: ['ptl'] }]);
    assert.deepEqual(fn(doc, 'try_it').annotations, [{ kind: 'cond_acquires', args: ['ret', '&folio->lock'] }]);
    assert.deepEqual(fn(doc, 'setup_it').annotations, [
      { kind: 'must_hold', args: ['&mm->mmap_lock'] },
      { kind: 'acquires', args: ['x'] },
    ]);
    // The blanked spans are spaces exactly where the annotations were.
    const at = src.indexOf('__releases(ptl)');
    assert.equal(doc.text.slice(at, at + '__releases(ptl)'.length), ' '.repeat('__releases(ptl)'.length));
    const init = src.indexOf('__init');
    assert.equal(doc.text.slice(init, init + 6), '      ');
    // Everything else is untouched, so offsets map 1:1.
    assert.equal(doc.text.slice(0, at), src.slice(0, at));
    for (const f of doc.functions) assert.equal(f.hasParseErrors, false, f.name);
    assert.equal(doc.tree.rootNode.hasError, false);
    // The body statement is where it is in the original text.
    const unlock = fn(doc, 'unlock_it').body.namedChild(0);
    assert.equal(unlock?.startIndex, src.indexOf('spin_unlock(ptl);'));
    doc.dispose();
  });

  it('blanks grammar-breaking attributes but never text in strings or comments', () => {
    const src = [
      '/* __init and __user stay in comments */',
      'static const char *msg = "__init __user __attribute__((x))";',
      'static int __always_inline __must_check helper(void __user *p, char __iomem *io) __attribute__((nonnull(1)))',
      '{',
      '\treturn p != NULL; // __percpu here too',
      '}',
      'int __weak __printf(2, 3) logf(int lvl, const char *fmt, ...)',
      '{',
      '\treturn lvl;',
      '}',
    ].join('\n');
    const doc = parse(src);
    assert.ok(doc.text.startsWith('/* __init and __user stay in comments */'));
    assert.ok(doc.text.includes('"__init __user __attribute__((x))"'));
    assert.ok(doc.text.includes('// __percpu here too'));
    assert.ok(!/__always_inline|__must_check|__iomem|__attribute__\(\(nonnull/.test(doc.text));
    const helper = fn(doc, 'helper');
    assert.deepEqual(helper.params, [
      { name: 'p', type: 'void *' },
      { name: 'io', type: 'char *' },
    ]);
    assert.equal(helper.isStatic, true);
    assert.equal(helper.returnType, 'int');
    assert.equal(fn(doc, 'logf').params.length, 2);
    doc.dispose();
  });
});

describe('function collection', () => {
  it('reads names, parameter types, return types and static', () => {
    const src = [
      'static struct folio *lookup(struct address_space *mapping, struct page **pages, unsigned long nr)',
      '{',
      '\treturn NULL;',
      '}',
      'void noargs(void)',
      '{',
      '}',
    ].join('\n');
    const doc = parse(src);
    const f = fn(doc, 'lookup');
    assert.equal(f.returnType, 'struct folio *');
    assert.equal(f.isStatic, true);
    assert.deepEqual(f.params, [
      { name: 'mapping', type: 'struct address_space *' },
      { name: 'pages', type: 'struct page **' },
      { name: 'nr', type: 'unsigned long' },
    ]);
    assert.deepEqual(fn(doc, 'noargs').params, []);
    assert.equal(fn(doc, 'noargs').isStatic, false);
    assert.equal(f.range.start.line, 0);
    assert.equal(f.range.end.line, 3);
    doc.dispose();
  });

  it('keeps the other functions when one is broken', () => {
    const src = [
      'int before(void)',
      '{',
      '\treturn 1;',
      '}',
      '',
      'static int broken(int x)',
      '{',
      '\tif (x) { return 2; ) ]',
      '\twhile (',
      '}',
      '',
      'int after(struct folio *folio)',
      '{',
      '\tfolio_lock(folio);',
      '\treturn 3;',
      '}',
    ].join('\n');
    const doc = parse(src);
    assert.ok(doc.tree.rootNode.hasError);
    fn(doc, 'before');
    const after = fn(doc, 'after');
    assert.equal(after.body.startPosition.row, 12);
    doc.dispose();
  });

  it('turns SYSCALL_DEFINEn into sys_<name> with its parameters', () => {
    const src = [
      'SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len,',
      '\t\tunsigned long, prot)',
      '{',
      '\treturn do_mprotect_pkey(start, len, prot, -1);',
      '}',
      'SYSCALL_DEFINE0(sync)',
      '{',
      '\treturn 0;',
      '}',
    ].join('\n');
    const doc = parse(src);
    const f = fn(doc, 'sys_mprotect');
    assert.deepEqual(f.params.map((p) => `${p.type} ${p.name}`), ['unsigned long start', 'size_t len', 'unsigned long prot']);
    assert.equal(f.hasParseErrors, false);
    fn(doc, 'sys_sync');
    assert.equal(doc.text.length, src.length);
    doc.dispose();
  });

  it('rewrites `struct X` macro arguments only where it removes errors', () => {
    const src = [
      'static void walk(struct list_head *head, struct rb_node *n)',
      '{',
      '\tstruct page *p = container_of(n, struct page, rb);',
      '\tstruct folio *f = list_first_entry(head, struct folio, lru);',
      '\tunsigned int k = min_t(unsigned int, 3, sizeof(struct page));',
      '\tuse(p, f, k, (struct page *)n);',
      '}',
    ].join('\n');
    const plain = preprocessKernelC(src);
    assert.ok(plain.text.includes('container_of(n, struct_page, rb)'));
    assert.ok(plain.text.includes('min_t(unsigned_int, 3, sizeof(struct page))'));
    assert.ok(plain.text.includes('(struct page *)n'));
    const doc = parse(src);
    assert.equal(fn(doc, 'walk').hasParseErrors, false);
    doc.dispose();
  });

  it('rewrites iterator macros into loops without moving the body', () => {
    const src = [
      'static void drain(struct list_head *list)',
      '{',
      '\tstruct folio *folio, *next;',
      '\tlist_for_each_entry_safe(folio, next, list, lru) {',
      '\t\tfolio_put(folio);',
      '\t}',
      '\tfor_each_online_node(nid)',
      '\t\tcount++;',
      '}',
    ].join('\n');
    const doc = parse(src);
    const f = fn(doc, 'drain');
    assert.equal(f.hasParseErrors, false);
    const put = f.body.descendantsOfType('call_expression').find((c) => c?.text === 'folio_put(folio)');
    assert.equal(put?.startIndex, src.indexOf('folio_put(folio)'));
    doc.dispose();
  });

  it('never throws on binary or empty input', () => {
    const bytes = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    for (const input of ['', '\0\0\0', bytes, '{{{{', 'int f(void) { "unterminated', '/* open comment']) {
      const doc = parse(input);
      assert.equal(doc.text.length, input.length);
      doc.dispose();
    }
  });
});

it('codeOnly blanks comments and literals, keeps lines and length', () => {
  const text = 'lock(a); /* see unlock(b)\n and more */ f("unlock(c)"); // g()\nh(\'x\');';
  const code = codeOnly(text);
  assert.equal(code.length, text.length);
  assert.deepEqual(code.split('\n').length, text.split('\n').length);
  assert.deepEqual(code.match(/[A-Za-z_]\w*(?=\()/g), ['lock', 'f', 'h']);
});

it('document constants include enums declared inside a function body and file-scope defines', () => {
  const doc = parseDocument(['#define MODE_BASE 4', 'enum top { T_A, T_B };', 'void f(void)', '{', '\tenum modes { M_NONE = MODE_BASE, M_FREE, M_PARTIAL };', '\tg(M_PARTIAL);', '}', ''].join('\n'));
  try {
    const k = documentConstants(doc.tree, {});
    assert.deepEqual([k.get('MODE_BASE'), k.get('T_B'), k.get('M_NONE'), k.get('M_PARTIAL')], [4, 1, 4, 6]);
  } finally {
    doc.dispose();
  }
});
