import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ClientSeries, RequestRow } from '../../result/summary-model.ts';
import { interpolated } from '../../util/percentile.ts';
import { SampleStore } from './sample-store.ts';

/**
 * k6's `--out json=<file>` output: one JSON object per line, a `Metric` line the first time a metric
 * appears, then `Point` lines (`{"type":"Point","data":{"time","value","tags"},"metric"}`). Every
 * request yields a point per HTTP metric, so the file is read as a stream and each interval keeps
 * its latencies only until later intervals have arrived (k6 writes points in flush batches, not in
 * strict time order).
 */

export interface K6Point {
  readonly metric: string;
  /** Epoch milliseconds, sub-millisecond part kept. */
  readonly timeMs: number;
  readonly value: number;
  readonly tags: Readonly<Record<string, string>>;
}

export type K6OutputLine =
  { readonly kind: 'point'; readonly point: K6Point } | { readonly kind: 'metric'; readonly name: string; readonly type: string; readonly contains: string };

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** Go's RFC 3339 with nanoseconds (`2026-08-21T10:00:00.123456789+02:00`) to epoch ms; NaN if malformed. */
export function parseK6Time(text: string): number {
  const m = RFC3339.exec(text);
  if (!m) return Number.NaN;
  return Date.parse(`${m[1]}${m[3]}`) + (m[2] ? Number(`0${m[2]}`) * 1_000 : 0);
}

/** One line of the output; undefined for blank, malformed or unknown lines. */
export function parseK6OutputLine(line: string): K6OutputLine | undefined {
  if (!line.trim()) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof obj !== 'object' || obj === null) return undefined;
  const { type, metric, data } = obj as { type?: unknown; metric?: unknown; data?: Record<string, unknown> };
  if (typeof metric !== 'string' || typeof data !== 'object' || data === null) return undefined;
  if (type === 'Metric') return { kind: 'metric', name: metric, type: String(data['type']), contains: String(data['contains']) };
  if (type !== 'Point' || typeof data['time'] !== 'string' || typeof data['value'] !== 'number') return undefined;
  const timeMs = parseK6Time(data['time']);
  if (Number.isNaN(timeMs)) return undefined;
  const tags = typeof data['tags'] === 'object' && data['tags'] !== null ? (data['tags'] as Record<string, string>) : {};
  return { kind: 'point', point: { metric, timeMs, value: data['value'], tags } };
}

/** Said when a points file has HTTP requests but no http_req_failed points (k6 before v0.31). */
export const POINTS_ERROR_RATE_NOT_MEASURED =
  'error rate not measured in the points file: it has no http_req_failed points (k6 before v0.31 has no such metric), so the error-rate series and the per-request failed counts read 0 without having been measured';

export interface SeriesOptions {
  /** Epoch ms of interval 0's start. @default the first point's time */
  readonly originMs?: number;
  /** How far out of time order a point may arrive and still count in its interval's percentiles. @default 10_000 */
  readonly latenessMs?: number;
}

interface Bucket {
  requests: number;
  durationCount: number;
  failed: number;
  failTotal: number;
  /** Latencies until the interval is finalized; then null and the percentiles are set. */
  durations: number[] | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  vus: number | null;
  vusAtMs: number;
  dropped: number;
  cacheHits: number;
  cacheTotal: number;
}

const newBucket = (): Bucket => ({
  requests: 0,
  durationCount: 0,
  failed: 0,
  failTotal: 0,
  durations: [],
  p50: null,
  p95: null,
  p99: null,
  vus: null,
  vusAtMs: -Infinity,
  dropped: 0,
  cacheHits: 0,
  cacheTotal: 0,
});

function finalize(b: Bucket): void {
  if (b.durations === null) return;
  const sorted = b.durations.sort((x, y) => x - y);
  // Interpolated, as k6's own TrendSink computes them, so the series agree with k6's summary.
  b.p50 = interpolated(sorted, 0.5);
  b.p95 = interpolated(sorted, 0.95);
  b.p99 = interpolated(sorted, 0.99);
  b.durations = null;
}

/**
 * Per-interval client series from k6's points: rps from http_reqs (or http_req_duration), error rate
 * from http_req_failed, exact p50/p95/p99 of http_req_duration, vus, dropped_iterations and cache_hit.
 * Memory is bounded by the latencies of the intervals still open (latenessMs worth of requests).
 */
class PointSeriesBuilder {
  private readonly intervalMs: number;
  private readonly lateIntervals: number;
  private readonly buckets = new Map<number, Bucket>();
  private origin: number | undefined;
  private maxIndex = -1;
  private finalizedUpTo = -1;
  private sawHttpReqs = false;
  private sawFailed = false;
  private durationPoints = 0;
  private late = 0;
  private lastMs = -Infinity;

  constructor(intervalMs: number, options: SeriesOptions = {}) {
    if (!(intervalMs > 0)) throw new Error(`intervalMs must be positive, got ${intervalMs}`);
    this.intervalMs = intervalMs;
    this.origin = options.originMs;
    this.lateIntervals = Math.ceil((options.latenessMs ?? 10_000) / intervalMs);
  }

