// Builds the control-flow graph of one function from its tree-sitter body.
//
// Statements are built backwards: each statement is given the id of what follows it
// and returns the id of its own first node, so forward joins need no patching. Loop
// heads and labels are created first as placeholder joins and patched once their
// targets exist. Kernel shapes (iterator macros, guards, WARN/BUG, #ifdef arms, ERROR
// nodes) are handled here; the builder never throws and always yields a well-formed graph.

import type { SyntaxNode } from '../parse/syntax';
import type { FunctionDef } from '../parse/types';
import { statementMacroAt } from '../parse/preprocess';
import { IteratorCursors } from './iterator-vars';
import type { CfgNodeId, FunctionCfg, SourceSpan } from './types';
import { GraphBuilder, spanBetween, spanOf } from './graph';
import {
  isAbortCall,
  isAssertMacro,
  isBugMacro,
  isIteratorMacroName,
  isNoOpStatement,
  isScopedGuardName,
  isTransparentConditionWrapper,
  isWarnMacro,
} from './kernel-macros';

/** Nesting deeper than this is treated as an opaque statement (hostile input must not overflow the stack). */
const MAX_DEPTH = 400;

type BranchOrigin = 'if' | 'loop' | 'ternary' | 'short-circuit' | 'warn' | 'do-while';

/** A guard whose scope encloses the statement being built. */
interface ActiveGuard {
  guardType: string;
  args: SyntaxNode[];
  /** Source offsets of the scope: a goto to a label inside stays in scope. */
  scopeStart: number;
  scopeEnd: number;
}

interface Context {
  breakTarget: CfgNodeId | null;
  continueTarget: CfgNodeId | null;
  /** Guards active here, outermost first. */
  guards: ActiveGuard[];
  /** Number of guards active where the innermost breakable / continuable construct began. */
  breakGuardDepth: number;
  continueGuardDepth: number;
  depth: number;
}

function children(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c): c is SyntaxNode => c !== null);
}

function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null);
}

/** The callee name of a call expression (plain identifier callee only). */
function calleeName(call: SyntaxNode): string | null {
  if (call.type !== 'call_expression') return null;
  const fn = call.childForFieldName('function');
  return fn && fn.type === 'identifier' ? fn.text : null;
}

function callArgs(call: SyntaxNode): SyntaxNode[] {
  const list = call.childForFieldName('arguments');
  return list ? namedChildren(list).filter((a) => a.type !== 'comment') : [];
}

/** Strips parentheses around an expression. */
function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (let i = 0; i < 64 && n.type === 'parenthesized_expression'; i++) {
    const inner = namedChildren(n).filter((c) => c.type !== 'comment');
    if (inner.length !== 1) break;
    n = inner[0];
  }
  return n;
}

function isStatementNode(type: string): boolean {
  return (
    type.endsWith('_statement') ||
    type === 'declaration' ||
    type.startsWith('preproc_if') ||
    type === 'ERROR' ||
    type === 'type_definition'
  );
}

/** Where an iterator macro's variables are, for the few whose first argument is not the cursor. */
function iteratorVars(macro: string, args: SyntaxNode[]): string[] {
  const ident = (i: number): string[] => (args[i] && args[i].type === 'identifier' ? [args[i].text] : []);
  if (/^xa_for_each/.test(macro)) return [...ident(1), ...ident(2)];
  if (/^xas_for_each/.test(macro)) return ident(1);
  const vars = ident(0);
  if (/_safe/.test(macro)) vars.push(...ident(1));
  return vars;
}

class CfgBuilder {
  private readonly g = new GraphBuilder();
  private readonly problems: string[] = [];
  private readonly labels = new Map<string, { id: CfgNodeId; offset: number }>();
  private readonly exitId: CfgNodeId;
  private readonly cursors: IteratorCursors;

  constructor(private readonly fn: FunctionDef) {
    const body = fn.body;
    const close = body.lastChild && body.lastChild.type === '}' ? body.lastChild : body;
    this.exitId = this.g.add({ kind: 'exit' }, spanOf(close));
    this.cursors = new IteratorCursors(fn);
  }

