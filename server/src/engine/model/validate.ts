// Structural validator for contract tables (the built-in one and workspace JSON files).
// Hand-written over the types in ./types.ts so that every error names its JSON path,
// e.g. `contracts[3].outcomes[0].effects[1].resource: expected one of folio_lock, ... but got "ptll"`.
// Unknown keys are errors: a misspelt optional field would otherwise be silently ignored.

import type {
  ArgType,
  Contract,
  ContractTable,
  Effect,
  EntryContract,
  GlobalMode,
  LockField,
  Outcome,
  Predicate,
  Resource,
  ResultCondition,
  ReturnRef,
  ReturnSpec,
  Target,
  VersionRange,
} from './types';
import { compareKernelVersions, parseKernelVersion } from './version';
import { normalizeCType } from './ctype';

export const RESOURCES: readonly Resource[] = [
  'folio_lock',
  'ptl',
  'pte_map',
  'spinlock',
  'mutex',
  'mmap_read',
  'mmap_write',
  'vma_read',
  'rwsem_read',
  'rwsem_write',
  'rcu',
  'srcu',
  'lazy_mmu',
];
export const HELD_KINDS: readonly (Resource | 'ref')[] = [...RESOURCES, 'ref'];
export const GLOBAL_MODES: readonly GlobalMode[] = ['lazy_mmu', 'rcu', 'atomic'];
export const RESULT_CONDITIONS: readonly ResultCondition[] = [
  'always',
  'null',
  'nonnull',
  'errptr',
  'zero',
  'nonzero',
  'negative',
  'positive',
];
export const RETURN_REFS: readonly ReturnRef[] = ['ref', 'noref', 'unknown'];
export const EFFECT_OPS: readonly Effect['op'][] = ['acquire', 'release', 'transfer', 'ref', 'split', 'handoff', 'handoff-args', 'handback'];
export const RETURN_KINDS: readonly ReturnSpec['kind'][] = ['fresh', 'arg', 'folioOf', 'keyed', 'derived', 'pageOf', 'pageOfResult'];

/** Arguments beyond this index do not occur in kernel APIs; larger values are typos. */
const MAX_ARG_INDEX = 15;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VERSION_STRING = /^\d{1,3}\.\d{1,3}$/;

type Json = unknown;
type Obj = Record<string, Json>;

/** Collects errors; every check returns the typed value or undefined after recording why. */
class Checker {
  readonly errors: string[] = [];
  constructor(private readonly where: string) {}

  fail(path: string, message: string): undefined {
    const prefix = this.where ? `${this.where}: ` : '';
    this.errors.push(`${prefix}${path || '(top level)'}: ${message}`);
    return undefined;
  }

  expected(path: string, what: string, got: Json): undefined {
    return this.fail(path, `expected ${what} but got ${describe(got)}`);
  }

  /** An object with only `allowed` keys, all of `required` present. */
  object(path: string, value: Json, allowed: readonly string[], required: readonly string[]): Obj | undefined {
    if (!isPlainObject(value)) return this.expected(path, 'an object', value);
    let ok = true;
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(join(path, key), `unknown field (allowed: ${allowed.join(', ')})`);
        ok = false;
      }
    }
    for (const key of required) {
      if (!(key in value)) {
        this.fail(join(path, key), 'missing required field');
        ok = false;
      }
    }
    return ok ? value : undefined;
  }

  array(path: string, value: Json, opts: { nonEmpty?: boolean } = {}): Json[] | undefined {
    if (!Array.isArray(value)) return this.expected(path, 'an array', value);
    if (opts.nonEmpty && value.length === 0) return this.fail(path, 'expected a non-empty array');
    return value;
  }

  /** A list of small objects with exactly the keys `keys`, all required, each read by `read`
   *  at its own path; the first element in error stops the list. */
  records<T>(path: string, value: Json, keys: readonly string[], read: (path: string, o: Obj) => T | undefined): T[] | undefined {
    const arr = this.array(path, value);
    if (!arr) return undefined;
    const out: T[] = [];
    for (let i = 0; i < arr.length; i++) {
      const p = `${path}[${i}]`;
      const o = this.object(p, arr[i], keys, keys);
      const v = o && read(p, o);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }

  string(path: string, value: Json, opts: { pattern?: RegExp; what?: string } = {}): string | undefined {
    if (typeof value !== 'string') return this.expected(path, opts.what ?? 'a string', value);
    if (value.length === 0) return this.expected(path, opts.what ?? 'a non-empty string', value);
    if (opts.pattern && !opts.pattern.test(value)) return this.expected(path, opts.what ?? `a string matching ${opts.pattern}`, value);
    return value;
  }

  boolean(path: string, value: Json): boolean | undefined {
    if (typeof value !== 'boolean') return this.expected(path, 'true or false', value);
    return value;
  }

  oneOf<T extends string>(path: string, value: Json, choices: readonly T[]): T | undefined {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    return this.expected(path, `one of ${choices.join(', ')}`, value);
  }

  argIndex(path: string, value: Json): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      return this.expected(path, 'an argument index (a non-negative integer)', value);
    }
    if (value > MAX_ARG_INDEX) return this.expected(path, `an argument index of at most ${MAX_ARG_INDEX}`, value);
    return value;
  }
}

