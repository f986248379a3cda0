// Drives the real VS Code (code-server) from headless Chromium and checks what a user
// would see: the Problems panel lists the fixture's findings by rule id and line, a hover
// after a lock shows the lock state, and "Simulate Current Function" opens its view with
// the path table and an SVG CFG under a nonce CSP; clicking a CFG node reveals its line.
// Each check saves a screenshot; verdicts go to results.json, which run.sh counts.
//
//   node --import tsx test/e2e/drive.ts --url URL --workspace DIR --results DIR

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type FrameLocator, type Page } from 'playwright-core';

const FIXTURE = 'e2e_folio_locks.c';
/** What the fixture must produce: rule id and 1-based line (see its EXPECT comments). */
const EXPECTED_FINDINGS = [
  { rule: 'double-lock', line: 14 },
  { rule: 'unlock-not-held', line: 23 },
];
/** A line inside e2e_relock after folio_lock(folio) and before the second lock. */
const HOVER_LINE = 13;
/** The line of the second folio_lock in e2e_relock (1-based). */
const RELOCK_LINE = 14;
/** The line calling e2e_count_pages, a function no contract names. */
const PLAIN_CALL_LINE = 39;
/** WCAG's minimum contrast for normal text. */
const MIN_CONTRAST = 4.5;

interface Verdict {
  name: string;
  ok: boolean;
  detail: string;
  screenshot?: string;
  millis: number;
}

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`missing --${name}`);
  return value;
}

const url = arg('url');
const resultsDir = arg('results');
const verdicts: Verdict[] = [];
const consoleProblems: string[] = [];

