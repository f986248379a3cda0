// The `folioLens` settings section as the server uses it, with defaults and a
// normaliser that accepts whatever a client sends (missing keys, wrong types)
// without ever throwing. The client declares the same keys and defaults in
// package.json; this is the server's own fallback when a client sends nothing.

import { ALL_RULES, type RuleId } from '../engine/types';

export type RuleSetting = 'off' | 'error' | 'warning' | 'information' | 'hint';

export interface FolioLensSettings {
  /** Per-rule severity; a rule absent here keeps the engine's own severity. */
  rules: Partial<Record<RuleId, RuleSetting>>;
  inlayHintsEnabled: boolean;
  /** Per-function budget of CFG node visits; undefined = the engine's default. */
  maxStateVisits: number | undefined;
  contractFiles: string[];
  /** "MAJOR.MINOR" override; undefined = detect from the tree's Makefile. */
  kernelVersion: string | undefined;
  debounceMs: number;
  workspaceExclude: string[];
  workspaceMaxFiles: number;
  /** Use summaries of functions in other workspace files for calls into them. Off by default,
   *  so the editor reports what `folio-lens check` reports for the same file. */
  crossFileSummaries: boolean;
}

export const DEFAULT_SETTINGS: FolioLensSettings = {
  rules: {},
  inlayHintsEnabled: true,
  maxStateVisits: undefined,
  contractFiles: [],
  kernelVersion: undefined,
  debounceMs: 150,
  workspaceExclude: ['arch/**'],
  workspaceMaxFiles: 5000,
  crossFileSummaries: false,
};

const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'information', 'hint'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringArray(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function nonNegativeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Reads the section as VS Code sends it. Dotted keys are accepted both nested
 * (`{ inlayHints: { enabled } }`) and flat (`{ "inlayHints.enabled": ... }`),
 * since clients other than VS Code (Neovim, Emacs) often send the flat form.
 */
export function normalizeSettings(raw: unknown): FolioLensSettings {
  const s = isRecord(raw) ? raw : {};
  const pick = (nested: string[], flat: string): unknown => {
    let cur: unknown = s;
    for (const key of nested) cur = isRecord(cur) ? cur[key] : undefined;
    return cur !== undefined ? cur : s[flat];
  };

  const rules: Partial<Record<RuleId, RuleSetting>> = {};
  const rawRules = s['rules'];
  if (isRecord(rawRules)) {
    for (const rule of ALL_RULES) {
      const v = rawRules[rule];
      if (typeof v === 'string' && (RULE_SETTINGS as readonly string[]).includes(v)) rules[rule] = v as RuleSetting;
      else if (v === false) rules[rule] = 'off';
    }
  }

  const inlay = pick(['inlayHints', 'enabled'], 'inlayHints.enabled');
  const visits = nonNegativeNumber(pick(['budget', 'maxStateVisits'], 'budget.maxStateVisits'));
  const version = s['kernelVersion'];
  const debounce = nonNegativeNumber(s['debounceMs']);
  const exclude = stringArray(pick(['workspace', 'exclude'], 'workspace.exclude'));
  const maxFiles = nonNegativeNumber(pick(['workspace', 'maxFiles'], 'workspace.maxFiles'));
  const crossFile = pick(['workspace', 'crossFileSummaries'], 'workspace.crossFileSummaries');

  return {
    rules,
    inlayHintsEnabled: typeof inlay === 'boolean' ? inlay : DEFAULT_SETTINGS.inlayHintsEnabled,
    maxStateVisits: visits !== undefined && visits > 0 ? Math.floor(visits) : undefined,
    contractFiles: stringArray(s['contractFiles']) ?? [],
    kernelVersion: typeof version === 'string' && version.trim() !== '' ? version.trim() : undefined,
    debounceMs: debounce !== undefined ? Math.floor(debounce) : DEFAULT_SETTINGS.debounceMs,
    workspaceExclude: exclude ?? DEFAULT_SETTINGS.workspaceExclude,
    workspaceMaxFiles: maxFiles !== undefined ? Math.floor(maxFiles) : DEFAULT_SETTINGS.workspaceMaxFiles,
    crossFileSummaries: typeof crossFile === 'boolean' ? crossFile : DEFAULT_SETTINGS.crossFileSummaries,
  };
}

/** The rules the engine should run: every rule not switched off. */
export function enabledRules(settings: FolioLensSettings): RuleId[] {
  return ALL_RULES.filter((rule) => settings.rules[rule] !== 'off');
}
