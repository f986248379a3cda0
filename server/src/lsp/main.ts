// Entry of the Folio Lens language server (bundled to dist/server.js).
//
//   node dist/server.js --stdio        stdio, for Neovim, Emacs and the protocol tests
//   node dist/server.js --node-ipc     as vscode-languageclient starts it
//
// The same bundle doubles as the analysis worker: started as a worker thread with
// the worker role it runs analyses instead of a connection (see worker.ts).

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { isAnalysisWorker } from './worker';
import { startServer } from './server';

function main(): void {
  if (isAnalysisWorker()) return; // worker.ts serves analyses on import
  // createConnection reads --stdio / --node-ipc / --socket=N from the command line.
  const connection = createConnection(ProposedFeatures.all);
  // Whatever goes wrong in one request must not take the editor's server down.
  process.on('uncaughtException', (err) => connection.console.error(`[folio-lens] uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (reason) =>
    connection.console.error(`[folio-lens] unhandled rejection: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`),
  );
  startServer(connection);
}

main();
