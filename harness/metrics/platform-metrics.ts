import type { PlatformMetrics, PlatformSeries } from '../result/summary-model.ts';
import { cacheHitRatio, cacheHits, cacheMisses, gatewayP95Seconds, gatewayResponsesByStatus, SERVICE_RESIDENT_MEMORY } from './platform-queries.ts';
import { PrometheusClient, type InstantSample, type RangeSeries } from './prometheus-client.ts';

export interface RunWindow {
  /** Epoch ms. */
  readonly startMs: number;
  readonly endMs: number;
}

/** The platform figures of a run without them: Prometheus missing or not answering (`error` says which). */
export const unavailablePlatformMetrics = (prometheus: string, error: string): PlatformMetrics => ({
  prometheus,
  available: false,
  error,
  cacheHitRate: null,
  serverP95Ms: null,
  responsesByStatus: {},
  errorRate: null,
  rssMb: [],
  serverP95Series: null,
  cacheHitSeries: null,
});

function toSeries(name: string, values: readonly (readonly [number, number])[], startMs: number, scale = 1): PlatformSeries {
  return { name, points: values.map(([t, v]) => [Math.round(t * 1000 - startMs), v * scale] as const) };
}

/** What Prometheus answered to the run's queries (collectPlatformMetrics asks them). */
export interface PlatformAnswers {
  /** Product cache hits and misses over the window (instant). */
  readonly hits: readonly InstantSample[];
  readonly misses: readonly InstantSample[];
  /** The gateway's p95 over the window, in seconds (instant). */
  readonly p95: readonly InstantSample[];
  /** Gateway responses over the window by status_code (instant). */
  readonly byStatus: readonly InstantSample[];
  /** Resident memory of every service instance, bytes (range). */
  readonly rss: readonly RangeSeries[];
  /** The gateway's p95 in seconds and the product cache hit ratio, smoothed (range). */
  readonly p95Range: readonly RangeSeries[];
  readonly hitRange: readonly RangeSeries[];
}

/** The range queries' step (about 600 points over the window, at least 1 s) and the rate window that smooths them (5 steps, at least 5 s). */
export function rangeQueryShape(window: RunWindow): { readonly stepSec: number; readonly smoothSec: number } {
  const rangeSec = Math.max(1, Math.ceil((window.endMs - window.startMs) / 1000));
  const stepSec = Math.max(1, Math.round(rangeSec / 600));
  return { stepSec, smoothSec: Math.max(5, stepSec * 5) };
}

/**
 * Server-side figures over the run window, side by side with the client's: cache hit rate
 * (hits / (hits + misses) increase), the gateway's own p95 from its histogram, responses by status,
 * and each service's RSS over time (for soak leak detection). Never throws: an unreachable
 * Prometheus gives `available: false` and the reason.
 */
export async function collectPlatformMetrics(prometheusUrl: string | undefined, window: RunWindow): Promise<PlatformMetrics> {
  if (!prometheusUrl) return unavailablePlatformMetrics('', 'this target has no Prometheus');
  const prom = new PrometheusClient(prometheusUrl);
  const startSec = window.startMs / 1000;
  const endSec = window.endMs / 1000;
  const rangeSec = Math.max(1, Math.ceil(endSec - startSec));
  const { stepSec: step, smoothSec } = rangeQueryShape(window);
  const smooth = `${smoothSec}s`;
  try {
    await prom.waitForScrapeAfter(endSec);
    const [hits, misses, p95, byStatus, rss, p95Range, hitRange] = await Promise.all([
      prom.instant(cacheHits(`${rangeSec}s`), endSec),
      prom.instant(cacheMisses(`${rangeSec}s`), endSec),
      prom.instant(gatewayP95Seconds(`${rangeSec}s`, { over: 'increase' }), endSec),
      prom.instant(gatewayResponsesByStatus(`${rangeSec}s`), endSec),
      prom.range(SERVICE_RESIDENT_MEMORY, startSec, endSec, step),
      prom.range(gatewayP95Seconds(smooth), startSec, endSec, step),
      prom.range(cacheHitRatio(smooth), startSec, endSec, step),
    ]);
    return platformMetricsFrom(prometheusUrl, window, { hits, misses, p95, byStatus, rss, p95Range, hitRange });
  } catch (err) {
    return unavailablePlatformMetrics(prometheusUrl, `Prometheus at ${prometheusUrl} could not be queried: ${(err as Error).message}`);
  }
}

/** The platform figures from Prometheus' answers (no I/O: the sample summaries feed it simulated answers). */
export function platformMetricsFrom(prometheusUrl: string, window: RunWindow, a: PlatformAnswers): PlatformMetrics {
  const h = a.hits[0]?.value ?? 0;
  const m = a.misses[0]?.value ?? 0;
  const responsesByStatus: Record<string, number> = {};
  for (const s of a.byStatus) if (Math.round(s.value) > 0) responsesByStatus[s.labels['status_code'] ?? '?'] = Math.round(s.value);
  const total = Object.values(responsesByStatus).reduce((x, y) => x + y, 0);
  const errors = Object.entries(responsesByStatus)
    .filter(([code]) => code.startsWith('5'))
    .reduce((x, [, n]) => x + n, 0);
  const p95Value = a.p95[0]?.value;
  return {
    prometheus: prometheusUrl,
    available: true,
    cacheHitRate: h + m > 0 ? h / (h + m) : null,
    serverP95Ms: p95Value !== undefined && Number.isFinite(p95Value) ? p95Value * 1000 : null,
    responsesByStatus,
    errorRate: total > 0 ? errors / total : null,
    rssMb: a.rss.map((s) => toSeries(s.labels['instance_name'] ?? s.labels['instance'] ?? '?', s.values, window.startMs, 1 / 1_048_576)),
    serverP95Series: a.p95Range[0] ? toSeries('gateway p95 (ms)', a.p95Range[0].values, window.startMs, 1000) : null,
    cacheHitSeries: a.hitRange[0] ? toSeries('product cache hit rate', a.hitRange[0].values, window.startMs) : null,
  };
}