  add(p: K6Point): void {
    this.origin ??= p.timeMs;
    this.lastMs = Math.max(this.lastMs, p.timeMs);
    const index = Math.max(0, Math.floor((p.timeMs - this.origin) / this.intervalMs));
    let b = this.buckets.get(index);
    if (!b) {
      b = newBucket();
      if (index <= this.finalizedUpTo) b.durations = null;
      this.buckets.set(index, b);
    }
    switch (p.metric) {
      case 'http_reqs':
        this.sawHttpReqs = true;
        b.requests += p.value;
        break;
      case 'http_req_duration':
        this.durationPoints += 1;
        b.durationCount += 1;
        if (b.durations) b.durations.push(p.value);
        else this.late += 1;
        break;
      case 'http_req_failed':
        this.sawFailed = true;
        b.failTotal += 1;
        if (p.value !== 0) b.failed += 1;
        break;
      case 'vus':
        if (p.timeMs >= b.vusAtMs) {
          b.vus = p.value;
          b.vusAtMs = p.timeMs;
        }
        break;
      case 'dropped_iterations':
        b.dropped += p.value;
        break;
      case 'cache_hit':
        b.cacheTotal += 1;
        if (p.value !== 0) b.cacheHits += 1;
        break;
    }
    if (index > this.maxIndex) {
      this.maxIndex = index;
      for (let i = this.finalizedUpTo + 1; i < index - this.lateIntervals; i++) {
        const old = this.buckets.get(i);
        if (old) finalize(old);
        this.finalizedUpTo = i;
      }
    }
  }

  /** Epoch ms of interval 0 (undefined before the first point). */
  get originMs(): number | undefined {
    return this.origin;
  }

  /** Time of the latest point seen. */
  get lastPointMs(): number | undefined {
    return Number.isFinite(this.lastMs) ? this.lastMs : undefined;
  }

  finish(): { series: ClientSeries; notes: string[] } {
    const n = this.maxIndex + 1;
    const s = {
      t: [] as number[],
      rps: [] as number[],
      errorRate: [] as number[],
      p50: [] as (number | null)[],
      p95: [] as (number | null)[],
      p99: [] as (number | null)[],
      vus: [] as number[],
      dropped: [] as number[],
      cache: [] as (number | null)[],
    };
    let vus = 0;
    for (let i = 0; i < n; i++) {
      const b = this.buckets.get(i) ?? newBucket();
      finalize(b);
      if (b.vus !== null) vus = b.vus;
      s.t.push(i * this.intervalMs);
      s.rps.push(((this.sawHttpReqs ? b.requests : b.durationCount) * 1_000) / this.intervalMs);
      s.errorRate.push(b.failTotal > 0 ? b.failed / b.failTotal : 0);
      s.p50.push(b.p50);
      s.p95.push(b.p95);
      s.p99.push(b.p99);
      s.vus.push(vus);
      s.dropped.push(b.dropped);
      s.cache.push(b.cacheTotal > 0 ? b.cacheHits / b.cacheTotal : null);
    }
    const notes: string[] = [];
    if ((this.sawHttpReqs || this.durationPoints > 0) && !this.sawFailed) notes.push(POINTS_ERROR_RATE_NOT_MEASURED);
    if (this.late > 0) {
      notes.push(
        `${this.late} latency points arrived more than ${this.lateIntervals * this.intervalMs} ms out of time order: counted in rps, left out of their interval's percentiles`,
      );
    }
    const series: ClientSeries = {
      intervalMs: this.intervalMs,
      t: s.t,
      rps: s.rps,
      errorRate: s.errorRate,
      p50Ms: s.p50,
      p95Ms: s.p95,
      p99Ms: s.p99,
      vus: s.vus,
      targetRps: s.t.map(() => null),
      dropped: s.dropped,
      cacheHitRate: s.cache,
    };
    return { series, notes };
  }
}

interface RequestAcc {
  readonly name: string;
  readonly method: string;
  requests: number;
  durations: number;
  failed: number;
  maxMs: number;
  readonly statusFromReqs: Record<string, number>;
  readonly statusFromDurations: Record<string, number>;
  readonly durationsMs: SampleStore;
}

/**
 * The name a request is listed under: its `name` tag. k6 sets that tag to the URL when the script
 * names nothing; such requests are grouped the way crucible's engine names unnamed requests,
 * `METHOD /path` with numeric path segments as `:id`, so /api/products/1..10000 make one row.
 */
export function requestName(tags: Readonly<Record<string, string>>): string {
  const name = tags['name'] ?? tags['url'] ?? '';
  if (tags['url'] === undefined || name !== tags['url']) return name;
  let path = name;
  try {
    path = new URL(name).pathname;
  } catch {
    // not an absolute URL: keep it as it is
  }
  return `${tags['method'] ?? ''} ${path.replace(/\/\d+(?=\/|$)/g, '/:id')}`.trim();
}

