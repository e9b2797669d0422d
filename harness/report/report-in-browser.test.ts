import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from '@playwright/test';
import { hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { findTool } from '../tools/find-tool.ts';
import type { RunSummary } from './summary-model.ts';
import { writeRunReports } from './write-run-reports.ts';

/** Flags Debian's Chromium needs as root on a closed network (as in the web UI test). */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const dir = mkdtempSync(join(tmpdir(), 'crucible-report-browser-'));
let browser: Browser;

interface Opened {
  readonly page: Page;
  /** Console errors and warnings, uncaught exceptions, dialogs (alert() from injected markup). */
  readonly problems: string[];
  /** Every URL the page asked for. */
  readonly requests: string[];
}

async function open(name: string, summary: RunSummary, viewport = { width: 1280, height: 900 }): Promise<Opened> {
  const runDir = join(dir, name);
  await writeRunReports(runDir, summary);
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(join(runDir, 'report.html')).href);
  await page.waitForFunction(() => (window as unknown as { crucibleCharts?: unknown[] }).crucibleCharts !== undefined, undefined, { timeout: 5000 });
  return { page, problems, requests };
}

/** Share of non-transparent pixels of each chart's main canvas. */
const inkPerCanvas = (page: Page): Promise<number[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-chart] canvas')]
      .filter((c) => c === c.parentElement!.querySelector('canvas'))
      .map((node) => {
        const c = node as HTMLCanvasElement;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++;
        return ink / (c.width * c.height);
      }),
  );

before(async () => {
  const executablePath = findTool('chromium') ?? '/usr/bin/chromium';
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 });
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report.html in Chromium, opened from disk', { timeout: 20_000 }, () => {
  it('draws every chart with no console error and no request beyond the file itself', async () => {
    const { page, problems, requests } = await open('fail', sampleSummary({ kind: 'fail' }));
    assert.deepEqual(problems, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'nothing fetched from the network');
    assert.equal(requests.length, 1, 'only the report itself');
    const charts = await page.locator('[data-chart]').count();
    assert.equal(charts, 5);
    assert.ok((await page.locator('[data-chart] canvas').count()) >= charts, 'echarts drew into canvases');
    const ink = await inkPerCanvas(page);
    assert.equal(ink.length, charts);
    for (const share of ink) assert.ok(share > 0.02, `a canvas is not blank (${(share * 100).toFixed(1)} % inked)`);
    await page.close();
  });

  it('shows the verdict in the banner and the SLO table', async () => {
    const { page } = await open('fail-verdict', sampleSummary({ kind: 'fail' }));
    assert.equal(await page.getByTestId('verdict-word').innerText(), '✗ FAILED');
    const slo = page.getByTestId('slo-table');
    assert.match(await slo.locator('tr', { hasText: 'p95 < 200 ms' }).innerText(), /238\.1 ms\s+✗ FAIL\s+client/);
    assert.match(await slo.locator('tr', { hasText: 'errors < 1.00 %' }).innerText(), /✓ PASS/);
    assert.ok(await page.getByTestId('dropped-alert').isVisible());
    await page.close();
  });

  it('has the phases and the SLO line in the chart options echarts holds', async () => {
    const { page } = await open('pass', sampleSummary({ kind: 'pass' }));
    const opt = await page.evaluate(() => {
      const ec = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { series: { name: string; markArea?: { data: [{ name: string }, unknown][] }; markLine?: { data: { yAxis: number }[] } }[] } } } }).echarts;
      const series = ec.getInstanceByDom(document.getElementById('chart-latency')!).getOption().series;
      return { phases: series[0]!.markArea!.data.map(([start]) => start.name), slo: series.find((x) => x.name === 'p95')!.markLine!.data[0]!.yAxis };
    });
    assert.deepEqual(opt.phases, ['warmup', 'steady']);
    assert.equal(opt.slo, 200);
    // The tooltip formatter runs and labels time as m:ss.
    const chart = page.locator('#chart-latency');
    const box = (await chart.boundingBox())!;
    await chart.hover({ position: { x: box.width * 0.6, y: box.height * 0.6 } });
    await page.waitForFunction(() => [...document.querySelectorAll('#chart-latency div')].some((d) => /t = \d+:\d\d/.test(d.textContent ?? '')), undefined, { timeout: 3000 });
    await page.close();
  });

  it('stress and soak sections draw their charts; breaking point is marked', async () => {
    const stress = await open('stress', sampleSummary({ kind: 'stress' }));
    assert.deepEqual(stress.problems, []);
    assert.match(await stress.page.getByTestId('stress').innerText(), /Breaking point: 300 rps/);
    const bp = await stress.page.evaluate(() => {
      const ec = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { series: { markLine?: { data: { xAxis: number }[] } }[] } } } }).echarts;
      return ec.getInstanceByDom(document.getElementById('chart-stress')!).getOption().series[0]!.markLine!.data[0]!.xAxis;
    });
    assert.equal(bp, 3, 'the 300 rps step');
    for (const share of await inkPerCanvas(stress.page)) assert.ok(share > 0.02);
    await stress.page.close();
    const soak = await open('soak', sampleSummary({ kind: 'soak' }));
    assert.deepEqual(soak.problems, []);
    assert.ok(await soak.page.locator('[data-chart="soakRss"] canvas').count());
    await soak.page.close();
  });

  it('hostile names neither run nor break anything, and fit a phone screen', async () => {
    const { page, problems, requests } = await open('hostile', hostileSummary(), { width: 390, height: 800 });
    assert.deepEqual(problems, [], 'no alert, no error, no CSP violation');
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), []);
    assert.equal(await page.locator('img').count(), 0);
    assert.match(await page.locator('h1').innerText(), /<\/script><img src=x onerror=alert\(1\)>/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scrolling of the page');
    await page.close();
  });

  it('junit.xml parses as XML in the browser, hostile names included', async () => {
    const page = await browser.newPage();
    for (const name of ['fail', 'hostile']) {
      const xml = readFileSync(join(dir, name, 'junit.xml'), 'utf8');
      const result = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        const error = doc.getElementsByTagName('parsererror')[0];
        return { error: error?.textContent ?? null, cases: doc.getElementsByTagName('testcase').length, failures: doc.getElementsByTagName('failure').length };
      }, xml);
      assert.equal(result.error, null, name);
      assert.ok(result.cases > 0 && result.failures > 0, name);
    }
    await page.close();
  });
});
