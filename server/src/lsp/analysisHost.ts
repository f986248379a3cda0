// Runs analyses one at a time in a worker thread, open documents before
// background indexing. Jobs that became stale while queued are dropped before
// they start; a job that became stale while running long is stopped by
// restarting the worker. When no worker can be started (for example when the
// server runs from TypeScript sources) analyses run on the server's own thread.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runAnalysis, type AnalysisReply, type AnalysisRequest } from './analysisJob';
import { ANALYSIS_WORKER_ROLE, type FromWorker, type ToWorker } from './worker';

export type JobPriority = 'interactive' | 'background';

export interface AnalysisJob {
  request: AnalysisRequest;
  priority: JobPriority;
  /** Asked just before the job starts and while it runs: true = nobody wants the result. */
  isStale: () => boolean;
}

interface QueuedJob extends AnalysisJob {
  resolve: (reply: AnalysisReply | null) => void;
  reject: (err: Error) => void;
}

interface RunningJob extends QueuedJob {
  id: number;
  startedAt: number;
}

/** A stale job is stopped (worker restarted) only once it has run this long: a restart costs a wasm load. */
const STALE_RUN_LIMIT_MS = 750;
const MAX_CONSECUTIVE_CRASHES = 3;

/** The worker script: a dedicated bundle next to the server if the build made one, else the server bundle itself. */
function workerScript(): string | null {
  const dedicated = path.join(__dirname, 'lspWorker.js');
  if (fs.existsSync(dedicated)) return dedicated;
  return __filename.endsWith('.js') ? __filename : null;
}

export class AnalysisHost {
  private worker: Worker | null = null;
  private inThread = false;
  private crashes = 0;
  private nextId = 1;
  private readonly queue: QueuedJob[] = [];
  private running: RunningJob | null = null;
  private disposed = false;

  /**
   * @param onContractErrors called with every reply's contract-file problems; each problem
   *   comes back once per file version, from whichever job (document or index) met it first.
   */
  constructor(
    private readonly log: (message: string) => void,
    private readonly onContractErrors: (errors: string[]) => void = () => undefined,
  ) {}

  /** How analyses are run, for the log. */
  get mode(): string {
    return this.inThread ? 'in the server thread' : 'in a worker thread';
  }

  start(): void {
    const script = workerScript();
    if (!script) {
      this.inThread = true;
      this.log('analysis worker: no bundled worker script; analysing in the server thread');
      return;
    }
    this.spawn(script);
  }

  private spawn(script: string): void {
    try {
      const worker = new Worker(script, { workerData: { role: ANALYSIS_WORKER_ROLE } });
      worker.on('message', (message: FromWorker) => this.onMessage(message));
      worker.on('error', (err) => this.onWorkerGone(worker, `error: ${err.message}`));
      worker.on('exit', (code) => this.onWorkerGone(worker, `exited with code ${code}`));
      worker.unref();
      this.worker = worker;
    } catch (err) {
      this.inThread = true;
      this.log(`analysis worker could not start (${err instanceof Error ? err.message : String(err)}); analysing in the server thread`);
    }
  }

  submit(job: AnalysisJob): Promise<AnalysisReply | null> {
    if (this.disposed) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const queued: QueuedJob = { ...job, resolve, reject };
      // Interactive jobs go before every background job, after earlier interactive ones.
      const at = job.priority === 'interactive' ? this.queue.findIndex((q) => q.priority === 'background') : -1;
      if (at === -1) this.queue.push(queued);
      else this.queue.splice(at, 0, queued);
      this.stopStaleRunningJob();
      this.pump();
    });
  }

  /** Drops queued jobs that nobody wants any more (called after edits and closes). */
  pruneStale(): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const job = this.queue[i]!;
      if (job.isStale()) {
        this.queue.splice(i, 1);
        job.resolve(null);
      }
    }
    this.stopStaleRunningJob();
  }

  /** Drops every queued background job (workspace indexing cancelled). */
  cancelBackground(): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const job = this.queue[i]!;
      if (job.priority === 'background') {
        this.queue.splice(i, 1);
        job.resolve(null);
      }
    }
  }

  private stopStaleRunningJob(): void {
    const running = this.running;
    if (!running || !this.worker || !running.isStale()) return;
    if (Date.now() - running.startedAt < STALE_RUN_LIMIT_MS) return;
    this.log(`analysis of ${running.request.uri} superseded after ${Date.now() - running.startedAt} ms: restarting the worker`);
    const worker = this.worker;
    this.worker = null;
    this.running = null;
    running.resolve(null);
    void worker.terminate();
    const script = workerScript();
    if (script) this.spawn(script);
    else this.inThread = true;
    this.pump();
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    let job: QueuedJob | undefined;
    while ((job = this.queue.shift())) {
      if (!job.isStale()) break;
      job.resolve(null);
    }
    if (!job) return;
    const running: RunningJob = { ...job, id: this.nextId++, startedAt: Date.now() };
    this.running = running;
    if (this.inThread || !this.worker) {
      this.inThread = true;
      // Let pending messages (cancellations, newer edits) be read before the synchronous engine call.
      setImmediate(() => {
        if (running.isStale()) return this.finish(running, null);
        runAnalysis(running.request).then(
          (reply) => this.finish(running, reply),
          (err: unknown) => this.fail(running, err instanceof Error ? err : new Error(String(err))),
        );
      });
      return;
    }
    this.worker.postMessage({ type: 'analyze', id: running.id, request: running.request } satisfies ToWorker);
  }

  private finish(job: RunningJob, reply: AnalysisReply | null): void {
    if (reply && reply.contractErrors.length > 0) this.onContractErrors(reply.contractErrors);
    if (this.running !== job) return;
    this.running = null;
    this.crashes = 0;
    job.resolve(reply);
    this.pump();
  }

  private fail(job: RunningJob, err: Error): void {
    if (this.running !== job) return;
    this.running = null;
    job.reject(err);
    this.pump();
  }

  private onMessage(message: FromWorker): void {
    const job = this.running;
    if (!job || message.id !== job.id) return;
    if (message.type === 'result') this.finish(job, message.reply);
    else this.fail(job, new Error(message.message));
  }

  private onWorkerGone(worker: Worker, why: string): void {
    if (worker !== this.worker) return; // a worker we terminated on purpose
    this.worker = null;
    this.crashes++;
    this.log(`analysis worker ${why}`);
    const job = this.running;
    if (job) this.fail(job, new Error(`the analysis worker ${why} while analysing ${job.request.uri}`));
    if (this.disposed) return;
    const script = workerScript();
    if (this.crashes >= MAX_CONSECUTIVE_CRASHES || !script) {
      this.inThread = true;
      this.log('analysis worker keeps failing; analysing in the server thread');
    } else {
      this.spawn(script);
    }
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    for (const job of this.queue.splice(0)) job.resolve(null);
    if (this.running) {
      this.running.resolve(null);
      this.running = null;
    }
    const worker = this.worker;
    this.worker = null;
    if (worker) void worker.terminate();
  }
}
