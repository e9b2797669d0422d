import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseThresholds } from '../../config/threshold-parser.ts';
import { projectRoot } from '../../util/project-root.ts';
import type { ThresholdResult } from '../../result/summary-model.ts';
import { k6MetricsView } from './k6-metrics-view.ts';
import { convertK6Summary, detectK6SummaryShape, fromHandleSummary, fromMachineReadable, fromSummaryExport } from './k6-summary.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(projectRoot(), 'fixtures', 'k6', name), 'utf8'));
const raw = (name: string): string => readFileSync(join(projectRoot(), 'fixtures', 'k6', name), 'utf8');

type Legacy = { metrics: Record<string, { values: Record<string, number> }> };
const hsFail = fixture('handle-summary-fail.json') as Legacy;
const hsPass = fixture('handle-summary-pass.json') as Legacy;

const verdict = (thresholds: readonly ThresholdResult[], metric: string, expression: string): ThresholdResult => {
  const t = thresholds.find((x) => x.metric === metric && x.expression === expression);
  assert.ok(t, `no threshold ${metric} ${expression}`);
  return t;
};

describe('detectK6SummaryShape()', () => {
  it('tells the three shapes apart', () => {
    assert.equal(detectK6SummaryShape(hsFail), 'handle-summary');
    assert.equal(detectK6SummaryShape(fixture('summary-export-fail.json')), 'summary-export');
    assert.equal(detectK6SummaryShape(fixture('machine-readable-fail.json')), 'machine-readable');
  });

  it('falls back on the groups when there are no metrics, and rejects anything else', () => {
    assert.equal(detectK6SummaryShape({ root_group: { name: '', groups: [], checks: [] }, metrics: {} }), 'handle-summary');
    assert.equal(detectK6SummaryShape({ root_group: { name: '', groups: {}, checks: {} }, metrics: {} }), 'summary-export');
    for (const junk of [null, 42, [], {}, { metrics: [] }, { version: 1 }]) assert.equal(detectK6SummaryShape(junk), undefined);
    assert.throws(() => convertK6Summary({ hello: 'world' }), /not a k6 summary/);
  });

  it('names the offending path of a malformed summary', () => {
    assert.throws(
      () => fromHandleSummary({ root_group: { name: '', groups: [], checks: [] }, metrics: { x: { type: 'histogram', contains: 'default', values: {} } } }),
      /metrics\.x\.type/,
    );
  });
});

