// CFG construction from kernel-style C: each construct's graph shape, spans, and a
// whole-mm/ run when a kernel tree is unpacked.

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initParser } from '../../server/src/engine/parse/parser';
import { parseDocument } from '../../server/src/engine/parse/functions';
import { buildCfg } from '../../server/src/engine/cfg/build';
import { printCfg } from '../../server/src/engine/cfg/print';
import type { BranchNode, CfgNode, FunctionCfg, JoinNode } from '../../server/src/engine/cfg/types';

before(async () => {
  await initParser();
});

/** Builds the CFG of the only (or the named) function in `src`. */
function cfgOf(src: string, name?: string): FunctionCfg {
  const doc = parseDocument(src);
  const fn = name ? doc.functions.find((f) => f.name === name) : doc.functions[0];
  assert.ok(fn, 'function not found');
  const cfg = buildCfg(fn);
  assertWellFormed(cfg);
  return cfg;
}

function assertWellFormed(cfg: FunctionCfg): void {
  const n = cfg.nodes.length;
  cfg.nodes.forEach((node, i) => assert.equal(node.id, i));
  for (const e of cfg.edges) assert.ok(e.from >= 0 && e.from < n && e.to >= 0 && e.to < n, `edge ${e.from}->${e.to}`);
  assert.equal(cfg.nodes[cfg.entry].kind, 'entry');
  assert.equal(cfg.nodes[cfg.exit].kind, 'exit');
}

function ofKind<K extends CfgNode['kind']>(cfg: FunctionCfg, kind: K): Extract<CfgNode, { kind: K }>[] {
  return cfg.nodes.filter((n): n is Extract<CfgNode, { kind: K }> => n.kind === kind);
}

function branchOn(cfg: FunctionCfg, text: string): BranchNode {
  const b = ofKind(cfg, 'branch').find((x) => x.cond.text === text);
  assert.ok(b, `no branch on ${text}\n${printCfg(cfg)}`);
  return b;
}

/** The node reached from `id` by skipping joins. */
function skipJoins(cfg: FunctionCfg, id: number): CfgNode {
  let node = cfg.nodes[id];
  for (let i = 0; node.kind === 'join' && i < 100; i++) node = cfg.nodes[node.next];
  return node;
}

/**
 * Asserts that node `id` is a jump join of kind `jump` spanning [line, character]-[endLine, endCharacter]
 * (0-based, from the test source) and returns it.
 */
function jumpJoin(cfg: FunctionCfg, id: number, jump: JoinNode['jump'], span: [number, number, number, number]): JoinNode {
  const node = cfg.nodes[id];
  assert.ok(node.kind === 'join' && node.jump === jump, `node ${id} is not a ${jump} join\n${printCfg(cfg)}`);
  assert.deepEqual([node.line, node.character, node.endLine, node.endCharacter], span, `span of the ${jump} join`);
  return node;
}

function jumpsOf(cfg: FunctionCfg, jump: JoinNode['jump']): JoinNode[] {
  return ofKind(cfg, 'join').filter((j) => j.jump === jump);
}

function isBackEdge(cfg: FunctionCfg, from: number, to: number): boolean {
  return cfg.edges.some((e) => e.from === from && e.to === to && e.back === true);
}

function evalOf(cfg: FunctionCfg, text: string): Extract<CfgNode, { kind: 'eval' }> {
  const e = ofKind(cfg, 'eval').find((x) => x.expr.text === text);
  assert.ok(e, `no eval of ${text}\n${printCfg(cfg)}`);
  return e;
}

