// The path explorer: runs path states through a function's CFG. States that
// are the same in everything that matters merge at join points and loop heads
// (which is also how loops reach a fixed point: a state that repeats at a loop
// head is not explored again; reference deltas are widened so growing counts
// repeat too). Exits are collected for the exit checks and the summary.

import type { SyntaxNode } from '../parse/syntax';
import type { CfgNode, FunctionCfg, IterNode } from '../cfg/types';
import type { Resource } from '../model/types';
import { BudgetExceeded, SimContext } from './context';
import { acquire, release } from './effects';
import { addrOfVar, assignVar, CondResult, evalCond, evalExpr, Val } from './eval';
import { refine, splitEq } from './facts';
import { GLOBAL_OBJ, PathState, Sym, lockKey } from './state';
import { collapseUnreachableHolds, stateKey } from './key';
import { dropUnreachableFacts } from './deadFacts';
import { liveVariables } from './liveness';
import { namedGlobalPath } from './globalNames';

export interface ExitState {
  s: PathState;
  /** The returned value, if any. */
  ret?: Sym;
  retText?: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

export interface LineObserver {
  (node: CfgNode, s: PathState): void;
}

export interface ExploreResult {
  exits: ExitState[];
  complete: boolean;
  incomplete?: { kind: 'visits' | 'time'; line: number };
  /** Number of states that reached the exit or an abort. */
  paths: number;
  /** States merged into an earlier one past the exact-state cap of a join point. */
  mergedStates: number;
}

/** Guard classes to resources (guard(spinlock)(&l), scoped_guard(rcu) {...}). */
function guardResource(t: string): { resource: Resource; global?: keyof typeof GLOBAL_OBJ } | undefined {
  if (/^(raw_)?spinlock/.test(t) || t === 'spinlock_irq' || t === 'spinlock_irqsave' || t === 'spinlock_bh') return { resource: 'spinlock' };
  if (t === 'rcu') return { resource: 'rcu', global: 'rcu' };
  if (t === 'mutex' || t === 'mutex_intr') return { resource: 'mutex' };
  if (t === 'rwsem_read') return { resource: 'rwsem_read' };
  if (t === 'rwsem_write') return { resource: 'rwsem_write' };
  if (t === 'mmap_read_lock') return { resource: 'mmap_read' };
  if (t === 'lazy_mmu_mode') return { resource: 'lazy_mmu', global: 'lazy_mmu' };
  return undefined;
}

export function explore(cx: SimContext, cfg: FunctionCfg, entry: PathState, closing: { line: number; character: number }, observe?: LineObserver): ExploreResult {
  const exits: ExitState[] = [];
  // Per join point: the keys seen (at every level) and how many states each level let through.
  const seen = new Map<number, { keys: Set<string>; exact: number; branch: number; held: number }>();
  let mergedStates = 0;
  /** Past the exact-state cap, a state goes on only if no earlier one agrees with it on the
   *  branch level, and past the branch cap only if none holds the same locks and references;
   *  past the held cap the function is given up. */
  const admitMerged = (at: { keys: Set<string>; branch: number; held: number }, to: number, from: CfgNode, s: PathState, heldOnly: boolean): boolean => {
    const live = liveAt[to];
    if (at.branch < cx.budget.maxMergedStatesPerNode && !heldOnly) {
      const bk = 'branch:' + stateKey(cx, s, true, 'branch', live);
      if (at.keys.has(bk)) return merged();
      at.keys.add(bk);
      at.branch++;
      return true;
    }
    const hk = 'held:' + stateKey(cx, s, true, 'held', live);
    if (at.keys.has(hk)) return merged();
    if (at.held >= cx.budget.maxHeldStatesPerNode) throw new BudgetExceeded('visits', cfg.nodes[to]?.line ?? from.line);
    at.keys.add(hk);
    at.held++;
    return true;
  };
  const merged = (): false => {
    mergedStates++;
    return false;
  };
  // Back edges by from * nodeCount + to (a number: this is looked up on every step).
  const nodeCount = cfg.nodes.length;
  const back = new Set<number>();
  for (const e of cfg.edges) if (e.back) back.add(e.from * nodeCount + e.to);
  const loopHeads = new Set<number>();
  for (const e of cfg.edges) if (e.back) loopHeads.add(e.to);
  const mergePoints = new Set<number>();
  const preds = new Map<number, number>();
  for (const e of cfg.edges) preds.set(e.to, (preds.get(e.to) ?? 0) + 1);
  for (const n of cfg.nodes) {
    if (loopHeads.has(n.id) || n.kind === 'iter' || (preds.get(n.id) ?? 0) > 1) mergePoints.add(n.id);
  }
  const liveAt = liveVariables(cfg);
  let paths = 0;
  const stack: { node: number; s: PathState }[] = [{ node: cfg.entry, s: entry }];

  /** `forked`: `s` is one of several states one statement produced (a call whose summary or
   *  contract has several outcomes): they are merged at the next node like at a join, or a
   *  run of such calls with no join between them would multiply the paths. */
  const go = (from: CfgNode, to: number, s: PathState, forked = false): void => {
    if (back.has(from.id * nodeCount + to)) {
      collapseUnreachableHolds(cx, s);
      dropUnreachableFacts(cx, s);
      // Going around: remember the locks held so a re-take is reported at the jump.
      // Only locks taken inside the loop (between its head and the jump) are taken again
      // when the path goes around; a lock taken before the loop is held across it by design.
      const at = s.lastJump ?? from;
      const headLine = cfg.nodes[to]?.line ?? 0;
      const keys = new Set<string>();
      for (const [k, h] of s.held) {
        if (h.origin !== 'here' || h.obj < 0 || h.line < headLine || h.line > at.endLine) continue;
        keys.add(k);
        if (!h.acrossRounds && !fixedAddress(cx, s, h.obj)) s.held.set(k, { ...h, acrossRounds: true });
      }
      // A lock carried around earlier is reported where it was first carried.
      const carried = s.retry && [...keys].every((k) => s.retry!.keys.has(k));
      if (!carried) {
        s.retry = keys.size ? { line: at.line, character: at.character, endLine: at.endLine, endCharacter: at.endCharacter, keys } : null;
      }
      s.lastJump = null;
    }
    // Once half the visit budget is spent, every node merges by locks and references: the
    // rest of a long function (often one long path of checks that end in BUG() or panic(),
    // with no join point to merge at) is still followed, with fewer distinctions.
    const pressed = cx.visits > cx.budget.maxStateVisits / 2;
    if (mergePoints.has(to) || pressed || forked) {
      let seenHere = seen.get(to);
      if (!seenHere) seen.set(to, (seenHere = { keys: new Set(), exact: 0, branch: 0, held: 0 }));
      if (pressed) {
        if (!admitMerged(seenHere, to, from, s, true)) return;
      } else {
        const k = stateKey(cx, s, loopHeads.has(to), 'exact', liveAt[to]);
        if (seenHere.keys.has(k)) return;
        seenHere.keys.add(k);
        if (++seenHere.exact > cx.budget.maxStatesPerNode && !admitMerged(seenHere, to, from, s, false)) return;
      }
    }
    stack.push({ node: to, s });
  };

  try {
    while (stack.length) {
      const { node: id, s } = stack.pop()!;
      const node = cfg.nodes[id];
      if (!node) continue;
      cx.tick(node.line);
      observe?.(node, s);
      switch (node.kind) {
        case 'entry':
          go(node, node.next, s);
          break;
        case 'exit':
          // Fell off the end of the body (returns go straight to `exits`).
          paths++;
          exits.push({ s, line: closing.line, character: closing.character, endLine: closing.line, endCharacter: closing.character + 1 });
          break;
        case 'abort':
          paths++;
          break;
        case 'join':
          if (node.jump && node.jump !== 'break') s.lastJump = node;
          go(node, node.next, s);
          break;
        case 'eval': {
          const rs = evalExpr(cx, s, node.expr);
          for (const r of rs) go(node, node.next, r.s, rs.length > 1);
          break;
        }
        case 'assign': {
          if (!node.value) {
            const v = cx.newSym({ label: node.target, line: node.line, origin: 'local' });
            s.env.set(node.target, v);
            s.staleVars.delete(node.target);
            s.varFromPage.delete(node.target);
            // A declaration in a loop body starts a new object each round: what the last
            // round's callee wrote into its members (`walk(&arg); folio = arg.folio;`) is gone.
            forgetMembers(cx, s, node.target);
            go(node, node.next, s);
            break;
          }
          const rs = evalExpr(cx, s, node.value);
          for (const r of rs) {
            assignVar(r.s, node.target, r);
            go(node, node.next, r.s, rs.length > 1);
          }
          break;
        }
        case 'branch': {
          for (const r of evalCond(cx, s, node.cond) as CondResult[]) go(node, r.truth ? node.onTrue : node.onFalse, r.s);
          break;
        }
        case 'switch': {
          for (const d of evalExpr(cx, s, node.discriminant)) switchOn(cx, node, d, go);
          break;
        }
        case 'iter': {
          const body = s.clone();
          const from = iteratedFrom(s, node);
          for (const v of node.vars) {
            const cursor = cx.newSym({ label: v, line: node.line, origin: from.length ? 'derived' : 'local', from });
            body.env.set(v, cursor);
            body.staleVars.delete(v);
            // A list walk's cursor is an element inside the body: `found = pos` is valid.
            if (node.firstCursorNonNull && v === node.vars[0]) refine(body, cursor, { nz: true, errptr: false });
            forgetMembers(cx, body, v);
          }
          body.push({ line: node.line, character: node.character, kind: 'loop', text: `${node.macro}: next iteration` });
          go(node, node.body, body);
          s.push({ line: node.line, character: node.character, kind: 'loop', text: `${node.macro}: loop ends` });
          go(node, node.exit, s);
          break;
        }
        case 'return': {
          if (node.value) {
            for (const r of evalExpr(cx, s, node.value)) {
              exits.push({ s: r.s, ret: r.v, retText: node.value.text, line: node.line, character: node.character, endLine: node.endLine, endCharacter: node.endCharacter });
              paths++;
            }
          } else {
            exits.push({ s, line: node.line, character: node.character, endLine: node.endLine, endCharacter: node.endCharacter });
            paths++;
          }
          break;
        }
        case 'guard': {
          const g = guardResource(node.guardType);
          if (!g) {
            go(node, node.next, s);
            break;
          }
          let obj: Sym = g.global ? GLOBAL_OBJ[g.global] : -1;
          let st = s;
          if (!g.global) {
            const a = node.args[0];
            const rs: Val[] = a ? evalExpr(cx, s, a) : [];
            if (!rs.length) {
              go(node, node.next, s);
              break;
            }
            st = rs[0].s;
            obj = rs[0].v;
          }
          const how = `${node.action === 'acquire' ? 'guard' : 'end of guard scope'} (${node.guardType})`;
          const ok = node.action === 'acquire' ? acquire(cx, st, g.resource, obj, node, how) : release(cx, st, g.resource, obj, node, how);
          if (ok) go(node, node.next, st);
          break;
        }
      }
    }
  } catch (e) {
    if (e instanceof BudgetExceeded) return { exits, complete: false, incomplete: { kind: e.kind, line: e.line }, paths, mergedStates };
    throw e;
  }
  // A function that falls off its end: the exit node's state is not a return; add it.
  return { exits, complete: true, paths, mergedStates };
}

function switchOn(cx: SimContext, node: Extract<CfgNode, { kind: 'switch' }>, d: Val, go: (from: CfgNode, to: number, s: PathState) => void): void {
  let rest: PathState[] = [d.s];
  for (const c of node.cases) {
    const nextRest: PathState[] = [];
    for (const st of rest) {
      let matched: PathState[] = [];
      let unmatched: PathState[] = [st];
      for (const valNode of c.values) {
        const nu: PathState[] = [];
        for (const u of unmatched) {
          for (const cv of evalExpr(cx, u, valNode as SyntaxNode)) {
            for (const q of splitEq(cx, cv.s, d.v, cv.v)) {
              if (q.eq) {
                if (q.split) q.s.push({ line: valNode.startPosition.row, character: valNode.startPosition.column, kind: 'branch', text: `case ${valNode.text}` });
                matched.push(q.s);
              } else nu.push(q.s);
            }
          }
        }
        unmatched = nu;
      }
      for (const m of matched) go(node, c.target, m);
      matched = [];
      nextRest.push(...unmatched);
    }
    rest = nextRest;
  }
  for (const st of rest) go(node, node.defaultTarget, st);
}

/** An object at an address no round of a loop can change: a parameter's own value, a field
 *  inside it (`&p->lock`), a global. A lock on it carried around a loop (a retry that takes
 *  the mmap lock again) is one lock, never one element of a walk. */
function fixedAddress(cx: SimContext, s: PathState, obj: Sym): boolean {
  const info = cx.info(s.rep(obj));
  if (info.entryPath) return info.entryPath.path.every((el) => el.startsWith('&'));
  const g = namedGlobalPath(cx, s, obj);
  return g !== undefined && g.path.every((el) => el.startsWith('&'));
}

/** Names in an iterator's arguments other than its cursors: the containers it walks. */
const CONTAINER_NAMES = new WeakMap<IterNode, string[]>();

/** The values of the containers an iterator walks: its cursors are reached from them (an
 *  element of a list the caller can reach is one the caller can reach too). */
function iteratedFrom(s: PathState, node: IterNode): Sym[] {
  let names = CONTAINER_NAMES.get(node);
  if (!names) {
    const ids = new Set<string>();
    for (const a of node.call.childForFieldName('arguments')?.descendantsOfType('identifier') ?? []) if (a) ids.add(a.text);
    names = [...ids].filter((x) => !node.vars.includes(x));
    CONTAINER_NAMES.set(node, names);
  }
  const out: Sym[] = [];
  for (const x of names) {
    const v = s.env.get(x);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** A structure that is a new object (a cursor of bio_for_each_folio_all's `struct folio_iter
 *  fi` each round, a structure declared again): what its members held before is forgotten. */
function forgetMembers(cx: SimContext, s: PathState, v: string): void {
  if (!cx.varTypes.has(v)) return;
  const prefix = `${s.rep(addrOfVar(cx, s, v))}.`;
  for (const k of [...s.fields.keys()]) if (k.startsWith(prefix)) s.fields.delete(k);
}
