import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hostileChaosSummary, hostilePentestSummary, hostileSummary } from '../../fixtures/reports/hostile-summary.ts';
import { sampleSummary } from '../../fixtures/reports/make-sample-summary.ts';
import { samplePentestSummary } from '../../fixtures/reports/sample-pentest.ts';
import { chartSpecs } from './chart-options.ts';
import { jsonForScript } from './escape-html.ts';
import { formatClock, formatDuration } from './format-values.ts';
import { renderHtml } from './render-html.ts';
import type { ChaosAnalysis, RunSummary } from '../result/summary-model.ts';
import { judgeRun } from '../result/verdict.ts';

const scripts = (html: string): { attrs: string; body: string }[] =>
  [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));
const text = (html: string): string => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/, '');

describe('renderHtml', () => {
  it('leads with the verdict: PASSED, FAILED, ABORTED', () => {
    for (const [kind, word] of [
      ['pass', 'PASSED'],
      ['fail', 'FAILED'],
      ['aborted', 'ABORTED'],
    ] as const) {
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
    assert.match(p95, new RegExp(`${s.slos.find((o) => o.id === 'p95-latency')!.actual!.toFixed(1)} ms`));
    assert.match(p95, /✗ FAIL/);
    assert.match(p95, /client/);
  });

  it('shows an unmeasured SLO as SKIPPED and a missing Prometheus as such', () => {
    // No cached route read and no Prometheus: the cache hit rate cannot be measured (evaluateSlos' words).
    const aborted = sampleSummary({ kind: 'aborted' });
    const unmeasured = 'not measured: the run read no cached route and Prometheus had no cache counters';
    const html = renderHtml({
      ...aborted,
      slos: aborted.slos.map((o) => (o.id === 'cache-hit-rate' ? { ...o, actual: null, ok: true, note: unmeasured } : o)),
    });
    assert.match(html, /– SKIPPED/);
    assert.match(html, new RegExp(unmeasured));
    assert.match(html, /<strong>Not available<\/strong>: Prometheus at/);
  });

  it('shouts about dropped iterations, and only when there are some', () => {
    const fail = sampleSummary({ kind: 'fail' });
    assert.ok(fail.droppedIterations > 1);
    assert.match(renderHtml(fail), new RegExp(`data-testid="dropped-alert"[^>]*><strong class="big">⚠ ${fail.droppedIterations} iterations were DROPPED`));
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
      assert.deepEqual(
        series[0]!.markArea!.data.map(([start]) => start.name),
        ['warmup: 10→80/s', 'steady: 80/s'],
        id,
      );
    }
    const p95 = (charts.latency!.option.series as { name: string; markLine?: { data: { yAxis: number }[] } }[]).find((x) => x.name === 'p95')!;
    assert.equal(p95.markLine!.data[0]!.yAxis, 200);
  });

  it('keeps a long soak chart to a bounded number of points', () => {
    const s = sampleSummary({ kind: 'soak' });
    const long: RunSummary = {
      ...s,
      series: {
        ...s.series,
        ...Object.fromEntries(
          (['t', 'rps', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms', 'vus', 'targetRps', 'dropped', 'cacheHitRate'] as const).map((k) => [
            k,
            Array.from({ length: 10 }, (_, r) => (s.series[k] as unknown[]).map((v) => (k === 't' ? (v as number) + r * 3_600_000 : v))).flat(),
          ]),
        ),
      },
    };
    const latency = chartSpecs(long).latency!;
    const points = (latency.option.series as { data: unknown[] }[])[0]!.data.length;
    assert.ok(points <= 1500, `${points} points`);
    assert.match(latency.caption ?? '', /merges \d+ intervals/);
  });
});