describe('branches', () => {
  it('if/else gives one branch with both arms joining', () => {
    const cfg = cfgOf(`int f(struct folio *folio)
{
	if (folio_test_locked(folio))
		folio_unlock(folio);
	else
		folio_lock(folio);
	return 0;
}`);
    const b = branchOn(cfg, 'folio_test_locked(folio)');
    assert.equal(ofKind(cfg, 'branch').length, 1);
    assert.equal(b.origin, 'if');
    const t = skipJoins(cfg, b.onTrue);
    const f = skipJoins(cfg, b.onFalse);
    assert.equal(t.kind === 'eval' && t.expr.text, 'folio_unlock(folio)');
    assert.equal(f.kind === 'eval' && f.expr.text, 'folio_lock(folio)');
    assert.ok(t.kind === 'eval' && f.kind === 'eval' && t.next === f.next);
    // Spans: the branch is its condition; the return is the return statement.
    assert.deepEqual([b.line, b.character], [2, 5]);
    const ret = ofKind(cfg, 'return')[0];
    assert.deepEqual([ret.line, ret.character, ret.endCharacter], [6, 1, 10]);
    assert.equal(ret.next, cfg.exit);
  });

  it('decomposes && and || and ! into wired branch nodes', () => {
    const cfg = cfgOf(`int f(struct folio *folio, struct folio *fault_folio)
{
	if (fault_folio == folio || folio_trylock(folio))
		x();
	if (likely(a && !(b)))
		y();
	return 0;
}`);
    const eq = branchOn(cfg, 'fault_folio == folio');
    const trylock = branchOn(cfg, 'folio_trylock(folio)');
    assert.equal(eq.onFalse, trylock.id);
    assert.equal(eq.onTrue, trylock.onTrue);
    const a = branchOn(cfg, 'a');
    const b = branchOn(cfg, 'b');
    assert.equal(a.onTrue, b.id);
    assert.equal(a.onFalse, b.onTrue, '!b swaps the targets: b true leaves like a false');
    assert.equal(evalOf(cfg, 'y()').id, b.onFalse);
    for (const br of ofKind(cfg, 'branch')) assert.ok(!/^[!(]|&&|\|\|/.test(br.cond.text), br.cond.text);
    assert.equal(ofKind(cfg, 'branch').length, 4);
  });

  it('decomposes ?: in assignments, declarations, returns and conditions', () => {
    const cfg = cfgOf(`int f(int c, int d)
{
	int v = c ? 1 : 2;
	v = d ? v : 0;
	if (c ? d : !d)
		g();
	return v ? -EAGAIN : 0;
}`);
    const c = ofKind(cfg, 'branch').filter((b) => b.cond.text === 'c');
    assert.equal(c.length, 2);
    const decl = c.find((b) => b.origin === 'ternary' && cfg.nodes[b.onTrue].kind === 'assign');
    assert.ok(decl);
    const t = cfg.nodes[decl.onTrue];
    const f = cfg.nodes[decl.onFalse];
    assert.ok(t.kind === 'assign' && t.target === 'v' && t.value?.text === '1');
    assert.ok(f.kind === 'assign' && f.target === 'v' && f.value?.text === '2');
    const rets = ofKind(cfg, 'return');
    assert.deepEqual(rets.map((r) => r.value?.text).sort(), ['-EAGAIN', '0']);
    assert.ok(rets.every((r) => r.line === 6));
    const vRet = branchOn(cfg, 'v');
    assert.equal(vRet.origin, 'ternary');
    // In the if: c ? d : !d -> the d branches swap on the false side.
    const ds = ofKind(cfg, 'branch').filter((b) => b.cond.text === 'd' && b.origin === 'if');
    assert.equal(ds.length, 2);
    assert.equal(ds[0].onTrue, ds[1].onFalse);
  });

  it('treats WARN_ON, VM_BUG_ON and BUG as conditions and path ends', () => {
    const cfg = cfgOf(`void f(struct folio *folio)
{
	WARN_ON_ONCE(!folio);
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	if (WARN_ON(folio_ref_count(folio) < 1))
		return;
	if (unlikely(bad))
		BUG();
	done();
}`);
    const warn = branchOn(cfg, 'folio');
    assert.equal(warn.origin, 'warn');
    assert.equal(warn.onTrue, warn.onFalse, 'WARN continues on both sides');
    const bug = branchOn(cfg, 'folio_test_locked(folio)');
    assert.equal(cfg.nodes[bug.onFalse].kind, 'abort', 'VM_BUG_ON(!x): x false aborts');
    const w2 = branchOn(cfg, 'folio_ref_count(folio) < 1');
    assert.equal(cfg.nodes[w2.onTrue].kind, 'return');
    const bad = branchOn(cfg, 'bad');
    assert.equal(cfg.nodes[bad.onTrue].kind, 'abort');
    assert.equal(ofKind(cfg, 'abort').length, 2);
  });
});

describe('switch', () => {
  it('keeps cases in order with fall-through and grouped labels', () => {
    const cfg = cfgOf(`int f(int mode)
{
	switch (mode) {
	case 1:
	case 2:
		a();
		fallthrough;
	case 3:
		b();
		break;
	default:
		c();
	}
	return 0;
}`);
    const sw = ofKind(cfg, 'switch')[0];
    assert.equal(sw.discriminant.text, 'mode');
    assert.deepEqual(sw.cases.map((c) => c.values.map((v) => v.text)), [['1', '2'], ['3']]);
    const a = cfg.nodes[sw.cases[0].target];
    assert.ok(a.kind === 'eval' && a.expr.text === 'a()');
    assert.equal(a.next, sw.cases[1].target, 'case 1/2 falls through into case 3');
    const b = cfg.nodes[sw.cases[1].target];
    assert.ok(b.kind === 'eval' && b.expr.text === 'b()');
    // `break;` (line 9) is a join of its own that leaves the switch for the return.
    const brk = jumpJoin(cfg, b.next, 'break', [9, 2, 9, 8]);
    assert.equal(cfg.nodes[brk.next].kind, 'return', 'break leaves the switch');
    assert.equal(jumpsOf(cfg, 'break').length, 1);
    assert.equal(jumpsOf(cfg, 'loop-end').length, 0, 'a switch body is not a loop body');
    assert.ok(!cfg.edges.some((e) => e.back), 'nothing in a switch goes back');
    const c = cfg.nodes[sw.defaultTarget];
    assert.ok(c.kind === 'eval' && c.expr.text === 'c()');
    assert.deepEqual(cfg.edges.filter((e) => e.from === sw.id).map((e) => e.label), ['case 1, 2', 'case 3', 'default']);
  });
});

describe('loops and jumps', () => {
  it('while/for/do-while have loop heads with back edges; break and continue go where they should', () => {
    const cfg = cfgOf(`int f(int n)
{
	int i;
	while (n > 0) {
		if (n == 5)
			break;
		n--;
	}
	for (i = 0; i < n; i++) {
		if (i == 2)
			continue;
		work(i);
	}
	do {
		n++;
	} while (n < 10);
	do { once(); } while (0);
	return n;
}`);
    const heads = ofKind(cfg, 'join').filter((j) => j.loopHead);
    assert.equal(heads.length, 3, printCfg(cfg));
    const back = cfg.edges.filter((e) => e.back);
    // while body -> head, for step -> head, do-while test -> head; `continue` goes to the step, not the head.
    assert.equal(back.length, 3, printCfg(cfg));
    const [whileHead, forHead, doHead] = heads.sort((x, y) => x.line - y.line);
    assert.deepEqual([whileHead.line, forHead.line, doHead.line], [3, 8, 13]);

    // while: `break;` (line 5) is a join that leaves the loop for the for loop's init `i = 0`.
    const brk = branchOn(cfg, 'n == 5');
    const breakJoin = jumpJoin(cfg, brk.onTrue, 'break', [5, 3, 5, 9]);
    const init = cfg.nodes[breakJoin.next];
    assert.ok(init.kind === 'assign' && init.target === 'i' && init.value?.text === '0', 'break goes to the for loop init `i = 0`');
    assert.equal(branchOn(cfg, 'n > 0').onFalse, init.id, 'break and the loop test leave to the same place');
    // The while body ends at its closing brace (line 7), which goes back to the head.
    const whileEnd = jumpJoin(cfg, evalOf(cfg, 'n--').next, 'loop-end', [7, 1, 7, 2]);
    assert.equal(whileEnd.next, whileHead.id);
    assert.ok(isBackEdge(cfg, whileEnd.id, whileHead.id));

    // for: `continue;` (line 10) is a join that goes to the step `i++`, not to the head.
    const cont = branchOn(cfg, 'i == 2');
    const contJoin = jumpJoin(cfg, cont.onTrue, 'continue', [10, 3, 10, 12]);
    const step = cfg.nodes[contJoin.next];
    assert.ok(step.kind === 'eval' && step.expr.text === 'i++');
    assert.equal(step.next, forHead.id);
    assert.ok(isBackEdge(cfg, step.id, forHead.id));
    assert.ok(!isBackEdge(cfg, contJoin.id, step.id), 'continue reaches the step forward; the step goes back');
    // The for body's closing brace (line 12) also goes to the step.
    const forEnd = jumpJoin(cfg, evalOf(cfg, 'work(i)').next, 'loop-end', [12, 1, 12, 2]);
    assert.equal(forEnd.next, step.id);

    // do-while: the body's closing brace (line 15) leads to the test, whose true side goes back to the head.
    const doTest = branchOn(cfg, 'n < 10');
    assert.equal(doTest.origin, 'do-while');
    const doEnd = jumpJoin(cfg, evalOf(cfg, 'n++').next, 'loop-end', [15, 1, 15, 2]);
    assert.equal(doEnd.next, doTest.id);
    assert.equal(doTest.onTrue, doHead.id);
    assert.ok(isBackEdge(cfg, doTest.id, doHead.id));
    assert.equal(doHead.next, evalOf(cfg, 'n++').id);

    assert.ok(!ofKind(cfg, 'branch').some((b) => b.cond.text === '0'), 'do-while(0) is a plain block');
    const ret = ofKind(cfg, 'return')[0];
    assert.equal(evalOf(cfg, 'once()').next, ret.id, 'do-while(0) has no loop end');
    assert.equal(doTest.onFalse, evalOf(cfg, 'once()').id);
    assert.equal(jumpsOf(cfg, 'loop-end').length, 3);
    assert.equal(jumpsOf(cfg, 'break').length, 1);
    assert.equal(jumpsOf(cfg, 'continue').length, 1);
  });

  it('goto again is a back edge to a loop-head label; forward gotos are not', () => {
    const cfg = cfgOf(`static int f(pmd_t *pmd, unsigned long addr)
{
	pte_t *ptep;
	spinlock_t *ptl;
again:
	ptep = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!ptep)
		goto again;
	if (bad(ptep))
		goto out;
	pte_unmap_unlock(ptep, ptl);
	return 0;
out:
	pte_unmap_unlock(ptep, ptl);
	return -EAGAIN;
}`);
    const again = ofKind(cfg, 'join').find((j) => j.label === 'again');
    assert.ok(again?.loopHead);
    const backGoto = cfg.edges.find((e) => e.goto === 'again');
    assert.ok(backGoto?.back && backGoto.to === again.id);
    const fwd = cfg.edges.find((e) => e.goto === 'out');
    assert.ok(fwd && !fwd.back);
    const b = branchOn(cfg, 'ptep');
    const gotoNode = cfg.nodes[b.onFalse];
    assert.equal(gotoNode.line, 7, 'the goto node sits on the goto line');
    assert.ok(gotoNode.kind === 'join' && gotoNode.jump === 'goto' && gotoNode.next === again.id);
    assert.equal(jumpsOf(cfg, 'goto').length, 2);
    const assign = cfg.nodes[again.next];
    assert.ok(assign.kind === 'assign' && assign.target === 'ptep');
    assert.deepEqual(cfg.problems, []);
  });

  it('reports undefined labels as problems without throwing', () => {
    const cfg = cfgOf(`void f(void)
{
	goto nowhere;
}`);
    assert.equal(cfg.problems.length, 1);
    assert.match(cfg.problems[0], /nowhere/);
  });

  it('iterator macros are loops; pte_unmap_unlock(ptep - 1, ptl) after the loop is an eval', () => {
    const cfg = cfgOf(`static int scan(struct list_head *list, pte_t *ptep, spinlock_t *ptl)
{
	struct folio *folio, *tmp;
	list_for_each_entry_safe(folio, tmp, list, lru) {
		folio_put(folio);
	}
	xa_for_each(&mapping->i_pages, index, folio)
		count++;
	for (; addr != end; ptep++, addr += PAGE_SIZE) {
		if (!pte_present(ptep_get(ptep)))
			continue;
	}
	pte_unmap_unlock(ptep - 1, ptl);
	return 0;
}`);
    const iters = ofKind(cfg, 'iter');
    assert.deepEqual(iters.map((i) => i.macro).sort(), ['list_for_each_entry_safe', 'xa_for_each']);
    const list = iters.find((i) => i.macro === 'list_for_each_entry_safe');
    assert.ok(list);
    assert.deepEqual(list.vars, ['folio', 'tmp']);
    assert.equal(list.line, 3);
    assert.equal(list.call.childForFieldName('arguments')?.namedChildren.length, 4);
    const xa = iters.find((i) => i.macro === 'xa_for_each');
    assert.deepEqual(xa?.vars, ['index', 'folio']);
    const heads = ofKind(cfg, 'join').filter((j) => j.loopHead);
    const listHead = heads.find((h) => h.next === list.id);
    const xaHead = heads.find((h) => xa && h.next === xa.id);
    assert.ok(listHead && xaHead, printCfg(cfg));
    assert.equal(list.exit, xaHead.id, 'leaving the list loop enters the xa loop');
    const put = cfg.nodes[list.body];
    assert.ok(put.kind === 'eval' && put.expr.text === 'folio_put(folio)');
    // The braced body ends at its closing brace (line 5), which goes back to the iterator's head.
    const listEnd = jumpJoin(cfg, put.next, 'loop-end', [5, 1, 5, 2]);
    assert.equal(listEnd.next, listHead.id);
    assert.ok(isBackEdge(cfg, listEnd.id, listHead.id));
    // An unbraced body has no closing brace: its statement goes back itself.
    const count = cfg.nodes[xa?.body ?? -1];
    assert.ok(count?.kind === 'eval' && count.expr.text === 'count++');
    assert.equal(count.next, xaHead.id);
    assert.ok(isBackEdge(cfg, count.id, xaHead.id));
    // for: `continue;` (line 10) and the closing brace (line 11) both go to the step `ptep++, addr += PAGE_SIZE`.
    const present = branchOn(cfg, 'pte_present(ptep_get(ptep))');
    const contJoin = jumpJoin(cfg, present.onFalse, 'continue', [10, 3, 10, 12]);
    const forEnd = jumpJoin(cfg, present.onTrue, 'loop-end', [11, 1, 11, 2]);
    const step = cfg.nodes[contJoin.next];
    assert.ok(step.kind === 'eval' && step.expr.text === 'ptep++');
    assert.equal(forEnd.next, step.id);
    const step2 = cfg.nodes[step.next];
    assert.ok(step2.kind === 'eval' && step2.expr.text === 'addr += PAGE_SIZE');
    const loopTest = branchOn(cfg, 'addr != end');
    assert.equal(skipJoins(cfg, step2.next).id, loopTest.id, 'the step goes back to the head and its test');
    assert.ok(cfg.nodes[step2.next].kind === 'join' && isBackEdge(cfg, step2.id, step2.next));
    assert.equal(xa?.exit, step2.next, 'leaving the xa loop enters the for loop head');
    const unlock = evalOf(cfg, 'pte_unmap_unlock(ptep - 1, ptl)');
    assert.equal(unlock.line, 12);
    assert.equal(loopTest.onFalse, unlock.id);
    assert.equal(jumpsOf(cfg, 'loop-end').length, 2);
    assert.equal(jumpsOf(cfg, 'continue').length, 1);
  });
});

describe('guards', () => {
  it('guard() releases at block end, at return and at break; scoped_guard wraps its block', () => {
    const cfg = cfgOf(`static int f(struct zone *zone)
{
	scoped_guard(spinlock_irqsave, &zone->lock) {
		if (empty(zone))
			return -ENOENT;
		take(zone);
	}
	while (more()) {
		guard(rcu)();
		if (stop())
			break;
		step();
	}
	return 0;
}`);
    const acquires = ofKind(cfg, 'guard').filter((g) => g.action === 'acquire');
    const releases = ofKind(cfg, 'guard').filter((g) => g.action === 'release');
    assert.deepEqual(acquires.map((g) => g.guardType).sort(), ['rcu', 'spinlock_irqsave']);
    const irq = acquires.find((g) => g.guardType === 'spinlock_irqsave');
    assert.deepEqual(irq?.args.map((a) => a.text), ['&zone->lock']);
    // Every return inside the scoped guard is preceded by its release.
    const early = ofKind(cfg, 'return').find((r) => r.value?.text === '-ENOENT');
    assert.ok(early);
    const relBeforeReturn = releases.find((r) => r.next === early.id);
    assert.equal(relBeforeReturn?.guardType, 'spinlock_irqsave');
    // The rcu guard: released at the end of the loop body and on break.
    const rcuReleases = releases.filter((r) => r.guardType === 'rcu');
    assert.equal(rcuReleases.length, 2);
    // `break;` (line 10) is a join whose way out of the loop releases rcu first (the release spans the break).
    const stop = branchOn(cfg, 'stop()');
    const breakJoin = jumpJoin(cfg, stop.onTrue, 'break', [10, 3, 10, 9]);
    const onBreak = cfg.nodes[breakJoin.next];
    assert.ok(onBreak.kind === 'guard' && onBreak.action === 'release' && onBreak.guardType === 'rcu');
    assert.equal(onBreak.line, 10);
    const final = ofKind(cfg, 'return').find((r) => r.value?.text === '0');
    assert.equal(onBreak.next, final?.id, 'after the release the break leaves the loop');
    // End of the body: rcu is released at the closing brace (line 12), then the loop end goes back to the head.
    const atEnd = cfg.nodes[evalOf(cfg, 'step()').next];
    assert.ok(atEnd.kind === 'guard' && atEnd.action === 'release' && atEnd.guardType === 'rcu');
    assert.equal(atEnd.line, 12);
    const loopEnd = jumpJoin(cfg, atEnd.next, 'loop-end', [12, 1, 12, 2]);
    const head = cfg.nodes[loopEnd.next];
    assert.ok(head.kind === 'join' && head.loopHead && skipJoins(cfg, head.id).id === branchOn(cfg, 'more()').id);
    assert.ok(isBackEdge(cfg, loopEnd.id, head.id));
    // scoped_guard is not a loop: its closing brace is a release, not a loop end.
    assert.equal(jumpsOf(cfg, 'loop-end').length, 1);
    assert.equal(releases.filter((r) => r.guardType === 'spinlock_irqsave').length, 2);
  });
});

describe('#ifdef arms', () => {
  it('each arm is a branch on the preprocessor condition; #ifndef swaps', () => {
    const cfg = cfgOf(`void f(void)
{
#ifdef CONFIG_MEMCG
	a();
#else
	b();
#endif
#ifndef CONFIG_MEMCG
	c();
#endif
#if defined(CONFIG_X) && IS_ENABLED(CONFIG_Y)
	d();
#endif
}`);
    const memcg = ofKind(cfg, 'branch').filter((b) => b.cond.text === 'CONFIG_MEMCG');
    assert.equal(memcg.length, 2);
    assert.equal(evalOf(cfg, 'a()').id, memcg.find((b) => b.line === 2)?.onTrue);
    assert.equal(evalOf(cfg, 'c()').id, memcg.find((b) => b.line === 7)?.onFalse);
    assert.equal(ofKind(cfg, 'branch').length, 4);
  });
});

describe('robustness', () => {
  it('never throws on deeply nested input', () => {
    const depth = 3000;
    const src = `void f(void)\n{\n${'if (a) {'.repeat(depth)}x();${'}'.repeat(depth)}\n}`;
    const doc = parseDocument(src);
    for (const fn of doc.functions) assertWellFormed(buildCfg(fn));
    doc.dispose();
  });

  const mm = '/tmp/ksrc/linux-6.12/mm';
  it('parses all of mm/ and builds every CFG', { skip: !fs.existsSync(mm) && 'no kernel tree at /tmp/ksrc' }, () => {
    let functions = 0;
    let withErrors = 0;
    let files = 0;
    const started = Date.now();
    for (const name of fs.readdirSync(mm).filter((f) => f.endsWith('.c'))) {
      files++;
      const doc = parseDocument(fs.readFileSync(path.join(mm, name), 'utf8'));
      for (const fn of doc.functions) {
        functions++;
        if (fn.hasParseErrors) withErrors++;
        const cfg = buildCfg(fn);
        assert.ok(!cfg.problems.some((p) => p.startsWith('CFG construction failed')), `${name}: ${fn.name}: ${cfg.problems}`);
      }
      doc.dispose();
    }
    console.log(`mm/: ${files} files, ${functions} functions, ${withErrors} with ERROR nodes, ${Date.now() - started} ms`);
    assert.ok(functions >= 5500, `only ${functions} functions`);
  });
});
