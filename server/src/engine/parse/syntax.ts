// The syntax the simulator reads. Tree-sitter nodes live in wasm memory and
// every property read (type, a field child, the end of a span) crosses into it
// and allocates a fresh JS wrapper; the simulator reads the same expression
// nodes on every state that visits them, so that crossing was a fifth of the
// analysis time. `cachedSyntax` gives each analysed function a view whose nodes
// are read from tree-sitter once and then answered from JS.

import type { Node as TsNode, Point, Tree } from 'web-tree-sitter';
import type { FunctionDef } from './types';

/** The part of a syntax node the engine uses; tree-sitter's nodes satisfy it too. */
export interface SyntaxNode {
  readonly id: number;
  readonly tree: Tree;
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly parent: SyntaxNode | null;
  readonly previousSibling: SyntaxNode | null;
  readonly nextSibling: SyntaxNode | null;
  readonly firstChild: SyntaxNode | null;
  readonly lastChild: SyntaxNode | null;
  readonly children: (SyntaxNode | null)[];
  readonly namedChildren: (SyntaxNode | null)[];
  readonly childCount: number;
  readonly namedChildCount: number;
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(fieldName: string): SyntaxNode | null;
  childrenForFieldName(fieldName: string): (SyntaxNode | null)[];
  descendantsOfType(types: string | string[]): (SyntaxNode | null)[];
}

const UNSET = Symbol('unset');
type Lazy<T> = T | typeof UNSET;

/** One function's nodes, wrapped once each (so a node is always the same object). */
class SyntaxCache {
  private readonly nodes = new Map<number, CachedNode>();

  wrap(n: TsNode | null): CachedNode | null {
    if (!n) return null;
    let c = this.nodes.get(n.id);
    if (!c) this.nodes.set(n.id, (c = new CachedNode(n, this)));
    return c;
  }

  wrapAll(ns: (TsNode | null)[]): (CachedNode | null)[] {
    return ns.map((n) => this.wrap(n));
  }
}

class CachedNode implements SyntaxNode {
  readonly id: number;
  readonly startIndex: number;
  readonly startPosition: Point;
  private _type: Lazy<string> = UNSET;
  private _text: Lazy<string> = UNSET;
  private _endIndex: Lazy<number> = UNSET;
  private _endPosition: Lazy<Point> = UNSET;
  private _isNamed: Lazy<boolean> = UNSET;
  private _isMissing: Lazy<boolean> = UNSET;
  private _hasError: Lazy<boolean> = UNSET;
  private _parent: Lazy<CachedNode | null> = UNSET;
  private _children: Lazy<(CachedNode | null)[]> = UNSET;
  private _namedChildren: Lazy<(CachedNode | null)[]> = UNSET;
  private fieldChild: Map<string, CachedNode | null> | undefined;
  private fieldChildren: Map<string, (CachedNode | null)[]> | undefined;
  private descendants: Map<string, (CachedNode | null)[]> | undefined;

  constructor(
    private readonly ts: TsNode,
    private readonly cache: SyntaxCache,
  ) {
    this.id = ts.id;
    this.startIndex = ts.startIndex;
    this.startPosition = ts.startPosition;
  }

  get tree(): Tree {
    return this.ts.tree;
  }
  get type(): string {
    return this._type === UNSET ? (this._type = this.ts.type) : this._type;
  }
  get text(): string {
    return this._text === UNSET ? (this._text = this.ts.text) : this._text;
  }
  get endIndex(): number {
    return this._endIndex === UNSET ? (this._endIndex = this.ts.endIndex) : this._endIndex;
  }
  get endPosition(): Point {
    return this._endPosition === UNSET ? (this._endPosition = this.ts.endPosition) : this._endPosition;
  }
  get isNamed(): boolean {
    return this._isNamed === UNSET ? (this._isNamed = this.ts.isNamed) : this._isNamed;
  }
  get isMissing(): boolean {
    return this._isMissing === UNSET ? (this._isMissing = this.ts.isMissing) : this._isMissing;
  }
  get hasError(): boolean {
    return this._hasError === UNSET ? (this._hasError = this.ts.hasError) : this._hasError;
  }
  get parent(): CachedNode | null {
    return this._parent === UNSET ? (this._parent = this.cache.wrap(this.ts.parent)) : this._parent;
  }
  get children(): (CachedNode | null)[] {
    return this._children === UNSET ? (this._children = this.cache.wrapAll(this.ts.children)) : this._children;
  }
  get namedChildren(): (CachedNode | null)[] {
    return this._namedChildren === UNSET ? (this._namedChildren = this.cache.wrapAll(this.ts.namedChildren)) : this._namedChildren;
  }
  get childCount(): number {
    return this.children.length;
  }
  get namedChildCount(): number {
    return this.namedChildren.length;
  }
  get firstChild(): CachedNode | null {
    return this.children[0] ?? null;
  }
  get lastChild(): CachedNode | null {
    const cs = this.children;
    return cs[cs.length - 1] ?? null;
  }
  private siblingAt(offset: number): CachedNode | null {
    const p = this.parent;
    if (!p) return null;
    const cs = p.children;
    const i = cs.findIndex((c) => c?.id === this.id);
    return i < 0 ? null : (cs[i + offset] ?? null);
  }
  get previousSibling(): CachedNode | null {
    return this.siblingAt(-1);
  }
  get nextSibling(): CachedNode | null {
    return this.siblingAt(1);
  }
  child(index: number): CachedNode | null {
    return this.children[index] ?? null;
  }
  namedChild(index: number): CachedNode | null {
    return this.namedChildren[index] ?? null;
  }
  childForFieldName(fieldName: string): CachedNode | null {
    this.fieldChild ??= new Map();
    let c = this.fieldChild.get(fieldName);
    if (c === undefined) this.fieldChild.set(fieldName, (c = this.cache.wrap(this.ts.childForFieldName(fieldName))));
    return c;
  }
  childrenForFieldName(fieldName: string): (CachedNode | null)[] {
    this.fieldChildren ??= new Map();
    let cs = this.fieldChildren.get(fieldName);
    if (!cs) this.fieldChildren.set(fieldName, (cs = this.cache.wrapAll(this.ts.childrenForFieldName(fieldName))));
    return cs;
  }
  descendantsOfType(types: string | string[]): (CachedNode | null)[] {
    const key = typeof types === 'string' ? types : types.join(',');
    this.descendants ??= new Map();
    let ds = this.descendants.get(key);
    if (!ds) this.descendants.set(key, (ds = this.cache.wrapAll(this.ts.descendantsOfType(types))));
    return ds;
  }
}

/** The function with its syntax read through a cache (see the top of this file). The
 *  tree must stay alive while the view is used, as for the function itself. */
export function cachedSyntax(fn: FunctionDef): FunctionDef {
  const cache = new SyntaxCache();
  return { ...fn, node: cache.wrap(fn.node as TsNode)!, body: cache.wrap(fn.body as TsNode)! };
}
