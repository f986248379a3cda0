// Background indexing of the workspace's C files: each file is analysed at
// background priority (open documents go first) and the summaries of its
// functions are kept by name, for calls that cross files. Bounded by
// folioLens.workspace.maxFiles, excluding folioLens.workspace.exclude,
// cancellable from the client's progress UI and restarted when those settings
// change.
//
// The engine summaries it collects are handed to the analyses of open documents
// (AnalyzeOptions.externalSummaries) for the calls they make into other files.

import * as fs from 'node:fs/promises';
import type { SummaryCase } from '../engine/result';
import type { AnalysisHost } from './analysisHost';
import type { AnalysisRequest } from './analysisJob';
import { filePathToUri } from './paths';
import type { IndexStatus } from './protocol';
import { listCFiles } from './workspaceFiles';

export interface IndexedFunction {
  uri: string;
  summary: SummaryCase[];
  complete: boolean;
  /** The engine's summary (plain data), for analyses of other documents. */
  engineSummary?: unknown;
}

/** Progress reporting as the server offers it (a no-op reporter when the client has none). */
export interface IndexProgress {
  begin(title: string, message: string): void;
  report(percentage: number, message: string): void;
  done(): void;
  /** True once the user cancelled it from the client. */
  readonly cancelled: boolean;
}

export interface IndexOptions {
  folders: string[];
  exclude: string[];
  maxFiles: number;
  /** Files open in the editor are analysed there; the index skips them. */
  isOpen(uri: string): boolean;
  requestFor(uri: string, filePath: string, text: string): AnalysisRequest;
  progress: IndexProgress;
  log(message: string): void;
}

/** Files larger than this are not indexed (generated tables, firmware blobs). */
const MAX_INDEXED_BYTES = 2 * 1024 * 1024;

export class WorkspaceIndex {
  private generation = 0;
  private status: IndexStatus = { state: 'idle', filesFound: 0, filesIndexed: 0, functions: 0, filesOverLimit: 0 };
  private readonly functions = new Map<string, IndexedFunction[]>();

  constructor(private readonly host: AnalysisHost) {}

  getStatus(): IndexStatus {
    return { ...this.status, functions: [...this.functions.values()].reduce((n, list) => n + list.length, 0) };
  }

  /** Engine summaries of the functions `text` calls that are defined in other indexed
   *  files (the first complete definition of each name). */
  summariesFor(uri: string, text: string): Record<string, unknown> | undefined {
    if (this.functions.size === 0) return undefined;
    const out: Record<string, unknown> = {};
    const re = /([A-Za-z_]\w*)\s*\(/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = m[1];
      if (name in out) continue;
      const def = this.functions.get(name)?.find((f) => f.uri !== uri && f.complete && f.engineSummary !== undefined);
      if (def) out[name] = def.engineSummary;
    }
    return Object.keys(out).length ? out : undefined;
  }

  /** Definitions of `name` found in indexed files. */
  lookup(name: string): readonly IndexedFunction[] {
    return this.functions.get(name) ?? [];
  }

  cancel(): void {
    this.generation++;
    if (this.status.state === 'running') this.status.state = 'cancelled';
    this.host.cancelBackground();
  }

  /** Starts (or restarts) indexing; resolves when it finishes or is cancelled. */
  async run(options: IndexOptions): Promise<void> {
    this.cancel();
    const generation = this.generation;
    const cancelled = (): boolean => generation !== this.generation || options.progress.cancelled;
    this.functions.clear();
    this.status = { state: 'running', filesFound: 0, filesIndexed: 0, functions: 0, filesOverLimit: 0 };
    options.progress.begin('Folio Lens: indexing', 'listing C files');
    try {
      const files: string[] = [];
      let overLimit = 0;
      for (const folder of options.folders) {
        const walked = await listCFiles(folder, options.exclude, options.maxFiles - files.length, cancelled);
        files.push(...walked.files);
        overLimit += walked.overLimit;
      }
      this.status.filesFound = files.length;
      this.status.filesOverLimit = overLimit;
      if (overLimit > 0) options.log(`workspace index: ${overLimit} C files left out by folioLens.workspace.maxFiles`);
      for (const [i, file] of files.entries()) {
        if (cancelled()) break;
        options.progress.report(Math.floor((100 * i) / Math.max(1, files.length)), `${i}/${files.length} files`);
        await this.indexFile(file, options, cancelled);
        this.status.filesIndexed = i + 1;
      }
      if (generation === this.generation) this.status.state = cancelled() ? 'cancelled' : 'done';
    } catch (err) {
      options.log(`workspace index stopped: ${err instanceof Error ? err.message : String(err)}`);
      if (generation === this.generation) this.status.state = 'cancelled';
    } finally {
      options.progress.done();
      if (options.progress.cancelled && generation === this.generation) this.cancel();
    }
  }

  private async indexFile(file: string, options: IndexOptions, cancelled: () => boolean): Promise<void> {
    const uri = filePathToUri(file);
    if (options.isOpen(uri)) return;
    let text: string;
    try {
      const stat = await fs.stat(file);
      if (stat.size > MAX_INDEXED_BYTES) return;
      text = await fs.readFile(file, 'utf8');
    } catch {
      return; // deleted or unreadable meanwhile
    }
    try {
      const reply = await this.host.submit({ request: options.requestFor(uri, file, text), priority: 'background', isStale: cancelled });
      if (!reply || cancelled()) return;
      for (const fa of reply.analysis.functions) {
        const list = this.functions.get(fa.name) ?? [];
        list.push({ uri, summary: fa.summary, complete: fa.complete, engineSummary: fa.engineSummary });
        this.functions.set(fa.name, list);
      }
    } catch (err) {
      options.log(`workspace index: ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
