// A readable dump of a CFG for tests and debugging: one line per node, in id order,
// with its 1-based source line, what it does and where control goes next.

import type { CfgNode, FunctionCfg } from './types';

function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function describe(node: CfgNode): string {
  switch (node.kind) {
    case 'entry':
      return `entry -> ${node.next}`;
    case 'exit':
      return 'exit';
    case 'eval':
      return `eval \`${oneLine(node.expr.text)}\` -> ${node.next}`;
    case 'assign':
      return `assign ${node.target} = ${node.value ? `\`${oneLine(node.value.text)}\`` : '<unknown>'} -> ${node.next}`;
    case 'branch':
      return `branch(${node.origin}) \`${oneLine(node.cond.text)}\` T-> ${node.onTrue} F-> ${node.onFalse}`;
    case 'switch': {
      const cases = node.cases.map((c) => `${c.values.map((v) => oneLine(v.text, 20)).join('|')}-> ${c.target}`);
      return `switch \`${oneLine(node.discriminant.text)}\` ${cases.join(' ')} default-> ${node.defaultTarget}`;
    }
    case 'iter':
      return `iter ${node.macro}(${node.vars.join(', ')}) body-> ${node.body} exit-> ${node.exit}`;
    case 'return':
      return `return${node.value ? ` \`${oneLine(node.value.text)}\`` : ''} -> ${node.next}`;
    case 'abort':
      return 'abort';
    case 'guard':
      return `guard ${node.action} ${node.guardType}(${node.args.map((a) => oneLine(a.text, 30)).join(', ')}) -> ${node.next}`;
    case 'join': {
      const tags = [node.label ? `label ${node.label}` : '', node.loopHead ? 'loop-head' : ''].filter(Boolean).join(' ');
      return `join${tags ? ` (${tags})` : ''} -> ${node.next}`;
    }
  }
}

/** Prints every node and then the back and goto edges. */
export function printCfg(cfg: FunctionCfg): string {
  const lines = [`cfg ${cfg.name}: entry ${cfg.entry}, exit ${cfg.exit}, ${cfg.nodes.length} nodes`];
  for (const node of cfg.nodes) lines.push(`  ${String(node.id).padStart(3)} L${node.line + 1}: ${describe(node)}`);
  for (const e of cfg.edges) {
    if (e.back || e.goto) lines.push(`  edge ${e.from} -> ${e.to}${e.back ? ' back' : ''}${e.goto ? ` goto ${e.goto}` : ''}`);
  }
  for (const p of cfg.problems) lines.push(`  problem: ${p}`);
  return lines.join('\n');
}
