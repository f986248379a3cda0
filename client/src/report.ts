// Renders a function's simulation as plain text for the "Show Simulation as Text"
// document (language `folio-lens-report`, highlighted by syntaxes/folio-lens-report.tmLanguage.json).
// Lines are shown 1-based, as editors number them.

import type { HeldSnapshot, PathRecord, RefSnapshot } from '../../server/src/engine/result';
import type { SimulationResult } from './protocol';

export function formatSimulationReport(result: SimulationResult, sourceLabel: string): string {
  const out: string[] = [];
  out.push(`Folio Lens simulation of ${result.name} in ${sourceLabel}`);
  out.push(`kernel ${result.kernelVersion} contracts (${result.kernelVersionOrigin}), ${result.paths.length} paths, ` +
    `${result.findings.length} findings, ${result.complete ? 'complete' : `incomplete: ${result.incompleteReason ?? 'budget spent'}`}`);

  out.push('', 'Assumptions');
  if (result.assumptions.length === 0) out.push('  (none)');
  for (const a of result.assumptions) out.push(`  - ${a}`);

  out.push('', 'Findings');
  if (result.findings.length === 0) out.push('  (none)');
  for (const f of result.findings) {
    out.push(`  [${f.rule}] line ${f.range.start.line + 1}: ${f.message}`);
  }

  result.paths.forEach((path, index) => {
    out.push('', formatPathHeading(path, index));
    for (const step of path.steps) {
      out.push(`  line ${String(step.line + 1).padEnd(5)} ${step.kind.padEnd(6)} ${step.text}`);
    }
    out.push(`  final: ${formatFinalState(path.finalHeld, path.finalRefs)}`);
    if (path.findings.length > 0) {
      const rules = path.findings.map((i) => result.findings[i]?.rule ?? `#${i}`);
      out.push(`  findings: ${rules.map((r) => `[${r}]`).join(' ')}`);
    }
  });

  out.push('', 'Summary');
  if (result.summary.length === 0) out.push('  (none)');
  for (const c of result.summary) {
    out.push(`  returns ${c.returns}: ${c.effects.length > 0 ? c.effects.join('; ') : 'no effect'}`);
  }
  return out.join('\n') + '\n';
}

function formatPathHeading(path: PathRecord, index: number): string {
  const where = path.exitLine >= 0 ? `returns ${path.returns} at line ${path.exitLine + 1}` : 'aborts';
  return `Path ${index + 1}: ${where}`;
}

/** "holds folio lock on folio (since line 12), PTL ptl (caller); refs folio +1" or "nothing held". */
export function formatFinalState(held: HeldSnapshot[], refs: RefSnapshot[]): string {
  const parts: string[] = [];
  if (held.length > 0) {
    parts.push('holds ' + held.map((h) => `${h.what} (${h.origin === 'caller' || h.sinceLine < 0 ? 'caller' : `since line ${h.sinceLine + 1}`})`).join(', '));
  }
  const changed = refs.filter((r) => r.delta !== 0);
  if (changed.length > 0) {
    parts.push('refs ' + changed.map((r) => `${r.object} ${r.delta > 0 ? '+' : ''}${r.delta}`).join(', '));
  }
  return parts.length > 0 ? parts.join('; ') : 'nothing held';
}
