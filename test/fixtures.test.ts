// The fixture suite: each test/fixtures/*.c file marks the findings the engine must
// report (`/* expect: RULE */` on the reported line) and the engine's output is
// compared with the marks exactly, as a multiset of (rule, 1-based line).
// test/fixtures/README.md describes the format and the reporting conventions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../server/src/engine/types';
import type { Finding, KernelVersion, RuleId } from '../server/src/engine/types';
import type { DocumentAnalysis } from '../server/src/engine/result';

const FIXTURE_DIR = join(__dirname, 'fixtures');
/** Contracts of the newest kernel the engine knows; what a file without a header gets. */
const DEFAULT_KERNEL: KernelVersion = { major: 7, minor: 0 };
const MIN_FIXTURES = 60;
/** A budget finding, not a behaviour a fixture can be written for either way. */
const RULES_WITHOUT_COVERAGE: readonly RuleId[] = ['analysis-incomplete'];

const HEADER = /^\/\/\s*folio-lens:\s*kernel=(\d+)\.(\d+)\s*$/;
const MARKER = /(?:\/\*|\/\/)\s*expect:\s*([^*\n]*?)\s*(?:\*\/|$)/;

interface ExpectedFinding {
  rule: RuleId;
  /** 1-based, as a developer reads the file. */
  line: number;
}

interface Fixture {
  name: string;
  path: string;
  text: string;
  lineCount: number;
  kernelVersion: KernelVersion;
  hasHeader: boolean;
  expected: ExpectedFinding[];
  /** Files named ok_* must come out clean. */
  negative: boolean;
}

function isRuleId(s: string): s is RuleId {
  return (ALL_RULES as readonly string[]).includes(s);
}

/** Reads one fixture; throws on a malformed header or an unknown rule in a marker. */
function loadFixture(name: string): Fixture {
  const path = join(FIXTURE_DIR, name);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  let kernelVersion = DEFAULT_KERNEL;
  let hasHeader = false;
  if (lines[0].includes('folio-lens:')) {
    const m = HEADER.exec(lines[0]);
    if (!m) throw new Error(`${name}:1: malformed header, expected "// folio-lens: kernel=MAJOR.MINOR"`);
    kernelVersion = { major: Number(m[1]), minor: Number(m[2]) };
    hasHeader = true;
  }
  const expected: ExpectedFinding[] = [];
  lines.forEach((lineText, index) => {
    const m = MARKER.exec(lineText);
    if (!m) return;
    const rules = m[1].split(',').map((r) => r.trim()).filter((r) => r.length > 0);
    if (rules.length === 0) throw new Error(`${name}:${index + 1}: empty expect marker`);
    for (const rule of rules) {
      if (!isRuleId(rule)) throw new Error(`${name}:${index + 1}: unknown rule "${rule}" in marker`);
      expected.push({ rule, line: index + 1 });
    }
  });
  return {
    name,
    path,
    text,
    lineCount: lines.length,
    kernelVersion,
    hasHeader,
    expected,
    negative: name.startsWith('ok_'),
  };
}

function listFixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.c'))
    .sort();
}

function key(rule: string, line: number): string {
  return `${rule}@${line}`;
}

/** Multiset as a count per (rule, line) key. */
function countKeys(items: { rule: string; line: number }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { rule, line } of items) counts.set(key(rule, line), (counts.get(key(rule, line)) ?? 0) + 1);
  return counts;
}

function multisetDifference(a: Map<string, number>, b: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of a) {
    const extra = n - (b.get(k) ?? 0);
    for (let i = 0; i < extra; i++) out.push(k);
  }
  return out.sort();
}

function describeFinding(f: Finding, fixture: Fixture): string {
  const line = f.range.start.line + 1;
  const source = fixture.text.split('\n')[f.range.start.line]?.trim() ?? '';
  const steps = f.witness.map((s) => `      ${s.line + 1}: [${s.kind}] ${s.text}`).join('\n');
  return [
    `  ${f.rule} at line ${line} in ${f.function} (kernel ${f.kernelVersion}): ${f.message}`,
    `    > ${source}`,
    `    witness:`,
    steps || '      (empty)',
  ].join('\n');
}

function mismatchReport(fixture: Fixture, actual: Finding[]): string {
  const expectedCounts = countKeys(fixture.expected);
  const actualCounts = countKeys(actual.map((f) => ({ rule: f.rule, line: f.range.start.line + 1 })));
  const missing = multisetDifference(expectedCounts, actualCounts);
  const unexpected = multisetDifference(actualCounts, expectedCounts);
  const expectedList = fixture.expected.map((e) => `  ${key(e.rule, e.line)}`).join('\n') || '  (none)';
  const actualList = actual.map((f) => describeFinding(f, fixture)).join('\n') || '  (none)';
  return [
    `${fixture.name} (kernel ${fixture.kernelVersion.major}.${fixture.kernelVersion.minor}):`,
    `missing:    ${missing.join(', ') || '-'}`,
    `unexpected: ${unexpected.join(', ') || '-'}`,
    `expected:`,
    expectedList,
    `actual:`,
    actualList,
  ].join('\n');
}

