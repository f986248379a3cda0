// Analyse one document: parse, build each function's CFG, simulate it with
// summaries of the functions it calls, run the rules, and package the result.

import * as crypto from 'node:crypto';
import { cachedSyntax } from './parse/syntax';
import { callArgumentTexts, codeOnly } from './parse/scan';
import { buildCfg } from './cfg/build';
import type { FunctionCfg } from './cfg/types';
import { checkAnnotatedExits, checkExits } from './checks/exits';
import { releaseWhatUnseenCodeWasGiven } from './sim/unseenRelease';
import { contractsFor } from './model/load';
import type { Contract, ContractTable } from './model/types';
import { formatKernelVersion, NEWEST_KERNEL, detectKernelVersion } from './model/version';
import { parseDocument } from './parse/functions';
import type { ParsedDocument } from './parse/types';
import { macroDefinedFunctions } from './macroFunctions';
import { initParser } from './parse/parser';
import { documentConstants } from './parse/constants';
import { ERRNO } from './sim/errno';
import type { FunctionDef } from './parse/types';
import type { DocumentAnalysis, FunctionAnalysis } from './result';
import { buildSummary } from './sim/buildSummary';
import { CallSites } from './callSites';
import type { EntryFact } from './sim/callerContext';
import { SimContext, ContractSource } from './sim/context';
import type { Val } from './sim/eval';
import type { PathState } from './sim/state';
import type { SyntaxNode } from './parse/syntax';
import { ASSERT_HELD } from './sim/calls';
import { entryState } from './sim/entry';
import { explore } from './sim/explore';
import type { FunctionSummary, SummaryCase } from './sim/summary';
import { LineRecorder } from './sim/lines';
import { learnLockKinds, type LockKinds } from './sim/lockKinds';
import { learnOwnerLocks, type OwnerLocks } from './sim/ownerLocks';
import { ALL_RULES, AnalyzeOptions, DEFAULT_BUDGET, Finding, KernelVersion, RuleId, Severity } from './types';
import { fileURLToPath } from 'node:url';

/** Summaries kept between analyses of open documents, by summaryKey (bounded). */
const SUMMARY_CACHE = new Map<string, FunctionSummary>();

/** Inputs larger than this are not analysed (a clear input error instead). */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/** The severity each rule reports with (the editor's defaults are the same). */
export const RULE_SEVERITY: Record<RuleId, Severity> = {
  'double-lock': 'error',
  'unlock-not-held': 'error',
  'lock-leak': 'error',
  'ref-leak': 'warning',
  'ref-underflow': 'error',
  'sleep-in-atomic': 'error',
  'pte-after-unmap': 'error',
  'pte-map-unchecked': 'error',
  'retry-with-lock-held': 'error',
  'requires-lock': 'error',
  'use-after-put': 'error',
  'split-device-private': 'warning',
  'stale-folio-after-split': 'warning',
  'analysis-incomplete': 'information',
};

export async function initEngine(): Promise<void> {
  await initParser();
}

function pathOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

function isBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return true;
  // Mostly replacement characters or control bytes: not C source.
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11)) bad++;
  }
  return head.length > 0 && bad / head.length > 0.1;
}

/** Identifiers of a function body, for deciding quickly whether it can touch a tracked resource. */
function identifiersOf(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z_]\w*/g) ?? []);
}

