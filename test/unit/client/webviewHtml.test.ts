import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebviewMessage } from '../../../client/src/protocol';
import { buildWebviewHtml, contentSecurityPolicy } from '../../../client/src/webviewHtml';

const shell = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js', css: 'body{}', title: 'T <x>' };

test('the policy denies everything but the nonce script and style and local images/fonts', () => {
  const csp = contentSecurityPolicy(shell.cspSource, 'abc123');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'nonce-abc123'"]);
  assert.deepEqual(directives.get('style-src'), ["'nonce-abc123'"]);
  assert.deepEqual(directives.get('img-src'), [shell.cspSource]);
  assert.deepEqual(directives.get('connect-src'), ["'none'"]);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|http:/);
});

test('the page loads exactly one script, dist/webview.js, carrying the nonce', () => {
  const html = buildWebviewHtml({ ...shell, nonce: 'N0nce' });
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 1);
  assert.match(scripts[0], /nonce="N0nce"/);
  assert.match(scripts[0], /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
  assert.match(html, /<style nonce="N0nce">body\{\}<\/style>/);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.match(html, /<title>T &lt;x&gt;<\/title>/);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
});

test('each page gets a fresh nonce', () => {
  const nonceOf = (html: string) => /nonce="([^"]+)"/.exec(html)?.[1];
  const a = nonceOf(buildWebviewHtml(shell));
  const b = nonceOf(buildWebviewHtml(shell));
  assert.ok(a && b && a.length >= 16);
  assert.notEqual(a, b);
});

test('messages from the webview are checked before use', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', line: 12, character: 3 }), { type: 'reveal', line: 12, character: 3 });
  assert.deepEqual(parseWebviewMessage({ type: 'reveal', line: 4 }), { type: 'reveal', line: 4, character: 0 });
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.equal(parseWebviewMessage({ type: 'reveal', line: -1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'reveal', line: '3' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'run', command: 'x' }), undefined);
  assert.equal(parseWebviewMessage(null), undefined);
});
