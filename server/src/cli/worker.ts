// Worker-thread entry for `--jobs N` (bundled as dist/cliWorker.js). Receives one file at
// a time, checks it with the same checkFile() the single-threaded run uses, and posts the
// report back. The engine is initialised once per worker.

import { parentPort, workerData } from 'node:worker_threads';
import { initEngine } from '../engine';
import { checkFile } from './checkFile';
import { emptyReport, type FileCheckSettings } from './report';
import type { WorkerReply, WorkerRequest } from './pool';

const settings = (workerData as { settings: FileCheckSettings }).settings;
const ready: Promise<string | undefined> = Promise.resolve()
  .then(() => initEngine())
  .then(
    () => undefined,
    (err: unknown) => `engine failed to start: ${err instanceof Error ? err.message : String(err)}`,
  );

if (!parentPort) throw new Error('cliWorker must run as a worker thread');
const port = parentPort;

port.on('message', (request: WorkerRequest) => {
  void (async () => {
    const initError = await ready;
    const report = initError
      ? emptyReport(request.file, 'crashed', initError)
      : await checkFile(request.file, settings);
    const memory = process.memoryUsage();
    const reply: WorkerReply = { index: request.index, report, heapBytes: memory.heapUsed + memory.external };
    port.postMessage(reply);
  })();
});
