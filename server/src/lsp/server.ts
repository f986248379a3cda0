// The language server: LSP wiring over the document manager, the analysis
// worker and the workspace index. Every feature answers from the engine's
// DocumentAnalysis; nothing here analyses code.

import * as fs from 'node:fs';
import {
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { AnalysisHost } from './analysisHost';
import type { AnalysisRequest } from './analysisJob';
import { codeLenses } from './codeLens';
import { toDiagnostics } from './diagnostics';
import { DocumentManager, type StoredAnalysis } from './documents';
import { hoverAt } from './hover';
import { inlayHints } from './inlayHints';
import { uriToFilePath } from './paths';
import {
  INDEX_STATUS_METHOD,
  SIMULATE_FUNCTION_METHOD,
  type IndexStatus,
  type SimulateFunctionParams,
  type SimulateFunctionResult,
} from './protocol';
import { DEFAULT_SETTINGS, enabledRules, normalizeSettings, type FolioLensSettings } from './settings';
import { simulationResult } from './simulate';
import { WorkspaceIndex, type IndexProgress } from './workspaceIndex';

interface ClientAbilities {
  relatedInformation: boolean;
  configuration: boolean;
  dynamicConfiguration: boolean;
  workDoneProgress: boolean;
  inlayHintRefresh: boolean;
  codeLensRefresh: boolean;
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

/** Waits for `promise` unless the request is cancelled first (then rejects with RequestCancelled). */
function untilCancelled<T>(promise: Promise<T>, token: CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      reject(cancelled());
    });
    promise.then(
      (value) => {
        sub.dispose();
        if (token.isCancellationRequested) reject(cancelled());
        else resolve(value);
      },
      (err: unknown) => {
        sub.dispose();
        reject(err);
      },
    );
  });
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function startServer(connection: Connection): void {
  const log = (message: string): void => connection.console.log(`[folio-lens] ${message}`);
  let settings: FolioLensSettings = DEFAULT_SETTINGS;
  let settingsReady: Promise<void> = Promise.resolve();
  let initializationSettings: unknown;
  let abilities: ClientAbilities = {
    relatedInformation: false,
    configuration: false,
    dynamicConfiguration: false,
    workDoneProgress: false,
    inlayHintRefresh: false,
    codeLensRefresh: false,
  };
  let workspaceFolders: string[] = [];
  const watchedContractFiles = new Set<string>();

  const reportedContractErrors = new Set<string>();
  const host = new AnalysisHost(log, (errors) => {
    for (const error of errors) {
      connection.console.error(`[folio-lens] ${error}`);
      if (reportedContractErrors.has(error)) continue;
      reportedContractErrors.add(error);
      void connection.window.showErrorMessage(`Folio Lens: ${error}`);
    }
  });
  const index = new WorkspaceIndex(host);

  const requestFor = (uri: string, filePath: string | null, text: string): AnalysisRequest => ({
    uri,
    text,
    filePath,
    kernelVersion: settings.kernelVersion,
    rules: enabledRules(settings),
    maxStateVisits: settings.maxStateVisits,
    contractFiles: settings.contractFiles,
  });

  const publish = (stored: StoredAnalysis): void => {
    void connection.sendDiagnostics({
      uri: stored.uri,
      version: stored.version,
      diagnostics: toDiagnostics(stored.uri, stored.analysis, settings, abilities.relatedInformation),
    });
  };

  const documents = new DocumentManager(host, {
    ready: () => settingsReady,
    requestFor: (uri, text) => ({ ...requestFor(uri, uriToFilePath(uri), text), incremental: true, externalSummaries: settings.crossFileSummaries ? index.summariesFor(uri, text) : undefined }),
    configKey: () => analysisConfigKey(settings),
    debounceMs: () => settings.debounceMs,
    onAnalysed: (stored) => {
      publish(stored);
      const simulated = stored.simulatedFunctions === 'all' ? 'all' : `${stored.simulatedFunctions}`;
      log(
        `analysed ${stored.uri} v${stored.version}: ${stored.analysis.functions.length} functions ` +
          `(${simulated} simulated), ${stored.analysis.findings.length} findings, ` +
          `parse ${stored.analysis.parseMillis.toFixed(1)} ms, simulate ${stored.analysis.simulateMillis.toFixed(1)} ms`,
      );
    },
    log,
  });

  /** Contract files edited on disk take effect in open documents without an edit there. */
  const watchContractFiles = (): void => {
    for (const file of watchedContractFiles) {
      if (!settings.contractFiles.includes(file)) {
        fs.unwatchFile(file);
        watchedContractFiles.delete(file);
      }
    }
    for (const file of settings.contractFiles) {
      if (watchedContractFiles.has(file)) continue;
      watchedContractFiles.add(file);
      fs.watchFile(file, { interval: 1000, persistent: false }, () => {
        log(`contract file ${file} changed: analysing open documents again`);
        documents.reanalyseAll();
      });
    }
  };

  const fetchSettings = async (): Promise<FolioLensSettings> => {
    if (abilities.configuration) {
      try {
        return normalizeSettings(await connection.workspace.getConfiguration('folioLens'));
      } catch (err) {
        log(`could not read settings: ${describe(err)}`);
      }
    }
    return normalizeSettings(initializationSettings);
  };

  const startIndexing = (): void => {
    if (workspaceFolders.length === 0 || settings.workspaceMaxFiles === 0) return;
    void (async () => {
      const reporter = abilities.workDoneProgress ? await connection.window.createWorkDoneProgress() : null;
      let userCancelled = false;
      reporter?.token.onCancellationRequested(() => {
        userCancelled = true;
        index.cancel();
      });
      const progress: IndexProgress = {
        begin: (title, message) => reporter?.begin(title, 0, message, true),
        report: (percentage, message) => reporter?.report(percentage, message),
        done: () => reporter?.done(),
        get cancelled() {
          return userCancelled;
        },
      };
      await index.run({
        folders: workspaceFolders,
        exclude: settings.workspaceExclude,
        maxFiles: settings.workspaceMaxFiles,
        isOpen: (uri) => documents.get(uri) !== undefined,
        requestFor: (uri, filePath, text) => requestFor(uri, filePath, text),
        progress,
        log,
      });
      const status = index.getStatus();
      log(`workspace index ${status.state}: ${status.filesIndexed}/${status.filesFound} files, ${status.functions} functions`);
      // Open documents analysed before the index had their callees' summaries get them now.
      if (settings.crossFileSummaries && status.state === 'done') documents.reanalyseAll();
    })().catch((err: unknown) => log(`workspace index failed: ${describe(err)}`));
  };

  const applySettings = async (): Promise<void> => {
    const before = settings;
    settings = await fetchSettings();
    watchContractFiles();
    const analysisChanged = analysisConfigKey(before) !== analysisConfigKey(settings);
    if (analysisChanged) documents.reanalyseAll();
    else for (const uri of documents.uris()) {
      const stored = documents.latest(uri);
      if (stored) publish(stored); // severities may have changed
    }
    if (abilities.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (abilities.codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    const indexChanged =
      JSON.stringify([before.workspaceExclude, before.workspaceMaxFiles]) !==
      JSON.stringify([settings.workspaceExclude, settings.workspaceMaxFiles]);
    if (indexChanged || analysisChanged) startIndexing();
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    abilities = {
      relatedInformation: caps.textDocument?.publishDiagnostics?.relatedInformation === true,
      configuration: caps.workspace?.configuration === true,
      dynamicConfiguration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      workDoneProgress: caps.window?.workDoneProgress === true,
      inlayHintRefresh: caps.workspace?.inlayHint?.refreshSupport === true,
      codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    };
    const options = params.initializationOptions as { settings?: unknown; folioLens?: unknown } | undefined;
    initializationSettings = options?.folioLens ?? options?.settings;
    settings = normalizeSettings(initializationSettings);
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceFolders = folders.map(uriToFilePath).filter((p): p is string => p !== null);
    host.start();
    log(`starting; analyses run ${host.mode}`);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        inlayHintProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'folio-lens', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (abilities.dynamicConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'folioLens' });
    }
    settingsReady = applySettings().catch((err: unknown) => log(`settings: ${describe(err)}`));
    void settingsReady.then(() => startIndexing());
  });

  connection.onDidChangeConfiguration((change) => {
    if (!abilities.configuration) {
      const pushed = (change.settings as { folioLens?: unknown } | undefined)?.folioLens;
      if (pushed !== undefined) initializationSettings = pushed;
    }
    settingsReady = settingsReady.then(() => applySettings()).catch((err: unknown) => log(`settings: ${describe(err)}`));
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    // Opened at once (the analysis itself waits for the settings) so a change cannot overtake it.
    documents.open(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    documents.change(textDocument.uri, textDocument.version, contentChanges);
  });
  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.close(textDocument.uri);
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  /** The analysis of the document's current text, for a request. */
  const analysisFor = async (uri: string, token: CancellationToken): Promise<StoredAnalysis | null> => {
    await untilCancelled(settingsReady, token);
    return (await untilCancelled(documents.current(uri), token)) ?? documents.latest(uri);
  };

  connection.onHover(async ({ textDocument, position }, token) => {
    const stored = await analysisFor(textDocument.uri, token);
    return stored ? hoverAt(stored, position) : null;
  });

  connection.languages.inlayHint.on(async ({ textDocument, range }, token) => {
    const stored = await analysisFor(textDocument.uri, token);
    if (!stored || !settings.inlayHintsEnabled) return [];
    return inlayHints(stored, range);
  });

  connection.onCodeLens(async ({ textDocument }, token) => {
    const stored = await analysisFor(textDocument.uri, token);
    return stored ? codeLenses(stored, settings) : [];
  });

  /** A document that is not open is read from disk and analysed once, without being kept. */
  const analyseClosedFile = async (uri: string, token: CancellationToken): Promise<StoredAnalysis | null> => {
    const filePath = uriToFilePath(uri);
    if (!filePath) return null;
    let text: string;
    try {
      text = await fs.promises.readFile(filePath, 'utf8');
    } catch (err) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, `cannot read ${filePath}: ${describe(err)}`);
    }
    const reply = await untilCancelled(
      host.submit({
        request: requestFor(uri, filePath, text),
        priority: 'interactive',
        isStale: () => token.isCancellationRequested,
      }),
      token,
    );
    if (!reply) return null;
    return {
      uri,
      version: 0,
      text,
      analysis: reply.analysis,
      versionOrigin: reply.versionOrigin,
      calls: new Map(),
      configKey: '',
      contractsKey: reply.contractsKey,
      simulatedFunctions: 'all',
    };
  };

  connection.onRequest(
    SIMULATE_FUNCTION_METHOD,
    async (params: SimulateFunctionParams, token: CancellationToken): Promise<SimulateFunctionResult | null> => {
      if (!params || typeof params.uri !== 'string') {
        throw new ResponseError(LSPErrorCodes.RequestFailed, 'expected { uri, position } or { uri, name }');
      }
      const stored = documents.get(params.uri)
        ? await analysisFor(params.uri, token)
        : await analyseClosedFile(params.uri, token);
      return stored ? simulationResult(stored, params) : null;
    },
  );

  connection.onRequest(INDEX_STATUS_METHOD, (): IndexStatus => index.getStatus());

  connection.onShutdown(() => {
    index.cancel();
    for (const file of watchedContractFiles) fs.unwatchFile(file);
    host.dispose();
  });

  connection.listen();
}

/** The settings that change what an analysis finds: one key for "settings changed" and for
 *  "can an earlier result be reused". */
function analysisConfigKey(settings: FolioLensSettings): string {
  return JSON.stringify([enabledRules(settings), settings.maxStateVisits, settings.kernelVersion, settings.contractFiles, settings.crossFileSummaries]);
}