type Engine = typeof import('../server/src/engine/index');
let enginePromise: Promise<Engine> | undefined;

/** Loads the engine once for the whole file; initEngine() loads the parser wasm. */
function loadEngine(): Promise<Engine> {
  if (!enginePromise) {
    enginePromise = (async () => {
      // Loaded lazily so that the suite-level checks run even while the engine does not load.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const engine = require('../server/src/engine/index') as Engine;
      await engine.initEngine();
      return engine;
    })();
  }
  return enginePromise;
}

const fixtureNames = listFixtureNames();

for (const name of fixtureNames) {
  test(`fixture ${name}`, async () => {
    const fixture = loadFixture(name);
    const engine = await loadEngine();
    const result: DocumentAnalysis = engine.analyzeText(fixture.path, fixture.text, {
      kernelVersion: fixture.kernelVersion,
    });
    const versionText = `${fixture.kernelVersion.major}.${fixture.kernelVersion.minor}`;

    assert.deepEqual(result.inputErrors, [], `${name}: the engine rejected the input itself`);
    assert.equal(result.kernelVersion, versionText, `${name}: analysed with the wrong kernel version`);

    const actual = result.findings;
    const actualCounts = countKeys(actual.map((f) => ({ rule: f.rule, line: f.range.start.line + 1 })));
    // The checker analyses with detail 'findings' (no per-line states): it must report what
    // the editor reports.
    const checker: DocumentAnalysis = engine.analyzeText(fixture.path, fixture.text, { kernelVersion: fixture.kernelVersion, detail: 'findings' });
    assert.deepEqual(
      [...countKeys(checker.findings.map((f) => ({ rule: f.rule, line: f.range.start.line + 1 }))).entries()].sort(),
      [...actualCounts.entries()].sort(),
      `${name}: the checker's findings differ from the editor's`,
    );
    assert.deepEqual(
      [...actualCounts.entries()].sort(),
      [...countKeys(fixture.expected).entries()].sort(),
      mismatchReport(fixture, actual),
    );

    const unmarkedIncomplete = actual.filter(
      (f) =>
        f.rule === 'analysis-incomplete' &&
        !fixture.expected.some((e) => e.rule === 'analysis-incomplete' && e.line === f.range.start.line + 1),
    );
    assert.equal(unmarkedIncomplete.length, 0, `${name}: analysis ran out of budget\n${mismatchReport(fixture, actual)}`);

    for (const f of actual) {
      const where = `${name}: ${f.rule} at line ${f.range.start.line + 1}`;
      assert.ok(f.message.length > 0, `${where}: empty message`);
      assert.equal(f.kernelVersion, versionText, `${where}: finding names kernel ${f.kernelVersion}`);
      assert.ok(f.witness.length > 0, `${where}: empty witness path`);
      for (const step of f.witness) {
        assert.ok(
          Number.isInteger(step.line) && step.line >= 0 && step.line < fixture.lineCount,
          `${where}: witness step "${step.text}" has line ${step.line}, outside the file (0..${fixture.lineCount - 1})`,
        );
      }
    }
  });
}

test('fixture suite: size, marker hygiene and rule coverage', () => {
  const fixtures = fixtureNames.map(loadFixture);
  assert.ok(fixtures.length >= MIN_FIXTURES, `only ${fixtures.length} fixtures, want at least ${MIN_FIXTURES}`);

  for (const f of fixtures) {
    if (f.negative) {
      assert.deepEqual(f.expected, [], `${f.name}: an ok_ fixture must expect no findings`);
    } else {
      assert.ok(f.expected.length > 0, `${f.name}: a fixture not named ok_* must mark at least one finding`);
    }
  }

  const uncovered: string[] = [];
  for (const rule of ALL_RULES) {
    if (RULES_WITHOUT_COVERAGE.includes(rule)) continue;
    const positive = fixtures.some((f) => f.expected.some((e) => e.rule === rule));
    // A negative fixture for a rule is an ok_ file named for it: ok_<rule_with_underscores>_*.c
    const prefix = `ok_${rule.replace(/-/g, '_')}_`;
    const negative = fixtures.some((f) => f.negative && f.name.startsWith(prefix));
    if (!positive) uncovered.push(`${rule}: no fixture marks it`);
    if (!negative) uncovered.push(`${rule}: no ${prefix}*.c fixture`);
  }
  assert.deepEqual(uncovered, [], `rules without positive or negative fixtures:\n${uncovered.join('\n')}`);
});