function isPlainObject(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A list of argument indexes (`args` of a keyed object), each checked at its own path. */
function argIndexList(c: Checker, path: string, value: unknown): number[] | undefined {
  const arr = c.array(path, value);
  if (!arr) return undefined;
  const args: number[] = [];
  let ok = true;
  arr.forEach((a, i) => {
    const n = c.argIndex(`${path}[${i}]`, a);
    if (n === undefined) ok = false;
    else args.push(n);
  });
  return ok ? args : undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// ---------------------------------------------------------------------------------------

function checkVersions(c: Checker, path: string, value: Json): VersionRange | undefined {
  const o = c.object(path, value, ['from', 'until'], []);
  if (!o) return undefined;
  const range: VersionRange = {};
  let ok = true;
  for (const key of ['from', 'until'] as const) {
    if (!(key in o)) continue;
    const s = c.string(join(path, key), o[key], { pattern: VERSION_STRING, what: 'a kernel version "MAJOR.MINOR"' });
    if (s === undefined) ok = false;
    else range[key] = s;
  }
  if (!ok) return undefined;
  if (range.from === undefined && range.until === undefined) {
    return c.fail(path, 'expected at least one of "from" and "until"');
  }
  if (range.from !== undefined && range.until !== undefined) {
    const from = parseKernelVersion(range.from)!;
    const until = parseKernelVersion(range.until)!;
    if (compareKernelVersions(from, until) >= 0) {
      return c.fail(path, `empty range: "from" ${range.from} is not below "until" ${range.until}`);
    }
  }
  return range;
}

function checkTarget(c: Checker, path: string, value: Json): Target | undefined {
  if (!isPlainObject(value)) return c.expected(path, 'a target object', value);
  if ('ret' in value) {
    const o = c.object(path, value, ['ret', 'member'], ['ret']);
    if (!o) return undefined;
    if (o.ret !== true) return c.expected(join(path, 'ret'), 'true', o.ret);
    if (!('member' in o)) return { ret: true };
    const member = c.string(join(path, 'member'), o.member, { pattern: C_IDENTIFIER, what: 'a C member name' });
    return member === undefined ? undefined : { ret: true, member };
  }
  if ('out' in value) {
    const o = c.object(path, value, ['out'], ['out']);
    if (!o) return undefined;
    const out = c.argIndex(join(path, 'out'), o.out);
    return out === undefined ? undefined : { out };
  }
  if ('global' in value) {
    const o = c.object(path, value, ['global'], ['global']);
    if (!o) return undefined;
    const global = c.oneOf(join(path, 'global'), o.global, GLOBAL_MODES);
    return global === undefined ? undefined : { global };
  }
  // `field`: a pointer stored in a field of an argument; `member`: an object embedded there.
  for (const key of ['field', 'member'] as const) {
    if (!(key in value)) continue;
    const o = c.object(path, value, [key, 'arg'], [key, 'arg']);
    if (!o) return undefined;
    const name = c.string(join(path, key), o[key], { pattern: C_IDENTIFIER, what: `a C ${key} name` });
    const arg = c.argIndex(join(path, 'arg'), o.arg);
    if (name === undefined || arg === undefined) return undefined;
    return key === 'field' ? { field: name, arg } : { member: name, arg };
  }
  if ('keyed' in value) {
    const o = c.object(path, value, ['keyed', 'args'], ['keyed', 'args']);
    if (!o) return undefined;
    const keyed = c.string(join(path, 'keyed'), o.keyed, { pattern: C_IDENTIFIER, what: 'a key name (letters, digits, _)' });
    const args = argIndexList(c, join(path, 'args'), o.args);
    return keyed === undefined || !args ? undefined : { keyed, args };
  }
  if ('arg' in value) {
    const o = c.object(path, value, ['arg', 'via'], ['arg']);
    if (!o) return undefined;
    const arg = c.argIndex(join(path, 'arg'), o.arg);
    if (arg === undefined) return undefined;
    if (!('via' in o)) return { arg };
    const via = c.oneOf(join(path, 'via'), o.via, ['folio'] as const);
    return via === undefined ? undefined : { arg, via };
  }
  return c.expected(path, 'a target ({arg}, {ret: true[, member]}, {out}, {field, arg}, {member, arg}, {global} or {keyed, args})', value);
}

function checkEffect(c: Checker, path: string, value: Json): Effect | undefined {
  if (!isPlainObject(value)) return c.expected(path, 'an effect object', value);
  const op = c.oneOf(join(path, 'op'), value.op, EFFECT_OPS);
  if (op === undefined) return undefined;
  switch (op) {
    case 'acquire':
    case 'release':
    case 'transfer': {
      const keys = op === 'release' ? ['op', 'resource', 'target', 'ifHeld'] : op === 'acquire' ? ['op', 'resource', 'target', 'trylock'] : ['op', 'resource', 'target'];
      const o = c.object(path, value, keys, ['op', 'resource', 'target']);
      if (!o) return undefined;
      const resource = c.oneOf(join(path, 'resource'), o.resource, RESOURCES);
      const target = checkTarget(c, join(path, 'target'), o.target);
      if (resource === undefined || target === undefined) return undefined;
      if (op === 'release' && 'ifHeld' in o) {
        const ifHeld = c.boolean(join(path, 'ifHeld'), o.ifHeld);
        return ifHeld === undefined ? undefined : { op, resource, target, ifHeld };
      }
      if (op === 'acquire' && 'trylock' in o) {
        const trylock = c.boolean(join(path, 'trylock'), o.trylock);
        return trylock === undefined ? undefined : { op, resource, target, trylock };
      }
      return { op, resource, target };
    }
    case 'ref': {
      const o = c.object(path, value, ['op', 'target', 'delta', 'deltaArg', 'sign'], ['op', 'target']);
      if (!o) return undefined;
      const target = checkTarget(c, join(path, 'target'), o.target);
      const hasDelta = 'delta' in o;
      const hasDeltaArg = 'deltaArg' in o;
      if (hasDelta === hasDeltaArg) {
        return c.fail(path, 'expected exactly one of "delta" and "deltaArg"');
      }
      if (hasDelta) {
        if ('sign' in o) return c.fail(join(path, 'sign'), '"sign" applies only with "deltaArg"');
        const d = o.delta;
        if (typeof d !== 'number' || !Number.isInteger(d) || d === 0) {
          return c.expected(join(path, 'delta'), 'a non-zero integer', d);
        }
        return target === undefined ? undefined : { op, target, delta: d };
      }
      const deltaArg = c.argIndex(join(path, 'deltaArg'), o.deltaArg);
      let sign: 1 | -1 | undefined;
      if ('sign' in o) {
        if (o.sign !== 1 && o.sign !== -1) return c.expected(join(path, 'sign'), '1 or -1', o.sign);
        sign = o.sign;
      }
      if (target === undefined || deltaArg === undefined) return undefined;
      return sign === undefined ? { op, target, deltaArg } : { op, target, deltaArg, sign };
    }
    case 'split': {
      const o = c.object(path, value, ['op', 'target', 'keep'], ['op', 'target']);
      if (!o) return undefined;
      const target = checkTarget(c, join(path, 'target'), o.target);
      if (!('keep' in o)) return target === undefined ? undefined : { op, target };
      const keep = c.oneOf(join(path, 'keep'), o.keep, ['head', 'page'] as const);
      return target === undefined || keep === undefined ? undefined : { op, target, keep };
    }
    case 'handoff': {
      const o = c.object(path, value, ['op', 'target', 'what', 'encoded'], ['op', 'target']);
      if (!o) return undefined;
      const target = checkTarget(c, join(path, 'target'), o.target);
      if (target === undefined) return undefined;
      const out: Extract<Effect, { op: 'handoff' }> = { op, target };
      if ('what' in o) {
        const what = c.oneOf(join(path, 'what'), o.what, ['ref'] as const);
        if (what === undefined) return undefined;
        out.what = what;
      }
      if ('encoded' in o) {
        const encoded = c.boolean(join(path, 'encoded'), o.encoded);
        if (encoded === undefined) return undefined;
        out.encoded = encoded;
      }
      return out;
    }
    case 'handoff-args': {
      const o = c.object(path, value, ['op'], ['op']);
      return o ? { op } : undefined;
    }
    case 'handback': {
      const o = c.object(path, value, ['op', 'target'], ['op', 'target']);
      if (!o) return undefined;
      const target = checkTarget(c, join(path, 'target'), o.target);
      return target === undefined ? undefined : { op, target };
    }
  }
}

function checkEffects(c: Checker, path: string, value: Json): Effect[] | undefined {
  const arr = c.array(path, value);
  if (!arr) return undefined;
  const out: Effect[] = [];
  let ok = true;
  arr.forEach((e, i) => {
    const eff = checkEffect(c, `${path}[${i}]`, e);
    if (eff === undefined) ok = false;
    else out.push(eff);
  });
  return ok ? out : undefined;
}

function checkOutcome(c: Checker, path: string, value: Json): Outcome | undefined {
  const o = c.object(path, value, ['when', 'effects', 'note', 'bits', 'argBits', 'impossibleIf', 'runs', 'value', 'resultFlags', 'noRef'], ['when', 'effects']);
  if (!o) return undefined;
  const when = c.oneOf(join(path, 'when'), o.when, RESULT_CONDITIONS);
  const effects = checkEffects(c, join(path, 'effects'), o.effects);
  let note: string | undefined;
  if ('note' in o) {
    note = c.string(join(path, 'note'), o.note);
    if (note === undefined) return undefined;
  }
  let impossibleIf: Predicate | undefined;
  if ('impossibleIf' in o) {
    impossibleIf = checkPredicate(c, join(path, 'impossibleIf'), o.impossibleIf);
    if (impossibleIf === undefined) return undefined;
  }
  let bits: Outcome['bits'];
  if ('bits' in o) {
    bits = checkBits(c, join(path, 'bits'), o.bits);
    if (bits === undefined) return undefined;
  }
  let argBits: Outcome['argBits'];
  if ('argBits' in o) {
    const ap = join(path, 'argBits');
    const ab = c.object(ap, o.argBits, ['arg', 'anySet', 'allClear'], ['arg']);
    if (!ab) return undefined;
    const arg = c.argIndex(join(ap, 'arg'), ab.arg);
    if (arg === undefined) return undefined;
    argBits = { arg };
    for (const k of ['anySet', 'allClear'] as const) {
      if (!(k in ab)) continue;
      const v = ab[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return c.expected(join(ap, k), 'a positive integer bit mask', v);
      argBits[k] = v;
    }
  }
  let runs: Outcome['runs'];
  if ('runs' in o) {
    const rp = join(path, 'runs');
    const r = c.object(rp, o.runs, ['fn', 'args'], ['fn', 'args']);
    if (!r) return undefined;
    const fn = c.argIndex(join(rp, 'fn'), r.fn);
    const args = argIndexList(c, join(rp, 'args'), r.args);
    if (fn === undefined || args === undefined) return undefined;
    runs = { fn, args };
  }
  let exact: number | undefined;
  if ('value' in o) {
    const v = o.value;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return c.expected(join(path, 'value'), 'an integer', v);
    exact = v;
  }
  let resultFlags: Outcome['resultFlags'];
  if ('resultFlags' in o) {
    resultFlags = checkResultFlags(c, join(path, 'resultFlags'), o.resultFlags);
    if (resultFlags === undefined) return undefined;
  }
  let noRef: boolean | undefined;
  if ('noRef' in o) {
    noRef = c.boolean(join(path, 'noRef'), o.noRef);
    if (noRef === undefined) return undefined;
  }
  if (when === undefined || effects === undefined) return undefined;
  const out: Outcome = note === undefined ? { when, effects } : { when, effects, note };
  if (runs) out.runs = runs;
  if (exact !== undefined) out.value = exact;
  if (bits) out.bits = bits;
  if (argBits) out.argBits = argBits;
  if (impossibleIf) out.impossibleIf = impossibleIf;
  if (resultFlags) out.resultFlags = resultFlags;
  if (noRef) out.noRef = noRef;
  return out;
}

function checkResultFlags(c: Checker, path: string, value: Json): Outcome['resultFlags'] | undefined {
  return c.records(path, value, ['flag', 'set'], (p, o) => {
    const flag = c.string(join(p, 'flag'), o.flag, { pattern: C_IDENTIFIER, what: 'a flag name' });
    const set = c.boolean(join(p, 'set'), o.set);
    return flag === undefined || set === undefined ? undefined : { flag, set };
  });
}

function checkBits(c: Checker, path: string, value: Json): Outcome['bits'] | undefined {
  const o = c.object(path, value, ['set', 'clear'], []);
  if (!o) return undefined;
  const out: NonNullable<Outcome['bits']> = {};
  for (const k of ['set', 'clear'] as const) {
    if (!(k in o)) continue;
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return c.expected(join(path, k), 'a positive integer bit mask', v);
    out[k] = v;
  }
  if (out.set !== undefined && out.clear !== undefined && (out.set & out.clear) !== 0) return c.fail(path, '"set" and "clear" share bits');
  return out;
}

function checkSignature(c: Checker, path: string, value: Json): ArgType[] | undefined {
  if (Array.isArray(value) && value.length === 0) return c.fail(path, 'must name at least one argument');
  return c.records(path, value, ['arg', 'type'], (p, o) => {
    const arg = c.argIndex(join(p, 'arg'), o.arg);
    const type = c.string(join(p, 'type'), o.type);
    return arg === undefined || type === undefined ? undefined : { arg, type: normalizeCType(type) };
  });
}

function checkRetFields(c: Checker, path: string, value: Json): { field: string; arg: number }[] | undefined {
  return c.records(path, value, ['field', 'arg'], (p, o) => {
    const field = c.string(join(p, 'field'), o.field, { pattern: C_IDENTIFIER, what: 'a field name' });
    const arg = c.argIndex(join(p, 'arg'), o.arg);
    return field === undefined || arg === undefined ? undefined : { field, arg };
  });
}

function checkReturnSpec(c: Checker, path: string, value: Json): ReturnSpec | undefined {
  if (!isPlainObject(value)) return c.expected(path, 'a return spec object', value);
  const kind = c.oneOf(join(path, 'kind'), value.kind, RETURN_KINDS);
  if (kind === undefined) return undefined;
  switch (kind) {
    case 'fresh':
    case 'pageOfResult':
      return c.object(path, value, ['kind'], ['kind']) ? { kind } : undefined;
    case 'arg':
    case 'folioOf':
    case 'derived':
    case 'pageOf': {
      const o = c.object(path, value, ['kind', 'arg'], ['kind', 'arg']);
      if (!o) return undefined;
      const arg = c.argIndex(join(path, 'arg'), o.arg);
      return arg === undefined ? undefined : { kind, arg };
    }
    case 'keyed': {
      const o = c.object(path, value, ['kind', 'key', 'args'], ['kind', 'key', 'args']);
      if (!o) return undefined;
      const key = c.string(join(path, 'key'), o.key, { pattern: C_IDENTIFIER, what: 'a key name (letters, digits, _)' });
      const args = argIndexList(c, join(path, 'args'), o.args);
      return key === undefined || !args ? undefined : { kind, key, args };
    }
  }
}

function checkPredicate(c: Checker, path: string, value: Json): Predicate | undefined {
  const o = c.object(path, value, ['flag', 'target'], ['flag', 'target']);
  if (!o) return undefined;
  const flag = c.string(join(path, 'flag'), o.flag, { pattern: C_IDENTIFIER, what: 'a flag name' });
  const target = checkTarget(c, join(path, 'target'), o.target);
  return flag === undefined || target === undefined ? undefined : { flag, target };
}

export const CONTRACT_KEYS = [
  'name',
  'versions',
  'signature',
  'sleeps',
  'gfpArg',
  'requires',
  'effects',
  'outcomes',
  'returns',
  'returnRef',
  'predicate',
  'returnEntryRefIf',
  'outs',
  'retFields',
  'noreturn',
  'method',
  'pointerType',
  'usesArgs',
  'returnsBool',
  'source',
  'note',
] as const;

function checkContract(c: Checker, path: string, value: Json): Contract | undefined {
  const o = c.object(path, value, CONTRACT_KEYS, ['name']);
  if (!o) return undefined;
  const before = c.errors.length;
  const contract: Contract = { name: '' };
  const name = c.string(join(path, 'name'), o.name, { pattern: C_IDENTIFIER, what: 'a C identifier' });
  if (name !== undefined) contract.name = name;
  if ('versions' in o) contract.versions = checkVersions(c, join(path, 'versions'), o.versions);
  if ('signature' in o) contract.signature = checkSignature(c, join(path, 'signature'), o.signature);
  if ('sleeps' in o) contract.sleeps = c.boolean(join(path, 'sleeps'), o.sleeps);
  if ('gfpArg' in o) contract.gfpArg = c.argIndex(join(path, 'gfpArg'), o.gfpArg);
  if ('requires' in o) {
    const arr = c.array(join(path, 'requires'), o.requires);
    if (arr) {
      contract.requires = [];
      arr.forEach((r, i) => {
        const p = `${join(path, 'requires')}[${i}]`;
        const ro = c.object(p, r, ['resource', 'target'], ['resource', 'target']);
        if (!ro) return;
        const resource = c.oneOf(join(p, 'resource'), ro.resource, HELD_KINDS);
        const target = checkTarget(c, join(p, 'target'), ro.target);
        if (resource !== undefined && target !== undefined) contract.requires!.push({ resource, target });
      });
    }
  }
  if ('effects' in o) contract.effects = checkEffects(c, join(path, 'effects'), o.effects);
  if ('outcomes' in o) {
    const p = join(path, 'outcomes');
    const arr = c.array(p, o.outcomes, { nonEmpty: true });
    if (arr) {
      contract.outcomes = [];
      const seen = new Map<string, number>();
      arr.forEach((oc, i) => {
        const outcome = checkOutcome(c, `${p}[${i}]`, oc);
        if (!outcome) return;
        // Outcomes that share a result class are told apart by their bits, or by the bits of an
        // argument they need (a lookup that locks the folio only with FGP_LOCK in its flags).
        let cond: string = outcome.when;
        if (outcome.bits) cond += ` with bits ${JSON.stringify(outcome.bits)}`;
        if (outcome.argBits) cond += ` with argument bits ${JSON.stringify(outcome.argBits)}`;
        if (outcome.value !== undefined) cond += ` equal to ${outcome.value}`;
        const prev = seen.get(cond);
        if (prev !== undefined) {
          c.fail(`${p}[${i}].when`, `duplicate result condition "${cond}" (also ${p}[${prev}])`);
        }
        seen.set(cond, i);
        contract.outcomes!.push(outcome);
      });
    }
  }
  if ('returns' in o) contract.returns = checkReturnSpec(c, join(path, 'returns'), o.returns);
  if ('returnRef' in o) contract.returnRef = c.oneOf(join(path, 'returnRef'), o.returnRef, RETURN_REFS);
  if ('predicate' in o) contract.predicate = checkPredicate(c, join(path, 'predicate'), o.predicate);
  if ('returnEntryRefIf' in o) contract.returnEntryRefIf = checkPredicate(c, join(path, 'returnEntryRefIf'), o.returnEntryRefIf);
  if ('outs' in o) {
    const arr = c.array(join(path, 'outs'), o.outs);
    if (arr) {
      contract.outs = [];
      arr.forEach((item, i) => {
        const p = `${join(path, 'outs')}[${i}]`;
        const oo = c.object(p, item, ['arg', 'field', 'value'], ['arg', 'value']);
        if (!oo) return;
        const arg = c.argIndex(join(p, 'arg'), oo.arg);
        const value = checkReturnSpec(c, join(p, 'value'), oo.value);
        const field = 'field' in oo ? c.string(join(p, 'field'), oo.field, { pattern: C_IDENTIFIER, what: 'a field name' }) : undefined;
        if (arg === undefined || !value || ('field' in oo && field === undefined)) return;
        contract.outs!.push(field !== undefined ? { arg, field, value } : { arg, value });
      });
    }
  }
  if ('retFields' in o) contract.retFields = checkRetFields(c, join(path, 'retFields'), o.retFields);
  if ('noreturn' in o) contract.noreturn = c.boolean(join(path, 'noreturn'), o.noreturn);
  if ('method' in o) contract.method = c.boolean(join(path, 'method'), o.method);
  if ('pointerType' in o) contract.pointerType = c.boolean(join(path, 'pointerType'), o.pointerType);
  if ('usesArgs' in o) contract.usesArgs = c.boolean(join(path, 'usesArgs'), o.usesArgs);
  if ('returnsBool' in o) contract.returnsBool = c.boolean(join(path, 'returnsBool'), o.returnsBool);
  if ('source' in o) contract.source = c.string(join(path, 'source'), o.source);
  if ('note' in o) contract.note = c.string(join(path, 'note'), o.note);
  return c.errors.length === before ? contract : undefined;
}

export const ENTRY_KEYS = ['id', 'versions', 'match', 'folioOfPage', 'holds', 'files', 'note'] as const;
export const LOCK_FIELD_KEYS = ['id', 'versions', 'path', 'as', 'note'] as const;

function checkLockField(c: Checker, path: string, value: Json): LockField | undefined {
  const o = c.object(path, value, LOCK_FIELD_KEYS, ['id', 'path', 'as']);
  if (!o) return undefined;
  const before = c.errors.length;
  const lf: LockField = { id: '', path: [], as: [] };
  const id = c.string(join(path, 'id'), o.id);
  if (id !== undefined) lf.id = id;
  if ('versions' in o) lf.versions = checkVersions(c, join(path, 'versions'), o.versions);
  c.array(join(path, 'path'), o.path, { nonEmpty: true })?.forEach((f, i) => {
    const field = c.string(`${join(path, 'path')}[${i}]`, f, { pattern: C_IDENTIFIER, what: 'a C field name' });
    if (field !== undefined) lf.path.push(field);
  });
  c.array(join(path, 'as'), o.as, { nonEmpty: true })?.forEach((a, i) => {
    const ap = `${join(path, 'as')}[${i}]`;
    const m = c.object(ap, a, ['inner', 'outer'], ['inner', 'outer']);
    if (!m) return;
    const inner = c.oneOf(join(ap, 'inner'), m.inner, RESOURCES);
    const outer = c.oneOf(join(ap, 'outer'), m.outer, RESOURCES);
    if (inner !== undefined && outer !== undefined) lf.as.push({ inner, outer });
  });
  if ('note' in o) lf.note = c.string(join(path, 'note'), o.note);
  return c.errors.length === before ? lf : undefined;
}

function checkEntry(c: Checker, path: string, value: Json): EntryContract | undefined {
  const o = c.object(path, value, ENTRY_KEYS, ['id', 'match', 'holds']);
  if (!o) return undefined;
  const before = c.errors.length;
  const entry: EntryContract = { id: '', match: { param: '' }, holds: [] };
  const id = c.string(join(path, 'id'), o.id);
  if (id !== undefined) entry.id = id;
  if ('versions' in o) entry.versions = checkVersions(c, join(path, 'versions'), o.versions);
  const mp = join(path, 'match');
  if (isPlainObject(o.match) && 'field' in o.match) {
    const m = c.object(mp, o.match, ['field', 'baseType'], ['field']);
    if (m) {
      const field = c.string(join(mp, 'field'), m.field, { pattern: C_IDENTIFIER, what: 'a C field name' });
      const baseType = 'baseType' in m ? c.string(join(mp, 'baseType'), m.baseType) : undefined;
      if (field !== undefined) entry.match = baseType === undefined ? { field } : { field, baseType };
    }
  } else if (isPlainObject(o.match) && 'param' in o.match) {
    const m = c.object(mp, o.match, ['param', 'type'], ['param']);
    if (m) {
      const param = c.string(join(mp, 'param'), m.param, { pattern: C_IDENTIFIER, what: 'a C parameter name' });
      const type = 'type' in m ? c.string(join(mp, 'type'), m.type) : undefined;
      if (param !== undefined) entry.match = type === undefined ? { param } : { param, type };
    }
  } else {
    c.expected(mp, 'a match ({param, type?} or {field, baseType?})', o.match);
  }
  if ('folioOfPage' in o) entry.folioOfPage = c.boolean(join(path, 'folioOfPage'), o.folioOfPage);
  const holds = c.array(join(path, 'holds'), o.holds, { nonEmpty: true });
  if (holds) {
    holds.forEach((h, i) => {
      const kind = c.oneOf(`${join(path, 'holds')}[${i}]`, h, HELD_KINDS);
      if (kind !== undefined) entry.holds.push(kind);
    });
  }
  if ('files' in o) {
    const files = c.array(join(path, 'files'), o.files, { nonEmpty: true });
    if (files) {
      entry.files = [];
      files.forEach((f, i) => {
        const s = c.string(`${join(path, 'files')}[${i}]`, f);
        if (s !== undefined) entry.files!.push(s);
      });
    }
  }
  if ('note' in o) entry.note = c.string(join(path, 'note'), o.note);
  return c.errors.length === before ? entry : undefined;
}

/** Two optional ranges overlap unless one ends at or before the other starts. */
function rangesOverlap(a?: VersionRange, b?: VersionRange): boolean {
  const startOf = (r?: VersionRange) => (r?.from ? parseKernelVersion(r.from) : undefined);
  const endOf = (r?: VersionRange) => (r?.until ? parseKernelVersion(r.until) : undefined);
  const aEnd = endOf(a);
  const bStart = startOf(b);
  if (aEnd && bStart && compareKernelVersions(aEnd, bStart) <= 0) return false;
  const bEnd = endOf(b);
  const aStart = startOf(a);
  if (bEnd && aStart && compareKernelVersions(bEnd, aStart) <= 0) return false;
  return true;
}

function checkNoOverlaps<T>(
  c: Checker,
  items: { item: T; index: number }[],
  list: string,
  keyOf: (t: T) => string,
  rangeOf: (t: T) => VersionRange | undefined,
): void {
  const byKey = new Map<string, { item: T; index: number }[]>();
  for (const e of items) {
    const k = keyOf(e.item);
    const prior = byKey.get(k) ?? [];
    for (const p of prior) {
      if (rangesOverlap(rangeOf(p.item), rangeOf(e.item))) {
        c.fail(`${list}[${e.index}].versions`, `versions overlap ${list}[${p.index}] for the same name "${k}"`);
      }
    }
    prior.push(e);
    byKey.set(k, prior);
  }
}

/**
 * Validates a parsed contract file or table. `where` (a file name) prefixes every error.
 * Top-level `contracts`, `entries` and `lockFields` are optional (a workspace file may add only one kind);
 * `$schema` is allowed for editor completion.
 */
export function validateTable(value: unknown, where: string): { table?: ContractTable; errors: string[] } {
  const c = new Checker(where);
  const top = c.object('', value, ['$schema', 'contracts', 'entries', 'lockFields'], []);
  if (!top) return { errors: c.errors };
  if ('$schema' in top) c.string('$schema', top.$schema);
  const contracts: { item: Contract; index: number }[] = [];
  const entries: { item: EntryContract; index: number }[] = [];
  if ('contracts' in top) {
    const arr = c.array('contracts', top.contracts);
    arr?.forEach((v, i) => {
      const item = checkContract(c, `contracts[${i}]`, v);
      if (item) contracts.push({ item, index: i });
    });
  }
  if ('entries' in top) {
    const arr = c.array('entries', top.entries);
    arr?.forEach((v, i) => {
      const item = checkEntry(c, `entries[${i}]`, v);
      if (item) entries.push({ item, index: i });
    });
  }
  const lockFields: { item: LockField; index: number }[] = [];
  if ('lockFields' in top) {
    c.array('lockFields', top.lockFields)?.forEach((v, i) => {
      const item = checkLockField(c, `lockFields[${i}]`, v);
      if (item) lockFields.push({ item, index: i });
    });
  }
  checkNoOverlaps(c, contracts, 'contracts', (x) => x.name, (x) => x.versions);
  checkNoOverlaps(c, entries, 'entries', (x) => x.id, (x) => x.versions);
  checkNoOverlaps(c, lockFields, 'lockFields', (x) => x.id, (x) => x.versions);
  if (c.errors.length > 0) return { errors: c.errors };
  const table: ContractTable = { contracts: contracts.map((x) => x.item), entries: entries.map((x) => x.item) };
  if ('lockFields' in top) table.lockFields = lockFields.map((x) => x.item);
  return { table, errors: [] };
}
