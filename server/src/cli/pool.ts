// Runs checkFile over many files: in this thread for --jobs 1, otherwise on a pool of
// worker threads. Reports are handed to `onReport` strictly in input order, whatever
// order the workers finish in, so output is the same for any --jobs. A worker that dies
// (out of memory, a native abort) costs only the file it was on: that file is reported
// as crashed and a fresh worker takes over.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { initEngine } from '../engine';
import { checkFile } from './checkFile';
import { emptyReport, type FileCheckSettings, type FileReport } from './report';

export interface WorkerRequest {
  index: number;
  file: string;
}

export interface WorkerReply {
  index: number;
  report: FileReport;
  /** The worker's JS heap plus external memory (the parser's wasm heap) after this file. */
  heapBytes: number;
}

/** A worker whose heap has grown past this is replaced by a fresh one between files: the
 *  parser's wasm memory only ever grows (one huge file keeps it large), and the whole-tree
 *  run must stay within its memory target. */
export const WORKER_RECYCLE_BYTES = 384 * 1024 * 1024;

/** The recycling threshold; FOLIO_LENS_WORKER_RECYCLE_MB overrides it (tests set 0 to
 *  replace the worker after every file). */
function recycleBytes(): number {
  const mb = Number(process.env.FOLIO_LENS_WORKER_RECYCLE_MB);
  return process.env.FOLIO_LENS_WORKER_RECYCLE_MB !== undefined && Number.isFinite(mb) && mb >= 0 ? mb * 1024 * 1024 : WORKER_RECYCLE_BYTES;
}

export type ReportSink = (report: FileReport, index: number) => void;

/** Emits reports in index order as soon as every earlier one is in. */
class OrderedEmitter {
  private readonly pending = new Map<number, FileReport>();
  private next = 0;
  readonly all: FileReport[] = [];

  constructor(private readonly sink: ReportSink) {}

  add(index: number, report: FileReport): void {
    this.pending.set(index, report);
    for (let r = this.pending.get(this.next); r !== undefined; r = this.pending.get(this.next)) {
      this.pending.delete(this.next);
      this.all.push(r);
      this.sink(r, this.next);
      this.next++;
    }
  }
}

async function runInProcess(files: readonly string[], settings: FileCheckSettings, sink: ReportSink): Promise<FileReport[]> {
  const emitter = new OrderedEmitter(sink);
  let initError: string | undefined;
  try {
    await initEngine();
  } catch (err) {
    initError = `engine failed to start: ${err instanceof Error ? err.message : String(err)}`;
  }
  for (let i = 0; i < files.length; i++) {
    emitter.add(i, initError ? emptyReport(files[i], 'crashed', initError) : await checkFile(files[i], settings));
  }
  return emitter.all;
}

/** The bundled worker beside this script, or the TypeScript source when run through tsx. */
function workerScript(): string {
  const bundled = path.join(__dirname, 'cliWorker.js');
  if (fs.existsSync(bundled)) return bundled;
  return path.join(__dirname, 'worker.ts');
}

/** Files handed out last, largest first, so that no worker is left with one big file while
 *  the others have finished; the rest go in input order so reports can stream out. */
const TAIL_SCHEDULED_BY_SIZE = 512;

export function scheduleOrder(files: readonly string[]): number[] {
  const order = files.map((_, i) => i);
  const tailStart = Math.max(0, files.length - TAIL_SCHEDULED_BY_SIZE);
  const sizeOf = (i: number): number => {
    try {
      return fs.statSync(files[i]).size;
    } catch {
      return 0;
    }
  };
  const sizes = new Map(order.slice(tailStart).map((i) => [i, sizeOf(i)]));
  const tail = order.slice(tailStart).sort((a, b) => sizes.get(b)! - sizes.get(a)! || a - b);
  return [...order.slice(0, tailStart), ...tail];
}

function runOnWorkers(
  files: readonly string[],
  settings: FileCheckSettings,
  jobs: number,
  sink: ReportSink,
): Promise<FileReport[]> {
  const emitter = new OrderedEmitter(sink);
  const script = workerScript();
  const recycleAt = recycleBytes();
  const order = scheduleOrder(files);
  let nextFile = 0;
  let done = 0;

  return new Promise((resolve) => {
    const finishIfDone = () => {
      if (done === files.length) resolve(emitter.all);
    };

    const startWorker = () => {
      const worker = new Worker(script, { workerData: { settings } });
      let current: WorkerRequest | undefined;

      const feed = () => {
        if (nextFile >= files.length) {
          current = undefined;
          void worker.terminate();
          return;
        }
        const index = order[nextFile++];
        current = { index, file: files[index] };
        worker.postMessage(current);
      };

      const lose = (why: string) => {
        // The worker is gone: its file is a crash, and someone must take over the rest.
        const lost = current;
        current = undefined;
        if (lost) {
          emitter.add(lost.index, emptyReport(lost.file, 'crashed', `analysis worker died: ${why}`));
          done++;
          if (nextFile < files.length) startWorker();
          finishIfDone();
        }
      };

      worker.on('message', (reply: WorkerReply) => {
        emitter.add(reply.index, reply.report);
        done++;
        if (reply.heapBytes > recycleAt && nextFile < files.length) {
          // Retire it between files (its exit is not a crash: nothing is in flight).
          current = undefined;
          void worker.terminate();
          startWorker();
        } else feed();
        finishIfDone();
      });
      worker.on('error', (err) => lose(err instanceof Error ? err.message : String(err)));
      worker.on('exit', (code) => lose(`exit code ${code}`));
      feed();
    };

    if (files.length === 0) resolve([]);
    for (let i = 0; i < Math.min(jobs, files.length); i++) startWorker();
  });
}

export function checkFiles(
  files: readonly string[],
  settings: FileCheckSettings,
  jobs: number,
  sink: ReportSink,
): Promise<FileReport[]> {
  return jobs <= 1 || files.length <= 1
    ? runInProcess(files, settings, sink)
    : runOnWorkers(files, settings, jobs, sink);
}
