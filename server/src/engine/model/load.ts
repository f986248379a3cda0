// Loading contract tables: workspace JSON files (parsed, validated, never executed),
// finding those files next to the analysed code, and resolving the contracts that apply
// to one kernel version.

import * as fs from 'node:fs';
import { isDirectory, isFile } from './fsCheck';
import * as path from 'node:path';
import type { KernelVersion } from '../types';
import { findJsonSyntaxError } from './jsonSyntax';
import { BUILTIN_TABLE } from './table';
import type { Contract, ContractTable, EntryContract, LockField } from './types';
import { validateTable } from './validate';
import { detectKernelVersion, formatKernelVersion, versionInRange } from './version';

/** Contract files larger than this are refused: a real one is a few kilobytes. */
export const MAX_CONTRACT_FILE_BYTES = 4 * 1024 * 1024;

/** Names of workspace contract files, looked for in every directory up to the tree root. */
export const WORKSPACE_CONTRACT_FILES = ['.folio-lens.json', 'folio-lens.contracts.json'] as const;

export interface LoadResult {
  table?: ContractTable;
  errors: string[];
}

/** Parses and validates contract JSON text. `where` (a file name) prefixes every error. */
export function validateContractJson(text: string, where: string): LoadResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const located = findJsonSyntaxError(body);
    if (located) {
      return { errors: [`${where}:${located.line}:${located.column}: invalid JSON: ${located.message}`] };
    }
    // JSON.parse and the locator disagree (should not happen): keep the parser's words.
    return { errors: [`${where}: invalid JSON: ${(e as Error).message}`] };
  }
  return validateTable(value, where);
}

/** Reads a contract file; never executes anything in it. */
export function loadContractFile(filePath: string): LoadResult {
  let text: string;
  try {
    const stat = fs.statSync(filePath);
    if (!stat.isFile()) return { errors: [`${filePath}: not a regular file`] };
    if (stat.size > MAX_CONTRACT_FILE_BYTES) {
      return { errors: [`${filePath}: contract file too large (${stat.size} bytes; the limit is ${MAX_CONTRACT_FILE_BYTES})`] };
    }
    text = fs.readFileSync(filePath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { errors: [`${filePath}: cannot read contract file${code ? ` (${code})` : ''}`] };
  }
  return validateContractJson(text, filePath);
}

export interface ResolvedContracts {
  /** For each API name, the contract that holds for the version (extra tables win). */
  byName: Map<string, Contract>;
  /** Contracts with a `signature`, whatever their versions, by name: a call whose argument
   *  types match one selects it (model/types.ts, Contract.signature). */
  bySignature: Map<string, Contract[]>;
  /** Entry contracts that hold for the version (an extra entry replaces a built-in one with its id). */
  entries: EntryContract[];
  /** Locks inside structures that are the structure's own lock, for the version (by id, like entries). */
  lockFields: LockField[];
}

interface Resolving {
  byName: Map<string, Contract>;
  bySignature: Map<string, Contract[]>;
  entries: Map<string, EntryContract>;
  lockFields: Map<string, LockField>;
}

function addTable(table: ContractTable, version: KernelVersion, into: Resolving): void {
  for (const c of table.contracts) {
    if (versionInRange(version, c.versions)) into.byName.set(c.name, c);
    if (c.signature) into.bySignature.set(c.name, [...(into.bySignature.get(c.name) ?? []), c]);
  }
  for (const e of table.entries) {
    if (versionInRange(version, e.versions)) into.entries.set(e.id, e);
  }
  for (const l of table.lockFields ?? []) {
    if (versionInRange(version, l.versions)) into.lockFields.set(l.id, l);
  }
}

function resolved(r: Resolving): ResolvedContracts {
  return { byName: r.byName, bySignature: r.bySignature, entries: [...r.entries.values()], lockFields: [...r.lockFields.values()] };
}

let builtinChecked = false;

/**
 * The built-in table, validated on first use like any workspace file. An invalid built-in
 * table is a defect of this program (the unit tests catch it), so it throws rather than
 * silently analysing with a broken model.
 */
export function builtinTable(): ContractTable {
  if (!builtinChecked) {
    const { errors } = validateTable(BUILTIN_TABLE, 'built-in contract table');
    if (errors.length > 0) throw new Error(`invalid built-in contract table:\n${errors.join('\n')}`);
    builtinChecked = true;
  }
  return BUILTIN_TABLE;
}

// The built-in part is the same for every file of one version; the LSP asks per document.
const builtinByVersion = new Map<string, ResolvedContracts>();

/**
 * The contracts for one kernel version: the built-in table, then each extra table in order,
 * a later table replacing an earlier one's contract of the same name. An extra contract
 * whose versions exclude this version replaces nothing.
 */
export function contractsFor(version: KernelVersion, extra: ContractTable[]): ResolvedContracts {
  const key = formatKernelVersion(version);
  let base = builtinByVersion.get(key);
  if (!base) {
    const r: Resolving = { byName: new Map(), bySignature: new Map(), entries: new Map(), lockFields: new Map() };
    addTable(builtinTable(), version, r);
    base = resolved(r);
    builtinByVersion.set(key, base);
  }
  if (extra.length === 0) return { byName: new Map(base.byName), bySignature: new Map(base.bySignature), entries: [...base.entries], lockFields: [...base.lockFields] };
  const r: Resolving = {
    byName: new Map(base.byName),
    bySignature: new Map(base.bySignature),
    entries: new Map(base.entries.map((e) => [e.id, e] as const)),
    lockFields: new Map(base.lockFields.map((l) => [l.id, l] as const)),
  };
  for (const table of extra) addTable(table, version, r);
  return resolved(r);
}



/**
 * Workspace contract files that apply to `filePath`: every `.folio-lens.json` or
 * `folio-lens.contracts.json` from the file's directory up to the root of its kernel tree
 * (the directory of the top-level Makefile); outside a kernel tree, up to the nearest
 * directory holding `.git`, else the filesystem root. Returned outermost first, so that
 * loading them in order lets a file nearer the code override one further up.
 */
export function findWorkspaceContracts(filePath: string): string[] {
  const resolved = path.resolve(filePath);
  let dir = isDirectory(resolved) ? resolved : path.dirname(resolved);
  const treeRoot = detectKernelVersion(resolved)?.source;
  const stopAt = treeRoot ? path.dirname(treeRoot) : undefined;
  const found: string[] = [];
  for (;;) {
    const here: string[] = [];
    for (const name of WORKSPACE_CONTRACT_FILES) {
      const candidate = path.join(dir, name);
      if (isFile(candidate)) here.push(candidate);
    }
    found.unshift(...here);
    if (stopAt !== undefined ? dir === stopAt : fs.existsSync(path.join(dir, '.git'))) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return found;
}
