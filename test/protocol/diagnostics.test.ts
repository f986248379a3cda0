// Diagnostics over the protocol: for every fixture, the published (rule, line)
// set is exactly the set of its `expect` markers, every diagnostic carries its
// witness path as related information, and the rule settings switch rules off
// or change their severity.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { cFiles, expectedFindings, LOCK_STATES, markerLine, PROTOCOL_FIXTURES, SHARED_FIXTURES } from './fixtures';
import { fileUri, LspTestClient, WAIT_MS, type Diagnostic } from './lspTestClient';

function published(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`).sort();
}

/** The version test/fixtures/README.md says applies to a fixture without a header. */
const NEWEST_KERNEL = '7.0';

let client: LspTestClient;

before(async () => {
  ({ client } = await LspTestClient.start({ relatedInformation: true }));
});

after(async () => {
  await client?.stop();
});

test('every fixture gets exactly the findings its expect markers name, each with its witness path', { timeout: WAIT_MS * 20 }, async () => {
  const files = [...cFiles(SHARED_FIXTURES), ...cFiles(PROTOCOL_FIXTURES)];
  assert.ok(cFiles(SHARED_FIXTURES).length > 0, `no fixtures under ${SHARED_FIXTURES}`);
  const mismatches: string[] = [];
  const problems: string[] = [];
  let withFindings = 0;
  let configuredKernel = '';
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const uri = fileUri(file);
    // A fixture names its kernel version in a header; without one the newest contracts apply.
    const kernel = /^\/\/ folio-lens: kernel=(\d+\.\d+)/.exec(text)?.[1] ?? NEWEST_KERNEL;
    if (kernel !== configuredKernel) {
      await client.configure({ kernelVersion: kernel });
      configuredKernel = kernel;
    }
    const { diagnostics } = await client.openAndWait(uri, text);
    const expected = expectedFindings(text);
    const actual = published(diagnostics);
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      mismatches.push(`${path.relative(process.cwd(), file)}: expected [${expected.join(' ')}] got [${actual.join(' ')}]`);
    }
    if (diagnostics.length > 0) withFindings++;
    for (const d of diagnostics) {
      const where = `${path.relative(process.cwd(), file)}:${d.range.start.line + 1}: ${String(d.code)}`;
      const data = d.data as { witness?: unknown[]; rule?: string };
      if (d.source !== 'folio-lens') problems.push(`${where}: source ${d.source}`);
      if (data?.rule !== d.code) problems.push(`${where}: data does not carry the rule for the walk-path command`);
      // Every finding has its path, except the budget notice, which has none to show.
      if (d.code === 'analysis-incomplete') continue;
      const related = d.relatedInformation ?? [];
      if (related.length === 0) problems.push(`${where}: no witness path in relatedInformation`);
      if (related.some((r) => r.location.uri !== uri || r.message.length === 0)) problems.push(`${where}: a witness step without location or text`);
      if (data?.witness?.length !== related.length) problems.push(`${where}: data.witness differs from relatedInformation`);
    }
    await client.close(uri);
  }
  await client.configure({});
  assert.deepEqual([...mismatches, ...problems], []);
  assert.ok(withFindings > 0, 'at least one fixture has findings');
});

test('rule settings: "off" removes a rule, a severity overrides the engine\u2019s', { timeout: WAIT_MS * 3 }, async () => {
  const text = fs.readFileSync(LOCK_STATES, 'utf8');
  const uri = fileUri(LOCK_STATES).replace(/\.c$/, '-severity.c');
  const line = markerLine(text, 'second-unlock');

  await client.configure({ rules: { 'unlock-not-held': 'hint' } });
  let p = await client.openAndWait(uri, text);
  let finding = p.diagnostics.find((d) => d.code === 'unlock-not-held');
  assert.ok(finding, 'unlock-not-held reported');
  assert.equal(finding.range.start.line, line);
  assert.equal(finding.severity, 4, 'DiagnosticSeverity.Hint');

  const before = client.published.length;
  await client.configure({ rules: { 'unlock-not-held': 'off' } });
  p = await client.diagnostics(uri, (d) => client.published.indexOf(d) >= before, 'diagnostics after turning the rule off');
  assert.equal(p.diagnostics.filter((d) => d.code === 'unlock-not-held').length, 0);

  const again = client.published.length;
  await client.configure({ rules: { 'unlock-not-held': 'error' } });
  p = await client.diagnostics(
    uri,
    (d) => client.published.indexOf(d) >= again && d.diagnostics.some((x) => x.code === 'unlock-not-held'),
    'diagnostics after turning the rule on as an error',
  );
  finding = p.diagnostics.find((d) => d.code === 'unlock-not-held')!;
  assert.equal(finding.severity, 1, 'DiagnosticSeverity.Error');
  await client.close(uri);
  await client.configure({});
});

test('no related information for a client that cannot show it', { timeout: WAIT_MS * 2 }, async () => {
  const { client: plain } = await LspTestClient.start({ relatedInformation: false });
  try {
    const text = fs.readFileSync(LOCK_STATES, 'utf8');
    const { diagnostics } = await plain.openAndWait(fileUri(LOCK_STATES), text);
    assert.ok(diagnostics.length > 0);
    for (const d of diagnostics) assert.equal(d.relatedInformation, undefined);
  } finally {
    await plain.stop();
  }
});
