// The node store of a CFG under construction: allocation, placeholders for forward
// references (loop heads, labels), and the final edge list.

import type { SyntaxNode } from '../parse/syntax';
import type { CfgEdge, CfgNode, CfgNodeId, FunctionCfg, SourceSpan } from './types';

/** Distributive Omit, so each member of the CfgNode union keeps its own fields. */
type WithoutBase<T> = T extends unknown ? Omit<T, 'id' | 'line' | 'character' | 'endLine' | 'endCharacter'> : never;
export type NodeData = WithoutBase<CfgNode>;

export function spanOf(node: SyntaxNode): SourceSpan {
  return {
    line: node.startPosition.row,
    character: node.startPosition.column,
    endLine: node.endPosition.row,
    endCharacter: node.endPosition.column,
  };
}

/** A span from the start of one syntax node to the end of another. */
export function spanBetween(start: SyntaxNode, end: SyntaxNode): SourceSpan {
  return {
    line: start.startPosition.row,
    character: start.startPosition.column,
    endLine: end.endPosition.row,
    endCharacter: end.endPosition.column,
  };
}

export class GraphBuilder {
  readonly nodes: CfgNode[] = [];
  /** id of a goto's join node -> label name. */
  readonly gotoNodes = new Map<CfgNodeId, string>();
  /** id of a label join -> it is the target of a backward goto. */
  readonly backwardGotoNodes = new Set<CfgNodeId>();
  /** Loop head id -> the highest node id created for that loop (its body, condition, update). */
  readonly loopExtents = new Map<CfgNodeId, CfgNodeId>();

  add(data: NodeData, span: SourceSpan): CfgNodeId {
    const id = this.nodes.length;
    // Object.assign onto a literal with the span fields keeps one object shape per node
    // kind; a spread of two objects was the slowest step of building a CFG.
    const node = { id, line: span.line, character: span.character, endLine: span.endLine, endCharacter: span.endCharacter };
    this.nodes.push(Object.assign(node, data) as CfgNode);
    return id;
  }

  get(id: CfgNodeId): CfgNode {
    return this.nodes[id];
  }

  get nextId(): CfgNodeId {
    return this.nodes.length;
  }

  /** Sets the `next` of a placeholder join (loop heads and labels are created before their targets). */
  setNext(id: CfgNodeId, next: CfgNodeId): void {
    const node = this.nodes[id];
    if (node.kind === 'join' || node.kind === 'entry' || node.kind === 'eval' || node.kind === 'assign' ||
        node.kind === 'guard' || node.kind === 'return') {
      node.next = next;
    }
  }

  /** Successors of a node with their edge labels. */
  static successors(node: CfgNode): { to: CfgNodeId; label?: string }[] {
    switch (node.kind) {
      case 'entry':
      case 'eval':
      case 'assign':
      case 'return':
      case 'guard':
      case 'join':
        return [{ to: node.next }];
      case 'branch':
        return [{ to: node.onTrue, label: 'true' }, { to: node.onFalse, label: 'false' }];
      case 'switch':
        return [
          ...node.cases.map((c) => ({ to: c.target, label: `case ${c.values.map((v) => v.text).join(', ')}` })),
          { to: node.defaultTarget, label: 'default' },
        ];
      case 'iter':
        return [{ to: node.body, label: 'body' }, { to: node.exit, label: 'exit' }];
      case 'exit':
      case 'abort':
        return [];
    }
  }

  private isBackEdge(from: CfgNodeId, to: CfgNodeId): boolean {
    const extent = this.loopExtents.get(to);
    if (extent !== undefined && from > to && from <= extent) return true;
    return this.backwardGotoNodes.has(to) && this.gotoNodes.has(from) && this.isBackwardGoto(from, to);
  }

  private isBackwardGoto(gotoId: CfgNodeId, labelId: CfgNodeId): boolean {
    const g = this.nodes[gotoId];
    const l = this.nodes[labelId];
    return l.line < g.line || (l.line === g.line && l.character < g.character);
  }

  finish(name: string, entry: CfgNodeId, exit: CfgNodeId, problems: string[]): FunctionCfg {
    const edges: CfgEdge[] = [];
    for (const node of this.nodes) {
      for (const s of GraphBuilder.successors(node)) {
        const edge: CfgEdge = { from: node.id, to: s.to };
        if (s.label) edge.label = s.label;
        if (this.isBackEdge(node.id, s.to)) edge.back = true;
        const label = this.gotoNodes.get(node.id);
        if (label !== undefined) edge.goto = label;
        edges.push(edge);
      }
    }
    return { name, nodes: this.nodes, entry, exit, edges, problems };
  }
}
