// Per-function simulation context: the symbol table, the contracts in force,
// the findings raised so far, the budget, and access to other functions'
// summaries.

import type { SyntaxNode } from '../parse/syntax';
import type { ArgType, Contract, EntryContract, LockField, Resource } from '../model/types';
import { normalizeCType } from '../model/ctype';
import type { Budget, RuleId, WitnessStep } from '../types';
import type { FunctionDef } from '../parse/types';
import { PathState, Sym, SymInfo, trailToArray } from './state';
import type { FunctionSummary } from './summary';
import type { LockKinds } from './lockKinds';
import type { OwnerLocks } from './ownerLocks';
import type { Val } from './eval';

export interface RawFinding {
  rule: RuleId;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  message: string;
  witness: WitnessStep[];
}

export interface ContractSource {
  byName: Map<string, Contract>;
  /** Contracts chosen by their arguments' declared types (model/load.ts). */
  bySignature?: Map<string, Contract[]>;
  entries: EntryContract[];
  lockFields?: LockField[];
}

export interface SummarySource {
  /** The summary of a function defined in the same document (or workspace), or undefined
   *  for unknown functions and for recursion. */
  summaryOf(name: string): FunctionSummary | undefined;
  /** A call of a function of the document by name, on one path, with these argument values
   *  (before the call): where entry contexts of static functions come from. */
  observeCall?(cx: SimContext, name: string, s: PathState, argVals: Val[], at: SyntaxNode): void;
}

export class BudgetExceeded extends Error {
  constructor(readonly kind: 'visits' | 'time', readonly line: number) {
    super(`budget exceeded: ${kind}`);
  }
}

export class SimContext {
  readonly symInfo: SymInfo[] = [];
  /** Values that are the same on every path for the same key (lock pointers, named constants). */
  readonly keyed = new Map<string, Sym>();
  readonly findings = new Map<string, RawFinding>();
  /** Defects already reported under another line (one finding per defect). */
  readonly reportedOnce = new Set<string>();
  readonly assumptions = new Set<string>();
  /** Integer constants of the document (enumerators, #defines) by name. */
  constants: Map<string, number> = new Map();
  /** Lock kinds by lock name, learnt from the document's own lock calls (./lockKinds.ts). */
  lockKinds: LockKinds = new Map();
  /** Owner variables of hand-made recursive locks (./ownerLocks.ts). */
  ownerLocks: OwnerLocks = new Map();
  /** Declared types of parameters and locals, by name. */
  readonly varTypes = new Map<string, string>();
  /** Globals this function writes by name, itself or through a callee's summary: only
   *  these can be stores a summary reports (macros read by name are values, not stores). */
  readonly writtenGlobals = new Set<string>();
  /** Entry symbols of the parameters, by index. */
  readonly paramSyms: Sym[] = [];
  visits = 0;
  /** Nesting of the expression being evaluated, and whether some expression was too deep to
   *  take apart (the function is then reported incomplete). */
  evalDepth = 0;
  tooDeep = false;
  /** The first call that may sleep, anywhere in the function (for its summary). */
  mayBlock: { line: number; how: string } | undefined;
  readonly deadline: number;
  /** Whether a mapped PTE table holds an RCU read section (6.5 on), so sleeping under it is illegal. */
  readonly mapIsAtomic: boolean;
  /** Lazy-MMU sections may nest (7.0 on). */
  readonly lazyMmuNests: boolean;

  constructor(
    readonly fn: FunctionDef,
    readonly filePath: string,
    readonly contracts: ContractSource,
    readonly summaries: SummarySource,
    readonly budget: Budget,
    readonly version: { major: number; minor: number },
    readonly enabled: Set<RuleId>,
  ) {
    this.deadline = Date.now() + budget.maxMillis;
    const v = version.major * 1000 + version.minor;
    this.mapIsAtomic = v >= 6005;
    this.lazyMmuNests = v >= 7000;
  }

  /** Facts true on every path of this simulation (constants, field addresses), shared by
   *  every state. */
  readonly constFacts = new Map<Sym, import('./state').ValueFacts>();
  /** Symbols that are the same on every path (entry values, globals): what join-point keys
   *  look at for correlated facts, without scanning every fact of the path. */
  readonly sharedSyms: Sym[] = [];
  private readonly fieldAddrs = new Map<Sym, Map<string, Sym>>();
  private readonly shared = new Set<Sym>();

  newSym(info: SymInfo): Sym {
    this.symInfo.push(info);
    const x = this.symInfo.length - 1;
    if (info.entryPath || info.origin === 'global') {
      this.sharedSyms.push(x);
      this.shared.add(x);
    }
    return x;
  }

  private readonly entryPathNames = new Map<Sym, string>();

  /** An entry value's path from its parameter as text ("e0.vma.vm_mm"), made once. */
  entryPathName(x: Sym, ep: { param: number; path: string[] }): string {
    let name = this.entryPathNames.get(x);
    if (name === undefined) this.entryPathNames.set(x, (name = `e${ep.param}.${ep.path.join('.')}`));
    return name;
  }

  /** Whether x is one of `sharedSyms`. */
  isShared(x: Sym): boolean {
    return this.shared.has(x);
  }