export function analyzeText(uri: string, text: string, options: AnalyzeOptions = {}): DocumentAnalysis {
  const filePath = pathOf(uri);
  const t0 = performance.now();
  let version: KernelVersion = NEWEST_KERNEL;
  let versionSource = 'default (newest)';
  if (options.kernelVersion) {
    version = options.kernelVersion;
    versionSource = 'option';
  } else {
    const d = detectKernelVersion(filePath);
    if (d) {
      version = d.version;
      versionSource = d.source;
    }
  }
  const result: DocumentAnalysis = { uri, kernelVersion: formatKernelVersion(version), versionSource, functions: [], findings: [], inputErrors: [], parseMillis: 0, simulateMillis: 0 };
  if (text.length > MAX_INPUT_BYTES) {
    result.inputErrors.push(`file is too large to analyse (${text.length} bytes; the limit is ${MAX_INPUT_BYTES})`);
    return result;
  }
  if (isBinary(text)) {
    result.inputErrors.push('binary file (not C source): not analysed');
    return result;
  }
  let parsed: ReturnType<typeof parseDocument>;
  try {
    parsed = parseDocument(text, undefined, options.incremental ? uri : undefined);
  } catch (e) {
    result.inputErrors.push(`could not parse: ${(e as Error).message}`);
    return result;
  }
  const t1 = performance.now();
  result.parseMillis = t1 - t0;
  let macroDocs: ParsedDocument[] = [];
  try {
    const contracts = contractsFor(version, (options.extraContracts ?? []) as ContractTable[]);
    const constants = documentConstants(parsed.tree, ERRNO);
    // Helpers the file defines through its own macros: callees only (their text is the
    // macro's, on the invocation's line), so that a lock taken through them is seen.
    macroDocs = macroDefinedFunctions(text);
    const defined = new Set(parsed.functions.map((f) => f.name));
    const generated = macroDocs.flatMap((d) => d.functions).filter((f) => !defined.has(f.name) && (defined.add(f.name), true));
    const doc = new DocumentSimulation(filePath, parsed.text, generated.length ? [...parsed.functions, ...generated] : parsed.functions, contracts, options, version, constants, new CallSites(parsed.text, parsed.functions));
    const only = options.onlyFunctions ? new Set(options.onlyFunctions) : undefined;
    for (const fn of parsed.functions) {
      if (only && !only.has(fn.name)) {
        result.functions.push(doc.analyzed(fn) ?? doc.stub(fn));
        continue;
      }
      result.functions.push(doc.analysis(fn));
    }
    doc.applyCallerContexts(parsed.functions, result.functions);
    for (const f of result.functions) result.findings.push(...f.findings);
  } finally {
    parsed.dispose();
    for (const d of macroDocs) d.dispose();
  }
  result.simulateMillis = performance.now() - t1;
  return result;
}

/** Rounds of a recursive function's simulation before its calls back into it are unknown calls. */
const MAX_RECURSION_ROUNDS = 3;

class DocumentSimulation {
  private readonly byName = new Map<string, FunctionDef>();
  private readonly summaries = new Map<string, FunctionSummary | null>();
  private readonly analyses = new Map<FunctionDef, FunctionAnalysis>();
  private readonly inProgress = new Set<string>();
  /** For each analysis in progress (innermost last): the functions in progress whose summary
   *  it had to do without (a call back into a recursion) or that a summary it used did without. */
  private readonly missing: Set<string>[] = [];
  /** Summaries made without the summary of a function then in progress: they stand only until
   *  that function's analysis ends, and are made again when asked for after it (then with it). */
  private readonly provisional = new Map<string, Set<string>>();
  /** Functions whose own analysis needed their summary (through a recursion), in this round. */
  private readonly recursed = new Set<string>();
  /** A recursive function's summary of the round before, assumed for the calls back into it. */
  private readonly assumed = new Map<string, FunctionSummary>();
  /** Recursive functions whose rounds did not settle: a call back into them is an unknown call. */
  private readonly recursionUnknown = new Set<string>();
  private readonly relevant = new Set<string>();
  /** Functions relevant by themselves (not only through the functions they call). */
  private readonly directlyRelevant = new Set<string>();
  private readonly enabled: Set<RuleId>;
  private readonly contractNames: Set<string>;

  constructor(
    readonly filePath: string,
    readonly text: string,
    readonly functions: FunctionDef[],
    readonly contracts: ContractSource,
    readonly options: AnalyzeOptions,
    readonly version: KernelVersion,
    readonly constants: Map<string, number>,
    private readonly callSites: CallSites,
  ) {
    for (const f of functions) if (!this.byName.has(f.name)) this.byName.set(f.name, f);
    this.enabled = new Set(options.rules ?? ALL_RULES);
    // APIs that change what is held; tests and identity functions (folio_test_*, page_folio)
    // matter only in functions that also do one of these.
    const changesState = (c: Contract): boolean => !!(c.effects?.length || c.outcomes?.length || c.requires?.length);
    this.contractNames = new Set([...contracts.byName.keys()].filter((n) => changesState(contracts.byName.get(n)!)));
    // A call's argument types may select another version's contract (Contract.signature).
    for (const [n, cs] of contracts.bySignature ?? []) if (cs.some(changesState)) this.contractNames.add(n);
    this.sleepNames = new Set([...contracts.byName.keys()].filter((n) => !!contracts.byName.get(n)!.sleeps));
    this.gfpNames = new Set([...contracts.byName.keys()].filter((n) => contracts.byName.get(n)!.gfpArg !== undefined));
    this.computeRelevance();
    this.lockKinds = learnLockKinds(text, contracts.byName);
    this.ownerLocks = learnOwnerLocks(text, contracts.byName);
  }

