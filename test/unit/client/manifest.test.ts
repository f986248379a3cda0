import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RULES } from '../../../server/src/engine/types';
import { RULE_SEVERITY } from '../../../server/src/engine/analyze';

const root = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const props: Record<string, { default?: unknown; type?: string; enum?: string[]; description?: string; markdownDescription?: string }> =
  pkg.contributes.configuration.properties;

test('every rule has a severity setting, and only the rules the engine knows', () => {
  const ruleKeys = Object.keys(props).filter((k) => k.startsWith('folioLens.rules.')).map((k) => k.slice('folioLens.rules.'.length));
  assert.deepEqual([...ruleKeys].sort(), [...ALL_RULES].sort());
  for (const rule of ALL_RULES) {
    assert.deepEqual(props[`folioLens.rules.${rule}`].enum, ['off', 'error', 'warning', 'information', 'hint']);
    // The editor shows each finding with the severity the checker prints.
    assert.equal(props[`folioLens.rules.${rule}`].default, RULE_SEVERITY[rule], rule);
  }
});

test('the settings the server reads are declared with their defaults and a description', () => {
  const expected: Record<string, unknown> = {
    'folioLens.inlayHints.enabled': true,
    'folioLens.budget.maxStateVisits': 20000,
    'folioLens.contractFiles': [],
    'folioLens.kernelVersion': '',
    'folioLens.debounceMs': 150,
    'folioLens.workspace.exclude': ['arch/**'],
    'folioLens.workspace.maxFiles': 5000,
    'folioLens.workspace.crossFileSummaries': false,
    'folioLens.trace.server': 'off',
  };
  for (const [key, value] of Object.entries(expected)) {
    assert.ok(props[key], `${key} declared`);
    assert.deepEqual(props[key].default, value, `${key} default`);
  }
  for (const [key, p] of Object.entries(props)) assert.ok((p.description ?? p.markdownDescription ?? '').length > 20, `${key} described`);
});

test('every contributed command is registered by the extension and activation is on C files', () => {
  const source = readFileSync(join(root, 'client/src/extension.ts'), 'utf8');
  for (const c of pkg.contributes.commands as { command: string }[]) {
    assert.ok(source.includes(`registerCommand('${c.command}'`), `${c.command} registered`);
  }
  assert.deepEqual(pkg.activationEvents, ['onLanguage:c']);
  assert.equal(pkg.main, './dist/extension.js');
  const keyed = (pkg.contributes.keybindings as { command: string; when: string }[]);
  for (const k of keyed) assert.match(k.when, /folioLens\.walking/);
});

test('.vscodeignore ships what the installed extension loads', () => {
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
  assert.ok(ignore.includes('**'), 'everything else is left out');
  const grammarPaths = (pkg.contributes.grammars as { path: string }[]).map((g) => g.path.replace(/^\.\//, ''));
  for (const file of ['dist/extension.js', 'dist/server.js', 'dist/webview.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-c.wasm', ...grammarPaths]) {
    assert.ok(ignore.includes(`!${file}`), `${file} is shipped`);
  }
});