describe('fromHandleSummary()', () => {
  const c = fromHandleSummary(hsFail);

  it("keeps every metric under k6's key, sub-metrics included, with types and units", () => {
    assert.equal(c.shape, 'handle-summary');
    assert.equal(Object.keys(c.metrics).length, Object.keys(hsFail.metrics).length);
    const login = c.metrics['http_req_duration{name:login}'];
    assert.equal(login?.type, 'trend');
    assert.equal(login.unit, 'ms');
    assert.equal(login.values['p(95)'], hsFail.metrics['http_req_duration{name:login}']!.values['p(95)']);
    assert.equal(login.values.count, 21);
    assert.ok(c.metrics['http_req_duration{expected_response:true}']);
    assert.deepEqual(c.metrics['data_received']?.unit, 'bytes');
    assert.deepEqual(c.metrics['vus_max'], { type: 'gauge', unit: 'count', values: { value: 5, min: 3, max: 5 } });
  });

  it("keeps k6's rate naming: passes of http_req_failed are the FAILED requests", () => {
    assert.deepEqual(c.metrics['http_req_failed'], { type: 'rate', unit: 'ratio', values: { rate: 4 / 120, passes: 4, fails: 116 } });
  });

  it("reads each threshold's ok as passed and fills in the value it was judged on", () => {
    const p95 = verdict(c.thresholds, 'http_req_duration', 'p(95)<200');
    assert.equal(p95.ok, false);
    assert.equal(p95.actual, hsFail.metrics['http_req_duration']!.values['p(95)']);
    assert.equal(verdict(c.thresholds, 'http_req_duration{name:login}', 'p(95)<300').ok, true);
    assert.deepEqual(
      c.thresholds.map((t) => [t.metric, t.expression, t.ok, t.actual]),
      [
        ['cache_hit', 'rate>0.8', true, 69 / 86],
        ['checks', 'rate>0.99', false, 211 / 219],
        ['dropped_iterations', 'count==0', false, 9],
        ['http_req_duration', 'p(95)<200', false, hsFail.metrics['http_req_duration']!.values['p(95)']],
        ['http_req_duration', 'p(99)<500', false, hsFail.metrics['http_req_duration']!.values['p(99)']],
        ['http_req_duration{name:login}', 'p(95)<300', true, hsFail.metrics['http_req_duration{name:login}']!.values['p(95)']],
        ['http_req_failed', 'rate<0.01', false, 4 / 120],
      ],
    );
    assert.ok(c.thresholds.every((t) => !t.abortOnFail && !t.aborted));
  });

  it('collects checks from the root and nested groups, named by group path', () => {
    assert.deepEqual(c.checks, [
      { name: 'login is 200', passes: 21, fails: 0 },
      { name: 'browse::product is 200', passes: 86, fails: 4 },
      { name: 'browse::x-cache present', passes: 86, fails: 4 },
      { name: 'browse::checkout::order is 201', passes: 9, fails: 0 },
      { name: 'browse::checkout::order has an id', passes: 9, fails: 0 },
    ]);
  });

  it('reports dropped iterations and the run duration', () => {
    assert.equal(c.droppedIterations, 9);
    assert.equal(c.durationMs, 10_002.687);
    assert.ok(c.notes.some((n) => /9 iterations were dropped/.test(n)));
  });

  it('passes every threshold of the passing run; one failed request there is passes: 1', () => {
    const pass = fromHandleSummary(hsPass);
    assert.ok(pass.thresholds.length === 7 && pass.thresholds.every((t) => t.ok));
    assert.equal(pass.droppedIterations, 0);
    const failed = pass.metrics['http_req_failed'];
    assert.ok(failed?.type === 'rate');
    assert.equal(failed.values.passes, 1);
    assert.equal(failed.values.rate, 1 / 131);
  });

  it("takes abortOnFail from crucible's thresholds and marks the aborting one", () => {
    const thresholds = parseThresholds({
      http_req_duration: [{ threshold: 'p(95) < 200', abortOnFail: true }, 'p(99)<500'],
      'http_req_duration{ name : login }': [{ threshold: 'p(95)<300', abortOnFail: true }],
    });
    const r = fromHandleSummary(hsFail, { thresholds, abortedOn: ['http_req_duration'] });
    assert.deepEqual(pick(verdict(r.thresholds, 'http_req_duration', 'p(95)<200')), { ok: false, abortOnFail: true, aborted: true });
    assert.deepEqual(pick(verdict(r.thresholds, 'http_req_duration', 'p(99)<500')), { ok: false, abortOnFail: false, aborted: false });
    assert.deepEqual(pick(verdict(r.thresholds, 'http_req_duration{name:login}', 'p(95)<300')), { ok: true, abortOnFail: true, aborted: false });
  });

  it('notes a crucible threshold k6 did not evaluate', () => {
    const r = fromHandleSummary(hsFail, { thresholds: parseThresholds({ http_req_waiting: ['p(95)<100'], http_req_failed: ['rate<0.01'] }) });
    assert.deepEqual(r.notes.filter((n) => n.startsWith('k6 did not evaluate')).length, 1);
    assert.ok(r.notes.some((n) => n.includes('http_req_waiting: p(95)<100') && n.includes('crucibleOptions()')));
  });

  it('turns trend statistics k6 was not asked for into NaN with a note', () => {
    const data = structuredClone(hsFail) as Legacy & Record<string, unknown>;
    for (const m of Object.values(data.metrics)) for (const k of ['p(99)', 'p(99.9)', 'count']) delete m.values[k];
    data.metrics['http_req_duration']!.values['p(75)'] = 50;
    const r = fromHandleSummary(data);
    const d = r.metrics['http_req_duration'];
    assert.ok(d?.type === 'trend' && Number.isNaN(d.values['p(99)']) && Number.isNaN(d.values.count));
    assert.equal(verdict(r.thresholds, 'http_req_duration', 'p(99)<500').actual, null);
    assert.ok(r.notes.some((n) => n.startsWith('k6 did not export count, p(99), p(99.9) for ')));
    assert.ok(r.notes.some((n) => n.includes('dropped: p(75)')));
  });
});

const pick = (t: ThresholdResult) => ({ ok: t.ok, abortOnFail: t.abortOnFail, aborted: t.aborted });

describe('fromSummaryExport()', () => {
  it('reads the inverted booleans (true = FAILED) as the same verdicts handleSummary gives', () => {
    const text = raw('summary-export-fail.json');
    assert.match(text, /"p\(95\)<200": true/, 'the recording says true for a failed threshold');
    assert.match(text, /"p\(95\)<300": false/);
    const e = fromSummaryExport(JSON.parse(text));
    assert.equal(verdict(e.thresholds, 'http_req_duration', 'p(95)<200').ok, false);
    assert.equal(verdict(e.thresholds, 'http_req_duration{name:login}', 'p(95)<300').ok, true);
    assert.deepEqual(e.thresholds, fromHandleSummary(hsFail).thresholds);
    assert.ok(fromSummaryExport(fixture('summary-export-pass.json')).thresholds.every((t) => t.ok));
  });

  it("reads a rate's value as its rate and gives back the same metrics, sub-metric keys preserved", () => {
    const text = raw('summary-export-fail.json');
    assert.match(text, /"value": 0\.0333/);
    assert.doesNotMatch(text, /"rate": 0\.0333/);
    const e = fromSummaryExport(JSON.parse(text));
    assert.deepEqual(e.metrics['http_req_failed']?.values, { rate: 4 / 120, passes: 4, fails: 116 });
    assert.deepEqual(e.metrics, fromHandleSummary(hsFail).metrics);
    assert.ok('http_req_duration{name:login}' in e.metrics);
  });

  it('collects checks from groups keyed by name, nested groups included', () => {
    assert.deepEqual(fromSummaryExport(fixture('summary-export-fail.json')).checks, fromHandleSummary(hsFail).checks);
  });

  it('has no run duration and says types were inferred', () => {
    const e = fromSummaryExport(fixture('summary-export-fail.json'));
    assert.equal(e.durationMs, null);
    assert.equal(e.droppedIterations, 9);
    assert.ok(e.notes.some((n) => /inferred/.test(n)));
  });

  it('notes custom trends whose unit it cannot know', () => {
    const e = fromSummaryExport({
      root_group: { name: '', groups: {}, checks: {} },
      metrics: { checkout_time: { avg: 1, min: 1, med: 1, max: 1, 'p(90)': 1, 'p(95)': 1 } },
    });
    assert.equal(e.metrics['checkout_time']?.unit, 'count');
    assert.ok(e.notes.some((n) => n.includes('checkout_time')));
  });
});

