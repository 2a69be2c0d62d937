// The HTML report in a real headless Chromium (Debian's, installed by .ci/run): it loads with no
// console error, and what the reader is meant to see is in the DOM.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPage } from '../../src/report/html/page.js';
import { renderRunSection } from '../../src/report/html/run-section.js';
import { chromiumPath } from '../helpers/browser.js';
import { FIXTURE_NODES, fixtureRun } from './html-fixture.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'clustersim.js');
const REPORT = join(import.meta.dirname, '..', '..', 'scenarios', 'mantis', 'report.yaml');
const dir = mkdtempSync(join(tmpdir(), 'clustersim-html-'));
const chromium = chromiumPath();

let browser: Browser;
beforeAll(async () => {
  if (chromium === null) return;
  browser = await puppeteer.launch({
    executablePath: chromium,
    // Root in CI: Chromium's sandbox needs an unprivileged user.
    args: ['--no-sandbox', '--disable-gpu'],
  });
});
afterAll(async () => {
  if (chromium !== null) await browser.close();
});

/** Opens `file` and collects every console error and uncaught exception of the page. */
async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('requestfailed', (request) => errors.push(`request ${request.url()}`));
  await page.setViewport({ width: 1400, height: 1000 });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, errors };
}

const count = (page: Page, selector: string): Promise<number> =>
  page.$$eval(selector, (found) => found.length);

describe.skipIf(chromium === null)('HTML report in headless Chromium', () => {
  it('should open `run --html` of the Mantis bug report with lanes, arrows and violation bands', async () => {
    // Arrange
    const html = join(dir, 'report.html');
    const run = spawnSync(process.execPath, [BIN, 'run', REPORT, '--html', html, '--json'], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(1);
    const json = JSON.parse(run.stdout) as { why?: unknown[] };

    // Act
    const { page, errors } = await open(html);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });

    // Assert
    expect(errors).toEqual([]);
    for (const lane of ['control-plane', 'TE-1', 'TE-5', 'control-plane/resource-cluster'])
      expect(await count(page, `g.lane[data-lane="${lane}"]`), lane).toBe(1);
    expect(await count(page, 'line.msg')).toBeGreaterThan(1000);
    for (const invariant of ['no-foreign-advertisement', 'no-foreign-read', 'crash-detected'])
      expect(await count(page, `g.band[data-invariant="${invariant}"]`), invariant).toBe(1);
    expect(await count(page, 'g.mark.fault')).toBeGreaterThan(0);
    // The chain is drawn exactly when the run explains itself (`why`, issue #16).
    expect((await count(page, 'g.plot .chain')) > 0).toBe((json.why ?? []).length > 0);
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });

  it('should draw the causal chain, light a why step under the pointer and zoom the time axis', async () => {
    // Arrange
    const html = join(dir, 'chain.html');
    writeFileSync(
      html,
      renderPage('chain', 'intro', [renderRunSection(fixtureRun(20), FIXTURE_NODES, { id: 'r1' })]),
    );
    const { page, errors } = await open(html);
    const x1 = (): Promise<string | null> => page.$eval('line.msg.chain', (line) => line.getAttribute('x1'));
    const before = await x1();

    // Act
    await page.hover('ol.why li[data-seq="4"]');
    const focused = await page.$$eval('.focus', (found) => found.map((el) => el.getAttribute('data-seq')));
    await page.click('button[data-action="in"]');
    const zoomed = await x1();
    await page.click('button[data-action="chain"]');
    await page.screenshot({ path: join(dir, 'chain.png') });
    await page.click('button[data-action="fit"]');
    const fitted = await x1();
    await page.click('button[data-action="order"]');
    const ordered = await x1();

    // Assert
    expect(errors).toEqual([]);
    expect(await count(page, 'line.msg.chain')).toBe(2);
    expect(await count(page, 'line.cause')).toBe(2);
    expect(await count(page, 'g.mark.why')).toBe(5);
    expect(await count(page, 'ol.why li')).toBe(6);
    expect(focused).toEqual(['4', '4']);
    expect(zoomed).not.toBe(before);
    expect(fitted).toBe(before);
    // Event order spreads the 20 pings and the chain evenly: the chain's first arrow moves.
    expect(ordered).not.toBe(fitted);
  });
});
