// --format sarif: SARIF 2.1.0 (OASIS), as GitHub code scanning and other viewers read it.
// Every rule id has metadata in tool.driver.rules; each finding is a result with its
// location and, when it has a witness path, a codeFlow whose thread flow walks the path.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ALL_RULES, type Finding, type Severity } from '../../engine/types';
import type { FileReport } from '../report';
import { RULE_DESCRIPTIONS } from '../rules';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** Relative URIs for files under the working directory (with %SRCROOT%), absolute otherwise. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(process.cwd(), path.resolve(file));
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(path.resolve(file)).href };
}

function sarifResult(file: string, finding: Finding, ruleIndex: number): object {
  const location = artifactLocation(file);
  const region = {
    startLine: finding.range.start.line + 1,
    startColumn: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
  };
  const result: Record<string, unknown> = {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: { artifactLocation: location, region },
        logicalLocations: [{ name: finding.function, kind: 'function' }],
      },
    ],
    properties: { kernelVersion: finding.kernelVersion, severity: finding.severity },
  };
  if (finding.witness.length > 0) {
    result.codeFlows = [
      {
        message: { text: `path to ${finding.rule} in ${finding.function}` },
        threadFlows: [
          {
            locations: finding.witness.map((step) => ({
              location: {
                physicalLocation: {
                  artifactLocation: location,
                  region: { startLine: step.line + 1, startColumn: step.character + 1 },
                },
                message: { text: step.text },
              },
              kinds: [step.kind],
            })),
          },
        ],
      },
    ];
  }
  return result;
}

export function buildSarifLog(reports: readonly FileReport[], tool: { name: string; version: string }): object {
  const ruleIndex = new Map(ALL_RULES.map((id, i) => [id, i]));
  const notifications = reports
    .filter((r) => r.status !== 'analyzed' || r.inputErrors.length > 0)
    .flatMap((r) => {
      const texts = r.status === 'analyzed' ? r.inputErrors : [`${r.status}: ${r.reason ?? ''}`];
      return texts.map((text) => ({
        level: r.status === 'crashed' || r.status === 'unreadable' ? 'error' : 'warning',
        message: { text },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(r.path) } }],
      }));
    });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            rules: ALL_RULES.map((id) => ({
              id,
              name: id,
              shortDescription: { text: RULE_DESCRIPTIONS[id].short },
              fullDescription: { text: RULE_DESCRIPTIONS[id].full },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + path.sep).href } },
        invocations: [
          {
            executionSuccessful: !reports.some((r) => r.status === 'crashed' || r.status === 'unreadable'),
            toolExecutionNotifications: notifications,
          },
        ],
        results: reports.flatMap((r) => r.findings.map((f) => sarifResult(r.path, f, ruleIndex.get(f.rule) ?? -1))),
      },
    ],
  };
}