describe('fromMachineReadable()', () => {
  const m = fromMachineReadable(fixture('machine-readable-fail.json'));
  const legacy = fromHandleSummary(hsFail);

  it('has no thresholds and says so', () => {
    assert.equal(m.shape, 'machine-readable');
    assert.deepEqual(m.thresholds, []);
    assert.ok(m.notes.some((n) => /carries no threshold results/.test(n)));
  });

  it('maps p90/p95 and marks the statistics it lacks (p(99), p(99.9), count)', () => {
    const d = m.metrics['http_req_duration'];
    const l = legacy.metrics['http_req_duration'];
    assert.ok(d?.type === 'trend' && l?.type === 'trend');
    assert.equal(d.values['p(95)'], l.values['p(95)']);
    assert.equal(d.values['p(90)'], l.values['p(90)']);
    assert.equal(d.values.med, l.values.med);
    assert.ok(Number.isNaN(d.values['p(99)']) && Number.isNaN(d.values['p(99.9)']));
    assert.ok(m.notes.some((n) => n.startsWith('k6 did not export count, p(99), p(99.9)')));
  });

  it('maps rates {matches,total,rate} to passes/fails and derives counter rates from the duration', () => {
    assert.deepEqual(m.metrics['http_req_failed']?.values, { rate: 4 / 120, passes: 4, fails: 116 });
    const reqs = m.metrics['http_reqs'];
    const legacyReqs = legacy.metrics['http_reqs'];
    assert.ok(reqs?.type === 'counter' && legacyReqs?.type === 'counter');
    assert.equal(reqs.values.count, 120);
    assert.ok(Math.abs(reqs.values.rate - legacyReqs.values.rate) < 1e-9);
    assert.equal(m.durationMs, 10_002.687);
    assert.equal(m.droppedIterations, 9);
  });

  it('takes the checks rate from checks_succeeded and lists checks without their groups', () => {
    assert.deepEqual(m.metrics['checks']?.values, legacy.metrics['checks']?.values);
    assert.deepEqual(
      m.checks.map((c) => c.name),
      ['login is 200', 'product is 200', 'x-cache present', 'order is 201', 'order has an id'],
    );
    assert.ok(m.notes.some((n) => /without their groups/.test(n)));
  });

  it('accepts the early spelling (p(90)/p(95), camelCase metadata)', () => {
    const early = fixture('machine-readable-fail.json') as {
      metadata: Record<string, unknown>;
      results: { metrics: { type: string; values: Record<string, number> }[] };
    };
    early.metadata = { generatedAt: '2026-08-21T08:00:10.412Z', k6Version: '1.5.0' };
    for (const metric of early.results.metrics) {
      if (metric.type !== 'trend') continue;
      metric.values = Object.fromEntries(Object.entries(metric.values).map(([k, v]) => [k.replace(/^p(\d+)$/, 'p($1)'), v]));
    }
    assert.deepEqual(fromMachineReadable(early).metrics, m.metrics);
  });
});

describe('k6MetricsView()', () => {
  const view = k6MetricsView(fromHandleSummary(hsFail).metrics);

  it('looks up sub-metrics by tag filter or by key, however the tags are spelled', () => {
    const login = view.trend('http_req_duration', { name: 'login' });
    assert.equal(login?.['p(95)'], hsFail.metrics['http_req_duration{name:login}']!.values['p(95)']);
    assert.deepEqual(view.trend('http_req_duration{name:login}'), login);
    assert.deepEqual(view.trend('http_req_duration{ name: "login" }'), login);
    assert.deepEqual(view.trend('http_req_duration', { expected_response: 'true' })?.count, 116);
  });

  it('answers each kind only for its own type, and undefined for what k6 did not export', () => {
    assert.equal(view.rate('http_req_failed')?.passes, 4);
    assert.equal(view.counter('dropped_iterations')?.count, 9);
    assert.equal(view.gauge('vus_max')?.max, 5);
    assert.equal(view.trend('http_req_failed'), undefined);
    assert.equal(view.trend('http_req_duration', { name: 'product' }), undefined);
    assert.equal(view.typeOf('cache_hit'), 'rate');
    assert.equal(view.typeOf('nothing'), undefined);
  });
});
