// Worker thread of the long fuzz run (scripts/fuzz.mjs): holds one engine, analyses the
// inputs it is sent and answers with the time taken and whether the property held. The
// parent kills and replaces the worker when an input runs past the hard time limit, so
// a hang costs one input, never the run.

import { parentPort } from 'node:worker_threads';
import { analyzeText, initEngine } from '../../server/src/engine';
import { assertWellFormed, functionStats } from './property';

export interface FuzzRequest {
  id: number;
  kind: string;
  text: string;
}

export interface FuzzReply {
  id: number;
  millis: number;
  /** Set when analyzeText threw or returned a malformed result. */
  error?: string;
  functions: number;
  internalErrors: string[];
  timeBudgetSpent: number;
}

const port = parentPort;
if (!port) throw new Error('fuzzWorker.ts runs only as a worker thread');

const ready = initEngine();

port.on('message', (request: FuzzRequest) => {
  void ready.then(() => {
    const uri = `file:///fuzz/${request.id}.c`;
    const started = performance.now();
    let reply: FuzzReply;
    try {
      const result = analyzeText(uri, request.text, { detail: 'findings' });
      const millis = performance.now() - started;
      assertWellFormed(uri, request.text, result);
      const stats = functionStats(result);
      reply = { id: request.id, millis, functions: stats.functions, internalErrors: stats.internalErrors, timeBudgetSpent: stats.timeBudgetSpent };
    } catch (err) {
      reply = {
        id: request.id,
        millis: performance.now() - started,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        functions: 0,
        internalErrors: [],
        timeBudgetSpent: 0,
      };
    }
    port.postMessage(reply);
  });
});
// id -1: the engine is loaded; the parent starts its clock for the first input only now.
void ready.then(() => port.postMessage({ id: -1, millis: 0, functions: 0, internalErrors: [], timeBudgetSpent: 0 } satisfies FuzzReply));