  private readonly lockKinds: LockKinds;
  private readonly ownerLocks: OwnerLocks;

  private readonly sleepNames: Set<string>;
  /** Allocators: they sleep only with flags that allow reclaim. */
  private readonly gfpNames: Set<string>;
  /** Functions that hold nothing themselves but may sleep (directly or through callees):
   *  their summary is "may sleep" without simulating them. */
  private readonly sleepy = new Map<string, { line: number; how: string }>();

  /** A function needs simulating when it can touch a tracked resource: it calls an API
   *  from the table, a relevant function of this document, or has entry contracts. */
  /** Identifiers of each function's body (calls to other functions of the document). */
  private readonly ids = new Map<string, Set<string>>();
  private readonly code = new Map<FunctionDef, string>();

  /** The function body without comments and literals. */
  private codeOf(f: FunctionDef): string {
    let c = this.code.get(f);
    if (c === undefined) this.code.set(f, (c = codeOnly(f.body.text)));
    return c;
  }

  /** A name defined twice (`#ifdef CONFIG_X` the real function, `#else` a stub) has one
   *  summary, from its first definition; both are checked. */
  private isCanonical(fn: FunctionDef): boolean {
    return this.byName.get(fn.name) === fn;
  }

  private computeRelevance(): void {
    const ids = this.ids;
    // Both definitions of a name count: the stub must not make the real one irrelevant.
    for (const f of this.functions) {
      const mine = identifiersOf(this.codeOf(f));
      const before = ids.get(f.name);
      ids.set(f.name, before ? new Set([...before, ...mine]) : mine);
    }
    let changed = true;
    for (const f of this.functions) {
      const fid = ids.get(f.name)!;
      if (f.annotations.length || [...fid].some((x) => this.contractNames.has(x) || ASSERT_HELD.has(x)) || this.sleepsOnSomePaths(f) || storesParamInParam(f, this.codeOf(f))) {
        this.relevant.add(f.name);
        this.directlyRelevant.add(f.name);
      }
    }
    while (changed) {
      changed = false;
      for (const f of this.functions) {
        if (this.relevant.has(f.name)) continue;
        for (const x of ids.get(f.name)!) {
          if (x !== f.name && this.relevant.has(x) && this.byName.has(x)) {
            this.relevant.add(f.name);
            changed = true;
            break;
          }
        }
      }
    }
    changed = true;
    while (changed) {
      changed = false;
      for (const f of this.functions) {
        if (this.relevant.has(f.name) || this.sleepy.has(f.name)) continue;
        const at = this.firstSleepingCall(f, (x) => (this.byName.has(x) ? this.sleepy.get(x) : undefined));
        if (at) {
          this.sleepy.set(f.name, at);
          changed = true;
        }
      }
    }
  }

  /** Does this allocation call sleep? Its GFP argument written out decides (GFP_ATOMIC does
   *  not, GFP_KERNEL does); a mask held in a variable is taken to reclaim when the function
   *  names a reclaiming mask anywhere. */
  private allocSleeps(name: string, text: string, open: number, reclaims: boolean): boolean | 'literal-no' {
    const at = this.contracts.byName.get(name)?.gfpArg;
    if (at === undefined) return false;
    const arg = callArgumentTexts(text, open)?.[at];
    if (arg === undefined) return reclaims;
    if (/GFP_(ATOMIC|NOWAIT)/.test(arg)) return 'literal-no';
    if (/GFP_\w+|__GFP_DIRECT_RECLAIM/.test(arg)) return GFP_RECLAIMS.test(arg);
    return reclaims;
  }

  /** A function with an allocation that may not sleep and one that does (a `nofail` flag
   *  picks GFP_ATOMIC or GFP_KERNEL): whether a call of it sleeps is a question of its
   *  paths, so it is simulated and its summary says on which cases it sleeps. */
  private sleepsOnSomePaths(f: FunctionDef): boolean {
    const text = this.codeOf(f);
    let atomic = false;
    let sleeping = false;
    for (const call of this.callsIn(f)) {
      if (!this.gfpNames.has(call.name)) continue;
      const s = this.allocSleeps(call.name, text, call.open, false);
      if (s === 'literal-no') atomic = true;
      else if (s) sleeping = true;
    }
    return atomic && sleeping;
  }

