// The property every fuzz input must satisfy: analyzeText returns (never throws) a
// well-formed DocumentAnalysis, i.e. findings and functions that point into the text,
// or a clear input error, within a time bound that grows with the input's size.

import { ALL_RULES, type DocumentAnalysis } from '../../server/src/engine';

/** The engine's own per-function wall-time budget (DEFAULT_BUDGET.maxMillis). */
export const FUNCTION_TIME_BUDGET_MS = 2000;

/**
 * Wall time allowed for one input: generous (the machine is shared and slow) yet finite,
 * so a loop that never ends or a blow-up with input size fails: 15 s plus 10 s per MB.
 */
export function timeBoundMs(text: string): number {
  return 15_000 + (10_000 * text.length) / (1024 * 1024);
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);
const RULES = new Set<string>(ALL_RULES);

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Throws an Error naming the first way `result` is not a valid analysis of `text`. */
export function assertWellFormed(uri: string, text: string, result: DocumentAnalysis): void {
  const fail = (what: string): never => {
    throw new Error(`malformed DocumentAnalysis: ${what}`);
  };
  if (result === null || typeof result !== 'object') fail(`got ${String(result)}`);
  if (result.uri !== uri) fail(`uri ${JSON.stringify(result.uri)} is not ${JSON.stringify(uri)}`);
  if (!Array.isArray(result.functions) || !Array.isArray(result.findings) || !Array.isArray(result.inputErrors)) {
    fail('functions, findings and inputErrors must be arrays');
  }
  for (const e of result.inputErrors) if (typeof e !== 'string' || e.trim() === '') fail(`input error ${JSON.stringify(e)} is not a sentence`);
  if (!Number.isFinite(result.parseMillis) || !Number.isFinite(result.simulateMillis)) fail('parseMillis/simulateMillis not finite');
  if (typeof result.kernelVersion !== 'string' || !/^\d+\.\d+$/.test(result.kernelVersion)) fail(`kernelVersion ${result.kernelVersion}`);

  const lines = lineCount(text);
  const inText = (line: number, where: string): void => {
    if (!Number.isInteger(line) || line < 0 || line >= lines) fail(`${where}: line ${line} outside the text's ${lines} lines`);
  };
  let fromFunctions = 0;
  for (const fn of result.functions) {
    if (typeof fn.name !== 'string' || fn.name === '') fail('a function without a name');
    inText(fn.range.start.line, `function ${fn.name} start`);
    inText(fn.range.end.line, `function ${fn.name} end`);
    if (typeof fn.complete !== 'boolean') fail(`function ${fn.name}: complete is not a boolean`);
    if (!fn.complete && (typeof fn.incompleteReason !== 'string' || fn.incompleteReason === '')) {
      fail(`function ${fn.name} is incomplete without a reason`);
    }
    fromFunctions += fn.findings.length;
  }
  if (fromFunctions !== result.findings.length) {
    fail(`document has ${result.findings.length} findings, its functions ${fromFunctions}`);
  }
  for (const f of result.findings) {
    if (!RULES.has(f.rule)) fail(`unknown rule ${f.rule}`);
    if (!SEVERITIES.has(f.severity)) fail(`unknown severity ${f.severity}`);
    if (typeof f.message !== 'string' || f.message === '') fail(`${f.rule} finding without a message`);
    inText(f.range.start.line, `${f.rule} finding start`);
    inText(f.range.end.line, `${f.rule} finding end`);
    const { start, end } = f.range;
    if (end.line < start.line || (end.line === start.line && end.character < start.character)) {
      fail(`${f.rule} finding range ends before it starts`);
    }
    for (const step of f.witness) inText(step.line, `${f.rule} witness step`);
  }
  // The LSP and the CLI ship results across worker threads as JSON-like data.
  JSON.stringify(result);
}

export interface FunctionStats {
  functions: number;
  incomplete: number;
  /** Functions the engine gave up on with "internal error: ..." (an exception it caught). */
  internalErrors: string[];
  /** Functions that spent their time budget. */
  timeBudgetSpent: number;
}

export function functionStats(result: DocumentAnalysis): FunctionStats {
  const stats: FunctionStats = { functions: result.functions.length, incomplete: 0, internalErrors: [], timeBudgetSpent: 0 };
  for (const fn of result.functions) {
    if (fn.complete) continue;
    stats.incomplete++;
    const reason = fn.incompleteReason ?? '';
    if (reason.startsWith('internal error')) stats.internalErrors.push(`${fn.name}: ${reason}`);
    if (reason.startsWith('time budget')) stats.timeBudgetSpent++;
  }
  return stats;
}
