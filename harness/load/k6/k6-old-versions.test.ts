import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseThresholds } from '../../config/threshold-parser.ts';
import { projectRoot } from '../../util/project-root.ts';
import { interpolated, nearestRank } from '../../util/percentile.ts';
import { parseK6OutputLine, POINTS_ERROR_RATE_NOT_MEASURED, readK6Points, seriesFromPoints } from './k6-points.ts';
import { convertK6Summary, ERROR_RATE_NOT_MEASURED } from './k6-summary.ts';

/**
 * The three shapes issue 13 found in real k6 outputs, on small recordings in those shapes
 * (fixtures/k6/old-versions/README.md): per-request percentiles from a point stream (k6 interpolates
 * between ranks), a --summary-export of k6 0.26-0.29 (every rate written as 0) and a point stream
 * of k6 before 0.31 (no http_req_failed).
 */

const dir = join(projectRoot(), 'fixtures', 'k6');
const close = (a: number | null | undefined, b: number, what: string): void =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);

/** Every http_req_duration sample of a points file, by the request's name tag. */
function durationsByName(file: string): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const p = parseK6OutputLine(line);
    if (p?.kind !== 'point' || p.point.metric !== 'http_req_duration') continue;
    const name = p.point.tags['name'] ?? '';
    by.set(name, [...(by.get(name) ?? []), p.point.value]);
  }
  return by;
}

describe("per-request percentiles from a point stream are k6's", () => {
  it('interpolates between ranks over every sample of a row (points-fail.ndjson)', async () => {
    const file = join(dir, 'points-fail.ndjson');
    const rows = (await readK6Points(file, 1_000)).requests(10_000);
    // Expected values from Python's statistics.quantiles(method='inclusive') (type 7, k6's definition) over the same points.
    const expected: Record<string, [number, number, number]> = {
      product: [15.9322275, 855.7933211, 1544.11209026],
      login: [110.599904, 161.133349, 167.9541146],
      order: [123.133442, 171.2562724, 177.13428008],
    };
    const samples = durationsByName(file);
    for (const row of rows) {
      const [p50, p95, p99] = expected[row.name]!;
      close(row.p50Ms, p50, `${row.name} p50`);
      close(row.p95Ms, p95, `${row.name} p95`);
      close(row.p99Ms, p99, `${row.name} p99`);
      const sorted = samples.get(row.name)!.sort((a, b) => a - b);
      assert.equal(row.p95Ms, interpolated(sorted, 0.95), `${row.name}: the percentile home's k6 definition, to the bit`);
    }
  });

  it('with 10 samples p95 is between the two slowest, not the maximum (points-v0.30.ndjson)', async () => {
    const file = join(dir, 'old-versions', 'points-v0.30.ndjson');
    const [row] = (await readK6Points(file, 1_000)).requests(10_000);
    assert.ok(row);
    assert.equal(row.name, 'GET /api/products/:id');
    assert.equal(row.count, 10);
    // h = 0.95 × 9 = 8.55: 60.809771 + 0.55 × (250.316041 - 60.809771)
    close(row.p95Ms, 165.0382195, 'p95');
    close(row.p99Ms, 233.2604767, 'p99');
    close(row.p50Ms, 24.1592095, 'p50: the mean of the middle two, as k6 prints med');
    assert.equal(row.maxMs, 250.316041);
    const all = [...durationsByName(file).values()].flat().sort((a, b) => a - b);
    assert.equal(nearestRank(all, 0.95), row.maxMs, 'the nearest rank would have reported the maximum');
  });
});

describe('--summary-export from k6 0.26-0.29 (every rate exported as 0)', () => {
  const json: unknown = JSON.parse(readFileSync(join(dir, 'old-versions', 'summary-export-v0.29.json'), 'utf8'));
  const r = convertK6Summary(json);

  it('derives each rate from passes and fails, and says which it rewrote', () => {
    assert.equal(r.shape, 'summary-export');
    const rate = (key: string): number => {
      const m = r.metrics[key];
      assert.equal(m?.type, 'rate', key);
      return m.type === 'rate' ? m.values.rate : Number.NaN;
    };
    assert.equal(rate('checks'), 39 / 40);
    assert.equal(rate('cache_hit'), 14 / 20);
    const note = r.notes.find((n) => n.startsWith('rates were derived from passes'));
    assert.match(note ?? '', /checks \(0 in the file, 0\.975 from passes\/fails\), cache_hit \(0 in the file, 0\.7 from passes\/fails\)/);
  });

  it("judges k6's own threshold verdict on the derived rate", () => {
    const t = r.thresholds.find((x) => x.metric === 'checks');
    assert.deepEqual([t?.expression, t?.ok, t?.actual], ['rate>0.9', true, 0.975]);
  });

  it('leaves a stored rate that agrees with passes/fails alone (k6 0.30 and later)', () => {
    const fixed = structuredClone(json) as { metrics: Record<string, Record<string, unknown>> };
    fixed.metrics['checks']!['value'] = 0.975;
    fixed.metrics['cache_hit']!['value'] = 0.7;
    const again = convertK6Summary(fixed);
    assert.equal(again.notes.filter((n) => n.startsWith('rates were derived')).length, 0);
    assert.equal(again.metrics['checks']?.type === 'rate' && again.metrics['checks'].values.rate, 0.975);
  });
});

describe('k6 before 0.31: no http_req_failed', () => {
  it('a summary says the error rate was not measured, and a threshold on it fails without a value', () => {
    const json: unknown = JSON.parse(readFileSync(join(dir, 'old-versions', 'summary-export-v0.29.json'), 'utf8'));
    const r = convertK6Summary(json, { thresholds: parseThresholds({ http_req_failed: ['rate<0.01'], checks: ['rate>0.9'] }) });
    assert.equal(r.metrics['http_req_failed'], undefined, 'no error rate is made up');
    assert.ok(r.notes.includes(ERROR_RATE_NOT_MEASURED));
    const t = r.thresholds.find((x) => x.metric === 'http_req_failed');
    assert.deepEqual(t && { ok: t.ok, actual: t.actual, aggregation: t.aggregation, aborted: t.aborted }, {
      ok: false,
      actual: null,
      aggregation: 'rate',
      aborted: false,
    });
    assert.ok(r.notes.some((n) => n.includes('k6 reported no http_req_failed metric, so the threshold http_req_failed: rate<0.01 was not measured and fails')));
  });

  it('a point stream says so too, and its series and rows are still read', async () => {
    const file = join(dir, 'old-versions', 'points-v0.30.ndjson');
    const r = await readK6Points(file, 1_000);
    assert.deepEqual(r.notes, [POINTS_ERROR_RATE_NOT_MEASURED]);
    assert.equal(
      r.series.rps.reduce((a, b) => a + b, 0),
      10,
    );
    assert.equal(r.requests(10_000)[0]?.statuses['503'], 1);
  });

  it('a stream with http_req_failed has no such note', () => {
    assert.deepEqual(seriesFromPoints(readFileSync(join(dir, 'points-fail.ndjson'), 'utf8'), 1_000).notes, []);
  });
});
