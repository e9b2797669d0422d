import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { chartSpecs } from './chart-options.ts';
import { jsonForScript } from './escape-html.ts';
import { renderHtml } from './render-html.ts';
import type { RunSummary } from './summary-model.ts';

const scripts = (html: string): { attrs: string; body: string }[] => [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));
const text = (html: string): string => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/, '');

describe('renderHtml', () => {
  it('leads with the verdict: PASSED, FAILED, ABORTED', () => {
    for (const [kind, word] of [['pass', 'PASSED'], ['fail', 'FAILED'], ['aborted', 'ABORTED']] as const) {
      const html = renderHtml(sampleSummary({ kind }));
      assert.match(html, new RegExp(`data-testid="verdict-word">[^<]*${word}<`), kind);
      assert.match(html, new RegExp(`<title>${word} `), kind);
    }
  });

  it('has one SLO row per SLO, failed ones marked FAIL with their actual figure', () => {
    const s = sampleSummary({ kind: 'fail' });
    const table = /<table data-testid="slo-table">([\s\S]*?)<\/table>/.exec(renderHtml(s))![1]!;
    const rows = table.split('<tr').slice(2);
    assert.equal(rows.length, s.slos.length);
    const p95 = rows.find((r) => r.includes('p95 &#60; 200 ms'))!;
    assert.match(p95, /238\.1 ms/);
    assert.match(p95, /✗ FAIL/);
    assert.match(p95, /client/);
  });

  it('shows an unmeasured SLO as SKIPPED and a missing Prometheus as such', () => {
    const html = renderHtml(sampleSummary({ kind: 'aborted' }));
    assert.match(html, /– SKIPPED/);
    assert.match(html, /not measured: Prometheus was unreachable/);
    assert.match(html, /<strong>Not available<\/strong>: Prometheus at/);
  });

  it('shouts about dropped iterations, and only when there are some', () => {
    assert.match(renderHtml(sampleSummary({ kind: 'fail' })), /data-testid="dropped-alert"[^>]*><strong class="big">⚠ 340 iterations were DROPPED/);
    assert.doesNotMatch(renderHtml(sampleSummary({ kind: 'pass' })), /dropped-alert/);
  });

  it('has stress, soak and platform sections only when the run has them', () => {
    const stress = renderHtml(sampleSummary({ kind: 'stress' }));
    assert.match(stress, /Breaking point: <strong>300 rps<\/strong>/);
    assert.match(stress, /← breaking point/);
    assert.doesNotMatch(stress, /id="soak"/);
    const soak = renderHtml(sampleSummary({ kind: 'soak' }));
    assert.match(soak, /id="soak"/);
    assert.match(soak, /data-chart="soakRss"/);
    assert.doesNotMatch(soak, /id="stress"/);
    assert.match(renderHtml(sampleSummary({ kind: 'pass' })), /data-chart="platformP95"/);
  });

  it('escapes hostile names everywhere: no markup from the data reaches the page', () => {
    const html = renderHtml(hostileSummary());
    // echarts' own source has an <img> in a string (its save-as-image page), so look outside it.
    const withoutLibrary = html.replace(scripts(html)[2]!.body, '');
    assert.doesNotMatch(withoutLibrary, /<img/i);
    assert.doesNotMatch(text(html), /<[a-z][^>]*\son\w+=/i, 'no element carries an event handler');
    assert.doesNotMatch(html, /<!--/);
    assert.equal(scripts(html).length, 4, 'exactly the four script elements: nothing closed one early');
    assert.match(text(html), /&#60;\/script&#62;&#60;img src=x onerror=alert\(1\)&#62;/, 'shown as text');
    assert.match(text(html), /&#38;&#60;&#62;&#34;&#39;/);
  });

  it('embeds the summary as JSON that parses back to the same object, hostile strings included', () => {
    const s = hostileSummary();
    const data = scripts(renderHtml(s)).find((x) => x.attrs.includes('id="crucible-summary"'))!;
    assert.match(data.attrs, /type="application\/json"/);
    assert.deepEqual(JSON.parse(data.body), JSON.parse(JSON.stringify(s)));
    assert.doesNotMatch(jsonForScript({ a: '</script>' }), /<\/script/i);
  });

  it('references nothing outside the file, and its CSP allows exactly its two inline scripts', () => {
    const html = renderHtml(sampleSummary({ kind: 'pass' }));
    const markup = text(html);
    assert.doesNotMatch(markup, /\s(src|href|srcset|action|poster|data)=/i, 'no attribute that could load anything');
    assert.doesNotMatch(html.match(/<style>[\s\S]*?<\/style>/)![0], /url\(|@import/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;/g, "'");
    assert.match(csp, /default-src 'none'/);
    const executable = scripts(html).filter((x) => !x.attrs.includes('application/json'));
    assert.equal(executable.length, 2);
    for (const x of executable) assert.ok(csp.includes(`'sha256-${createHash('sha256').update(x.body).digest('base64')}'`), 'script hash in the CSP');
  });

  it('shades and labels the phases in every time chart, and draws the SLO line', () => {
    const s = sampleSummary({ kind: 'pass' });
    const charts = chartSpecs(s);
    for (const id of ['latency', 'throughput', 'errors', 'cache'] as const) {
      const series = charts[id]!.option.series as { markArea?: { data: [{ name: string }, unknown][] } }[];
      assert.deepEqual(series[0]!.markArea!.data.map(([start]) => start.name), ['warmup', 'steady'], id);
    }
    const p95 = (charts.latency!.option.series as { name: string; markLine?: { data: { yAxis: number }[] } }[]).find((x) => x.name === 'p95')!;
    assert.equal(p95.markLine!.data[0]!.yAxis, 200);
  });

  it('keeps a long soak chart to a bounded number of points', () => {
    const s = sampleSummary({ kind: 'soak' });
    const long: RunSummary = { ...s, series: { ...s.series, ...Object.fromEntries((['t', 'rps', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms', 'vus', 'targetRps', 'dropped', 'cacheHitRate'] as const).map((k) => [k, Array.from({ length: 10 }, (_, r) => (s.series[k] as unknown[]).map((v) => (k === 't' ? (v as number) + r * 3_600_000 : v))).flat()])) } };
    const latency = chartSpecs(long).latency!;
    const points = (latency.option.series as { data: unknown[] }[])[0]!.data.length;
    assert.ok(points <= 1500, `${points} points`);
    assert.match(latency.caption ?? '', /merges \d+ intervals/);
  });
});
