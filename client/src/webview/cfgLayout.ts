// Lays out a function's CFG with dagre (no layout algorithm of our own). Pure: no DOM,
// so it runs in the webview and in unit tests alike. Text widths are estimated from a
// monospace character width because the layout happens before anything is drawn.

import * as dagre from '@dagrejs/dagre';
import type { CfgView } from '../../../server/src/engine/result';

export const CHAR_WIDTH = 7.3;
export const LINE_HEIGHT = 15;
const PAD_X = 8;
const PAD_Y = 6;
const MAX_LABEL = 44;

export interface LaidOutNode {
  id: number;
  kind: string;
  /** Lines of text: the (possibly shortened) label, then the held state if any. */
  label: string;
  held: string;
  line: number;
  /** Top-left corner and size. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  from: number;
  to: number;
  label: string;
  /** Lock state carried along the edge: what the source node holds on exit. */
  held: string;
  back: boolean;
  points: { x: number; y: number }[];
  labelPos?: { x: number; y: number };
}

export interface CfgLayout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

export function shorten(text: string, max = MAX_LABEL): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : oneLine.slice(0, max - 1) + '…';
}

/** Text on an edge: its branch label and the lock state it carries, if any. */
export function edgeText(label: string, held: string): string {
  return [label, held].filter((s) => s.length > 0).join(' · ');
}

export function layoutCfg(cfg: CfgView): CfgLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));

  const byId = new Map<number, CfgView['nodes'][number]>();
  for (const node of cfg.nodes) {
    byId.set(node.id, node);
    const label = shorten(node.label);
    const kindLine = `${node.kind}${node.line >= 0 ? ` · line ${node.line + 1}` : ''}`;
    const held = shorten(node.held);
    const widest = Math.max(label.length, kindLine.length, held.length);
    const lines = held.length > 0 ? 3 : 2;
    g.setNode(String(node.id), {
      width: Math.ceil(widest * CHAR_WIDTH + 2 * PAD_X),
      height: lines * LINE_HEIGHT + 2 * PAD_Y,
    });
  }

  cfg.edges.forEach((edge, index) => {
    if (!byId.has(edge.from) || !byId.has(edge.to)) return;
    const text = edgeText(edge.label ?? '', shorten(byId.get(edge.from)?.held ?? '', 24));
    g.setEdge(String(edge.from), String(edge.to), {
      width: text.length > 0 ? Math.ceil(text.length * CHAR_WIDTH * 0.85) : 0,
      height: text.length > 0 ? LINE_HEIGHT : 0,
      labelpos: 'c',
      // Back edges should not pull loop heads down: dagre reverses cycles itself, and
      // a lower weight keeps the forward flow straight.
      weight: edge.back ? 1 : 2,
    }, `e${index}`);
  });

  dagre.layout(g);

  const nodes: LaidOutNode[] = cfg.nodes.map((node) => {
    const n = g.node(String(node.id));
    return {
      id: node.id,
      kind: node.kind,
      label: shorten(node.label),
      held: shorten(node.held),
      line: node.line,
      x: n.x - n.width / 2,
      y: n.y - n.height / 2,
      width: n.width,
      height: n.height,
    };
  });

  const edges: LaidOutEdge[] = [];
  cfg.edges.forEach((edge, index) => {
    if (!byId.has(edge.from) || !byId.has(edge.to)) return;
    const e = g.edge(String(edge.from), String(edge.to), `e${index}`) as dagre.GraphEdge & { x?: number; y?: number };
    const held = byId.get(edge.from)?.held ?? '';
    edges.push({
      from: edge.from,
      to: edge.to,
      label: edge.label ?? '',
      held: shorten(held, 24),
      back: edge.back === true,
      points: (e.points ?? []).map((p) => ({ x: p.x, y: p.y })),
      labelPos: typeof e.x === 'number' && typeof e.y === 'number' ? { x: e.x, y: e.y } : undefined,
    });
  });

  const graph = g.graph();
  return { width: Math.ceil(graph.width ?? 0), height: Math.ceil(graph.height ?? 0), nodes, edges };
}

/** An SVG path through dagre's edge points: straight segments, rounded at the bends. */
export function edgePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let d = `M${first.x.toFixed(1)},${first.y.toFixed(1)}`;
  for (let i = 0; i < rest.length; i++) {
    const p = rest[i];
    const next = rest[i + 1];
    if (next) {
      const mx = (p.x + next.x) / 2;
      const my = (p.y + next.y) / 2;
      d += ` Q${p.x.toFixed(1)},${p.y.toFixed(1)} ${mx.toFixed(1)},${my.toFixed(1)}`;
    } else {
      d += ` L${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    }
  }
  return d;
}

export const TEXT_PAD = { x: PAD_X, y: PAD_Y };
