// Styles of the simulation view. Inlined by the extension into a <style> element that
// carries the CSP nonce (the policy allows no other inline style). Colours come only from
// VS Code's theme variables so the view reads in light, dark and high-contrast themes.
// Held locks use the terminal magenta (bright on dark backgrounds): defined by every theme,
// it keeps WCAG contrast on light and dark backgrounds (checked by test/e2e), and echoes the
// colour the injection grammar gives lock primitives (keyword.control) in the default themes.

export const SIMULATION_CSS = `
body { --fl-held: var(--vscode-terminal-ansiMagenta, var(--vscode-foreground)); }
body.vscode-dark, body.vscode-high-contrast {
  --fl-held: var(--vscode-terminal-ansiBrightMagenta, var(--vscode-foreground));
}
body {
  color: var(--vscode-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
  padding: 0 12px 24px;
}
h1 { font-size: 1.3em; margin: 12px 0 4px; }
h2 { font-size: 1.1em; margin: 18px 0 6px; border-bottom: 1px solid var(--vscode-panel-border); }
.meta { color: var(--vscode-descriptionForeground); }
.incomplete { color: var(--fl-held); }
code, .mono { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
ul.plain { margin: 4px 0; padding-left: 18px; }
table.paths { border-collapse: collapse; width: 100%; }
table.paths th, table.paths td {
  border: 1px solid var(--vscode-panel-border);
  padding: 3px 6px; vertical-align: top; text-align: left;
}
table.paths th { background: var(--vscode-editorWidget-background); }
table.paths tr.selected td { background: var(--vscode-list-inactiveSelectionBackground); }
table.paths tr.has-finding td.findings { color: var(--vscode-errorForeground); font-weight: 600; }
.step {
  display: block; background: none; border: none; padding: 1px 0; margin: 0;
  color: var(--vscode-textLink-foreground); cursor: pointer; text-align: left;
  font: inherit;
}
.step:hover, .step:focus { color: var(--vscode-textLink-activeForeground); text-decoration: underline; outline: none; }
.step .ln { color: var(--vscode-descriptionForeground); margin-right: 4px; }
.rule { font-family: var(--vscode-editor-font-family); }
.none { color: var(--vscode-descriptionForeground); }
.cfg-wrap { overflow: auto; border: 1px solid var(--vscode-panel-border); }
svg.cfg { display: block; }
svg.cfg .node rect {
  fill: var(--vscode-editorWidget-background);
  stroke: var(--vscode-editorWidget-border, var(--vscode-panel-border));
  stroke-width: 1;
}
svg.cfg .node.held rect { stroke: var(--fl-held); stroke-width: 2; }
svg.cfg .node.on-path rect { stroke: var(--vscode-focusBorder); stroke-width: 3; }
svg.cfg .node.finding rect { stroke: var(--vscode-errorForeground); stroke-width: 2; }
svg.cfg .node { cursor: pointer; }
svg.cfg .node:hover rect { fill: var(--vscode-list-hoverBackground); }
svg.cfg text { fill: var(--vscode-foreground); font-family: var(--vscode-editor-font-family); font-size: 12px; }
svg.cfg text.kind { fill: var(--vscode-descriptionForeground); font-size: 10px; }
svg.cfg text.held { fill: var(--fl-held); font-weight: 600; }
svg.cfg .edge path { fill: none; stroke: var(--vscode-descriptionForeground); stroke-width: 1.2; }
svg.cfg .edge.back path { stroke-dasharray: 4 3; }
svg.cfg .edge.held path { stroke: var(--fl-held); }
svg.cfg .edge text { font-size: 10px; fill: var(--vscode-descriptionForeground); }
svg.cfg .edge text.held { fill: var(--fl-held); }
svg.cfg marker path { fill: var(--vscode-descriptionForeground); stroke: none; }
.legend { margin: 6px 0; color: var(--vscode-descriptionForeground); }
.legend .swatch-held { color: var(--fl-held); }
`;
