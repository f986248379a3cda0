// Entry of the simulation webview (bundled to dist/webview.js, browser IIFE). Receives
// one simulation from the extension and draws its header, path table and CFG; clicks on
// steps and nodes go back as `reveal` messages.

import type { FromWebview, ToWebview, SimulationResult } from '../protocol';
import { layoutCfg } from './cfgLayout';
import { highlightLines, renderCfgSvg } from './cfgSvg';
import { el } from './dom';
import { renderPathTable } from './pathTable';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function reveal(line: number, character = 0): void {
  vscode.postMessage({ type: 'reveal', line, character });
}

function render(result: SimulationResult): void {
  const app = document.getElementById('app');
  if (!app) return;
  app.replaceChildren();

  app.append(el('h1', {}, `Simulation of ${result.name}`));
  const meta = el('p', { class: 'meta' },
    `kernel ${result.kernelVersion} contracts (${result.kernelVersionOrigin}) · ${result.paths.length} paths · ${result.findings.length} findings · `);
  meta.append(result.complete
    ? el('span', {}, 'complete')
    : el('span', { class: 'incomplete' }, `incomplete: ${result.incompleteReason ?? 'budget spent'}`));
  app.append(meta);

  if (result.assumptions.length > 0) {
    app.append(el('h2', {}, 'Assumptions'));
    const ul = el('ul', { class: 'plain' });
    for (const a of result.assumptions) ul.append(el('li', {}, a));
    app.append(ul);
  }

  if (result.findings.length > 0) {
    app.append(el('h2', {}, 'Findings'));
    const ul = el('ul', { class: 'plain findings-list' });
    for (const f of result.findings) {
      const b = el('button', { class: 'step', type: 'button' },
        el('span', { class: 'ln' }, `${f.range.start.line + 1}:`), el('span', { class: 'rule' }, `[${f.rule}] `), f.message);
      b.addEventListener('click', () => reveal(f.range.start.line, f.range.start.character));
      ul.append(el('li', {}, b));
    }
    app.append(ul);
  }

  app.append(el('h2', {}, 'Paths'));
  let svgRoot: SVGElement | undefined;
  app.append(renderPathTable(result.paths, result.findings, {
    onStepClick: (step) => reveal(step.line, step.character),
    onRowSelect: (_index, path) => {
      if (svgRoot) highlightLines(svgRoot, new Set(path.steps.map((s) => s.line)));
    },
  }));

  app.append(el('h2', {}, 'Control flow'));
  app.append(el('p', { class: 'legend' },
    'Each box: statement kind and line, the statement, and ',
    el('span', { class: 'swatch-held' }, 'what is held after it'),
    '. Edges carry the state of their source; dashed edges go back to a loop head. Click a box to reveal its line; click a path row to mark its nodes.'));
  const findingLines = new Set(result.findings.map((f) => f.range.start.line));
  if (result.cfg.nodes.length === 0) {
    app.append(el('p', { class: 'none' }, 'No control-flow graph for this function.'));
  } else {
    svgRoot = renderCfgSvg(layoutCfg(result.cfg), findingLines, { onNodeClick: (line) => reveal(line) });
    app.append(el('div', { class: 'cfg-wrap' }, svgRoot));
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message && message.type === 'simulation') render(message.result);
});

vscode.postMessage({ type: 'ready' });
