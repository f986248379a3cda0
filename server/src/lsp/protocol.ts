// Custom requests of the Folio Lens server: shared by the server and any client
// (the VS Code client, the protocol tests). Plain types only: no runtime import.

import type { CfgView, PathRecord, SummaryCase } from '../engine/result';
import type { Finding, Position } from '../engine/types';

/** `folioLens/simulateFunction`: one function's simulation, for the "Simulate" view. */
export const SIMULATE_FUNCTION_METHOD = 'folioLens/simulateFunction';

/** Either a position inside the function or its name. */
export type SimulateFunctionParams = { uri: string; position: Position } | { uri: string; name: string };

export interface SimulateFunctionResult {
  uri: string;
  name: string;
  kernelVersion: string;
  /** Where the version came from ("6.12 from the tree's Makefile", ...). */
  kernelVersionOrigin: string;
  /** The function's range in the document, for revealing it. */
  range: { start: Position; end: Position };
  paths: PathRecord[];
  findings: Finding[];
  cfg: CfgView;
  summary: SummaryCase[];
  assumptions: string[];
  complete: boolean;
  incompleteReason?: string;
}

/** `folioLens/indexStatus`: how far the background workspace index got. */
export const INDEX_STATUS_METHOD = 'folioLens/indexStatus';

export interface IndexStatus {
  state: 'idle' | 'running' | 'done' | 'cancelled';
  filesFound: number;
  filesIndexed: number;
  functions: number;
  /** Files left out because of folioLens.workspace.maxFiles. */
  filesOverLimit: number;
}