async function check(name: string, page: Page, screenshot: string, body: () => Promise<string>): Promise<boolean> {
  const started = Date.now();
  let ok = false;
  let detail = '';
  try {
    detail = await body();
    ok = true;
  } catch (err) {
    detail = err instanceof Error ? err.message.split('\n').slice(0, 6).join(' | ') : String(err);
  }
  const file = join(resultsDir, screenshot);
  try {
    await page.screenshot({ path: file });
  } catch (err) {
    detail += ` (screenshot failed: ${String(err)})`;
  }
  verdicts.push({ name, ok, detail, screenshot: file, millis: Date.now() - started });
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}: ${detail}`);
  return ok;
}

/** The walk's current-step annotation: decorations render their text as CSS ::after content. */
async function walkAnnotation(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    for (const span of Array.from(document.querySelectorAll('.monaco-editor .view-line span'))) {
      const content = getComputedStyle(span, '::after').content;
      if (content && /step \d+\/\d+/.test(content)) return content.replace(/^"|"$/g, '');
    }
    return undefined;
  });
}

/** Records a check that cannot run because one it depends on failed, without waiting for timeouts. */
function blocked(name: string, reason: string): void {
  verdicts.push({ name, ok: false, detail: `not run: ${reason}`, millis: 0 });
  console.log(`not ok - ${name}: not run: ${reason}`);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

async function goToLine(page: Page, line: number, column: number): Promise<void> {
  await runCommand(page, 'Go to Line/Column');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await waitFor(`the cursor at line ${line}`, 10_000, async () => {
    const text = await page.locator('#status\\.editor\\.selection').innerText();
    return text.includes(`Ln ${line},`) ? text : undefined;
  });
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(text)) consoleProblems.push(text);
  });

  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });

    const opened = await check('workbench opens the fixture', page, '01-fixture-open.png', async () => {
      await waitFor('the explorer to list the workspace', 30_000, async () =>
        (await page.locator('.explorer-folders-view .monaco-list-row').count()) > 0 ? true : undefined);
      await runCommand(page, 'Go to File...');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill(FIXTURE);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: FIXTURE }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.monaco-editor .view-lines', { hasText: 'e2e_relock' }).first().waitFor({ timeout: 15_000 });
      return `${FIXTURE} is open in the editor`;
    });
    if (!opened) return;

    await check('Problems panel lists the fixture findings by rule and line', page, '02-problems.png', async () => {
      await runCommand(page, 'View: Focus Problems');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ state: 'visible', timeout: 15_000 });
      const rows = await waitFor('every expected rule id in the Problems panel', 90_000, async () => {
        const texts = await panel.locator('.monaco-list-row').allInnerTexts();
        const joined = texts.join('\n');
        return EXPECTED_FINDINGS.every((f) => joined.includes(f.rule)) ? texts : undefined;
      });
      const missing = EXPECTED_FINDINGS.filter((f) =>
        !rows.some((r) => r.includes(f.rule) && new RegExp(`\\[Ln ${f.line}, Col \\d+\\]`).test(r)));
      if (missing.length > 0) {
        throw new Error(`rows lack ${missing.map((m) => `${m.rule} at line ${m.line}`).join(', ')}; rows: ${rows.map((r) => r.replace(/\s+/g, ' ')).join(' || ')}`);
      }
      const findingRows = rows.filter((r) => /folio-lens|Folio Lens/i.test(r) || EXPECTED_FINDINGS.some((f) => r.includes(f.rule)));
      const status = await page.locator('.statusbar-item', { hasText: 'Folio Lens' }).first().innerText();
      return `${findingRows.length} finding rows: ${findingRows.map((r) => r.replace(/\s+/g, ' ').trim()).join(' || ')}; status bar: ${status.trim()}`;
    });

    await check('hover after folio_lock shows the lock state', page, '03-hover.png', async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await goToLine(page, HOVER_LINE, 3);
      await runCommand(page, 'Show or Focus Hover');
      const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
      const text = await waitFor('a Folio Lens hover', 20_000, async () => {
        const t = await hover.innerText();
        // The state must name the folio lock and the line it was taken on (12).
        return /folio lock|folio🔒/i.test(t) && /line 12\b/.test(t) ? t : undefined;
      });
      await page.waitForTimeout(400); // let the hover finish fading in before the screenshot
      const line = text.split('\n').find((l) => /folio lock|folio🔒/i.test(l)) ?? '';
      return `hover at line ${HOVER_LINE} says: ${line.trim()} (${text.length} chars)`;
    });

    await check('the injection grammar colours lock primitives apart from other calls', page, '04-grammar.png', async () => {
      await page.keyboard.press('Escape');
      await goToLine(page, PLAIN_CALL_LINE, 2);
      const colourOf = async (token: string) => {
        const span = page.locator('.monaco-editor .view-line span span', { hasText: new RegExp(`^${token}$`) }).first();
        await span.waitFor({ state: 'visible', timeout: 10_000 });
        return span.evaluate((e) => getComputedStyle(e).color);
      };
      const plain = await colourOf('e2e_count_pages');
      await goToLine(page, RELOCK_LINE, 2);
      const lock = await colourOf('folio_lock');
      const unlock = await colourOf('folio_unlock');
      if (lock === plain || unlock === plain) {
        throw new Error(`folio_lock ${lock} / folio_unlock ${unlock} look like the plain call e2e_count_pages ${plain}`);
      }
      return `folio_lock ${lock}, folio_unlock ${unlock}, plain call ${plain}`;
    });

    await check('Walk Finding Path annotates each witness step of the finding', page, '05-walk-stopped.png', async () => {
      await goToLine(page, RELOCK_LINE, 3);
      await runCommand(page, 'Folio Lens: Walk Finding Path');
      const first = await waitFor('the first step annotation', 15_000, () => walkAnnotation(page));
      const m = /step 1\/(\d+)/.exec(first);
      if (!m || !first.includes('double-lock')) throw new Error(`unexpected annotation: ${first}`);
      const total = Number(m[1]);
      let detail = `step 1 of ${total}: ${first}`;
      if (total > 1) {
        await page.keyboard.press('Alt+.');
        const second = await waitFor('the second step annotation', 10_000, async () => {
          const a = await walkAnnotation(page);
          return a && a.includes('step 2/') ? a : undefined;
        });
        detail += `; Alt+. moved to ${second}`;
      }
      await page.screenshot({ path: join(resultsDir, '05-walk.png') });
      await page.keyboard.press('Escape');
      await waitFor('the annotations to clear', 10_000, async () => ((await walkAnnotation(page)) ? undefined : true));
      return detail;
    });

    const simulated = await check('Simulate Current Function shows the path table and the SVG CFG', page, '06-simulate.png', async () => {
      await page.keyboard.press('Escape');
      await page.locator('.monaco-editor .view-lines').first().click();
      await goToLine(page, HOVER_LINE, 3);
      await runCommand(page, 'Folio Lens: Simulate Current Function');
      const view = simulationFrame(page);
      const table = view.locator('table.paths');
      await table.waitFor({ state: 'visible', timeout: 30_000 });
      const rows = await table.locator('tbody tr[data-path]').count();
      const headers = await table.locator('thead th').allInnerTexts();
      const nodes = view.locator('svg.cfg g.node');
      const nodeCount = await nodes.count();
      const edgeCount = await view.locator('svg.cfg g.edge').count();
      const heldCount = await view.locator('svg.cfg g.node.held').count();
      const title = await view.locator('h1').innerText();
      if (!title.includes('e2e_relock')) throw new Error(`view title is "${title}", expected the simulation of e2e_relock`);
      if (rows < 1) throw new Error('the path table has no rows');
      if (nodeCount < 2 || edgeCount < 1) throw new Error(`the CFG has ${nodeCount} nodes and ${edgeCount} edges`);
      if (heldCount < 1) throw new Error('no CFG node shows a held lock');
      const tableText = (await table.innerText()).replace(/\s+/g, ' ');
      if (!tableText.includes('double-lock')) throw new Error(`the path table does not name double-lock: ${tableText.slice(0, 300)}`);
      const csp = await view.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      if (!csp || !/script-src 'nonce-[A-Za-z0-9]+'/.test(csp) || !csp.includes("default-src 'none'")) {
        throw new Error(`the view's CSP is not the strict nonce policy: ${csp}`);
      }
      if (consoleProblems.length > 0) throw new Error(`CSP violations: ${consoleProblems.join(' | ')}`);
      const contrast = await cfgContrast(view);
      if (contrast < MIN_CONTRAST) throw new Error(`CFG text contrast ${contrast.toFixed(2)} is below ${MIN_CONTRAST} in the light theme`);
      await table.screenshot({ path: join(resultsDir, '06-path-table.png') });
      await view.locator('svg.cfg').screenshot({ path: join(resultsDir, '06-cfg-light.png') });
      return `"${title}": ${rows} path rows (${headers.join('/')}), CFG with ${nodeCount} nodes (${heldCount} holding a lock) and ${edgeCount} edges, text contrast ${contrast.toFixed(1)}; CSP ${csp.split(';')[0]}…`;
    });

    if (!simulated) {
      blocked('clicking a CFG node reveals its line', 'the simulation check failed');
      blocked('the simulation view stays readable in a dark theme', 'the simulation check failed');
      return;
    }
    await check('clicking a CFG node reveals its line', page, '07-reveal.png', async () => {
      // Start from another line so that the reveal is what moves the cursor.
      await goToLine(page, 1, 1);
      const view = simulationFrame(page);
      const node = view.locator(`svg.cfg g.node[data-line="${RELOCK_LINE - 1}"]`).first();
      await node.click();
      const status = await waitFor(`the cursor at line ${RELOCK_LINE}`, 15_000, async () => {
        const text = await page.locator('#status\\.editor\\.selection').innerText();
        return text.includes(`Ln ${RELOCK_LINE},`) ? text : undefined;
      });
      return `editor cursor moved to ${status.trim()}`;
    });

    await check('the simulation view stays readable in a dark theme', page, '08-simulate-dark.png', async () => {
      // run.sh sets window.autoDetectColorScheme: VS Code follows the system scheme, which
      // Playwright switches here, to its preferred dark theme (Dark Modern).
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 20_000 });
      const view = simulationFrame(page);
      const contrast = await waitFor('the view to take the dark colours', 10_000, async () => {
        const c = await cfgContrast(view);
        const background = await view.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
        return luminance(background) < 0.2 ? { c, background } : undefined;
      });
      if (contrast.c < MIN_CONTRAST) throw new Error(`CFG text contrast ${contrast.c.toFixed(2)} is below ${MIN_CONTRAST} in the dark theme`);
      await view.locator('svg.cfg').screenshot({ path: join(resultsDir, '08-cfg-dark.png') });
      return `dark background ${contrast.background}, CFG text contrast ${contrast.c.toFixed(1)}`;
    });
  } finally {
    writeFileSync(join(resultsDir, 'results.json'), JSON.stringify({
      passed: verdicts.filter((v) => v.ok).map((v) => v.name),
      failed: verdicts.filter((v) => !v.ok).map((v) => v.name),
      verdicts,
    }, null, 2) + '\n');
    await browser.close();
  }
}

