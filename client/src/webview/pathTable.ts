// The path table: one row per simulated path with its branch decisions, its lock and
// reference events, how it ends and what it holds there, and the findings on it.
// Each step is a button that reveals its line in the editor.

import type { PathRecord } from '../../../server/src/engine/result';
import type { Finding, WitnessStep } from '../../../server/src/engine/types';
import { el } from './dom';

export interface PathTableHandlers {
  onStepClick(step: WitnessStep): void;
  onRowSelect(index: number, path: PathRecord): void;
}

export function renderPathTable(paths: PathRecord[], findings: Finding[], handlers: PathTableHandlers): HTMLTableElement {
  const table = el('table', { class: 'paths' });
  table.append(el('thead', {}, el('tr', {},
    el('th', {}, '#'),
    el('th', {}, 'Decisions'),
    el('th', {}, 'Events'),
    el('th', {}, 'Ends'),
    el('th', {}, 'Final state'),
    el('th', {}, 'Findings'),
  )));
  const body = el('tbody');
  if (paths.length === 0) {
    body.append(el('tr', { class: 'empty' }, el('td', { colspan: '6', class: 'none' },
      'The server returned no path records for this function.')));
  }
  paths.forEach((path, index) => {
    const decisions = path.steps.filter((s) => s.kind === 'branch' || s.kind === 'loop');
    const events = path.steps.filter((s) => s.kind !== 'branch' && s.kind !== 'loop');
    const row = el('tr', { 'data-path': String(index) });
    if (path.findings.length > 0) row.classList.add('has-finding');
    row.append(
      el('td', {}, String(index + 1)),
      el('td', {}, stepList(decisions, handlers)),
      el('td', {}, stepList(events, handlers)),
      el('td', { class: 'mono' }, path.exitLine >= 0 ? `returns ${path.returns} (line ${path.exitLine + 1})` : 'aborts'),
      el('td', { class: 'mono' }, finalState(path)),
      el('td', { class: 'findings' }, findingList(path, findings)),
    );
    row.addEventListener('click', (ev) => {
      if ((ev.target as HTMLElement).closest('.step')) return;
      body.querySelectorAll('tr.selected').forEach((r) => r.classList.remove('selected'));
      row.classList.add('selected');
      handlers.onRowSelect(index, path);
    });
    body.append(row);
  });
  table.append(body);
  return table;
}

function stepList(steps: WitnessStep[], handlers: PathTableHandlers): HTMLElement {
  if (steps.length === 0) return el('span', { class: 'none' }, '—');
  const wrap = el('div');
  for (const step of steps) {
    const button = el('button', { class: 'step', type: 'button', 'data-line': String(step.line) },
      el('span', { class: 'ln' }, `${step.line + 1}:`), step.text);
    button.addEventListener('click', () => handlers.onStepClick(step));
    wrap.append(button);
  }
  return wrap;
}

function finalState(path: PathRecord): string {
  const held = path.finalHeld.map((h) => `${h.what}${h.origin === 'caller' ? ' (caller)' : ''}`);
  const refs = path.finalRefs.filter((r) => r.delta !== 0).map((r) => `ref ${r.object} ${r.delta > 0 ? '+' : ''}${r.delta}`);
  const all = [...held, ...refs];
  return all.length > 0 ? all.join(', ') : 'nothing held';
}

function findingList(path: PathRecord, findings: Finding[]): HTMLElement | string {
  if (path.findings.length === 0) return el('span', { class: 'none' }, 'none');
  const wrap = el('div');
  for (const i of path.findings) {
    const f = findings[i];
    wrap.append(el('div', { class: 'rule', title: f?.message ?? '' }, f ? `${f.rule} (line ${f.range.start.line + 1})` : `#${i}`));
  }
  return wrap;
}
