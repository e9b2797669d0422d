import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../util/project-root.ts';
import { interpolated } from '../../util/percentile.ts';
import { parseK6OutputLine, parseK6Time, readK6Points, RequestTableBuilder, requestName, seriesFromPoints } from './k6-points.ts';

const file = join(projectRoot(), 'fixtures', 'k6', 'points-fail.ndjson');
const text = readFileSync(file, 'utf8');
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const close = (a: number | null | undefined, b: number, what: string): void =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);

/** 2026-08-21T10:00:00+02:00, the recording's first point. */
const ORIGIN = Date.UTC(2026, 7, 21, 8, 0, 0);

describe('parseK6Time() and parseK6OutputLine()', () => {
  it("keeps the sub-millisecond part of Go's RFC 3339 nanosecond times, in any zone", () => {
    assert.equal(parseK6Time('2026-08-21T10:00:00+02:00'), ORIGIN);
    close(parseK6Time('2026-08-21T10:00:01.019633077+02:00'), ORIGIN + 1_019.633077, 'nanoseconds');
    close(parseK6Time('2026-08-21T08:00:00.5Z'), ORIGIN + 500, 'UTC');
    assert.ok(Number.isNaN(parseK6Time('yesterday')));
  });

  it('reads Metric and Point lines and skips anything else', () => {
    assert.deepEqual(
      parseK6OutputLine('{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}'),
      { kind: 'metric', name: 'vus', type: 'gauge', contains: 'default' },
    );
    assert.deepEqual(
      parseK6OutputLine('{"type":"Point","data":{"time":"2026-08-21T08:00:00Z","value":3,"tags":{"a":"b"},"metadata":{"vu":"1"}},"metric":"x"}'),
      { kind: 'point', point: { metric: 'x', timeMs: ORIGIN, value: 3, tags: { a: 'b' } } },
    );
    for (const junk of ['', '{"type":"Point","data":{"ti', '[]', '{"type":"Point","data":{"time":"now","value":1},"metric":"x"}'])
      assert.equal(parseK6OutputLine(junk), undefined);
  });
});

