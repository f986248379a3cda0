// Code lenses on each function: "N paths · M findings" (informational: a lens
// with an empty command id is shown as plain text) and "Simulate", which runs
// the client's folioLens.simulateFunction command with (uri, functionName).

import type { CodeLens } from 'vscode-languageserver';
import type { StoredAnalysis } from './documents';
import type { FolioLensSettings } from './settings';
import { severityFor } from './diagnostics';

export const SIMULATE_COMMAND = 'folioLens.simulateFunction';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function codeLenses(stored: StoredAnalysis, settings: FolioLensSettings): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const fa of stored.analysis.functions) {
    const range = { start: fa.range.start, end: fa.range.start };
    const shown = fa.findings.filter((f) => severityFor(f, settings) !== null).length;
    const incomplete = fa.complete ? '' : ' · incomplete';
    lenses.push({
      range,
      command: { title: `${plural(fa.paths, 'path')} · ${plural(shown, 'finding')}${incomplete}`, command: '' },
    });
    lenses.push({ range, command: { title: 'Simulate', command: SIMULATE_COMMAND, arguments: [stored.uri, fa.name] } });
  }
  return lenses;
}
