import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SimulationResult } from '../../../client/src/protocol';
import { formatFinalState, formatSimulationReport } from '../../../client/src/report';

const result: SimulationResult = {
  uri: 'file:///k/mm/x.c',
  name: 'demo',
  kernelVersion: '6.12',
  kernelVersionOrigin: 'Makefile /k/Makefile',
  range: { start: { line: 9, character: 0 }, end: { line: 20, character: 1 } },
  paths: [
    {
      steps: [
        { line: 10, character: 1, kind: 'event', text: 'took folio lock on folio (via folio_lock)' },
        { line: 12, character: 5, kind: 'branch', text: 'took the true branch of `dirty`' },
      ],
      exitLine: 19, returns: '-EAGAIN',
      finalHeld: [{ what: 'folio lock on folio', resource: 'folio', sinceLine: 10, origin: 'here' }],
      finalRefs: [{ object: 'folio', delta: 1 }, { object: 'page', delta: 0 }],
      findings: [0],
    },
    { steps: [], exitLine: -1, returns: 'void', finalHeld: [], finalRefs: [], findings: [] },
  ],
  findings: [{
    rule: 'lock-leak', severity: 'warning', message: 'folio lock on folio held at this return only',
    range: { start: { line: 19, character: 2 }, end: { line: 19, character: 8 } }, function: 'demo', witness: [], kernelVersion: '6.12',
  }],
  cfg: { nodes: [], edges: [] },
  summary: [{ returns: '0', effects: [] }, { returns: '-EAGAIN', effects: ['locks folio'] }],
  assumptions: ['folio referenced by the caller'],
  complete: false,
  incompleteReason: 'state visits exhausted at line 15',
};

test('the report numbers lines from 1 and names each path, step, final state and finding', () => {
  const lines = formatSimulationReport(result, 'mm/x.c').split('\n');
  assert.equal(lines[0], 'Folio Lens simulation of demo in mm/x.c');
  assert.equal(lines[1], 'kernel 6.12 contracts (Makefile /k/Makefile), 2 paths, 1 findings, incomplete: state visits exhausted at line 15');
  assert.ok(lines.includes('  [lock-leak] line 20: folio lock on folio held at this return only'));
  assert.ok(lines.includes('Path 1: returns -EAGAIN at line 20'));
  assert.ok(lines.includes('  line 11    event  took folio lock on folio (via folio_lock)'));
  assert.ok(lines.includes('  line 13    branch took the true branch of `dirty`'));
  assert.ok(lines.includes('  final: holds folio lock on folio (since line 11); refs folio +1'));
  assert.ok(lines.includes('  findings: [lock-leak]'));
  assert.ok(lines.includes('Path 2: aborts'));
  assert.ok(lines.includes('  returns -EAGAIN: locks folio'));
  assert.ok(lines.includes('  returns 0: no effect'));
});

test('a state held by the caller says so and an empty state says nothing is held', () => {
  assert.equal(formatFinalState([{ what: 'PTL ptl', resource: 'ptl', sinceLine: -1, origin: 'caller' }], []), 'holds PTL ptl (caller)');
  assert.equal(formatFinalState([], [{ object: 'f', delta: 0 }]), 'nothing held');
  assert.equal(formatFinalState([], [{ object: 'f', delta: -1 }]), 'refs f -1');
});

// The report grammar must keep recognising what the formatter writes.
interface Rule { match?: string; name?: string; patterns?: Rule[]; include?: string }
const grammar = JSON.parse(readFileSync(join(__dirname, '../../../syntaxes/folio-lens-report.tmLanguage.json'), 'utf8')) as {
  scopeName: string; patterns: Rule[]; repository: Record<string, Rule>;
};

function matchingRules(line: string): string[] {
  return grammar.patterns.map((p) => p.include!.slice(1)).filter((key) => {
    const rule = grammar.repository[key];
    const regexes = rule.match ? [rule.match] : (rule.patterns ?? []).map((p) => p.match!);
    return regexes.some((r) => new RegExp(r).test(line));
  });
}

test('the report grammar highlights every kind of report line', () => {
  assert.equal(grammar.scopeName, 'text.folio-lens-report');
  const report = formatSimulationReport(result, 'mm/x.c').split('\n');
  const expectations: [string, string][] = [
    ['Folio Lens simulation of demo in mm/x.c', 'title'],
    ['Findings', 'section'],
    ['Path 1: returns -EAGAIN at line 20', 'pathHeading'],
    ['  line 11    event  took folio lock on folio (via folio_lock)', 'step'],
    ['  line 13    branch took the true branch of `dirty`', 'step'],
    ['  final: holds folio lock on folio (since line 11); refs folio +1', 'final'],
    ['  [lock-leak] line 20: folio lock on folio held at this return only', 'findingLine'],
  ];
  for (const [line, rule] of expectations) {
    assert.ok(report.includes(line), `the report contains ${JSON.stringify(line)}`);
    assert.ok(matchingRules(line).includes(rule), `${JSON.stringify(line)} is matched by ${rule}`);
  }
});
