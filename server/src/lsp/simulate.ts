// The custom simulate request: one function's paths, findings, CFG (with the
// lock state per node), summary and assumptions, from a document's analysis.

import type { StoredAnalysis } from './documents';
import { functionAt } from './hover';
import type { SimulateFunctionParams, SimulateFunctionResult } from './protocol';

export function findFunction(stored: StoredAnalysis, params: SimulateFunctionParams) {
  if ('name' in params && typeof params.name === 'string') {
    return stored.analysis.functions.find((f) => f.name === params.name);
  }
  if ('position' in params && params.position) return functionAt(stored, params.position.line);
  return undefined;
}

export function simulationResult(stored: StoredAnalysis, params: SimulateFunctionParams): SimulateFunctionResult | null {
  const fa = findFunction(stored, params);
  if (!fa) return null;
  return {
    uri: stored.uri,
    name: fa.name,
    kernelVersion: stored.analysis.kernelVersion,
    kernelVersionOrigin: stored.versionOrigin,
    range: fa.range,
    paths: fa.pathRecords,
    findings: fa.findings,
    cfg: fa.cfg,
    summary: fa.summary,
    assumptions: fa.assumptions,
    complete: fa.complete,
    incompleteReason: fa.incompleteReason,
  };
}