/**
 * The per-request table (RequestRow) from the points, keyed by method and request name, past maxRows
 * distinct requests the rest share one row. p50/p95/p99 are k6's: linear interpolation between the
 * closest ranks of every http_req_duration sample of the row (util/percentile.ts `interpolated`, what
 * k6's TrendSink computes), so they equal what k6's summary prints for the same sub-metric.
 *
 * Memory: exact needs every sample (k6 holds them all as well, for this and seven more trends per
 * request), so each is kept as one 8-byte float: 8 B per request, 80 MB for 10 million. The points
 * file that fed them is far larger (a request writes a dozen point lines of 300 to 500 B each,
 * about 4 KB), so what is kept stays under 0.5 % of the file's size, whatever the run's length.
 */
export class RequestTableBuilder {
  private readonly rows = new Map<string, RequestAcc>();
  private readonly maxRows: number;
  private sawHttpReqs = false;

  constructor(maxRows = 500) {
    this.maxRows = maxRows;
  }

  add(p: K6Point): void {
    if (p.metric !== 'http_reqs' && p.metric !== 'http_req_duration' && p.metric !== 'http_req_failed') return;
    let name = requestName(p.tags);
    let method = p.tags['method'] ?? '';
    let key = `${method} ${name}`;
    if (!this.rows.has(key) && this.rows.size >= this.maxRows) [name, method, key] = ['(other requests)', '', '(other)'];
    let row = this.rows.get(key);
    if (!row) {
      row = {
        name,
        method,
        requests: 0,
        durations: 0,
        failed: 0,
        maxMs: 0,
        statusFromReqs: {},
        statusFromDurations: {},
        durationsMs: new SampleStore(),
      };
      this.rows.set(key, row);
    }
    const status = p.tags['status'] ?? '0';
    if (p.metric === 'http_reqs') {
      this.sawHttpReqs = true;
      row.requests += p.value;
      row.statusFromReqs[status] = (row.statusFromReqs[status] ?? 0) + p.value;
    } else if (p.metric === 'http_req_duration') {
      row.durations += 1;
      row.maxMs = Math.max(row.maxMs, p.value);
      row.durationsMs.push(p.value);
      row.statusFromDurations[status] = (row.statusFromDurations[status] ?? 0) + 1;
    } else if (p.value !== 0) {
      row.failed += 1;
    }
  }

  finish(durationMs: number): RequestRow[] {
    const seconds = durationMs > 0 ? durationMs / 1_000 : Number.NaN;
    return [...this.rows.values()]
      .map((r): RequestRow => {
        const count = this.sawHttpReqs ? r.requests : r.durations;
        // Sorted one row at a time: at the end, the samples plus one row's copy are held.
        const sorted = r.durationsMs.sorted();
        const q = (p: number): number => interpolated(sorted, p) ?? 0;
        return {
          name: r.name,
          method: r.method,
          count,
          failed: r.failed,
          rps: count / seconds,
          p50Ms: q(0.5),
          p95Ms: q(0.95),
          p99Ms: q(0.99),
          maxMs: r.maxMs,
          statuses: this.sawHttpReqs ? r.statusFromReqs : r.statusFromDurations,
        };
      })
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  }
}

export interface PointsSeries {
  readonly series: ClientSeries;
  /** Epoch ms of interval 0, undefined when there was no point. */
  readonly originMs: number | undefined;
  readonly lastPointMs: number | undefined;
  readonly notes: readonly string[];
}

/** seriesFromPoints over the whole text of a points file (tests, small files; the engine streams). */
export function seriesFromPoints(ndjsonText: string, intervalMs: number, options: SeriesOptions = {}): PointsSeries {
  const builder = new PointSeriesBuilder(intervalMs, options);
  let bad = 0;
  for (const line of ndjsonText.split('\n')) {
    const parsed = parseK6OutputLine(line);
    if (parsed?.kind === 'point') builder.add(parsed.point);
    else if (parsed === undefined && line.trim()) bad += 1;
  }
  const { series, notes } = builder.finish();
  if (bad > 0) notes.push(`${bad} lines of the points file were not k6 output lines and were skipped`);
  return { series, originMs: builder.originMs, lastPointMs: builder.lastPointMs, notes };
}

/** Streams a points file once into the series and the request table. */
export async function readK6Points(
  file: string,
  intervalMs: number,
  options: SeriesOptions = {},
): Promise<PointsSeries & { readonly requests: (durationMs: number) => RequestRow[] }> {
  const builder = new PointSeriesBuilder(intervalMs, options);
  const table = new RequestTableBuilder();
  let bad = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const parsed = parseK6OutputLine(line);
    if (parsed?.kind === 'point') {
      builder.add(parsed.point);
      table.add(parsed.point);
    } else if (parsed === undefined && line.trim()) bad += 1;
  }
  const { series, notes } = builder.finish();
  // A killed k6 can leave a half-written last line; more than that means the file is not k6's.
  if (bad > 0) notes.push(`${bad} lines of ${file} were not k6 output lines and were skipped`);
  return { series, originMs: builder.originMs, lastPointMs: builder.lastPointMs, notes, requests: (d) => table.finish(d) };
}