  /** Where a function that is not simulated may sleep: its first call to a sleeping API (an
   *  allocation only with a reclaiming GFP mask), or to a function of this document that
   *  `alsoSleeps`. */
  private firstSleepingCall(f: FunctionDef, alsoSleeps: (name: string) => { line: number; how: string } | undefined): { line: number; how: string } | undefined {
    const text = this.codeOf(f);
    const reclaims = GFP_RECLAIMS.test(text);
    for (const { name: x, at, open } of this.callsIn(f)) {
      if (x === f.name) continue;
      const allocSleeps = this.gfpNames.has(x) && this.allocSleeps(x, text, open, reclaims) === true;
      const inner = this.sleepNames.has(x) || allocSleeps ? undefined : alsoSleeps(x);
      if (!inner && !this.sleepNames.has(x) && !allocSleeps) continue;
      const line = f.body.startPosition.row + (text.slice(0, at).match(/\n/g)?.length ?? 0);
      return { line, how: inner ? `${x}() (it may sleep: ${inner.how} at line ${inner.line + 1})` : `${x}()` };
    }
    return undefined;
  }

  private readonly calls = new Map<FunctionDef, { name: string; at: number; open: number }[]>();

  /** The calls written in a function's code, in order (name, where it starts, its `(`): read
   *  once, as the sleep analysis asks again on every round of its fixed point. */
  private callsIn(f: FunctionDef): { name: string; at: number; open: number }[] {
    let calls = this.calls.get(f);
    if (!calls) {
      calls = [];
      const text = this.codeOf(f);
      const re = /([A-Za-z_]\w*)\s*\(/g;
      for (let m = re.exec(text); m; m = re.exec(text)) calls.push({ name: m[1], at: m.index, open: m.index + m[0].length - 1 });
      this.calls.set(f, calls);
    }
    return calls;
  }

  /**
   * A function relevant only because it calls relevant functions of this document needs no
   * simulation when every one of those has a complete summary with no lock, reference,
   * split or hand-off effect and no precondition: nothing it does can then be reported,
   * and its own summary is "no effect" (plus where it may sleep). Null when it must be
   * simulated.
   */
  private summaryWithoutSimulation(fn: FunctionDef): FunctionSummary | null {
    if (this.directlyRelevant.has(fn.name)) return null;
    for (const x of this.ids.get(fn.name) ?? []) {
      if (x === fn.name || !this.byName.has(x) || !this.relevant.has(x)) continue;
      const callee = this.summaryOf(x);
      if (!callee || !callee.complete || !callee.cases.length || !callee.cases.every(hasNoEffect)) return null;
      // A callee that sleeps on some of its cases only (`__alloc_pending(false)` takes
      // GFP_ATOMIC): whether this function sleeps depends on what it passes, a question of
      // its paths, so it is simulated.
      if (callee.cases.some((c) => c.sleeps) && callee.cases.some((c) => !c.sleeps)) return null;
    }
    const sleeps = this.firstSleepingCall(fn, (x) => (this.byName.has(x) ? (this.summaries.get(x)?.mayBlock ?? this.sleepy.get(x)) : undefined));
    return { name: fn.name, cases: [noEffectCase()], ...(sleeps ? { mayBlock: sleeps } : {}), complete: true };
  }

  summaryOf(name: string): FunctionSummary | undefined {
    const fn = this.byName.get(name);
    if (!fn) return this.options.externalSummaries?.[name] as FunctionSummary | undefined;
    const sleeps = this.sleepy.get(name);
    if (sleeps && !this.relevant.has(name)) return { name, cases: [noEffectCase()], mayBlock: sleeps, complete: true };
    if (!this.relevant.has(name)) return undefined;
    if (this.summaries.has(name)) {
      this.noteMissing(this.provisional.get(name));
      return this.summaries.get(name) ?? undefined;
    }
    if (this.inProgress.has(name)) {
      // Recursion: the caller's summary is provisional. The first round takes the call as not
      // returning (no case), later rounds the summary of the round before (see analysis()).
      this.noteMissing([name]);
      if (this.recursionUnknown.has(name)) return undefined;
      return this.assumed.get(name) ?? { name, cases: [], complete: true };
    }
    if (this.inProgress.size > 8) return undefined; // a deep chain
    // In the editor, a summary outlives the analysis: a callee whose text (and whose own
    // callees' text) did not change is not simulated again on the next keystroke.
    const key = this.options.incremental ? this.summaryKey(fn) : undefined;
    if (key !== undefined) {
      const cached = SUMMARY_CACHE.get(key);
      if (cached) {
        this.summaries.set(name, cached);
        return cached;
      }
    }
    this.analysis(fn);
    const made = this.summaries.get(name) ?? undefined;
    this.noteMissing(this.provisional.get(name));
    if (key !== undefined && made && !this.provisional.has(name)) {
      SUMMARY_CACHE.set(key, made);
      if (SUMMARY_CACHE.size > 500) SUMMARY_CACHE.delete(SUMMARY_CACHE.keys().next().value as string);
    }
    return made;
  }

  observeCall(cx: SimContext, name: string, s: PathState, argVals: Val[], at: SyntaxNode): void {
    if (!this.relevant.has(name)) return;
    // The checker analyses a function again only for its findings, or to pass its context on
    // to a function it calls that has findings. Callees are analysed before their callers'
    // calls of them are simulated, so those without either need no call sites.
    if ((this.options.detail ?? 'full') !== 'full' && !this.mayHaveFindings(name) && !this.callSites.candidatesCalledBy(name).some((c) => this.mayHaveFindings(c))) return;
    this.callSites.observe(cx, name, s, argVals, at);
  }

  /** Whether the function has findings, or was not analysed yet. */
  private mayHaveFindings(name: string): boolean {
    const def = this.byName.get(name);
    const done = def && this.analyses.get(def);
    return !done || done.findings.length > 0;
  }

  /**
   * Analyse each static function again with what every one of its call sites guarantees on
   * entry (after all its callers were simulated: contexts need the callers' states, while the
   * callers needed its summary first). Its summary stays the one made without the context,
   * which is right for every caller. Only findings the analysis without the context made too
   * are kept: a context takes false reports away; a defect of a call site is reported there,
   * through the summary. The checker re-runs only functions with findings; the editor re-runs
   * every function with a context, for the states and assumptions its hovers show.
   *
   * Two rounds: first the static callers of those functions that have a context of their
   * own, with their call sites recorded again, so that a lock their callers hold reaches the
   * functions they call; then the functions themselves.
   */
  applyCallerContexts(functions: FunctionDef[], results: FunctionAnalysis[]): void {
    const full = (this.options.detail ?? 'full') === 'full';
    // Only functions analysed in this run: an editor run of a few functions (onlyFunctions)
    // keeps the earlier results, contexts applied, of the others, whose callers did not change
    // (the editor's plan re-runs the callees of an edited function).
    const rerun = functions.filter((fn, i) => {
      const fa = results[i];
      return this.analyses.get(fn) === fa && this.callSites.isCandidate(fn.name) && fa.complete && this.relevant.has(fn.name) && (full || fa.findings.length > 0);
    });
    if (!rerun.length) return;
    // Callers left out of this run (onlyFunctions) are simulated for their call sites.
    const callers = new Set(rerun.flatMap((fn) => [...(this.callSites.callers.get(fn.name) ?? [])]));
    for (const def of this.functions) if (callers.has(def.name)) this.analysis(def);
    const complete = (caller: string): boolean => this.functions.every((d) => d.name !== caller || this.analyses.get(d)?.complete !== false);
    const reanalyse = (fn: FunctionDef): boolean => {
      const before = this.analyses.get(fn);
      const context = this.callSites.contextOf(fn.name, complete);
      if (!before || !context) return false;
      const had = new Set(before.findings.map(findingPlace));
      const fa = this.analysisRound(fn, { ...context, keep: (f) => had.has(findingPlace(f)) });
      if (!fa.complete) {
        this.analyses.set(fn, before);
        return false;
      }
      fa.engineSummary = before.engineSummary;
      fa.summary = before.summary;
      const i = functions.indexOf(fn);
      if (i >= 0) results[i] = fa;
      return true;
    };
    const first = functions.filter((fn) => callers.has(fn.name) && this.callSites.isCandidate(fn.name) && this.analyses.get(fn)?.complete && this.relevant.has(fn.name));
    for (const fn of first) {
      const sites = this.callSites.forget(fn.name);
      if (!reanalyse(fn)) this.callSites.restore(fn.name, sites);
    }
    this.callSites.recording = false;
    for (const fn of rerun) if (!first.includes(fn)) reanalyse(fn);
  }

  private noteMissing(names: Iterable<string> | undefined): void {
    const top = this.missing[this.missing.length - 1];
    if (top && names) for (const n of names) top.add(n);
  }

  /** The analysis of fn ends: a summary made without fn's summary (fn was in progress) is
   *  dropped with its analysis, so it is made again, with fn's summary, when next asked for. */
  private finished(fn: FunctionDef, missing: Set<string> | undefined): void {
    if (missing?.delete(fn.name)) this.recursed.add(fn.name);
    if (missing?.size) this.provisional.set(fn.name, missing);
    for (const [name, without] of this.provisional) {
      if (!without.has(fn.name)) continue;
      this.provisional.delete(name);
      this.summaries.delete(name);
      const def = this.byName.get(name);
      if (def) this.analyses.delete(def);
    }
  }

  /** What a function's summary depends on: its text, the texts of the document's functions
   *  it calls (transitively), the kernel version and the contracts in force. */
  private summaryKey(fn: FunctionDef, seen = new Set<string>()): string {
    seen.add(fn.name);
    const h = crypto.createHash('sha1');
    h.update(`${this.version.major}.${this.version.minor}|${this.contractsId}|${this.filePath.includes('migrate_device')}|`);
    h.update(fn.node.text);
    for (const x of [...(this.ids.get(fn.name) ?? [])].sort()) {
      const callee = this.byName.get(x);
      if (!callee || seen.has(x)) continue;
      h.update(`|${x}:${this.summaryKey(callee, seen)}`);
    }
    return h.digest('hex');
  }

  private get contractsId(): string {
    return this.options.extraContracts ? String(JSON.stringify(this.options.extraContracts).length) : 'builtin';
  }

  /** The analysis of fn if it was already simulated (as a callee of a requested function). */
  analyzed(fn: FunctionDef): FunctionAnalysis | undefined {
    return this.analyses.get(fn);
  }

  /** A function left out of this run: identity only, for the caller to match with earlier results. */
  stub(fn: FunctionDef): FunctionAnalysis {
    return {
      name: fn.name,
      range: fn.range,
      textHash: hashOf(fn),
      paths: 0,
      complete: true,
      findings: [],
      lines: [],
      pathRecords: [],
      cfg: { nodes: [], edges: [] },
      summary: [],
      assumptions: [],
      millis: 0,
    };
  }

  /**
   * A function that calls itself (directly or through others) is simulated in rounds, as a
   * fixed point from below: first with the calls back into it taken as not returning, then with
   * the summary of the round before, until that summary repeats (at most MAX_RECURSION_ROUNDS).
   * A summary that does not settle, or that has no case, gives way to one more round with the
   * calls back taken as unknown calls. The functions simulated inside a round without its final
   * summary are simulated again when next asked for (see finished()).
   */
  analysis(fn: FunctionDef): FunctionAnalysis {
    const done = this.analyses.get(fn);
    if (done) return done;
    for (let round = 1; ; round++) {
      this.recursed.delete(fn.name);
      const fa = this.analysisRound(fn);
      if (!this.recursed.has(fn.name) || this.recursionUnknown.has(fn.name)) {
        this.recursionUnknown.delete(fn.name);
        this.assumed.delete(fn.name);
        return fa;
      }
      const made = this.summaries.get(fn.name);
      const before = this.assumed.get(fn.name);
      const settled = !!made && !!before && JSON.stringify(made.cases) === JSON.stringify(before.cases);
      if (settled && made.cases.length) {
        this.assumed.delete(fn.name);
        return fa;
      }
      if (made && made.complete && made.cases.length && round < MAX_RECURSION_ROUNDS) this.assumed.set(fn.name, made);
      else this.recursionUnknown.add(fn.name);
      this.analyses.delete(fn);
      this.summaries.delete(fn.name);
    }
  }

  /** `callers`: the entry context from the call sites (a second analysis; see applyCallerContexts). */
  private analysisRound(fn: FunctionDef, callers?: { facts: EntryFact[]; where: string; keep: (f: Finding) => boolean }): FunctionAnalysis {
    const t0 = performance.now();
    const full = (this.options.detail ?? 'full') === 'full';
    const fa = this.stub(fn);
    if (!this.relevant.has(fn.name) && !full) {
      this.analyses.set(fn, fa);
      return fa;
    }
    // In progress while its callees' summaries are looked up: a call back into it (recursion)
    // then finds no summary and it is simulated.
    this.inProgress.add(fn.name);
    this.missing.push(new Set());
    const withoutSimulation = this.summaryWithoutSimulation(fn);
    const missingThere = this.missing.pop();
    this.inProgress.delete(fn.name);
    if (withoutSimulation && !full) {
      if (this.isCanonical(fn)) this.summaries.set(fn.name, withoutSimulation);
      this.finished(fn, missingThere);
      fa.engineSummary = withoutSimulation;
      fa.summary = [{ returns: '', effects: [withoutSimulation.cases[0].text] }];
      fa.millis = performance.now() - t0;
      this.analyses.set(fn, fa);
      return fa;
    }
    // Everything below reads syntax through the cache; `fn` stays the key of the results.
    const view = cachedSyntax(fn);
    let cfg: FunctionCfg;
    try {
      cfg = buildCfg(view);
    } catch (e) {
      fa.complete = false;
      fa.incompleteReason = `could not build the control-flow graph: ${(e as Error).message}`;
      this.analyses.set(fn, fa);
      return fa;
    }
    this.inProgress.add(fn.name);
    this.missing.push(new Set());
    const budget = { ...DEFAULT_BUDGET, ...(this.options.budget ?? {}) };
    const cx = new SimContext(view, this.filePath, this.contracts, this, budget, this.version, this.enabled);
    cx.constants = this.constants;
    cx.lockKinds = this.lockKinds;
    cx.ownerLocks = this.ownerLocks;
    const recorder = full ? new LineRecorder(cx) : undefined;
    try {
      const entry = entryState(cx, view, callers);
      const closing = { line: fn.body.endPosition.row, character: Math.max(0, fn.body.endPosition.column - 1) };
      const res = this.relevant.has(fn.name) ? explore(cx, cfg, entry, closing, recorder?.observe) : { exits: [], complete: true, paths: 0, mergedStates: 0 };
      fa.paths = res.paths;
      if (res.mergedStates) fa.mergedStates = res.mergedStates;
      if (res.complete && cx.tooDeep) {
        res.complete = false;
        res.incomplete = { kind: 'visits', line: fn.range.start.line };
        fa.incompleteReason = 'an expression nested too deeply to take apart';
      }
      if (!res.complete && res.incomplete) {
        fa.complete = false;
        fa.incompleteReason ??= `${res.incomplete.kind === 'time' ? 'time' : 'state-visit'} budget spent near line ${res.incomplete.line + 1}`;
        cx.report('analysis-incomplete', { line: fn.range.start.line, character: fn.range.start.character, endLine: fn.range.start.line, endCharacter: fn.range.start.character + 1 }, `analysis of ${fn.name}() is incomplete (${fa.incompleteReason}); the rest of the function is unchecked`, null, { line: res.incomplete.line, character: 0, kind: 'event', text: `the ${res.incomplete.kind === 'time' ? 'time' : 'state-visit'} budget ran out here` });
      }
      if (res.complete) {
        releaseWhatUnseenCodeWasGiven(cx, view, res.exits);
        checkExits(cx, view, res.exits);
        checkAnnotatedExits(cx, view, res.exits);
      }
      // The editor simulates such a function too (for its per-line states), but its callers
      // get the same "no effect" summary as in the checker, so both report the same.
      const summary = withoutSimulation ?? buildSummary(cx, fn.name, res.exits, res.complete);
      if (!callers && this.isCanonical(fn)) this.summaries.set(fn.name, res.complete || withoutSimulation ? summary : null);
      if (res.complete) fa.engineSummary = summary;
      fa.summary = summary.cases.map((c) => ({ returns: c.text.split(', ')[0] ?? '', effects: c.text.split(', ').slice(1) }));
      if (recorder) {
        fa.lines = recorder.lines();
        fa.pathRecords = recorder.pathRecords(res.exits);
        fa.cfg = recorder.cfgView(cfg);
      }
    } catch (e) {
      // A defect in the simulator must not lose the other functions, and must not be silent.
      fa.complete = false;
      fa.incompleteReason = `internal error: ${(e as Error).message}`;
      if (!callers && this.isCanonical(fn)) this.summaries.set(fn.name, null);
      const at = { line: fn.range.start.line, character: fn.range.start.character, endLine: fn.range.start.line, endCharacter: fn.range.start.character + 1 };
      cx.report('analysis-incomplete', at, `analysis of ${fn.name}() failed (${fa.incompleteReason}); the function is unchecked`, null, { line: fn.range.start.line, character: fn.range.start.character, kind: 'event', text: fa.incompleteReason });
    } finally {
      this.inProgress.delete(fn.name);
      const missing = this.missing.pop();
      if (!callers) this.finished(fn, missing);
    }
    fa.assumptions = [...cx.assumptions];
    fa.findings = [...cx.findings.values()].map((r): Finding => ({
      rule: r.rule,
      severity: RULE_SEVERITY[r.rule],
      message: r.message,
      range: { start: { line: r.line, character: r.character }, end: { line: r.endLine, character: r.endCharacter } },
      function: fn.name,
      witness: r.witness,
      kernelVersion: formatKernelVersion(this.version),
    }));
    if (callers) fa.findings = fa.findings.filter(callers.keep);
    fa.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.rule.localeCompare(b.rule));
    if (full) linkPathRecords(fa);
    fa.millis = performance.now() - t0;
    this.analyses.set(fn, fa);
    return fa;
  }
}

