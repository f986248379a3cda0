// The server's lifecycle over both transports: initialize answers with the
// capabilities the client relies on; shutdown then exit ends the process with
// status 0; the --node-ipc transport (how vscode-languageclient starts it) works.

import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { test } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { LspTestClient, ROOT, SERVER_BUNDLE, WAIT_MS, withTimeout } from './lspTestClient';

test('initialize announces incremental sync, hover, inlay hints and code lens; shutdown/exit is clean', { timeout: WAIT_MS * 2 }, async () => {
  const { client, initializeResult } = await LspTestClient.start();
  const caps = initializeResult.capabilities;
  assert.equal(caps.textDocumentSync.change, 2, 'TextDocumentSyncKind.Incremental');
  assert.equal(caps.textDocumentSync.openClose, true);
  assert.equal(caps.hoverProvider, true);
  assert.ok(caps.inlayHintProvider, 'inlay hints');
  assert.ok(caps.codeLensProvider, 'code lens');
  assert.equal(initializeResult.serverInfo.name, 'folio-lens');
  // After initialized the server asks for its settings section.
  await withTimeout(
    (async () => {
      while (client.configurationRequests.length === 0) await new Promise((r) => setTimeout(r, 50));
    })(),
    'workspace/configuration',
  );
  assert.ok(client.alive);
  assert.equal(await client.stop(), 0, 'exit after shutdown ends with status 0');
});

test('exit without shutdown ends with status 1, as the protocol says', { timeout: WAIT_MS }, async () => {
  const { client } = await LspTestClient.start();
  await client.connection.sendNotification('exit');
  const code = await withTimeout(new Promise<number | null>((resolve) => client.process.on('exit', resolve)), 'exit');
  assert.equal(code, 1);
});

test('the server also speaks over --node-ipc', { timeout: WAIT_MS }, async () => {
  const child = fork(SERVER_BUNDLE, ['--node-ipc'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  try {
    const result = await withTimeout(
      connection.sendRequest<{ capabilities: { hoverProvider?: boolean } }>('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
      }),
      'initialize over IPC',
    );
    assert.equal(result.capabilities.hoverProvider, true);
    await connection.sendNotification('initialized', {});
    await withTimeout(connection.sendRequest('shutdown'), 'shutdown');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await connection.sendNotification('exit');
    assert.equal(await withTimeout(exited, 'exit over IPC'), 0);
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
});
