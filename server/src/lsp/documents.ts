// Open documents and their analyses: incremental text sync, a debounce per
// document, stale-result suppression (a result is kept only if the document is
// still at the version that was analysed) and re-simulation of only the
// functions an edit touched plus the functions that depend on them.

import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { DocumentAnalysis } from '../engine/result';
import type { AnalysisHost } from './analysisHost';
import type { AnalysisReply, AnalysisRequest } from './analysisJob';
import { affectedFunctions, calledNames } from './callGraph';
import { EditTracker } from './editTracker';
import { mergeWithPrevious } from './reuse';

export interface StoredAnalysis {
  uri: string;
  version: number;
  text: string;
  analysis: DocumentAnalysis;
  /** Where the kernel version came from, for hovers. */
  versionOrigin: string;
  /** Calls between this file's functions, read from `text`. */
  calls: Map<string, Set<string>>;
  /** Settings the analysis was made with; a change forces a full analysis. */
  configKey: string;
  /** Contents of the contract files it used (names, times, sizes); a change forces a full analysis. */
  contractsKey: string;
  /** How many functions were simulated to produce it (the rest were reused). */
  simulatedFunctions: number | 'all';
}

/** What the document manager needs from the rest of the server. */
export interface DocumentHooks {
  /** Resolves once the settings are known (analyses wait for it). */
  ready(): Promise<void>;
  /** The analysis request for a text (settings applied), minus onlyFunctions. */
  requestFor(uri: string, text: string): AnalysisRequest;
  /** A key of the settings that change analysis results. */
  configKey(): string;
  debounceMs(): number;
  onAnalysed(stored: StoredAnalysis): void;
  log(message: string): void;
}

interface Waiter {
  version: number;
  resolve: (stored: StoredAnalysis | null) => void;
}

class OpenDocument {
  stored: StoredAnalysis | null = null;
  readonly tracker = new EditTracker();
  timer: NodeJS.Timeout | null = null;
  running = false;
  closed = false;
  waiters: Waiter[] = [];
  constructor(public doc: TextDocument) {}
}

function functionSpans(analysis: DocumentAnalysis): { name: string; startLine: number; endLine: number }[] {
  return analysis.functions.map((f) => ({ name: f.name, startLine: f.range.start.line, endLine: f.range.end.line }));
}

/** Calls among the file's own functions: from the engine if it lists them, else read from the text. */
function callsOf(analysis: DocumentAnalysis, text: string): Map<string, Set<string>> {
  const doc = TextDocument.create('', 'c', 0, text);
  const known = new Set(analysis.functions.map((f) => f.name));
  const calls = new Map<string, Set<string>>();
  for (const fa of analysis.functions) {
    const fromEngine = (fa as { calls?: unknown }).calls;
    const callees = Array.isArray(fromEngine)
      ? new Set(fromEngine.filter((c): c is string => typeof c === 'string' && known.has(c)))
      : calledNames(text.slice(doc.offsetAt(fa.range.start), doc.offsetAt(fa.range.end)), known);
    const merged = calls.get(fa.name);
    if (merged) for (const c of callees) merged.add(c);
    else calls.set(fa.name, callees);
  }
  return calls;
}

export class DocumentManager {
  private readonly documents = new Map<string, OpenDocument>();

  constructor(
    private readonly host: AnalysisHost,
    private readonly hooks: DocumentHooks,
  ) {}

  open(uri: string, languageId: string, version: number, text: string): void {
    const existing = this.documents.get(uri);
    if (existing) this.close(uri);
    const entry = new OpenDocument(TextDocument.create(uri, languageId, version, text));
    this.documents.set(uri, entry);
    this.schedule(entry, 0);
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    for (const change of changes) entry.tracker.apply(change);
    entry.doc = TextDocument.update(entry.doc, changes, version);
    this.host.pruneStale();
    this.schedule(entry, this.hooks.debounceMs());
  }

