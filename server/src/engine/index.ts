// The engine's one public entry. Pure: knows nothing of LSP or the CLI.
//
//   await initEngine();                       // once: loads the tree-sitter wasm
//   const result = analyzeText(uri, text, { kernelVersion: { major: 6, minor: 12 } });
//
// analyzeText never throws on bad input: binary, huge or half-typed text gives
// `inputErrors` and/or an empty function list.

export type { AnalyzeOptions, Budget, Finding, KernelVersion, Position, Range, RuleId, Severity, WitnessStep } from './types';
export { ALL_RULES, DEFAULT_BUDGET } from './types';
export type { DocumentAnalysis, FunctionAnalysis, LineState, PathRecord, CfgView, SummaryCase } from './result';
export { initEngine, analyzeText, RULE_SEVERITY } from './analyze';
export { forgetDocument } from './parse/incremental';
export { detectKernelVersion, parseKernelVersion, formatKernelVersion } from './model/version';
export { loadContractFile, validateContractJson } from './model/load';
