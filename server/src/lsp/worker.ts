// The analysis worker: a worker_threads thread that runs the engine so the
// server's main thread keeps answering hovers, inlay hints and code lenses for
// one document while another is being simulated.
//
// It is started either from its own bundle (dist/lspWorker.js, when the build
// emits one) or from the server bundle itself (dist/server.js started again as a
// worker); `workerData.role` says which code path to take, so importing this
// module from the server's main thread does nothing.

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runAnalysis, type AnalysisRequest } from './analysisJob';

export const ANALYSIS_WORKER_ROLE = 'folio-lens-analysis-worker';

export type ToWorker = { type: 'analyze'; id: number; request: AnalysisRequest };
export type FromWorker =
  | { type: 'result'; id: number; reply: Awaited<ReturnType<typeof runAnalysis>> }
  | { type: 'error'; id: number; message: string };

function serve(): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (message: ToWorker) => {
    if (message?.type !== 'analyze') return;
    runAnalysis(message.request).then(
      (reply) => port.postMessage({ type: 'result', id: message.id, reply } satisfies FromWorker),
      (err: unknown) =>
        port.postMessage({
          type: 'error',
          id: message.id,
          message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err),
        } satisfies FromWorker),
    );
  });
}

export function isAnalysisWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | undefined)?.role === ANALYSIS_WORKER_ROLE;
}

if (isAnalysisWorker()) serve();
