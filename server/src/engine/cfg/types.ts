// The control-flow graph of one C function, built from the tree-sitter AST.
// Nodes reference syntax nodes; the simulator evaluates those expressions.
// Conditions are already decomposed: `a && b`, `a || b`, `!a` and `?:` in a
// branch condition become several Branch nodes, so a Branch's `cond` never has
// `&&`/`||`/`!` at its top (parentheses are stripped too).

import type { SyntaxNode } from '../parse/syntax';

export type CfgNodeId = number;

export interface SourceSpan {
  /** 0-based start line/column and end line/column of the syntax this node stands for. */
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

interface NodeBase extends SourceSpan {
  id: CfgNodeId;
}

/** The single entry of the function. `next` is the first statement. */
export interface EntryNode extends NodeBase {
  kind: 'entry';
  next: CfgNodeId;
}

/** The single exit; every Return goes here. */
export interface ExitNode extends NodeBase {
  kind: 'exit';
}

/** Evaluate an expression for its effects (an expression statement). */
export interface EvalNode extends NodeBase {
  kind: 'eval';
  expr: SyntaxNode;
  next: CfgNodeId;
}

/**
 * Assign `value` to a variable. Declarations with an initializer become this
 * (`struct folio *f = page_folio(p);` -> target "f"); declarations without an
 * initializer become an Assign with value null (the variable becomes unknown).
 */
export interface AssignNode extends NodeBase {
  kind: 'assign';
  /** The declared variable's name. */
  target: string;
  value: SyntaxNode | null;
  next: CfgNodeId;
}

/** Two-way branch on a condition that has no top-level &&, ||, ! or parentheses. */
export interface BranchNode extends NodeBase {
  kind: 'branch';
  cond: SyntaxNode;
  onTrue: CfgNodeId;
  onFalse: CfgNodeId;
  /** What built it: helps explanations and the CFG view. */
  origin: 'if' | 'loop' | 'ternary' | 'short-circuit' | 'warn' | 'do-while';
}

/** Multi-way branch of a switch. `cases` in source order; `default` may be absent (then falls to `next`). */
export interface SwitchNode extends NodeBase {
  kind: 'switch';
  discriminant: SyntaxNode;
  cases: { values: SyntaxNode[]; target: CfgNodeId }[];
  defaultTarget: CfgNodeId;
}

/**
 * Head of an iterator-macro loop (`list_for_each_entry(pos, ...) body`, `xa_for_each(...)`,
 * any name containing `for_each`/`foreach`): either enter the body (the listed variables
 * get fresh values) or leave.
 */
export interface IterNode extends NodeBase {
  kind: 'iter';
  macro: string;
  call: SyntaxNode;
  /** Variables the iterator assigns (its first argument when it is an identifier). */
  vars: string[];
  /** The first cursor is an element inside the body, never NULL (a list walk:
   *  list_/hlist_/llist_for_each_entry*). */
  firstCursorNonNull: boolean;
  body: CfgNodeId;
  exit: CfgNodeId;
}

export interface ReturnNode extends NodeBase {
  kind: 'return';
  value: SyntaxNode | null;
  next: CfgNodeId; // always the exit node
}

/** A path that ends without returning: BUG(), panic(), unreachable(). */
export interface AbortNode extends NodeBase {
  kind: 'abort';
}

/**
 * A scoped acquisition from `guard(type)(args)` or `scoped_guard(type, args) { ... }`:
 * `acquire` at the start of its scope, `release` at every way out of that scope
 * (end of block, return, break, continue, goto out).
 */
export interface GuardNode extends NodeBase {
  kind: 'guard';
  action: 'acquire' | 'release';
  /** The guard class, e.g. "spinlock", "rcu", "mutex", "spinlock_irqsave". */
  guardType: string;
  args: SyntaxNode[];
  next: CfgNodeId;
}

/** No-op join point: labels, loop heads, after-if. `loopHead` marks the target of a back edge. */
export interface JoinNode extends NodeBase {
  kind: 'join';
  label?: string;
  loopHead?: boolean;
  /** The node stands for a jump statement or the end of a loop body: where a path that goes
   *  around a loop is reported (`goto again`, `continue`, the body's closing brace). */
  jump?: 'goto' | 'continue' | 'break' | 'loop-end';
  next: CfgNodeId;
}

export type CfgNode =
  | EntryNode
  | ExitNode
  | EvalNode
  | AssignNode
  | BranchNode
  | SwitchNode
  | IterNode
  | ReturnNode
  | AbortNode
  | GuardNode
  | JoinNode;

export interface CfgEdge {
  from: CfgNodeId;
  to: CfgNodeId;
  /** 'true'/'false' for branches, 'case N'/'default' for switches, 'body'/'exit' for iterators. */
  label?: string;
  /** A back edge (to a loop head or a backward goto target). */
  back?: boolean;
  /** The edge comes from a `goto`. */
  goto?: string;
}

export interface FunctionCfg {
  name: string;
  nodes: CfgNode[]; // indexed by id
  entry: CfgNodeId;
  exit: CfgNodeId;
  edges: CfgEdge[];
  /** Labels used by goto but never defined, etc. Never shown as findings. */
  problems: string[];
}