/** Tie path records to findings: a path that returns at a finding's line carries it; a
 *  finding that stopped its path (a self-deadlock, a NULL table used) gets a record of its
 *  own, from its witness, so the simulation view shows every path that was followed. */
function linkPathRecords(fa: FunctionAnalysis): void {
  fa.findings.forEach((f, i) => {
    if (f.rule === 'analysis-incomplete') return;
    const atExit = fa.pathRecords.filter((p) => p.exitLine === f.range.start.line);
    if (atExit.length) {
      for (const p of atExit) p.findings.push(i);
      return;
    }
    if (fa.pathRecords.length >= 400) return;
    fa.pathRecords.push({ steps: f.witness, exitLine: f.range.start.line, returns: `stopped: ${f.rule}`, finalHeld: [], finalRefs: [], findings: [i] });
  });
  fa.paths = Math.max(fa.paths, fa.pathRecords.length);
}

function findingPlace(f: Finding): string {
  return `${f.rule}@${f.range.start.line}`;
}

function hashOf(fn: FunctionDef): string {
  return crypto.createHash('sha1').update(fn.node.text).digest('hex').slice(0, 16);
}

/** A setup helper that stores one pointer parameter in a field of another (`args->lock =
 *  lock`): what its callers later read from that field is what they passed, so it is
 *  simulated for its summary's field stores. */
