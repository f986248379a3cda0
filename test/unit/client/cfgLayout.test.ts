import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CfgView } from '../../../server/src/engine/result';
import { edgePath, layoutCfg, shorten } from '../../../client/src/webview/cfgLayout';

// entry -> lock -> cond -(true)-> body -> cond (back edge) ; cond -(false)-> unlock -> exit
const loop: CfgView = {
  nodes: [
    { id: 0, kind: 'entry', label: 'demo', line: 9, held: '' },
    { id: 1, kind: 'call', label: 'folio_lock(folio);', line: 11, held: 'folio🔒' },
    { id: 2, kind: 'branch', label: 'while (folio_test_dirty(folio))', line: 12, held: 'folio🔒' },
    { id: 3, kind: 'call', label: 'folio_clear_dirty(folio);', line: 13, held: 'folio🔒' },
    { id: 4, kind: 'call', label: 'folio_unlock(folio);', line: 14, held: '' },
    { id: 5, kind: 'exit', label: 'return', line: 15, held: '' },
  ],
  edges: [
    { from: 0, to: 1 }, { from: 1, to: 2 }, { from: 2, to: 3, label: 'true' },
    { from: 3, to: 2, back: true }, { from: 2, to: 4, label: 'false' }, { from: 4, to: 5 },
  ],
};

test('dagre places every node inside the drawing without overlaps', () => {
  const layout = layoutCfg(loop);
  assert.equal(layout.nodes.length, 6);
  for (const n of layout.nodes) {
    assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= layout.width + 0.5 && n.y + n.height <= layout.height + 0.5, `node ${n.id} inside`);
  }
  for (const a of layout.nodes) {
    for (const b of layout.nodes) {
      if (a.id >= b.id) continue;
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      assert.ok(apart, `nodes ${a.id} and ${b.id} overlap`);
    }
  }
  const y = (id: number) => layout.nodes.find((n) => n.id === id)!.y;
  assert.ok(y(0) < y(1) && y(1) < y(2) && y(2) < y(4) && y(4) < y(5), 'forward flow runs top to bottom');
});

test('edges carry their branch label and the lock state of their source', () => {
  const layout = layoutCfg(loop);
  assert.equal(layout.edges.length, 6);
  const edge = (from: number, to: number) => layout.edges.find((e) => e.from === from && e.to === to)!;
  assert.equal(edge(2, 3).label, 'true');
  assert.equal(edge(2, 3).held, 'folio🔒');
  assert.equal(edge(4, 5).held, '');
  assert.equal(edge(3, 2).back, true);
  for (const e of layout.edges) assert.ok(e.points.length >= 2, `edge ${e.from}->${e.to} has a route`);
  assert.ok(edge(2, 3).labelPos, 'labelled edges get a label position');
});

test('edges to unknown nodes are dropped rather than crashing the view', () => {
  const layout = layoutCfg({ nodes: loop.nodes.slice(0, 2), edges: [{ from: 0, to: 1 }, { from: 1, to: 99 }] });
  assert.deepEqual(layout.edges.map((e) => [e.from, e.to]), [[0, 1]]);
});

test('long labels are shortened to one line and paths start with a move', () => {
  assert.equal(shorten('a\n  b'), 'a b');
  const long = shorten('x'.repeat(100));
  assert.equal(long.length, 44);
  assert.ok(long.endsWith('…'));
  assert.match(edgePath([{ x: 0, y: 0 }, { x: 5, y: 5 }, { x: 10, y: 0 }]), /^M0\.0,0\.0 Q5\.0,5\.0 7\.5,2\.5 L10\.0,0\.0$/);
  assert.equal(edgePath([]), '');
});