  close(uri: string): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    this.documents.delete(uri);
    entry.closed = true;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    for (const w of entry.waiters.splice(0)) w.resolve(null);
    this.host.pruneStale();
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri)?.doc;
  }

  uris(): string[] {
    return [...this.documents.keys()];
  }

  /** The latest analysis, even if edits arrived after it. */
  latest(uri: string): StoredAnalysis | null {
    return this.documents.get(uri)?.stored ?? null;
  }

  /**
   * The analysis of the document's current version, waiting for it if needed.
   * Resolves null when the document is closed first; resolves the previous
   * analysis when the current one failed.
   */
  current(uri: string): Promise<StoredAnalysis | null> {
    const entry = this.documents.get(uri);
    if (!entry) return Promise.resolve(null);
    const upToDate = entry.stored && entry.stored.version === entry.doc.version && !entry.timer && !entry.running;
    if (upToDate) return Promise.resolve(entry.stored);
    return new Promise((resolve) => entry.waiters.push({ version: entry.doc.version, resolve }));
  }

  /** Analyse every open document again (settings or contracts changed). */
  reanalyseAll(): void {
    for (const entry of this.documents.values()) this.schedule(entry, 0);
  }

  private schedule(entry: OpenDocument, delayMs: number): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void this.run(entry);
    }, delayMs);
  }

  private resolveWaiters(entry: OpenDocument, failed: boolean): void {
    const stored = entry.stored;
    entry.waiters = entry.waiters.filter((w) => {
      if (stored && stored.version >= w.version) {
        w.resolve(stored);
        return false;
      }
      if (failed && !entry.timer) {
        w.resolve(stored);
        return false;
      }
      return true;
    });
  }

  /** The functions to simulate again, or undefined for all of them. */
  private plan(entry: OpenDocument, text: string): string[] | undefined {
    const stored = entry.stored;
    if (!stored || entry.tracker.replacedWholeDocument || stored.configKey !== this.hooks.configKey()) return undefined;
    const changed = entry.tracker.tracked.filter((f) => f.dirty);
    const calls = new Map(stored.calls);
    if (changed.length > 0) {
      // A changed function may call different functions now: read its calls from the current text.
      const known = new Set(stored.analysis.functions.map((f) => f.name));
      const lines = text.split('\n');
      for (const f of changed) {
        const body = lines.slice(Math.max(0, f.startLine), f.endLine + 1).join('\n');
        calls.set(f.name, new Set([...(calls.get(f.name) ?? []), ...calledNames(body, known)]));
      }
    }
    return [...affectedFunctions(changed.map((f) => f.name), calls)];
  }

  private async run(entry: OpenDocument): Promise<void> {
    if (entry.closed) return;
    if (entry.running) {
      // One analysis per document at a time; the newer version is analysed when this one ends.
      entry.timer = setTimeout(() => {
        entry.timer = null;
        void this.run(entry);
      }, 10);
      return;
    }
    entry.running = true;
    let failed = false;
    try {
      await this.hooks.ready();
    } catch {
      // settings failures are logged where they happen; analyse with what we have
    }
    const version = entry.doc.version;
    const text = entry.doc.getText();
    const isStale = (): boolean => entry.closed || entry.doc.version !== version;
    try {
      if (isStale()) return;
      const only = this.plan(entry, text);
      const result = await this.analyse(entry, text, only, isStale);
      if (result && !isStale()) {
        entry.stored = result;
        entry.tracker.reset(functionSpans(result.analysis));
        for (const problem of result.analysis.inputErrors) this.hooks.log(`${entry.doc.uri}: ${problem}`);
        this.hooks.onAnalysed(result);
      }
    } catch (err) {
      failed = true;
      this.hooks.log(`analysis of ${entry.doc.uri} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    } finally {
      entry.running = false;
      this.resolveWaiters(entry, failed);
    }
  }

  /** One or two passes: the planned functions, then any the edit tracker could not foresee (new ones). */
  private async analyse(
    entry: OpenDocument,
    text: string,
    only: string[] | undefined,
    isStale: () => boolean,
  ): Promise<StoredAnalysis | null> {
    const uri = entry.doc.uri;
    const version = entry.doc.version;
    const configKey = this.hooks.configKey();
    const submit = (onlyFunctions: string[] | undefined): Promise<AnalysisReply | null> =>
      this.host.submit({
        request: { ...this.hooks.requestFor(uri, text), onlyFunctions },
        priority: 'interactive',
        isStale,
      });
    const finish = (reply: AnalysisReply, analysis: DocumentAnalysis, simulated: number | 'all'): StoredAnalysis => {
      return {
        uri,
        version,
        text,
        analysis,
        versionOrigin: reply.versionOrigin,
        calls: callsOf(analysis, text),
        configKey,
        contractsKey: reply.contractsKey,
        simulatedFunctions: simulated,
      };
    };

    const previous = entry.stored;
    if (only === undefined || !previous) {
      const reply = await submit(undefined);
      return reply ? finish(reply, reply.analysis, 'all') : null;
    }
    const first = await submit(only);
    if (!first) return null;
    if (first.contractsKey !== previous.contractsKey) {
      // The contract files changed on disk: nothing from before can be trusted.
      const full = await submit(undefined);
      return full ? finish(full, full.analysis, 'all') : null;
    }
    const simulated = new Set(only);
    const merged = mergeWithPrevious(first.analysis, previous.analysis, simulated);
    if (merged.unresolved.length === 0) return finish(first, merged.analysis, simulated.size);

    const calls = callsOf(first.analysis, text);
    const second = [...affectedFunctions([...merged.unresolved, ...only], calls)];
    const again = await submit(second);
    if (!again) return null;
    const remerged = mergeWithPrevious(again.analysis, previous.analysis, new Set(second));
    if (remerged.unresolved.length > 0) {
      this.hooks.log(`${uri}: could not reuse or simulate ${remerged.unresolved.join(', ')}; analysing the whole file`);
      const full = await submit(undefined);
      return full ? finish(full, full.analysis, 'all') : null;
    }
    return finish(again, remerged.analysis, second.length);
  }
}
