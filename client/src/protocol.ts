// The messages the client exchanges with the language server beyond standard LSP,
// and with the simulation webview. Names are fixed by the server (server/src/lsp).

import type { SimulateFunctionParams, SimulateFunctionResult } from '../../server/src/lsp/protocol';

export const SIMULATE_REQUEST = 'folioLens/simulateFunction';
export const STATUS_NOTIFICATION = 'folioLens/status';

/** Params of `folioLens/simulateFunction`: a function chosen by a position inside it or by name. */
export type SimulateParams = SimulateFunctionParams;

/** Result of `folioLens/simulateFunction` (the server answers null when no function is there). */
export type SimulationResult = SimulateFunctionResult;

/** Payload of the `folioLens/status` notification. */
export interface ServerStatus {
  state: 'analysing' | 'idle' | 'error';
  findings: number;
  message?: string;
}

/** Extension → webview. */
export type ToWebview = { type: 'simulation'; documentUri: string; result: SimulationResult };

/** Webview → extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'reveal'; line: number; character: number };

/** Checks a message from the webview: it is untrusted input crossing a process boundary. */
export function parseWebviewMessage(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'reveal' && isLine(m.line)) {
    const character = isLine(m.character) ? m.character : 0;
    return { type: 'reveal', line: m.line, character };
  }
  return undefined;
}

function isLine(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}