function storesParamInParam(f: FunctionDef, code: string): boolean {
  const pointers = new Set(f.params.filter((p) => p.type.includes('*')).map((p) => p.name));
  if (pointers.size < 2) return false;
  for (const m of code.matchAll(/\b([A-Za-z_]\w*)\s*->\s*[A-Za-z_]\w*\s*=\s*([A-Za-z_]\w*)\s*;/g)) {
    if (m[1] !== m[2] && pointers.has(m[1]) && pointers.has(m[2])) return true;
  }
  return false;
}

/** A summary case with no effect at all. */
const GFP_RECLAIMS = /GFP_(KERNEL|USER|HIGHUSER|NOFS|NOIO|TRANSHUGE|KERNEL_ACCOUNT)|__GFP_DIRECT_RECLAIM/;


function noEffectCase(): SummaryCase {
  return { ret: null, rel: [], pre: [], acquired: [], released: [], refs: [], splits: [], handoffs: [], refHandoffs: [], retFields: [], assume: [], assumePure: [], writes: [], text: 'no lock or reference effect' };
}

/** Whether a callee's case changes nothing a caller tracks and needs nothing from it. */
function hasNoEffect(c: SummaryCase): boolean {
  return !c.pre.length && !c.acquired.length && !c.released.length && !c.refs.length && !c.splits.length && !c.handoffs.length && !c.refHandoffs.length && !c.stores?.length;
}