describe('seriesFromPoints()', () => {
  const { series, originMs, notes } = seriesFromPoints(text, 1_000);

  it('starts at the first point and covers the run in whole intervals', () => {
    assert.equal(originMs, ORIGIN);
    assert.equal(series.intervalMs, 1_000);
    assert.deepEqual(series.t, [0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000]);
    for (const column of [
      series.rps,
      series.errorRate,
      series.p50Ms,
      series.p95Ms,
      series.p99Ms,
      series.vus,
      series.targetRps,
      series.dropped,
      series.cacheHitRate,
    ]) {
      assert.equal(column.length, series.t.length);
    }
    assert.deepEqual(notes, []);
  });

  it('counts every request, failure and dropped iteration once', () => {
    assert.equal(sum(series.rps), 120);
    assert.deepEqual(series.rps.slice(0, 4), [13, 13, 11, 15]);
    const failedPerInterval = series.errorRate.map((r, i) => Math.round(r * series.rps[i]!));
    assert.equal(sum(failedPerInterval), 4);
    assert.equal(series.errorRate[0], 0);
    assert.equal(sum(series.dropped), 9);
    assert.ok(
      series.dropped.slice(0, 4).every((d) => d === 0),
      'no drops before the degraded window',
    );
  });

  it('computes exact per-interval percentiles of http_req_duration', () => {
    // Expected values from Python's statistics.quantiles(method='inclusive') over the same points.
    close(series.p50Ms[0], 18.155339, 'p50 interval 0');
    close(series.p95Ms[0], 133.7139532, 'p95 interval 0');
    close(series.p99Ms[0], 155.64946984, 'p99 interval 0');
    close(series.p50Ms[4], 64.27215, 'p50 interval 4');
    close(series.p95Ms[4], 573.228407, 'p95 interval 4');
    close(series.p99Ms[4], 702.3461214, 'p99 interval 4');
    close(series.p95Ms[7], 1458.04706375, 'p95 interval 7');
    close(series.p99Ms[7], 1545.00984875, 'p99 interval 7');
    assert.equal(series.p95Ms[10], null, 'no request in the last interval');
  });

  it('agrees with a brute-force recomputation on every interval', () => {
    const byInterval = new Map<number, number[]>();
    for (const line of text.split('\n')) {
      const p = parseK6OutputLine(line);
      if (p?.kind !== 'point' || p.point.metric !== 'http_req_duration') continue;
      const i = Math.floor((p.point.timeMs - ORIGIN) / 1_000);
      byInterval.set(i, [...(byInterval.get(i) ?? []), p.point.value]);
    }
    for (let i = 0; i < series.t.length; i++) {
      const values = (byInterval.get(i) ?? []).sort((a, b) => a - b);
      assert.equal(series.p95Ms[i], interpolated(values, 0.95), `interval ${i}`);
    }
  });

  it('follows vus, cache hits and intervals of other lengths', () => {
    assert.equal(series.vus[0], 1);
    assert.ok(Math.max(...series.vus) <= 5);
    assert.ok(series.cacheHitRate.every((r) => r === null || (r >= 0 && r <= 1)));
    const half = seriesFromPoints(text, 500).series;
    assert.equal(half.t.length, 21);
    assert.equal(sum(half.rps) / 2, 120);
    assert.equal(sum(half.dropped), 9);
  });

  it('leaves points that arrive too far out of order out of the percentiles, and says so', () => {
    // The recording is flushed in 200 ms batches in VU order: 100 ms intervals closed at once see late points.
    const strict = seriesFromPoints(text, 100, { latenessMs: 0 });
    assert.equal(Math.round(sum(strict.series.rps) / 10), 120, 'late points still count as requests');
    assert.ok(strict.notes.some((n) => /out of time order/.test(n)));
    assert.deepEqual(seriesFromPoints(text, 100).notes, [], 'the default lateness covers a flush batch');

    const point = (ms: number, value: number): string =>
      JSON.stringify({ type: 'Point', data: { time: new Date(ORIGIN + ms).toISOString(), value, tags: {} }, metric: 'http_req_duration' });
    const lines = [point(0, 10), point(30_000, 20), point(500, 99_999)].join('\n');
    const late = seriesFromPoints(lines, 1_000);
    assert.equal(late.series.p95Ms[0], 10, 'a point 30 s late does not reach a closed interval');
    assert.equal(late.series.rps[0], 2);
    assert.match(late.notes.find((n) => n.includes('latency points')) ?? '', /^1 latency points arrived/);
    assert.ok(
      late.notes.some((n) => n.startsWith('error rate not measured')),
      'these points have no http_req_failed',
    );
  });

  it('uses http_req_duration for rps when there are no http_reqs points, and notes junk lines', () => {
    const only = text
      .split('\n')
      .filter((l) => !l.includes('"metric":"http_reqs"'))
      .join('\n');
    assert.equal(sum(seriesFromPoints(only, 1_000).series.rps), 120);
    assert.match(seriesFromPoints(`${text}\nnot json\n`, 1_000).notes.join(), /1 lines of the points file/);
  });
});

describe('readK6Points()', () => {
  it('streams the file into the same series, plus the request table', async () => {
    const r = await readK6Points(file, 1_000);
    assert.deepEqual(r.series, seriesFromPoints(text, 1_000).series);
    const rows = r.requests(10_002.687);
    assert.deepEqual(rows.map((row) => [row.method, row.name]).sort(), [
      ['GET', 'product'],
      ['POST', 'login'],
      ['POST', 'order'],
    ]);
    assert.equal(sum(rows.map((row) => row.count)), 120);
    const product = rows.find((row) => row.name === 'product')!;
    assert.equal(product.failed, 4);
    assert.equal(product.statuses['503'], 4);
    assert.equal(product.statuses['200'], product.count - 4);
    close(product.rps, product.count / 10.002687, 'rps over the run');
    assert.ok(product.p50Ms <= product.p95Ms && product.p95Ms <= product.p99Ms && product.p99Ms <= product.maxMs * 1.001);
  });
});

describe('RequestTableBuilder', () => {
  it('groups requests k6 named by their URL as METHOD /path/:id, and keeps script names', () => {
    assert.equal(requestName({ method: 'GET', name: 'http://h:1/api/products/42?x=1', url: 'http://h:1/api/products/42?x=1' }), 'GET /api/products/:id');
    assert.equal(requestName({ method: 'GET', name: 'product', url: 'http://h:1/api/products/42' }), 'product');
    assert.equal(requestName({ method: 'POST', url: 'http://h:1/api/orders/7/items' }), 'POST /api/orders/:id/items');
  });

  it('folds requests past maxRows into one row', () => {
    const table = new RequestTableBuilder(2);
    for (const name of ['a', 'b', 'c', 'd', 'a']) table.add({ metric: 'http_reqs', timeMs: 0, value: 1, tags: { name, method: 'GET', status: '200' } });
    assert.deepEqual(
      table.finish(1_000).map((r) => [r.name, r.count]),
      [
        ['(other requests)', 2],
        ['a', 2],
        ['b', 1],
      ],
    );
  });
});