const tableBody = (html: string, testid: string): string => {
  const m = new RegExp(`<table data-testid="${testid}">([\\s\\S]*?)</table>`).exec(html);
  assert.ok(m, `table ${testid} is there`);
  return m[1]!;
};
const bodyRows = (table: string): string[] => table.split('<tr').slice(2);
/** A row's cells as text: tags dropped, entities left as written. */
const cells = (row: string): string[] =>
  row
    .split(/<td[^>]*>/)
    .slice(1)
    .map((c) =>
      c
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
const section = (html: string, testid: string): string => {
  const m = new RegExp(`<section[^>]*data-testid="${testid}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
  assert.ok(m, `section ${testid} is there`);
  return m[1]!;
};
/** The run with its chaos results changed, judged again as a run would be. */
const withChaos = (s: RunSummary, change: (c: ChaosAnalysis) => Partial<ChaosAnalysis>): RunSummary => {
  const chaos = { ...s.chaos!, ...change(s.chaos!) };
  return { ...s, chaos, verdict: judgeRun({ ...s, chaos }, { kind: 'completed' }) };
};

describe('renderHtml: chaos runs', () => {
  const s = sampleSummary({ kind: 'chaos' });
  const c = s.chaos!;
  const html = renderHtml(s);

  it('has a row per fault: when it was injected, detected, alerted on, reverted and recovered, MTTR, availability, verdict', () => {
    const rows = bodyRows(tableBody(html, 'fault-table'));
    assert.equal(rows.length, 5);
    assert.deepEqual(cells(rows[0]!), [
      'Redis latency 300 ms toxic (id 0.0): gateway-redis-0, gateway-redis-1, gateway-redis-2, gateway-redis-3, gateway-redis-4, gateway-redis-5',
      '1:00.0',
      '1:01.0 +1.0 s',
      'CrucibleHighLatencyP95 at 1:14.0, +14.0 s',
      '1:30.0',
      '1:35.0',
      '5.0 s',
      '84.3 %',
      '✓ PASS',
    ]);
    assert.deepEqual(cells(rows[2]!).slice(0, 1), ['gateway replica kill #2 process-kill (id 1.1): gateway-1 (pid 41217, SIGKILL)']);
    assert.deepEqual(cells(rows[2]!).slice(3, 7), ['CrucibleInstanceDown at 2:18.0, +3.0 s', 'self-healing', '2:21.0', '6.0 s']);
    assert.equal(cells(rows[3]!)[3], 'none fired');
    const pg = rows[4]!;
    assert.match(pg, /^ class="row-fail"/);
    assert.deepEqual(cells(pg), [
      'PostgreSQL stop component-stop (id 2.0): postgres',
      '3:10.0',
      '3:10.0 +0.0 s',
      'CrucibleCircuitOpen at 3:14.0, +4.0 s',
      '3:30.0',
      '4:06.0',
      '36.0 s',
      '90.8 %',
      '✗ FAIL MTTR 36.0 s &#62; 30.0 s',
    ]);
    assert.match(pg, /<td class="num over">36\.0 s<\/td>/, 'MTTR over the expectation in red');
    assert.equal(rows.filter((r) => r.startsWith(' class="row-fail"')).length, c.faults.filter((f) => f.verdict === 'failed').length);
  });

  it('shows a fault whose revert failed and one that never recovered', () => {
    const broken = withChaos(s, (x) => ({
      faults: x.faults.map((f, i) => (i === 4 ? { ...f, revertedMs: null, revertError: 'toxiproxy: 500', recoveredMs: null, mttrMs: null } : f)),
    }));
    const pg = cells(bodyRows(tableBody(renderHtml(broken), 'fault-table'))[4]!);
    assert.equal(pg[4], 'revert FAILED toxiproxy: 500');
    assert.equal(pg[5], 'NEVER');
    assert.equal(pg[6], '–');
  });

  it('shows the ledger with every count and the lost key, and shouts about the loss above the rest', () => {
    const rows = bodyRows(tableBody(html, 'ledger-table')).map(cells);
    assert.deepEqual(
      rows.map((r) => [r[0], r[1]]),
      [
        ['attempted', '1,325'],
        ['acknowledged', '1,036'],
        ['unacknowledged', '289'],
        ['LOST', '1'],
        ['DUPLICATED', '0'],
        ['applied, unacknowledged', '3'],
      ],
    );
    const lostKey = c.ledger!.lost[0]!;
    assert.match(rows[3]![2]!, new RegExp(lostKey));
    const alert = section(html, 'data-loss-alert');
    assert.match(alert, /<strong class="big">⚠ 1 acknowledged write was LOST<\/strong>/);
    assert.match(alert, new RegExp(`<code>${lostKey}</code>`));
    assert.ok(html.indexOf('data-testid="data-loss-alert"') < html.indexOf('id="chaos"'), 'the alert comes before the chaos section');
    assert.match(section(html, 'ledger'), /✗ 1 LOST/);
  });

  it('keeps quiet about a clean ledger, and shouts about duplicates too', () => {
    const clean = renderHtml(withChaos(s, (x) => ({ ledger: { ...x.ledger!, lost: [], lostCount: 0 } })));
    assert.doesNotMatch(clean, /data-loss-alert/);
    assert.match(section(clean, 'ledger'), /✓ Every acknowledged write was read back exactly once/);
    const dup = renderHtml(withChaos(s, (x) => ({ ledger: { ...x.ledger!, lost: [], lostCount: 0, duplicated: ['k-7'], duplicatedCount: 3 } })));
    assert.match(section(dup, 'data-loss-alert'), /⚠ 3 writes were DUPLICATED<\/strong>[\s\S]*<code>k-7<\/code> and 2 more/);
    assert.doesNotMatch(renderHtml(withChaos(s, () => ({ ledger: null }))), /id="ledger"/);
  });

  it('says a rollback was complete, and shouts when it was not', () => {
    assert.match(section(html, 'rollback'), /✓ Every fault was rolled back/);
    assert.doesNotMatch(html, /rollback-alert/);
    const broken = renderHtml(withChaos(s, () => ({ rollback: { complete: false, problems: ['toxic latency on gateway-redis-3 still present'] } })));
    assert.match(section(broken, 'rollback-alert'), /Rollback INCOMPLETE[\s\S]*<li>toxic latency on gateway-redis-3 still present<\/li>/);
    assert.match(section(broken, 'rollback'), /✗ Rollback INCOMPLETE/);
  });

  it('says why an experiment was aborted, only when it was', () => {
    assert.doesNotMatch(html, /chaos-abort-alert/);
    const aborted = renderHtml(withChaos(s, () => ({ abortedBy: { probe: 'edge-ready', atMs: 201_300, reason: 'bad for 30 s' } })));
    assert.match(section(aborted, 'chaos-abort-alert'), /ABORTED at 3:21\.3[\s\S]*<strong>edge-ready<\/strong> met its abort condition: bad for 30 s/);
    assert.match(aborted, /data-testid="verdict"[\s\S]*experiment aborted by probe edge-ready at 3:21 \(bad for 30 s\)/);
  });

  it('has the recovery distributions when a step repeated, and not otherwise', () => {
    const rows = bodyRows(tableBody(html, 'distribution-table')).map(cells);
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[1], ['gateway replica kill (n = 3; 2 alerted)', '2.0 s', '6.0 s', '6.0 s', '0.0 s', '0.3 s', '0.3 s', '3.0 s', '6.0 s', '6.0 s']);
    assert.equal(rows[0]![3], '36.0 s', 'the worst MTTR overall');
    const once = withChaos(s, (x) => ({ faults: x.faults.filter((f) => f.id.endsWith('.0')) }));
    assert.doesNotMatch(renderHtml(once), /distribution-table/);
  });

  it('shows availability against its objective, the error budget consumed and the resilience score', () => {
    const fig = tableless(section(html, 'chaos'));
    assert.match(fig, /faults passed 4 of 5/);
    assert.match(fig, /availability 93\.8 % objective 99\.0 %/);
    assert.match(fig, /error budget consumed 620\.7 %/);
    assert.match(fig, /resilience score 78\.6 \/ 100/);
    assert.match(
      html,
      /<div class="bar bar-over" role="meter" aria-label="error budget consumed" aria-valuemin="0" aria-valuemax="100" aria-valuenow="620.7" data-testid="error-budget"><span style="width:100\.0%">/,
    );
    const within = renderHtml(withChaos(s, (x) => ({ availability: { ...x.availability, ratio: 0.995, errorBudgetConsumed: 0.5 } })));
    assert.match(within, /<div class="bar" role="meter"[^>]*data-testid="error-budget"><span style="width:50\.0%">/);
  });

  it('has the steady-state checks before, during and after, disturbed and failed ones with their note', () => {
    const rows = bodyRows(tableBody(html, 'steady-state-table'));
    assert.deepEqual(
      rows.map((r) => cells(r).slice(0, 4)),
      [
        ['before', '0:00–1:00', '60 of 60', '✓ PASS'],
        ['during', '1:00–4:06', '86 of 186', '✓ PASS'],
        ['after', '4:25–4:30', '5 of 5', '✓ PASS'],
      ],
    );
    assert.match(cells(rows[1]!)[4]!, /^probe edge-ready failed in 6 of 186 windows \(status 502\); probe gateway-p95 failed in 34 of 186 windows/);
    const probes = bodyRows(tableBody(html, 'probe-table')).map(cells);
    assert.deepEqual(
      probes.map((p) => p.slice(0, 5)),
      [
        ['edge-ready', 'http', '250 ms', '1,081', '98.7 %'],
        ['gateway-p95', 'promql', '1.0 s', '271', '87.5 %'],
        ['postgres', 'datastore', '1.0 s', '271', '92.3 %'],
        ['shop-journey', 'browser', '5.0 s', '54', '77.8 %'],
      ],
    );
    assert.equal(probes[2]![6], 'ECONNREFUSED ×21');
  });

  it('puts the chaos failures in the verdict banner, and the passes when it passed', () => {
    const reason = /<div class="verdict-reason">([^<]*)<\/div>/.exec(html)![1]!;
    assert.equal(reason, '1 fault of 5 (PostgreSQL stop) and availability (93.8 % &#60; 99.0 %) failed; 1 acknowledged write LOST');
    const good = withChaos(s, (x) => ({
      faults: x.faults.map((f) => ({ ...f, mttrMs: Math.min(f.mttrMs ?? 0, x.expectations.mttrMs), verdict: 'passed' as const, reasons: [] })),
      steadyState: x.steadyState.map((k) => ({ ...k, ok: true })),
      availability: { ...x.availability, ratio: 0.995 },
      ledger: { ...x.ledger!, lost: [], lostCount: 0 },
    }));
    const passed = renderHtml(good);
    assert.match(passed, /<div class="verdict-reason">all 2 thresholds met; all 5 faults passed<\/div>/);
  });

  it('has no chaos section, alert or chart for a run without chaos', () => {
    const plain = renderHtml(sampleSummary({ kind: 'fail' }));
    assert.doesNotMatch(plain, /id="chaos"|id="ledger"|id="steady-state"|data-loss-alert|chaosTimeline/);
    assert.equal(chartSpecs(sampleSummary({ kind: 'fail' })).chaosTimeline, undefined);
  });

  it('references nothing outside the file', () => {
    assert.doesNotMatch(text(html), /\s(src|href|srcset|action|poster|data)=/i);
  });

  it('escapes hostile chaos names everywhere, the loud boxes included', () => {
    const h = renderHtml(hostileChaosSummary());
    const withoutLibrary = h.replace(scripts(h)[2]!.body, '');
    assert.doesNotMatch(withoutLibrary, /<img/i);
    assert.doesNotMatch(text(h), /<[a-z][^>]*\son\w+=/i);
    assert.doesNotMatch(h, /<!--/);
    assert.equal(scripts(h).length, 4);
    const shown = /&#60;\/script&#62;&#60;img src=x onerror=alert\(1\)&#62;/;
    for (const id of ['data-loss-alert', 'rollback-alert', 'chaos-abort-alert', 'steady-state', 'ledger', 'rollback']) assert.match(section(h, id), shown, id);
    for (const id of ['fault-table', 'steady-state-table', 'probe-table', 'ledger-table', 'distribution-table']) assert.match(tableBody(h, id), shown, id);
    assert.match(section(h, 'data-loss-alert'), /<code>&#60;\/script&#62;&#60;img src=x onerror=alert\(1\)&#62;<\/code>/);
  });

  it('draws the fault timeline: client figures, one lane per probe, each fault shaded and its detection, alert and recovery marked', () => {
    const spec = chartSpecs(s).chaosTimeline!;
    assert.ok(spec.heightPx! > 300, 'taller than a standard chart');
    type Area = { data: [{ name?: string; xAxis: number; yAxis?: number }, { xAxis: number; yAxis?: number }][] };
    const series = spec.option.series as {
      name: string;
      xAxisIndex: number;
      markArea?: Area;
      markLine?: { data: { xAxis: number }[] };
      data: (number | null)[][];
    }[];
    assert.deepEqual(
      series.map((x) => x.name),
      ['p95', 'error rate', 'edge-ready', 'gateway-p95', 'postgres', 'shop-journey'],
    );
    const bands = series[0]!.markArea!.data.map(([a, b]) => [a.name, a.xAxis, b.xAxis]);
    // Reverted faults end at the revert; self-healing ones at their recovery.
    assert.deepEqual(bands, [
      ['Redis latency 300 ms', 60, 90],
      ['gateway replica kill #1', 110, 112],
      ['gateway replica kill #2', 135, 141],
      ['gateway replica kill #3', 160, 162],
      ['PostgreSQL stop', 190, 210],
    ]);
    const marks = series[0]!.markLine!.data.map((m) => m.xAxis);
    const expected = c.faults
      .flatMap((f) => [f.detectedMs, f.alertMs, f.recoveredMs])
      .filter((v): v is number => v !== null)
      .map((v) => v / 1000)
      .sort((a, b) => a - b);
    assert.deepEqual(marks, expected);
    assert.equal(marks.length, 14, '5 detections, 4 alerts, 5 recoveries');
    // The lanes repeat the bands, and the postgres lane is red exactly while the database was down.
    const lanes = series.slice(2);
    assert.ok(lanes.every((l) => l.xAxisIndex === 1));
    assert.deepEqual(
      lanes[0]!.markArea!.data.filter(([a]) => a.yAxis === undefined).map(([a, b]) => [a.xAxis, b.xAxis]),
      bands.map(([, a, b]) => [a, b]),
    );
    const pgBad = lanes[2]!.markArea!.data.filter(([a]) => a.yAxis !== undefined).map(([a, b]) => [a.xAxis, b.xAxis]);
    assert.deepEqual(pgBad, [[190, 211]]);
    // Each probe draws inside the lane its name labels (a category axis counts from the bottom).
    const names = (spec.option.yAxis as { type: string; data?: string[] }[]).find((y) => y.type === 'category')!.data!;
    for (const lane of lanes) {
      const base = names.indexOf(lane.name);
      const ys = lane.data.map((d) => d[1]).filter((y): y is number => y !== null);
      assert.ok(ys.length > 0 && ys.every((y) => y > base && y < base + 1), `${lane.name} stays in its lane`);
    }
    const share = (lane: number, tS: number): number | null => lanes[lane]!.data.find((d) => d[0] === tS)![2]!;
    assert.equal(share(2, 200), 0);
    assert.equal(share(2, 100), 100);
    assert.equal(share(3, 225), 0, 'the browser journey still failed after the database was back');
  });
});

describe('renderHtml: penetration runs', () => {
  const v = samplePentestSummary('vulnerable');
  const html = renderHtml(v);
  const cleanSummary = samplePentestSummary('clean');
  const clean = renderHtml(cleanSummary);
  const reason = (h: string): string => /<div class="verdict-reason">([^<]*)<\/div>/.exec(h)![1]!;
  const sec = v.security!;
  const failed = sec.checks.filter((c) => c.verdict === 'fail').sort((a, b) => b.cvss.score - a.cvss.score || a.id.localeCompare(b.id));
  const escaped = (x: string): string => x.replaceAll("'", '&#39;').replaceAll('"', '&#34;');

  it('the verdict banner names the findings, worst first', () => {
    assert.match(html, /data-testid="verdict-word">✗ FAILED</);
    assert.equal(
      reason(html),
      escaped(
        "2 critical findings: SEC-INJ-01 SQL injection in query inputs, SEC-JWT-01 Unsigned token accepted (alg none, any case); 3 high findings: SEC-SSRF-01 Server-side request forgery through URL inputs, SEC-BOLA-01 Another user's object over REST (read, update, delete), SEC-RL-03 Login limit keyed on a spoofable client-IP header; 3 medium findings; 1 check could not run (SEC-CFG-05); 2 attack classes not detected in time (authorization, ssrf)",
      ),
    );
    assert.match(clean, /data-testid="verdict-word">✓ PASSED</);
    const { counts: c } = cleanSummary.security!;
    assert.equal(
      reason(clean),
      `no vulnerability found: all ${c.pass} applicable checks passed (${c.notApplicable} not applicable); all 9 attack classes detected in time`,
    );
  });

  it('detection with no alert source is "not measured", never "detected 0 of 9" in red; a run in which no check applied is an ERROR', () => {
    const csec = cleanSummary.security!;
    const unmeasured = {
      ...csec,
      detection: csec.detection.map((d) => ({ ...d, alertMs: null, alertName: null, timeToDetectMs: null, ok: false, notMeasured: 'no alert source' })),
    };
    const s = { ...cleanSummary, security: unmeasured, verdict: judgeRun({ ...cleanSummary, security: unmeasured }, { kind: 'completed' }) };
    const h = renderHtml(s);
    assert.match(h, /data-testid="verdict-word">✓ PASSED</);
    assert.match(reason(h), /; detection not measured$/);
    const figure = /<div data-testid="figure-detection">([\s\S]*?)<\/div>/.exec(h)![1]!;
    assert.equal(tableless(figure).trim(), 'attack classes detected not measured');
    assert.doesNotMatch(figure, /result-fail/);
    assert.doesNotMatch(tableBody(h, 'detection-table'), /FAIL|not detected|row-fail/);
    const none = { ...unmeasured, checks: unmeasured.checks.map((c) => ({ ...c, verdict: 'not-applicable' as const })) };
    const n = renderHtml({ ...s, security: none, verdict: judgeRun({ ...s, security: none }, { kind: 'completed' }) });
    assert.match(n, /data-testid="verdict-word">! ERROR</);
    assert.match(reason(n), /^no check applied \(\d+ checks not applicable\): nothing was tested, which is not a pass/);
  });

  it('the verdict summary: critical and high counts, passed / failed / error / n-a, coverage, and the vulnerable switches, loudly', () => {
    const fig = tableless(section(html, 'security'));
    const { counts: c } = sec;
    const applicable = sec.checks.length - c.notApplicable;
    const detected = sec.detection.filter((d) => d.ok).length;
    assert.ok(
      fig.includes(
        `critical findings ${c.critical} high findings ${c.high} checks passed ${c.pass} of ${applicable} applicable failed ${c.fail} could not run ${c.error} not applicable ${c.notApplicable} verdict coverage ${(100 * sec.verdictCoverage).toFixed(1)} % attack classes detected ${detected} of ${sec.detection.length}`,
      ),
      fig,
    );
    assert.deepEqual([c.critical, c.high, c.fail, c.error], [2, 3, 8, 1]);
    assert.match(
      section(html, 'vulnerable-switches-alert'),
      new RegExp(
        `⚠ ${sec.vulnerableSwitches.length} vulnerable switches were ON</strong>[\\s\\S]*${sec.vulnerableSwitches.map((x) => `<code>${x}</code>`).join(', ')}`,
      ),
    );
    assert.ok(html.indexOf('vulnerable-switches-alert') < html.indexOf('id="security"'), 'the switches come before everything else');
    assert.doesNotMatch(clean, /vulnerable-switches-alert/);
    const cc = cleanSummary.security!.counts;
    assert.match(
      tableless(section(clean, 'security')),
      new RegExp(`critical findings 0 high findings 0 checks passed ${cc.pass} of ${cc.pass} applicable .* verdict coverage 100\\.0 %`),
    );
    assert.match(section(clean, 'security'), /vulnerable switches: none \(the platform as it ships\)/);
    assert.match(section(clean, 'security'), /✓ No vulnerability found/);
  });

  it('lists the findings worst first', () => {
    const rows = bodyRows(tableBody(html, 'findings-table')).map(cells);
    assert.deepEqual(
      rows.map((r) => r.slice(0, 4)),
      failed.map((f) => [`${f.severity.toUpperCase()} ${f.cvss.score}`, f.id, escaped(f.title), f.owasp]),
    );
    assert.deepEqual(rows[0]!.slice(0, 2), ['CRITICAL 9.8', 'SEC-INJ-01']);
  });

  it('groups every check by OWASP category, a table each, with id, title, severity, verdict and summary', () => {
    const cats = [...html.matchAll(/<h3 id="owasp-(API\d+)"/g)].map((m) => m[1]!);
    assert.deepEqual(cats, ['API1', 'API2', 'API3', 'API4', 'API5', 'API7', 'API8', 'API9']);
    const sizes = cats.map((c) => bodyRows(tableBody(html, `owasp-${c}-table`)).length);
    assert.deepEqual(
      sizes,
      cats.map((c) => sec.checks.filter((x) => x.owasp === c).length),
    );
    const api2 = sec.checks.filter((x) => x.owasp === 'API2');
    const count = (verdict: string): number => api2.filter((x) => x.verdict === verdict).length;
    assert.ok(
      html.includes(
        `<h3 id="owasp-API2" data-testid="owasp-API2">API2:2023 Broken Authentication <span class="small">${api2.length} checks: ${count('pass')} passed, <strong class="result-fail">${count('fail')} FAILED</strong>, ${count('not-applicable')} not applicable</span></h3>`,
      ),
    );
    const api8 = bodyRows(tableBody(html, 'owasp-API8-table'));
    const row = (id: string): string => api8.find((r) => r.includes(`>${id}<`))!;
    assert.deepEqual(cells(row('SEC-CFG-02')).slice(0, 4), ['SEC-CFG-02', 'CORS with a foreign origin', 'MEDIUM 6.5', '✓ PASS']);
    assert.match(row('SEC-CFG-02'), /class="sev sev-medium sev-muted"/, 'a passed check shows the severity it looked for, muted');
    assert.match(row('SEC-INJ-01'), /^ class="row-fail"/);
    assert.match(row('SEC-INJ-01'), /class="sev sev-critical">CRITICAL 9\.8/);
    assert.match(row('SEC-CFG-05'), /^ class="row-error"[\s\S]*! ERROR[\s\S]*auth: the TLS 1\.0-1\.1 handshake was cut without an alert/);
    const jwt08 = bodyRows(tableBody(html, 'owasp-API2-table')).find((r) => r.includes('>SEC-JWT-08<'))!;
    assert.match(jwt08, /^ class="row-skip"[\s\S]*– N\/A[\s\S]*the profile has no auth\.signingKeyFile/);
  });

  it('each failed check opens to its evidence: request line, headers, body, status and excerpt', () => {
    const details = [...html.matchAll(/<details class="evidence" data-testid="evidence-([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(details.sort(), failed.map((f) => f.id).sort());
    const check = failed.find((f) => f.id === 'SEC-JWT-01')!;
    const jwt = /<details class="evidence" data-testid="evidence-SEC-JWT-01">([\s\S]*?)<\/details>/.exec(html)![1]!;
    assert.ok(jwt.includes(`<summary>${check.summary} <span class="small">(${check.evidence.length} requests)</span></summary>`));
    assert.match(
      jwt,
      /<pre class="http" data-testid="evidence-request">GET http:\/\/127\.0\.0\.1:7300\/api\/me\nx-crucible-check: SEC-JWT-01\nauthorization: Bearer eyJhbGciOiJub25lIiwia2lkI/,
    );
    assert.ok(
      jwt.includes(`<pre class="http http-response" data-testid="evidence-response">→ HTTP 200\n${escaped(check.evidence[0]!.responseExcerpt!)}</pre>`),
    );
    assert.match(jwt, /CVSS 9\.1 <code>CVSS:3\.1\/AV:N\/AC:L\/PR:N\/UI:N\/S:U\/C:H\/I:H\/A:N<\/code> · CWE-347 · attack class authentication/);
    const rl = /data-testid="evidence-SEC-RL-03">([\s\S]*?)<\/details>/.exec(html)![1]!;
    assert.match(
      rl,
      /x-crucible-source-address: 127\.95\.158\.4\ncontent-type: application\/json\n\n\{&#34;username&#34;:&#34;crucible-rl-f6f29a3d-99&#34;/,
      'the body after the headers',
    );
    assert.doesNotMatch(clean, /<details/, 'a clean run has nothing to open');
  });

  it('the detection table: first attack, audit line, metric and alert with their delays, time to detect against the budget', () => {
    const rows = bodyRows(tableBody(html, 'detection-table'));
    assert.equal(rows.length, 9);
    const d = sec.detection.find((x) => x.attackClass === 'authentication')!;
    // Under a second in ms, else as a duration.
    const after = (ms: number | null): string => {
      const x = (ms ?? NaN) - d.firstAttackMs;
      return `+${x < 1000 ? `${Math.round(x)} ms` : formatDuration(x)}`;
    };
    assert.deepEqual(cells(rows.find((r) => r.includes('>authentication<'))!), [
      'authentication',
      formatClock(d.firstAttackMs),
      `${after(d.auditMs)} ${d.auditEvents.join(' ')}`,
      after(d.metricMs),
      `${d.alertName} ${after(d.alertMs)}`,
      `${formatDuration(d.timeToDetectMs ?? NaN)} / 1 min 00 s`,
      '✓ PASS',
    ]);
    assert.equal(d.alertName, 'CrucibleAuthFailureBurst');
    const ssrf = rows.find((r) => r.includes('>ssrf<'))!;
    assert.match(ssrf, /^ class="row-fail"/);
    assert.deepEqual(cells(ssrf).slice(2), ['none', 'none', 'none fired', 'not detected / 1 min 00 s', '✗ FAIL not detected (no audit line, no alert)']);
    assert.deepEqual(cells(rows.find((r) => r.includes('>authorization<'))!).slice(4), [
      'none fired',
      'not detected / 1 min 00 s',
      '✗ FAIL no alert (audit lines only)',
    ]);
    const late = sec.detection.map((x) => (x.attackClass === 'graphql' ? { ...x, alertMs: x.firstAttackMs + 71_000, timeToDetectMs: 71_000, ok: false } : x));
    const lateRun = { ...v, security: { ...sec, detection: late } };
    const lateRows = bodyRows(tableBody(renderHtml({ ...lateRun, verdict: judgeRun(lateRun, { kind: 'completed' }) }), 'detection-table'));
    assert.deepEqual(cells(lateRows.find((r) => r.includes('>graphql<'))!).slice(4), [
      'CrucibleGraphqlRejectedBurst +1 min 11 s',
      '1 min 11 s / 1 min 00 s',
      '✗ FAIL +1 min 11 s, over the 1 min 00 s budget',
    ]);
  });

  it('shows the checks instead of a request count, and no chart (a pentest sends no load)', () => {
    assert.ok(
      html.includes(`<dt>Checks</dt><dd>${sec.checks.length} <span class="small">(${sec.checks.length - sec.counts.notApplicable} applicable)</span></dd>`),
    );
    assert.doesNotMatch(html, /data-chart=/);
    assert.doesNotMatch(text(html), /\s(src|href|srcset|action|poster|data)=/i, 'references nothing outside the file');
  });

  it('escapes hostile checks and evidence everywhere: no markup from the data reaches the page', () => {
    const h = renderHtml(hostilePentestSummary());
    const withoutLibrary = h.replace(scripts(h)[2]!.body, '');
    assert.doesNotMatch(withoutLibrary, /<img/i);
    assert.doesNotMatch(text(h), /<[a-z][^>]*\son\w+=/i, 'no element carries an event handler');
    assert.doesNotMatch(h, /<!--/);
    assert.equal(scripts(h).length, 4, 'exactly the four script elements: nothing closed one early');
    assert.equal((h.match(/<details /g) ?? []).length, (h.match(/<\/details>/g) ?? []).length, 'no evidence closed its block early');
    assert.equal((text(h).match(/<pre /g) ?? []).length, (text(h).match(/<\/pre>/g) ?? []).length);
    const shown = /&#60;\/script&#62;&#60;img src=x onerror=alert\(1\)&#62;/;
    for (const id of ['vulnerable-switches-alert', 'security', 'owasp', 'detection']) assert.match(section(h, id), shown, id);
    assert.match(
      h,
      /&#60;\/pre&#62;&#60;\/details&#62;&#60;\/td&#62;&#60;\/tr&#62;&#60;\/table&#62;/,
      'a response excerpt that tries to close the evidence block is text',
    );
    assert.match(
      h,
      /<pre class="http" data-testid="evidence-request">&#60;\/script&#62;&#60;img src=x onerror=alert\(1\)&#62; http:\/\/127\.0\.0\.1:7300\/api\//,
      'the request line',
    );
  });
});

/** Section text with the tags dropped. */
function tableless(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}