/** The lowest contrast ratio (WCAG) between a CFG node's texts (statement, lock state) and its box. */
async function cfgContrast(view: FrameLocator): Promise<number> {
  const node = view.locator('svg.cfg g.node.held').first();
  const box = await node.locator('rect').evaluate((r) => getComputedStyle(r).fill);
  let lowest = Infinity;
  for (const cls of ['label', 'held']) {
    const text = await node.locator(`text.${cls}`).evaluate((t) => getComputedStyle(t).fill);
    const [a, b] = [luminance(text), luminance(box)].sort((x, y) => y - x);
    lowest = Math.min(lowest, (a + 0.05) / (b + 0.05));
  }
  return lowest;
}

/** Relative luminance of a CSS rgb()/rgba() colour. */
function luminance(css: string): number {
  const m = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(css);
  if (!m) throw new Error(`not an rgb colour: ${css}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The simulation webview: VS Code nests the extension's document in two iframes. */
function simulationFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

main().then(() => {
  process.exit(verdicts.length > 0 && verdicts.every((v) => v.ok) ? 0 : 1);
}, (err) => {
  console.error(`e2e driver failed: ${err instanceof Error ? err.stack : String(err)}`);
  writeFileSync(join(resultsDir, 'results.json'), JSON.stringify({
    passed: verdicts.filter((v) => v.ok).map((v) => v.name),
    failed: [...verdicts.filter((v) => !v.ok).map((v) => v.name), 'driver'],
    verdicts,
  }, null, 2) + '\n');
  process.exit(1);
});
