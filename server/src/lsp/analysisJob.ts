// One analysis of one document text: the part that runs in the analysis worker
// (or in the server's own thread when no worker could be started). It owns the
// engine calls that touch the disk: kernel-version detection and the extra
// contract files, which are re-read whenever their modification time changes so
// a contract file edited (or broken) mid-session takes effect without a restart.

import * as fs from 'node:fs';
import {
  analyzeText,
  detectKernelVersion,
  formatKernelVersion,
  initEngine,
  loadContractFile,
  parseKernelVersion,
} from '../engine/index';
import type { DocumentAnalysis } from '../engine/result';
import type { KernelVersion, RuleId } from '../engine/types';

export interface AnalysisRequest {
  uri: string;
  text: string;
  /** The file's path on disk when the document is a file: uri (for the kernel version). */
  filePath: string | null;
  /** "MAJOR.MINOR" from the settings, overriding detection. */
  kernelVersion?: string;
  rules: RuleId[];
  maxStateVisits?: number;
  /** Functions to simulate again; absent = all. */
  onlyFunctions?: string[];
  contractFiles: string[];
  /** An open document: the engine keeps its tree and parses the next version incrementally. */
  incremental?: boolean;
  /** Summaries of functions defined in other workspace files, by name. */
  externalSummaries?: Record<string, unknown>;
}

export interface AnalysisReply {
  analysis: DocumentAnalysis;
  /** Where the kernel version came from, for hovers: "setting", "Makefile", "engine default". */
  versionOrigin: string;
  /** New problems with contract files (each reported once per file version). */
  contractErrors: string[];
  /** Identity of the contract files' contents used: a change invalidates every reused function. */
  contractsKey: string;
}

interface LoadedContractFile {
  mtimeMs: number;
  size: number;
  entries: unknown[];
}

const contractCache = new Map<string, LoadedContractFile>();
let engineReady: Promise<void> | null = null;

export function ensureEngine(): Promise<void> {
  if (engineReady) return engineReady;
  const loading: Promise<void> = Promise.resolve(initEngine()).catch((err: unknown) => {
    engineReady = null; // a later request retries
    throw err;
  });
  engineReady = loading;
  return loading;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The loader's result as the list of tables to pass as `extraContracts`: a
 * LoadResult (`{ table?, errors }`) gives its table; an `errors` list that is
 * not empty counts as a failed load, and a broken file contributes nothing.
 */
function entriesOf(loaded: unknown): { entries: unknown[]; errors: string[] } {
  if (!isRecord(loaded)) return { entries: [], errors: ['the contract loader returned nothing'] };
  const errors = Array.isArray(loaded['errors']) ? loaded['errors'].map((e) => String(e)) : [];
  const table = loaded['table'];
  return { entries: table !== undefined && table !== null ? [table] : [], errors };
}

/** Loads (or reuses) every configured contract file; returns the entries and new errors. */
async function loadContracts(paths: string[]): Promise<{ entries: unknown[]; errors: string[]; key: string }> {
  const entries: unknown[] = [];
  const errors: string[] = [];
  const key: string[] = [];
  for (const file of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      if (contractCache.get(file)?.mtimeMs !== -1) errors.push(`contract file ${file}: not found`);
      contractCache.set(file, { mtimeMs: -1, size: -1, entries: [] });
      continue;
    }
    key.push(`${file}:${stat.mtimeMs}:${stat.size}`);
    const cached = contractCache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
      entries.push(...cached.entries);
      continue;
    }
    let loaded: { entries: unknown[]; errors: string[] };
    try {
      loaded = entriesOf(await Promise.resolve(loadContractFile(file) as unknown));
    } catch (err) {
      loaded = { entries: [], errors: [describe(err)] };
    }
    if (loaded.errors.length > 0) {
      // A broken file contributes nothing (never half of itself).
      errors.push(...loaded.errors.map((e) => (e.includes(file) ? `contract file ${e}` : `contract file ${file}: ${e}`)));
      contractCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, entries: [] });
    } else {
      contractCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, entries: loaded.entries });
      entries.push(...loaded.entries);
    }
  }
  return { entries, errors, key: key.join('|') };
}

function asKernelVersion(value: unknown): KernelVersion | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value['major'] === 'number' && typeof value['minor'] === 'number') {
    return { major: value['major'], minor: value['minor'] };
  }
  return asKernelVersion(value['version']);
}

function chooseKernelVersion(request: AnalysisRequest): { version?: KernelVersion; origin: string } {
  if (request.kernelVersion) {
    const parsed = asKernelVersion(parseKernelVersion(request.kernelVersion) as unknown);
    if (parsed) return { version: parsed, origin: 'setting folioLens.kernelVersion' };
  }
  if (request.filePath) {
    try {
      const detected: unknown = detectKernelVersion(request.filePath);
      const version = asKernelVersion(detected);
      const source = isRecord(detected) && typeof detected['source'] === 'string' ? detected['source'] : 'the tree\u2019s Makefile';
      if (version) return { version, origin: source };
    } catch {
      // A deleted file or an unreadable tree: the engine's newest contracts apply.
    }
  }
  return { origin: 'no kernel tree found: newest contracts' };
}

export async function runAnalysis(request: AnalysisRequest): Promise<AnalysisReply> {
  await ensureEngine();
  const contracts = await loadContracts(request.contractFiles);
  const { version, origin } = chooseKernelVersion(request);
  const analysis = analyzeText(request.uri, request.text, {
    kernelVersion: version,
    extraContracts: contracts.entries.length > 0 ? contracts.entries : undefined,
    budget: request.maxStateVisits !== undefined ? { maxStateVisits: request.maxStateVisits } : undefined,
    rules: request.rules,
    onlyFunctions: request.onlyFunctions,
    incremental: request.incremental,
    externalSummaries: request.externalSummaries,
  });
  return {
    analysis,
    versionOrigin: version ? `${formatKernelVersion(version)} from ${origin}` : origin,
    contractErrors: contracts.errors,
    contractsKey: contracts.key,
  };
}
