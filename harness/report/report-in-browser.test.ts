import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from '@playwright/test';
import { hostileChaosSummary, hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { reportBrowser } from '../../test/support/report-browser.ts';

// Each sample is a simulated run (about a second): made before the suite's timeout starts.
const samples = {
  fail: sampleSummary({ kind: 'fail' }),
  pass: sampleSummary({ kind: 'pass' }),
  stress: sampleSummary({ kind: 'stress' }),
  soak: sampleSummary({ kind: 'soak' }),
  chaos: sampleSummary({ kind: 'chaos' }),
};
const hostile = hostileSummary();
const hostileChaos = hostileChaosSummary();

const reports = reportBrowser('crucible-report-browser-');
const { dir } = reports;
const open = reports.open;

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

before(() => reports.start());
after(() => reports.stop());

// Bounds on waiting, not on speed: the suite took 17 s beside six CPU-bound processes.
describe('report.html in Chromium, opened from disk', { timeout: 120_000 }, () => {
  it('draws every chart with no console error and no request beyond the file itself', async () => {
    const { page, problems, requests } = await open('fail', samples.fail);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:')),
      [],
      'nothing fetched from the network',
    );
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
    const { page } = await open('fail-verdict', samples.fail);
    assert.equal(await page.getByTestId('verdict-word').innerText(), '✗ FAILED');
    const slo = page.getByTestId('slo-table');
    assert.match(await slo.locator('tr', { hasText: 'p95 < 200 ms' }).innerText(), /359\.4 ms\s+✗ FAIL\s+client/);
    assert.match(await slo.locator('tr', { hasText: 'errors < 1.0 %' }).innerText(), /✓ PASS/);
    assert.ok(await page.getByTestId('dropped-alert').isVisible());
    await page.close();
  });

  it('has the phases and the SLO line in the chart options echarts holds', async () => {
    const { page } = await open('pass', samples.pass);
    const opt = await page.evaluate(() => {
      const ec = (
        window as unknown as {
          echarts: {
            getInstanceByDom(el: Element): {
              getOption(): { series: { name: string; markArea?: { data: [{ name: string }, unknown][] }; markLine?: { data: { yAxis: number }[] } }[] };
            };
          };
        }
      ).echarts;
      const series = ec.getInstanceByDom(document.getElementById('chart-latency')!).getOption().series;
      return { phases: series[0]!.markArea!.data.map(([start]) => start.name), slo: series.find((x) => x.name === 'p95')!.markLine!.data[0]!.yAxis };
    });
    assert.deepEqual(opt.phases, ['warmup: 10→80/s', 'steady: 80/s']);
    assert.equal(opt.slo, 200);
    // The tooltip formatter runs and labels time as m:ss.
    const chart = page.locator('#chart-latency');
    const box = (await chart.boundingBox())!;
    await chart.hover({ position: { x: box.width * 0.6, y: box.height * 0.6 } });
    await page.waitForFunction(() => [...document.querySelectorAll('#chart-latency div')].some((d) => /t = \d+:\d\d/.test(d.textContent ?? '')), undefined, {
      timeout: 30_000,
    });
    await page.close();
  });

  it('stress and soak sections draw their charts; breaking point is marked', async () => {
    const stress = await open('stress', samples.stress);
    assert.deepEqual(stress.problems, []);
    assert.match(await stress.page.getByTestId('stress').innerText(), /Breaking point: 300 rps/);
    const bp = await stress.page.evaluate(() => {
      const ec = (
        window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { series: { markLine?: { data: { xAxis: number }[] } }[] } } } }
      ).echarts;
      return ec.getInstanceByDom(document.getElementById('chart-stress')!).getOption().series[0]!.markLine!.data[0]!.xAxis;
    });
    assert.equal(bp, 4, 'the 300 rps step (after the warm-up window and four steps)');
    for (const share of await inkPerCanvas(stress.page)) assert.ok(share > 0.02);
    await stress.page.close();
    const soak = await open('soak', samples.soak);
    assert.deepEqual(soak.problems, []);
    assert.ok(await soak.page.locator('[data-chart="soakRss"] canvas').count());
    await soak.page.close();
  });

  it('hostile names neither run nor break anything, and fit a phone screen', async () => {
    const { page, problems, requests } = await open('hostile', hostile, { width: 390, height: 800 });
    assert.deepEqual(problems, [], 'no alert, no error, no CSP violation');
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:')),
      [],
    );
    assert.equal(await page.locator('img').count(), 0);
    assert.match(await page.locator('h1').innerText(), /<\/script><img src=x onerror=alert\(1\)>/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scrolling of the page');
    await page.close();
  });

  it('chaos: the fault timeline draws its bands and lanes, the fault table and the data-loss alert are visible', async () => {
    const s = samples.chaos;
    const { page, problems, requests } = await open('chaos', s);
    assert.deepEqual(problems, []);
    assert.deepEqual(requests, [requests[0]], 'only the report itself');
    assert.match(requests[0]!, /^file:/);
    const timeline = page.locator('[data-chart="chaosTimeline"]');
    assert.ok(await timeline.isVisible());
    assert.ok((await timeline.boundingBox())!.height > 380, 'the stacked plots got their height');
    const ink = await inkPerCanvas(page);
    assert.equal(ink.length, 6, 'the timeline and the five standard charts');
    for (const share of ink) assert.ok(share > 0.02, `a canvas is not blank (${(share * 100).toFixed(1)} % inked)`);
    // Read pixels where the chart must have painted: inside a fault band above the curves, and in
    // the postgres lane while the database was down; and the same places outside them.
    const px = await page.evaluate(() => {
      const el = document.getElementById('chart-chaosTimeline')!;
      const ec = (window as unknown as { echarts: { getInstanceByDom(e: Element): { convertToPixel(finder: object, value: number[]): number[] } } }).echarts;
      const chart = ec.getInstanceByDom(el);
      const canvas = el.querySelector('canvas')!;
      const ratio = canvas.width / canvas.clientWidth;
      const ctx = canvas.getContext('2d')!;
      const at = (axes: object, value: number[]): number[] => {
        const [x, y] = chart.convertToPixel(axes, value);
        return [...ctx.getImageData(Math.round(x! * ratio), Math.round(y! * ratio), 1, 1).data];
      };
      const top = { xAxisIndex: 0, yAxisIndex: 0 };
      const lanes = { xAxisIndex: 1, yAxisIndex: 2 };
      // Lanes count from the bottom: postgres, the third of four probes, is lane 1.
      return { band: at(top, [200, 650]), noBand: at(top, [30, 650]), laneBad: at(lanes, [200, 1.5]), laneGood: at(lanes, [100, 1.5]) };
    });
    const red = (p: number[]): boolean => p[3]! > 20 && p[0]! > p[1]! + 30 && p[0]! > p[2]! + 30;
    assert.ok(red(px.band), `the PostgreSQL stop is shaded red: ${px.band}`);
    assert.equal(px.noBand[3], 0, `nothing is painted there before the first fault: ${px.noBand}`);
    assert.ok(red(px.laneBad) && px.laneBad[3]! > 120, `the postgres lane is red while it was down: ${px.laneBad}`);
    assert.ok(px.laneGood[3]! < 80, `and only faintly tinted when it was up: ${px.laneGood}`);

    const faults = page.getByTestId('fault-table');
    assert.ok(await faults.isVisible());
    assert.equal(await faults.locator('tbody tr').count(), s.chaos!.faults.length);
    assert.match(
      await faults.locator('tbody tr', { hasText: 'PostgreSQL stop' }).innerText(),
      /3:10\.0[\s\S]*36\.0 s[\s\S]*✗ FAIL[\s\S]*MTTR 36\.0 s > 30\.0 s/,
    );
    const loss = page.getByTestId('data-loss-alert');
    assert.ok(await loss.isVisible());
    assert.match(await loss.innerText(), new RegExp(`⚠ 1 acknowledged write was LOST[\\s\\S]*${s.chaos!.ledger!.lost[0]}`));
    assert.equal(await loss.getAttribute('role'), 'alert');
    assert.match(await page.getByTestId('verdict').innerText(), /1 fault of 5 \(PostgreSQL stop\)[\s\S]*1 acknowledged write LOST/);
    await page.close();
  });

  it('chaos with hostile names: nothing runs, nothing is fetched', async () => {
    const { page, problems, requests } = await open('chaos-hostile', hostileChaos, { width: 390, height: 800 });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file:')),
      [],
    );
    assert.equal(await page.locator('img').count(), 0);
    assert.match(await page.getByTestId('rollback-alert').innerText(), /<\/script><img src=x onerror=alert\(1\)>/);
    assert.ok(await page.locator('[data-chart="chaosTimeline"] canvas').count());
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal scrolling of the page');
    await page.close();
  });

  it('junit.xml parses as XML in the browser, hostile names included', async () => {
    const page = await reports.newPage();
    for (const name of ['fail', 'hostile', 'chaos', 'chaos-hostile']) {
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