  build(): FunctionCfg {
    const fn = this.fn;
    // Labels need placeholders only when a goto may jump to them.
    if (fn.body.text.includes('goto')) this.collectLabels(fn.body);
    const root: Context = {
      breakTarget: null,
      continueTarget: null,
      guards: [],
      breakGuardDepth: 0,
      continueGuardDepth: 0,
      depth: 0,
    };
    const first = this.block(fn.body, this.exitId, root);
    const entry = this.g.add({ kind: 'entry', next: first }, spanOf(fn.node));
    for (const [name, label] of this.labels) {
      const node = this.g.get(label.id);
      if (node.kind === 'join' && node.next === -1) {
        // A label that only a goto saw (the labeled statement was lost in an ERROR).
        this.problems.push(`label ${name} has no statement`);
        this.g.setNext(label.id, this.exitId);
      }
    }
    return this.g.finish(fn.name, entry, this.exitId, this.problems);
  }

  // ---- labels -------------------------------------------------------------------------

  /** Creates a placeholder join for every label in the body (gotos may jump forward). */
  private collectLabels(body: SyntaxNode): void {
    const stack: SyntaxNode[] = [body];
    while (stack.length > 0) {
      const node = stack.pop() as SyntaxNode;
      if (node.type === 'labeled_statement') {
        const label = node.childForFieldName('label');
        if (label && !this.labels.has(label.text)) {
          const id = this.g.add({ kind: 'join', label: label.text, next: -1 }, spanBetween(node, label));
          this.labels.set(label.text, { id, offset: node.startIndex });
        }
      }
      // Labels live in statements; expressions never hold them (statement expressions aside).
      for (const c of namedChildren(node)) if (isStatementNode(c.type) || c.type === 'compound_statement' ||
        c.type === 'else_clause' || c.type === 'case_statement' || c.type.startsWith('preproc_')) stack.push(c);
    }
  }

  // ---- blocks and guards ----------------------------------------------------------------

  private block(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const items = children(node).filter((c) => c.type !== '{' && c.type !== '}');
    const end = node.lastChild && node.lastChild.type === '}' ? node.lastChild : node;
    return this.statementList(items, next, ctx, end);
  }

  /**
   * A statement list. A `guard(type)(args);` statement opens a scope to the end of the list:
   * its release runs when the list ends, and at every jump out of it.
   */
  private statementList(items: SyntaxNode[], next: CfgNodeId, ctx: Context, end: SyntaxNode): CfgNodeId {
    const flat = this.flattenErrors(items);
    const guardAt = flat.findIndex((s) => this.guardStatement(s) !== null);
    if (guardAt < 0) return this.sequence(flat, next, ctx);
    const stmt = flat[guardAt];
    const g = this.guardStatement(stmt) as { guardType: string; args: SyntaxNode[] };
    const guard: ActiveGuard = { ...g, scopeStart: stmt.endIndex, scopeEnd: end.endIndex };
    const release = this.g.add(
      { kind: 'guard', action: 'release', guardType: guard.guardType, args: guard.args, next },
      spanOf(end),
    );
    const inner: Context = { ...ctx, guards: [...ctx.guards, guard] };
    const rest = this.statementList(flat.slice(guardAt + 1), release, inner, end);
    const acquire = this.g.add(
      { kind: 'guard', action: 'acquire', guardType: guard.guardType, args: guard.args, next: rest },
      spanOf(stmt),
    );
    return this.sequence(flat.slice(0, guardAt), acquire, ctx);
  }

  /** `guard(type)(args);` -> its type and arguments. */
  private guardStatement(stmt: SyntaxNode): { guardType: string; args: SyntaxNode[] } | null {
    if (stmt.type !== 'expression_statement') return null;
    const call = stmt.namedChild(0);
    if (!call || call.type !== 'call_expression') return null;
    const inner = call.childForFieldName('function');
    if (!inner || calleeName(inner) !== 'guard') return null;
    const typeArg = callArgs(inner)[0];
    return { guardType: typeArg ? typeArg.text : '', args: callArgs(call) };
  }

