// Draws a laid-out CFG as SVG: one box per node (statement, kind and line, lock state
// held after it) and one arrow per edge (branch label and the lock state it carries).

import { svg } from './dom';
import { CfgLayout, LINE_HEIGHT, TEXT_PAD, edgePath, edgeText } from './cfgLayout';

export interface CfgHandlers {
  onNodeClick(line: number): void;
}

export function renderCfgSvg(layout: CfgLayout, findingLines: Set<number>, handlers: CfgHandlers): SVGElement {
  const root = svg('svg', {
    class: 'cfg',
    width: layout.width,
    height: layout.height,
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'img',
    'aria-label': 'Control-flow graph with the lock state on each node and edge',
  });

  const defs = svg('defs', {}, svg('marker', {
    id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse',
  }, svg('path', { d: 'M0,0 L10,5 L0,10 z' })));
  root.append(defs);

  const edgeLayer = svg('g', { class: 'edges' });
  for (const edge of layout.edges) {
    const classes = ['edge'];
    if (edge.back) classes.push('back');
    if (edge.held.length > 0) classes.push('held');
    const g = svg('g', { class: classes.join(' '), 'data-from': edge.from, 'data-to': edge.to });
    g.append(svg('path', { d: edgePath(edge.points), 'marker-end': 'url(#arrow)' }));
    const text = edgeText(edge.label, edge.held);
    if (text.length > 0 && edge.labelPos) {
      const t = svg('text', { x: edge.labelPos.x, y: edge.labelPos.y + 4, 'text-anchor': 'middle' });
      if (edge.label) t.append(svg('tspan', {}, edge.label));
      if (edge.label && edge.held) t.append(svg('tspan', {}, ' · '));
      if (edge.held) t.append(svg('tspan', { class: 'held' }, edge.held));
      g.append(t);
    }
    edgeLayer.append(g);
  }
  root.append(edgeLayer);

  const nodeLayer = svg('g', { class: 'nodes' });
  for (const node of layout.nodes) {
    const classes = ['node'];
    if (node.held.length > 0) classes.push('held');
    if (node.line >= 0 && findingLines.has(node.line)) classes.push('finding');
    const g = svg('g', {
      class: classes.join(' '),
      'data-id': node.id,
      'data-line': node.line,
      transform: `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`,
      tabindex: 0,
    });
    g.append(svg('title', {}, `${node.kind}${node.line >= 0 ? ` at line ${node.line + 1}` : ''}${node.held ? ` — holds ${node.held}` : ''}`));
    g.append(svg('rect', { width: node.width, height: node.height, rx: 4, ry: 4 }));
    let y = TEXT_PAD.y + LINE_HEIGHT - 3;
    g.append(svg('text', { class: 'kind', x: TEXT_PAD.x, y }, `${node.kind}${node.line >= 0 ? ` · line ${node.line + 1}` : ''}`));
    y += LINE_HEIGHT;
    g.append(svg('text', { class: 'label', x: TEXT_PAD.x, y }, node.label));
    if (node.held.length > 0) {
      y += LINE_HEIGHT;
      g.append(svg('text', { class: 'held', x: TEXT_PAD.x, y }, node.held));
    }
    if (node.line >= 0) {
      const reveal = () => handlers.onNodeClick(node.line);
      g.addEventListener('click', reveal);
      g.addEventListener('keydown', (ev) => {
        if ((ev as KeyboardEvent).key === 'Enter') reveal();
      });
    }
    nodeLayer.append(g);
  }
  root.append(nodeLayer);
  return root;
}

/** Marks the nodes whose lines a path passes through (by its steps), clearing any earlier mark. */
export function highlightLines(root: SVGElement, lines: Set<number>): void {
  root.querySelectorAll('g.node').forEach((g) => {
    const line = Number(g.getAttribute('data-line'));
    g.classList.toggle('on-path', lines.has(line));
  });
}
