// Join-point merging (sim/explore.ts): past the exact-state cap, states that hold the same
// locks and references and agree on what later branches test (NULL, zero, sign, flags) are
// merged; the function is still complete, the merge is counted for the hover, and a defect
// after the merge point is still found. (Exact values are not kept apart: a branch that only
// one of the merged values could take is not followed; the hover says how many merged.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, initEngine } from '../../server/src/engine';
import type { StoredAnalysis } from '../../server/src/lsp/documents';
import { hoverMarkdown } from '../../server/src/lsp/hover';

// Five independent conditions give 32 values of `weight` at the last join: more than the
// exact-state cap, all with nothing held.
const SOURCE = `
static DEFINE_SPINLOCK(weights_lock);

void sum_weights(int a, int b, int c, int d, int e)
{
	int weight = 0;

	if (a)
		weight += 1;
	if (b)
		weight += 2;
	if (c)
		weight += 4;
	if (d)
		weight += 8;
	if (e)
		weight += 16;
	spin_lock(&weights_lock);
	if (record_weight(weight) < 0)
		return;
	spin_unlock(&weights_lock);
}
`;

test('many states at a join are merged, the function stays complete and the leak after it is found', async () => {
  await initEngine();
  const result = analyzeText('file:///merge.c', SOURCE, { detail: 'full' });
  const fa = result.functions.find((f) => f.name === 'sum_weights');
  assert.ok(fa);
  assert.equal(fa.complete, true);
  assert.ok((fa.mergedStates ?? 0) > 0, `merged states: ${fa.mergedStates}`);
  const leakLine = SOURCE.split('\n').findIndex((l) => l.includes('return;'));
  assert.deepEqual(
    result.findings.map((f) => `${f.rule}@${f.range.start.line}`),
    [`lock-leak@${leakLine}`],
  );

  const stored = { uri: 'file:///merge.c', version: 1, text: SOURCE, analysis: result, versionOrigin: 'default' } as unknown as StoredAnalysis;
  const hover = hoverMarkdown(stored, fa, leakLine);
  assert.match(hover, new RegExp(`${fa.mergedStates} states were merged into one holding the same locks and references`));
});