  info(x: Sym): SymInfo {
    return this.symInfo[x] ?? { label: '?', line: -1, origin: 'local' };
  }

  constSym(s: PathState, value: number): Sym {
    const key = `const:${value}`;
    let x = this.keyed.get(key);
    if (x === undefined) {
      x = this.newSym({ label: String(value), line: -1, origin: 'const' });
      this.keyed.set(key, x);
    }
    if (!s.constFacts.has(x)) s.constFacts.set(x, { lo: value, hi: value, nz: value !== 0 });
    return x;
  }

  /** A value that is the same wherever the key is the same (lock pointers, named constants). */
  /** The address `&base->field` (one symbol per base representative and field, on every
   *  path), recorded so that making two bases equal can make their field addresses equal. */
  fieldAddrSym(base: Sym, field: string, label: string): Sym {
    const binfo = this.info(base);
    const x = this.keyedSym(`fieldaddr:${base}.${field}`, {
      label,
      line: -1,
      origin: 'field',
      from: [base],
      addrField: field,
      entryPath: binfo.entryPath ? { param: binfo.entryPath.param, path: [...binfo.entryPath.path, `&${field}`] } : undefined,
    });
    // A field address is a valid pointer on every path: known once for all states, not
    // copied into each path's facts.
    if (!this.constFacts.has(x)) this.constFacts.set(x, { lo: -Infinity, hi: Infinity, nz: true, errptr: false });
    let byField = this.fieldAddrs.get(base);
    if (!byField) this.fieldAddrs.set(base, (byField = new Map()));
    byField.set(field, x);
    return x;
  }

  /** `base` is the structure `addr` points into at `field` (container_of): `&base->field` is
   *  `addr` from now on. */
  bindFieldAddr(base: Sym, field: string, addr: Sym): void {
    this.keyed.set(`fieldaddr:${base}.${field}`, addr);
    let byField = this.fieldAddrs.get(base);
    if (!byField) this.fieldAddrs.set(base, (byField = new Map()));
    byField.set(field, addr);
  }

  /** The field addresses made so far from `base`: field -> symbol. */
  fieldAddrsOf(base: Sym): ReadonlyMap<string, Sym> | undefined {
    return this.fieldAddrs.get(base);
  }

  keyedSym(key: string, info: SymInfo): Sym {
    let x = this.keyed.get(key);
    if (x === undefined) {
      x = this.newSym(info);
      this.keyed.set(key, x);
    }
    return x;
  }

  tick(line: number): void {
    this.visits++;
    if (this.visits > this.budget.maxStateVisits) throw new BudgetExceeded('visits', line);
    if ((this.visits & 63) === 0 && Date.now() > this.deadline) throw new BudgetExceeded('time', line);
  }

  report(rule: RuleId, node: { line: number; character: number; endLine: number; endCharacter: number }, message: string, s: PathState | null, extra?: WitnessStep): void {
    if (!this.enabled.has(rule)) return;
    const key = `${rule}:${node.line}`;
    if (this.findings.has(key)) return;
    const witness = s ? trailToArray(s.trail) : [];
    if (extra) witness.push(extra);
    this.findings.set(key, { rule, line: node.line, character: node.character, endLine: node.endLine, endCharacter: node.endCharacter, message, witness });
  }

  /** The contract of `name` for a call whose arguments have these declared types (undefined
   *  where unknown): the version's contract unless the types say the call is another
   *  signature of the API (model/types.ts, Contract.signature). */
  contract(name: string, argTypes?: readonly (string | undefined)[]): Contract | undefined {
    const c = this.contracts.byName.get(name);
    if (!argTypes) return c;
    if (c && (!c.signature || signatureFits(c.signature, argTypes) !== false)) return c;
    return this.contracts.bySignature?.get(name)?.find((x) => signatureFits(x.signature!, argTypes) === true);
  }

  /** Human name of a symbol for messages. */
  describe(x: Sym): string {
    return this.info(x).label;
  }
}

/** True when every argument the signature names has that declared type, false when one has
 *  another, undefined when some are unknown and none differs. */
function signatureFits(signature: readonly ArgType[], argTypes: readonly (string | undefined)[]): boolean | undefined {
  let known = true;
  for (const { arg, type } of signature) {
    const t = argTypes[arg];
    if (t === undefined) known = false;
    else if (normalizeCType(t) !== type) return false;
  }
  return known ? true : undefined;
}

export function spanOf(n: SyntaxNode): { line: number; character: number; endLine: number; endCharacter: number } {
  return { line: n.startPosition.row, character: n.startPosition.column, endLine: n.endPosition.row, endCharacter: n.endPosition.column };
}

export const RESOURCE_NAMES: Record<Resource, string> = {
  folio_lock: 'folio lock',
  ptl: 'page-table lock',
  pte_map: 'mapped PTE table',
  spinlock: 'spinlock',
  mutex: 'mutex',
  mmap_read: 'mmap read lock',
  mmap_write: 'mmap write lock',
  vma_read: 'VMA read lock',
  rwsem_read: 'rwsem (read)',
  rwsem_write: 'rwsem (write)',
  rcu: 'RCU read lock',
  srcu: 'SRCU read lock',
  lazy_mmu: 'lazy-MMU mode',
};