  /** Splices the statement-like children of ERROR nodes into the list; other error debris is dropped. */
  private flattenErrors(items: SyntaxNode[]): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (const item of items) {
      if (item.type === 'ERROR') {
        out.push(...this.flattenErrors(children(item).filter((c) => isStatementNode(c.type) || c.type === 'compound_statement' ||
          c.type === 'labeled_statement' || c.type === 'case_statement')));
      } else if (item.isNamed && item.type !== 'comment') {
        out.push(item);
      }
    }
    return out;
  }

  /** Builds statements backwards; an iterator macro call left without its loop shape takes the next statement as body. */
  private sequence(items: SyntaxNode[], next: CfgNodeId, ctx: Context): CfgNodeId {
    let target = next;
    for (let i = items.length - 1; i >= 0; i--) {
      const stmt = items[i];
      const prev = i > 0 ? items[i - 1] : null;
      const iterCall = prev ? this.unrewrittenIteratorCall(prev) : null;
      if (iterCall) {
        // `list_for_each_entry(a, b, c) { ... }` that the rewrite could not turn into a loop.
        target = this.iterator(iterCall, calleeName(iterCall) as string, stmt, prev as SyntaxNode, target, ctx);
        i--;
        continue;
      }
      target = this.statement(stmt, target, ctx);
    }
    return target;
  }

  /** An expression statement that is just an iterator macro call with a missing `;`. */
  private unrewrittenIteratorCall(stmt: SyntaxNode): SyntaxNode | null {
    if (stmt.type !== 'expression_statement') return null;
    const call = stmt.namedChild(0);
    if (!call || call.type !== 'call_expression') return null;
    const name = calleeName(call);
    if (!name || !isIteratorMacroName(name)) return null;
    const last = stmt.lastChild;
    if (last && last.type === ';' && !last.isMissing) return null;
    return call;
  }

  // ---- statements -------------------------------------------------------------------------

  private statement(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    if (ctx.depth > MAX_DEPTH) {
      if (!this.problems.includes('nesting too deep')) this.problems.push('nesting too deep');
      return this.g.add({ kind: 'eval', expr: node, next }, spanOf(node));
    }
    const inner: Context = { ...ctx, depth: ctx.depth + 1 };
    switch (node.type) {
      case 'compound_statement':
        return this.block(node, next, inner);
      case 'expression_statement':
        return this.expressionStatement(node, next, inner);
      case 'declaration':
        return this.declaration(node, next, inner);
      case 'if_statement':
        return this.ifStatement(node, next, inner);
      case 'while_statement':
        return this.whileStatement(node, next, inner);
      case 'do_statement':
        return this.doStatement(node, next, inner);
      case 'for_statement':
        return this.forStatement(node, next, inner);
      case 'switch_statement':
        return this.switchStatement(node, next, inner);
      case 'return_statement':
        return this.returnStatement(node, inner);
      case 'break_statement':
        return this.jump(node, ctx.breakTarget, ctx.breakGuardDepth, inner, 'break');
      case 'continue_statement':
        return this.jump(node, ctx.continueTarget, ctx.continueGuardDepth, inner, 'continue');
      case 'goto_statement':
        return this.gotoStatement(node, inner);
      case 'labeled_statement':
        return this.labeledStatement(node, next, inner);
      case 'case_statement':
        // A case label outside a switch (inside an ERROR): keep its statements.
        return this.statementList(namedChildren(node).filter((c) => c !== node.childForFieldName('value')), next, inner, node);
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_elif':
      case 'preproc_elifdef':
        return this.preprocConditional(node, next, inner);
      case 'preproc_else':
        return this.statementList(this.preprocArm(node), next, inner, node);
      case 'ERROR':
        return this.statementList(this.flattenErrors([node]), next, inner, node);
      case 'attributed_statement': {
        const stmt = namedChildren(node).filter((c) => c.type !== 'attribute_declaration').pop();
        return stmt ? this.statement(stmt, next, inner) : next;
      }
      case 'comment':
      case 'function_definition': // swallowed by a broken body; collected as a function of its own
      case 'preproc_def':
      case 'preproc_function_def':
      case 'preproc_call':
      case 'preproc_include':
      case 'type_definition':
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
      case ';':
        return next;
      default:
        return this.g.add({ kind: 'eval', expr: node, next }, spanOf(node));
    }
  }

  private expressionStatement(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const expr = namedChildren(node).find((c) => c.type !== 'comment');
    if (!expr) return next; // `;`
    const e = unparen(expr);
    if (e.type === 'identifier' && isNoOpStatement(e.text)) return next;
    if (e.type === 'assignment_expression') {
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      const op = e.childForFieldName('operator');
      if (left && right && left.type === 'identifier' && (!op || op.text === '=')) {
        return this.assign(left.text, right, node, next, ctx);
      }
    }
    if (e.type === 'conditional_expression') {
      // `c ? f() : g();`
      const cond = e.childForFieldName('condition');
      const a = e.childForFieldName('consequence');
      const b = e.childForFieldName('alternative');
      if (cond && b) {
        const onTrue = a ? this.g.add({ kind: 'eval', expr: a, next }, spanOf(a)) : next;
        const onFalse = this.g.add({ kind: 'eval', expr: b, next }, spanOf(b));
        return this.condition(cond, onTrue, onFalse, 'ternary', ctx);
      }
    }
    if (e.type === 'call_expression') {
      const name = calleeName(e);
      if (name) {
        if (isAbortCall(name)) return this.g.add({ kind: 'abort' }, spanOf(node));
        const args = callArgs(e);
        if (isWarnMacro(name) && args[0]) return this.condition(args[0], next, next, 'warn', ctx);
        if (isBugMacro(name) && args[0]) {
          const abort = this.g.add({ kind: 'abort' }, spanOf(node));
          return this.condition(args[0], abort, next, 'warn', ctx);
        }
        if (isAssertMacro(name) && args[0]) {
          const abort = this.g.add({ kind: 'abort' }, spanOf(node));
          return this.condition(args[0], next, abort, 'warn', ctx);
        }
      }
    }
    return this.g.add({ kind: 'eval', expr, next }, spanOf(node));
  }

  /** `x = value`: a ternary value becomes a branch and two assignments. */
  private assign(target: string, value: SyntaxNode | null, stmt: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const v = value ? unparen(value) : null;
    if (v && v.type === 'conditional_expression') {
      const cond = v.childForFieldName('condition');
      const a = v.childForFieldName('consequence') ?? cond; // GNU `c ?: b` yields c
      const b = v.childForFieldName('alternative');
      if (cond && a && b) {
        const onTrue = this.g.add({ kind: 'assign', target, value: a, next }, spanOf(stmt));
        const onFalse = this.g.add({ kind: 'assign', target, value: b, next }, spanOf(stmt));
        return this.condition(cond, onTrue, onFalse, 'ternary', ctx);
      }
    }
    return this.g.add({ kind: 'assign', target, value, next }, spanOf(stmt));
  }

  private declaration(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const declarators = node.childrenForFieldName('declarator').filter((d): d is SyntaxNode => d !== null);
    let target = next;
    for (let i = declarators.length - 1; i >= 0; i--) {
      const d = declarators[i];
      if (d.type === 'function_declarator') continue; // a local prototype
      if (d.type === 'init_declarator') {
        const name = this.declaredName(d.childForFieldName('declarator'));
        const value = d.childForFieldName('value');
        if (!name) continue;
        target = this.assign(name, value, d, target, ctx);
      } else {
        const name = this.declaredName(d);
        if (name) target = this.g.add({ kind: 'assign', target: name, value: null, next: target }, spanOf(d));
      }
    }
    return target;
  }

  private declaredName(decl: SyntaxNode | null): string | null {
    let d = decl;
    for (let i = 0; d && i < 32; i++) {
      if (d.type === 'identifier') return d.text;
      if (d.type === 'function_declarator') return null;
      d = d.childForFieldName('declarator') ?? namedChildren(d).find((c) => c.type !== 'type_qualifier') ?? null;
    }
    return null;
  }

  private ifStatement(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const cond = node.childForFieldName('condition');
    const cons = node.childForFieldName('consequence');
    const alt = node.childForFieldName('alternative');
    const onTrue = cons ? this.statement(cons, next, ctx) : next;
    let onFalse = next;
    if (alt) {
      const altStmt = alt.type === 'else_clause' ? namedChildren(alt).find((c) => c.type !== 'comment') : alt;
      if (altStmt) onFalse = this.statement(altStmt, next, ctx);
    }
    if (!cond) return onTrue;
    return this.condition(cond, onTrue, onFalse, 'if', ctx);
  }

  // ---- loops ----------------------------------------------------------------------------

  private loopHead(span: SourceSpan): CfgNodeId {
    return this.g.add({ kind: 'join', loopHead: true, next: -1 }, span);
  }

  private loopContext(ctx: Context, breakTarget: CfgNodeId, continueTarget: CfgNodeId): Context {
    return {
      ...ctx,
      breakTarget,
      continueTarget,
      breakGuardDepth: ctx.guards.length,
      continueGuardDepth: ctx.guards.length,
    };
  }

  private closeLoop(head: CfgNodeId, first: CfgNodeId): CfgNodeId {
    this.g.setNext(head, first);
    this.g.loopExtents.set(head, this.g.nextId - 1);
    return head;
  }

  private whileStatement(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const cond = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    // `while(ME(args))` written by the preprocessing over an iterator macro or scoped_guard.
    const rewritten = statementMacroAt(node.tree, node.startIndex);
    if (rewritten && cond) {
      const call = unparen(cond);
      if (call.type === 'call_expression') {
        if (isScopedGuardName(rewritten)) return this.scopedGuard(call, body, node, next, ctx);
        return this.iterator(call, rewritten, body, node, next, ctx);
      }
    }
    const head = this.loopHead(cond ? spanBetween(node, cond) : spanOf(node));
    const bodyEntry = body ? this.statement(body, this.loopEnd(body, head), this.loopContext(ctx, next, head)) : head;
    const test = cond ? this.condition(cond, bodyEntry, next, 'loop', ctx) : bodyEntry;
    return this.closeLoop(head, test);
  }

  private doStatement(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const cond = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    const c = cond ? unparen(cond) : null;
    if (c && c.type === 'number_literal' && /^0+[uUlL]*$/.test(c.text)) {
      // `do { ... } while (0)`: a plain block; break and continue both leave it.
      return body ? this.statement(body, next, this.loopContext(ctx, next, next)) : next;
    }
    const head = this.loopHead(spanBetween(node, node.firstChild ?? node));
    const test = cond ? this.condition(cond, head, next, 'do-while', ctx) : head;
    const bodyEntry = body ? this.statement(body, this.loopEnd(body, test), this.loopContext(ctx, next, test)) : test;
    return this.closeLoop(head, bodyEntry);
  }

  private forStatement(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const init = node.childForFieldName('initializer');
    const cond = node.childForFieldName('condition');
    const update = node.childForFieldName('update');
    const body = node.childForFieldName('body');
    const headerEnd = body ? body.previousSibling ?? node : node;
    const head = this.loopHead(spanBetween(node, headerEnd));
    const step = update ? this.expressionAsStatement(update, head, ctx) : head;
    const bodyEntry = body ? this.statement(body, this.loopEnd(body, step), this.loopContext(ctx, next, step)) : step;
    const test = cond ? this.condition(cond, bodyEntry, next, 'loop', ctx) : bodyEntry;
    this.closeLoop(head, test);
    if (!init) return head;
    if (init.type === 'declaration') return this.declaration(init, head, ctx);
    return this.expressionAsStatement(init, head, ctx);
  }

  /** An expression in a statement position without its own statement node (for-loop init/update). */
  private expressionAsStatement(expr: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const e = unparen(expr);
    if (e.type === 'comma_expression') {
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      const after = right ? this.expressionAsStatement(right, next, ctx) : next;
      return left ? this.expressionAsStatement(left, after, ctx) : after;
    }
    if (e.type === 'assignment_expression') {
      const left = e.childForFieldName('left');
      const right = e.childForFieldName('right');
      const op = e.childForFieldName('operator');
      if (left && right && left.type === 'identifier' && (!op || op.text === '=')) {
        return this.assign(left.text, right, e, next, ctx);
      }
    }
    return this.g.add({ kind: 'eval', expr: e, next }, spanOf(e));
  }

  /** `macro(args) body` -> head join -> IterNode -> body -> head; the IterNode's exit leaves. */
  private iterator(call: SyntaxNode, macro: string, body: SyntaxNode | null, whole: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const args = callArgs(call);
    const callSpan = spanBetween(whole, call);
    const head = this.loopHead(callSpan);
    const bodyEntry = body ? this.statement(body, this.loopEnd(body, head), this.loopContext(ctx, next, head)) : head;
    const iter = this.g.add(
      { kind: 'iter', macro, call, vars: this.cursors.choose(iteratorVars(macro, args), args, call.startIndex), firstCursorNonNull: /for_each_entry/.test(macro), body: bodyEntry, exit: next },
      callSpan,
    );
    return this.closeLoop(head, iter);
  }

  /** `scoped_guard(type, args) body`: acquire, body with the guard active, release. */
  private scopedGuard(call: SyntaxNode, body: SyntaxNode | null, whole: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const args = callArgs(call);
    const guardType = args[0] ? args[0].text : '';
    const lockArgs = args.slice(1);
    const end = body && body.lastChild && body.lastChild.type === '}' ? body.lastChild : body ?? whole;
    const release = this.g.add({ kind: 'guard', action: 'release', guardType, args: lockArgs, next }, spanOf(end));
    const guard: ActiveGuard = { guardType, args: lockArgs, scopeStart: call.endIndex, scopeEnd: whole.endIndex };
    // `break` inside scoped_guard leaves the guard (it is a one-shot for loop in the kernel).
    const inner: Context = {
      ...ctx,
      guards: [...ctx.guards, guard],
      breakTarget: release,
      breakGuardDepth: ctx.guards.length + 1,
    };
    const bodyEntry = body ? this.statement(body, release, inner) : release;
    return this.g.add({ kind: 'guard', action: 'acquire', guardType, args: lockArgs, next: bodyEntry }, spanBetween(whole, call));
  }

  // ---- switch -----------------------------------------------------------------------------

  private switchStatement(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const disc = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    const inner: Context = { ...ctx, breakTarget: next, breakGuardDepth: ctx.guards.length };
    const caseNodes = body ? namedChildren(body).filter((c) => c.type === 'case_statement') : [];
    // Build cases last to first: each falls through to the next one's entry.
    const entries: CfgNodeId[] = new Array<CfgNodeId>(caseNodes.length);
    let fall = next;
    for (let i = caseNodes.length - 1; i >= 0; i--) {
      const c = caseNodes[i];
      const value = c.childForFieldName('value');
      const stmts = namedChildren(c).filter((s) => (!value || s.id !== value.id) && s.type !== 'comment');
      fall = this.statementList(stmts, fall, inner, c);
      entries[i] = fall;
    }
    const cases: { values: SyntaxNode[]; target: CfgNodeId }[] = [];
    let defaultTarget = next;
    for (let i = 0; i < caseNodes.length; i++) {
      const value = caseNodes[i].childForFieldName('value');
      if (!value) {
        defaultTarget = entries[i];
        continue;
      }
      const last = cases[cases.length - 1];
      // `case A: case B: stmts` share one target: one entry with both values.
      if (last && last.target === entries[i] && i > 0 && caseNodes[i - 1].childForFieldName('value')) last.values.push(value);
      else cases.push({ values: [value], target: entries[i] });
    }
    const discriminant = disc ? unparen(disc) : node;
    return this.g.add({ kind: 'switch', discriminant, cases, defaultTarget }, spanOf(disc ?? node));
  }

  // ---- jumps ------------------------------------------------------------------------------

  /** Release chain for the guards from index `keep` outward, innermost first, ending at `to`. */
  private releases(guards: ActiveGuard[], keep: number, to: CfgNodeId, at: SyntaxNode): CfgNodeId {
    let target = to;
    // Built backwards: the outermost release is last in the chain.
    for (let i = keep; i < guards.length; i++) {
      const g = guards[i];
      target = this.g.add({ kind: 'guard', action: 'release', guardType: g.guardType, args: g.args, next: target }, spanOf(at));
    }
    return target;
  }

  private returnStatement(node: SyntaxNode, ctx: Context): CfgNodeId {
    const value = namedChildren(node).find((c) => c.type !== 'comment') ?? null;
    const v = value ? unparen(value) : null;
    let entry: CfgNodeId;
    if (v && v.type === 'conditional_expression' && v.childForFieldName('alternative')) {
      const cond = v.childForFieldName('condition') as SyntaxNode;
      const a = v.childForFieldName('consequence') ?? cond;
      const b = v.childForFieldName('alternative') as SyntaxNode;
      const onTrue = this.g.add({ kind: 'return', value: a, next: this.exitId }, spanOf(node));
      const onFalse = this.g.add({ kind: 'return', value: b, next: this.exitId }, spanOf(node));
      entry = this.condition(cond, onTrue, onFalse, 'ternary', ctx);
    } else {
      entry = this.g.add({ kind: 'return', value, next: this.exitId }, spanOf(node));
    }
    return this.releases(ctx.guards, 0, entry, node);
  }

  private jump(node: SyntaxNode, target: CfgNodeId | null, guardDepth: number, ctx: Context, what: string): CfgNodeId {
    if (target === null) {
      this.problems.push(`${what} outside a loop or switch at line ${node.startPosition.row + 1}`);
      return this.g.add({ kind: 'abort' }, spanOf(node));
    }
    // The jump is a node of its own so that its line is where a path went around.
    const out = this.releases(ctx.guards, guardDepth, target, node);
    return this.g.add({ kind: 'join', next: out, jump: what === 'break' ? 'break' : 'continue' }, spanOf(node));
  }

  /** The end of a loop body (its closing brace), leading back to `target`. */
  private loopEnd(body: SyntaxNode | null, target: CfgNodeId): CfgNodeId {
    if (!body || body.type !== 'compound_statement') return target;
    const close = body.lastChild && body.lastChild.type === '}' ? body.lastChild : body;
    return this.g.add({ kind: 'join', next: target, jump: 'loop-end' }, spanOf(close));
  }

  private gotoStatement(node: SyntaxNode, ctx: Context): CfgNodeId {
    const labelNode = node.childForFieldName('label');
    const name = labelNode ? labelNode.text : '';
    const label = this.labels.get(name);
    if (!label) {
      this.problems.push(`goto ${name || '<computed>'} at line ${node.startPosition.row + 1}: label not defined`);
      const lost = this.g.add({ kind: 'join', next: this.exitId }, spanOf(node));
      return this.releases(ctx.guards, 0, lost, node);
    }
    // The goto itself is a node, so its edge can carry the label and the simulator has its line.
    const gotoId = this.g.add({ kind: 'join', next: label.id, jump: 'goto' }, spanOf(node));
    this.g.gotoNodes.set(gotoId, name);
    if (label.offset < node.startIndex) {
      this.g.backwardGotoNodes.add(label.id);
      const target = this.g.get(label.id);
      if (target.kind === 'join') target.loopHead = true;
    }
    // Guards whose scope does not contain the label are released on the way out.
    let keep = ctx.guards.length;
    for (let i = 0; i < ctx.guards.length; i++) {
      const g = ctx.guards[i];
      if (label.offset < g.scopeStart || label.offset >= g.scopeEnd) {
        keep = i;
        break;
      }
    }
    return this.releases(ctx.guards, keep, gotoId, node);
  }

  private labeledStatement(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const labelNode = node.childForFieldName('label');
    const label = labelNode ? this.labels.get(labelNode.text) : undefined;
    const stmt = namedChildren(node).filter((c) => c.type !== 'statement_identifier' && c.type !== 'comment');
    const after = this.statementList(stmt, next, ctx, node);
    if (!label) return after;
    const join = this.g.get(label.id);
    if (join.kind === 'join' && join.next === -1) {
      this.g.setNext(label.id, after);
      return label.id;
    }
    // A duplicate label: the first definition wins.
    this.problems.push(`label ${labelNode?.text} defined twice`);
    return after;
  }

  // ---- #if / #ifdef arms ------------------------------------------------------------------

  /** The statements of one preprocessor arm (without its condition, name and alternative). */
  private preprocArm(node: SyntaxNode): SyntaxNode[] {
    const skip = new Set<number>();
    for (const f of ['condition', 'name', 'alternative']) {
      const c = node.childForFieldName(f);
      if (c) skip.add(c.id);
    }
    return namedChildren(node).filter((c) => !skip.has(c.id) && c.type !== 'comment');
  }

  private preprocConditional(node: SyntaxNode, next: CfgNodeId, ctx: Context): CfgNodeId {
    const alt = node.childForFieldName('alternative');
    const thenEntry = this.statementList(this.preprocArm(node), next, ctx, node);
    const elseEntry = alt ? this.statement(alt, next, ctx) : next;
    const cond = node.childForFieldName('condition') ?? node.childForFieldName('name');
    if (!cond) return thenEntry;
    const negated = /^#\s*(ifndef|elifndef)/.test(node.firstChild?.text ?? '');
    // The one macro every source checker defines (sparse does; the kernel hides from it code
    // that checkers misread, such as a lock taken in a self-recursive register accessor):
    // as a checker, this arm is decided.
    if (definesChecker(cond)) return negated ? elseEntry : thenEntry;
    return negated
      ? this.condition(cond, elseEntry, thenEntry, 'if', ctx)
      : this.condition(cond, thenEntry, elseEntry, 'if', ctx);
  }

  // ---- conditions ---------------------------------------------------------------------------

  /**
   * A branch on `expr` decomposed into atoms: `&&`, `||`, `!`, parentheses, `?:`, comma,
   * likely/unlikely and WARN_ON* wrappers never reach a BranchNode's cond.
   */
  private condition(expr: SyntaxNode, onTrue: CfgNodeId, onFalse: CfgNodeId, origin: BranchOrigin, ctx: Context, depth = 0): CfgNodeId {
    const e = unparen(expr);
    if (depth < MAX_DEPTH) {
      switch (e.type) {
        case 'unary_expression':
        case 'preproc_unary_expression': {
          const op = e.childForFieldName('operator');
          const arg = e.childForFieldName('argument');
          if (op && op.text === '!' && arg) return this.condition(arg, onFalse, onTrue, origin, ctx, depth + 1);
          break;
        }
        case 'binary_expression':
        case 'preproc_binary_expression': {
          const op = e.childForFieldName('operator')?.text;
          const left = e.childForFieldName('left');
          const right = e.childForFieldName('right');
          if (left && right && op === '&&') {
            const r = this.condition(right, onTrue, onFalse, origin, ctx, depth + 1);
            return this.condition(left, r, onFalse, origin, ctx, depth + 1);
          }
          if (left && right && op === '||') {
            const r = this.condition(right, onTrue, onFalse, origin, ctx, depth + 1);
            return this.condition(left, onTrue, r, origin, ctx, depth + 1);
          }
          break;
        }
        case 'conditional_expression': {
          const c = e.childForFieldName('condition');
          const a = e.childForFieldName('consequence');
          const b = e.childForFieldName('alternative');
          if (c && b) {
            const bEntry = this.condition(b, onTrue, onFalse, origin, ctx, depth + 1);
            // GNU `c ?: b`: when c holds, the value is c itself, which is true.
            const aEntry = a ? this.condition(a, onTrue, onFalse, origin, ctx, depth + 1) : onTrue;
            return this.condition(c, aEntry, bEntry, 'ternary', ctx, depth + 1);
          }
          break;
        }
        case 'comma_expression': {
          const left = e.childForFieldName('left');
          const right = e.childForFieldName('right');
          if (left && right) {
            const test = this.condition(right, onTrue, onFalse, origin, ctx, depth + 1);
            return this.expressionAsStatement(left, test, ctx);
          }
          break;
        }
        case 'call_expression': {
          const name = calleeName(e);
          const args = callArgs(e);
          if (name && args[0] && (isTransparentConditionWrapper(name) || isWarnMacro(name))) {
            return this.condition(args[0], onTrue, onFalse, isWarnMacro(name) ? 'warn' : origin, ctx, depth + 1);
          }
          break;
        }
      }
    }
    return this.g.add({ kind: 'branch', cond: e, onTrue, onFalse, origin }, spanOf(e));
  }
}

/** Builds the CFG of a function. Never throws: on an internal failure the graph is entry -> exit with a problem noted. */
export function buildCfg(fn: FunctionDef): FunctionCfg {
  try {
    return new CfgBuilder(fn).build();
  } catch (err) {
    const span = spanOf(fn.body);
    return {
      name: fn.name,
      nodes: [
        { kind: 'entry', id: 0, next: 1, ...span },
        { kind: 'exit', id: 1, ...span },
      ],
      entry: 0,
      exit: 1,
      edges: [{ from: 0, to: 1 }],
      problems: [`CFG construction failed: ${err instanceof Error ? err.message : String(err)}`],
    };
  }
}

/** `__CHECKER__` or `defined(__CHECKER__)` as an #if/#ifdef condition. */
function definesChecker(cond: SyntaxNode): boolean {
  const t = cond.text.replace(/\s+/g, '');
  return t === '__CHECKER__' || t === 'defined(__CHECKER__)' || t === 'defined__CHECKER__';
}
