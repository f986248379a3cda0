// A minimal LSP client for the protocol tests: spawns the built server
// (`node dist/server.js --stdio`), speaks JSON-RPC with vscode-jsonrpc, answers
// the server's own requests (workspace/configuration from a mutable settings
// object, progress creation, capability registration, message requests) and
// records what the server pushes (diagnostics, progress, messages, log lines).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The built server; FOLIO_LENS_SERVER_BUNDLE points the tests at another build of it. */
export const SERVER_BUNDLE = process.env.FOLIO_LENS_SERVER_BUNDLE ?? path.join(ROOT, 'dist', 'server.js');

/** Generous: the machine is slow and shared. Tests assert behaviour, never time. */
export const WAIT_MS = 90_000;

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: Diagnostic['range'] }; message: string }[];
  data?: unknown;
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

interface DiagnosticsWaiter {
  uri: string;
  accept: (p: PublishedDiagnostics) => boolean;
  resolve: (p: PublishedDiagnostics) => void;
}

export interface StartOptions {
  /** The `folioLens` section returned to workspace/configuration. */
  settings?: Record<string, unknown>;
  workspaceFolders?: string[];
  relatedInformation?: boolean;
  workDoneProgress?: boolean;
}

export function fileUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class LspTestClient {
  readonly connection: MessageConnection;
  readonly published: PublishedDiagnostics[] = [];
  readonly progress: { token: unknown; value: { kind?: string; message?: string; percentage?: number } }[] = [];
  readonly progressCreated: unknown[] = [];
  readonly shownMessages: { type: number; message: string }[] = [];
  readonly logLines: string[] = [];
  readonly configurationRequests: unknown[] = [];
  settings: Record<string, unknown>;
  private readonly waiters: DiagnosticsWaiter[] = [];
  private readonly exited: Promise<number | null>;
  private versions = new Map<string, number>();

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.exited = new Promise((resolve) => process.on('exit', (code) => resolve(code)));
    process.stderr.on('data', (chunk: Buffer) => this.logLines.push(`stderr: ${chunk.toString()}`));
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout), new StreamMessageWriter(process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i]!;
        if (w.uri === p.uri && w.accept(p)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification('$/progress', (p: LspTestClient['progress'][number]) => {
      this.progress.push(p);
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logLines.push(p.message);
    });
    this.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.shownMessages.push(p);
    });
    this.connection.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => {
      this.shownMessages.push(p);
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', (p: { token: unknown }) => {
      this.progressCreated.push(p.token);
      return null;
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => {
      this.configurationRequests.push(p);
      return p.items.map((item) => (item.section === 'folioLens' ? this.settings : null));
    });
    this.connection.listen();
  }

  /** Spawns the built server and runs initialize / initialized. */
  static async start(options: StartOptions = {}): Promise<{ client: LspTestClient; initializeResult: any }> {
    if (!fs.existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    const client = new LspTestClient(child, options.settings ?? {});
    const folders = options.workspaceFolders ?? [];
    const initializeResult = await withTimeout(
      client.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: folders[0] ? fileUri(folders[0]) : null,
        workspaceFolders: folders.length ? folders.map((f) => ({ uri: fileUri(f), name: path.basename(f) })) : null,
        capabilities: {
          workspace: {
            configuration: true,
            didChangeConfiguration: { dynamicRegistration: true },
            workspaceFolders: true,
            inlayHint: { refreshSupport: true },
            codeLens: { refreshSupport: true },
          },
          window: { workDoneProgress: options.workDoneProgress ?? false },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: false },
            publishDiagnostics: { relatedInformation: options.relatedInformation ?? true, versionSupport: true },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            inlayHint: {},
            codeLens: {},
          },
        },
      }),
      'initialize',
    );
    await client.connection.sendNotification('initialized', {});
    return { client, initializeResult };
  }

  /** Changes the settings and tells the server (it reads them back through workspace/configuration). */
  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { folioLens: settings } });
  }

  /** Waits for a publishDiagnostics for `uri` that `accept` likes; looks at those already received first. */
  diagnostics(uri: string, accept: (p: PublishedDiagnostics) => boolean = () => true, what = `diagnostics for ${uri}`): Promise<PublishedDiagnostics> {
    for (let i = this.published.length - 1; i >= 0; i--) {
      const p = this.published[i]!;
      if (p.uri === uri && accept(p)) return Promise.resolve(p);
    }
    return withTimeout(new Promise((resolve) => this.waiters.push({ uri, accept, resolve })), what);
  }

  /** Waits for the diagnostics of exactly this document version. */
  diagnosticsForVersion(uri: string, version: number): Promise<PublishedDiagnostics> {
    return this.diagnostics(uri, (p) => p.version === version, `diagnostics for ${uri} version ${version}`);
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version, text } });
  }

  /** Opens and waits for the first diagnostics of that version. */
  async openAndWait(uri: string, text: string): Promise<PublishedDiagnostics> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    await this.open(uri, text, version);
    return this.diagnosticsForVersion(uri, version);
  }

  /** Sends one incremental change; returns the new version. */
  async edit(
    uri: string,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
    text: string,
  ): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    return withTimeout(
      token ? this.connection.sendRequest<R>(method, params, token.token) : this.connection.sendRequest<R>(method, params),
      method,
    );
  }

  /** shutdown + exit; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    if (this.process.exitCode !== null) return this.process.exitCode;
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 'shutdown', 30_000);
      await this.connection.sendNotification('exit');
    } catch {
      this.process.kill();
    }
    const code = await withTimeout(this.exited, 'server exit', 30_000).catch(() => {
      this.process.kill('SIGKILL');
      return null;
    });
    this.connection.dispose();
    return code;
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }
}
