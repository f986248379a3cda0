// Which static functions get entry contexts from their call sites, and what
// those call sites knew (see sim/callerContext.ts). A function qualifies when
// every mention of its name in the file is a call from a function body, or its
// own declarator: its address is never taken, so the calls seen are all its
// callers. Its context is known once every one of those calls was reached by a
// complete simulation of its caller.

import { codeOnly } from './parse/scan';
import type { FunctionDef } from './parse/types';
import type { SyntaxNode } from './parse/syntax';
import { callSiteFacts, meet, type EntryFact } from './sim/callerContext';
import type { SimContext } from './sim/context';
import type { Val } from './sim/eval';
import type { PathState } from './sim/state';

interface Site {
  caller: string;
  line: number;
  facts: Map<string, EntryFact>;
}

export class CallSites {
  /** Candidates: the number of calls of each in function bodies. */
  private readonly expected = new Map<string, number>();
  /** Candidates: the functions whose bodies call them. */
  readonly callers = new Map<string, Set<string>>();
  private readonly sites = new Map<string, Map<string, Site>>();
  recording = true;

  constructor(text: string, functions: readonly FunctionDef[]) {
    const statics = new Set(functions.filter((f) => f.isStatic).map((f) => f.name));
    if (!statics.size) return;
    const code = codeOnly(text);
    const bodies = functions.map((f) => ({ from: f.body.startIndex, to: f.body.endIndex, name: f.name })).sort((a, b) => a.from - b.from);
    const rejected = new Set<string>();
    const calls = new Map<string, number>();
    let b = 0;
    for (const m of code.matchAll(/[A-Za-z_]\w*/g)) {
      const name = m[0];
      if (!statics.has(name) || rejected.has(name)) continue;
      const at = m.index!;
      while (b < bodies.length && bodies[b].to <= at) b++;
      const inBody = b < bodies.length && bodies[b].from <= at;
      if (!/^\s*\(/.test(code.slice(at + name.length, at + name.length + 40)) || (!inBody && !isDeclarator(code, at))) {
        rejected.add(name);
        continue;
      }
      if (!inBody) continue;
      calls.set(name, (calls.get(name) ?? 0) + 1);
      let set = this.callers.get(name);
      if (!set) this.callers.set(name, (set = new Set()));
      set.add(bodies[b].name);
    }
    for (const [name, n] of calls) if (!rejected.has(name)) this.expected.set(name, n);
    for (const name of rejected) this.callers.delete(name);
  }

  isCandidate(name: string): boolean {
    return this.expected.has(name);
  }

  /** The candidates `name` calls: its own entry context can pass on to those calls. */
  candidatesCalledBy(name: string): readonly string[] {
    if (!this.callees) {
      this.callees = new Map();
      for (const [callee, set] of this.callers) {
        for (const caller of set) this.callees.set(caller, [...(this.callees.get(caller) ?? []), callee]);
      }
    }
    return this.callees.get(name) ?? [];
  }

  private callees: Map<string, string[]> | undefined;

  observe(cx: SimContext, name: string, s: PathState, argVals: Val[], at: SyntaxNode): void {
    if (!this.recording || !this.expected.has(name)) return;
    let byPlace = this.sites.get(name);
    if (!byPlace) this.sites.set(name, (byPlace = new Map()));
    const place = `${at.startPosition.row}:${at.startPosition.column}`;
    const facts = callSiteFacts(cx, s, argVals);
    const site = byPlace.get(place);
    if (site) site.facts = meet(site.facts, facts);
    else byPlace.set(place, { caller: cx.fn.name, line: at.startPosition.row, facts });
  }

  /** Drop what was recorded at the calls `caller` makes (it is about to be simulated again);
   *  the dropped records, for restore(). */
  forget(caller: string): [string, string, Site][] {
    const out: [string, string, Site][] = [];
    for (const [callee, byPlace] of this.sites) {
      for (const [place, site] of byPlace) {
        if (site.caller !== caller) continue;
        out.push([callee, place, site]);
        byPlace.delete(place);
      }
    }
    return out;
  }

  restore(caller: string, records: [string, string, Site][]): void {
    this.forget(caller);
    for (const [callee, place, site] of records) this.sites.get(callee)!.set(place, site);
  }

  /** What holds at every call of `name`, when every call was seen by a complete simulation. */
  contextOf(name: string, complete: (caller: string) => boolean): { facts: EntryFact[]; where: string } | undefined {
    const byPlace = this.sites.get(name);
    if (!byPlace || byPlace.size !== this.expected.get(name)) return undefined;
    let facts: Map<string, EntryFact> | undefined;
    for (const site of byPlace.values()) {
      if (!complete(site.caller)) return undefined;
      facts = facts ? meet(facts, site.facts) : site.facts;
    }
    if (!facts?.size) return undefined;
    const lines = [...byPlace.values()].map((x) => x.line + 1).sort((x, y) => x - y);
    return { facts: [...facts.values()], where: `line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}` };
  }
}

/** Is the name at `at` (outside function bodies) the declarator of a prototype or definition,
 *  rather than a call in a macro or an initializer? */
function isDeclarator(code: string, at: number): boolean {
  const lineStart = code.lastIndexOf('\n', at - 1) + 1;
  if (/^\s*#/.test(code.slice(lineStart, at))) return false;
  // A continuation line of a multi-line macro.
  if (/\\\s*$/.test(code.slice(code.lastIndexOf('\n', lineStart - 2) + 1, Math.max(0, lineStart - 1)))) return false;
  const prev = /(\w+|\S)\s*$/.exec(code.slice(Math.max(0, at - 60), at))?.[1];
  return !!prev && prev !== 'return' && /^(\w+|\*)$/.test(prev);
}
