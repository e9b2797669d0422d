import type { ResolvedSlos } from '../config/resolved-scenario.ts';
import type { MetricsView, TagFilter } from '../load/engine-types.ts';
import { meets, type Limit } from '../result/limit.ts';
import type { PlatformMetrics, SloResult, SoakAnalysis } from '../result/summary-model.ts';

export interface SloInputs {
  readonly view: MetricsView;
  /** Resolved with the scenario: the roadmap's success metrics, under crucible.config.ts and the scenario's own. */
  readonly slos: ResolvedSlos;
  /** Only these samples are judged (the measured part of a run with a warm-up). */
  readonly filter?: TagFilter;
  /** Said in each SLO's note, e.g. 'after a 20 s warm-up'. */
  readonly scope?: string;
  readonly openModel: boolean;
  readonly droppedIterations: number;
  readonly platform?: PlatformMetrics;
  readonly soak?: { readonly analysis: SoakAnalysis; readonly maxRssSlopeMbPerHour: number; readonly maxP95DriftMsPerHour: number };
}

/** Requests were made but no http_req_failed came with them (k6 before v0.31 has no such metric). */
const ERROR_RATE_UNMEASURED = 'not measured: the load engine reported requests but no http_req_failed (k6 before v0.31 has none)';

const pct = (r: number): string => `${(r * 100).toFixed(r < 0.01 ? 2 : 1)} %`;

/**
 * The SLO table of a run. Client-side figures judge latency and errors (what users saw); the cache
 * hit rate comes from the platform when Prometheus has it (every replica's counters), else from the
 * x-cache header the client saw. An SLO that could not be measured says so and is not counted as met
 * or failed (the report shows it skipped).
 */
export function evaluateSlos(input: SloInputs): SloResult[] {
  const { view, slos, filter } = input;
  const out: SloResult[] = [];
  const p95 = view.trend('http_req_duration', filter)?.['p(95)'];
  const p95Limit: Limit = { op: '<', value: slos.p95Ms, unit: 'ms' };
  out.push({
    id: 'p95-latency',
    objective: `p95 < ${slos.p95Ms} ms`,
    actual: p95 ?? null,
    unit: 'ms',
    limit: p95Limit,
    ok: p95 === undefined ? true : meets(p95, p95Limit),
    source: 'client',
    ...(p95 === undefined ? { note: 'no requests were made' } : {}),
  });
  const failed = view.rate('http_req_failed', filter);
  const errorRate = failed && failed.passes + failed.fails > 0 ? failed.rate : undefined;
  const errorLimit: Limit = { op: '<', value: slos.errorRate, unit: 'ratio' };
  out.push({
    id: 'error-rate',
    objective: `errors < ${pct(slos.errorRate)}`,
    actual: errorRate ?? null,
    unit: 'ratio',
    limit: errorLimit,
    ok: errorRate === undefined ? true : meets(errorRate, errorLimit),
    source: 'client',
    ...(errorRate === undefined ? { note: p95 === undefined ? 'no requests were made' : ERROR_RATE_UNMEASURED } : {}),
  });
  const platformHit = input.platform?.available ? input.platform.cacheHitRate : null;
  const clientHit = view.rate('cache_hit', filter);
  const hit = platformHit ?? (clientHit && clientHit.passes + clientHit.fails > 0 ? clientHit.rate : null);
  const hitLimit: Limit = { op: '>', value: slos.cacheHitRate, unit: 'ratio' };
  out.push({
    id: 'cache-hit-rate',
    objective: `cache hit rate > ${pct(slos.cacheHitRate)}`,
    actual: hit,
    unit: 'ratio',
    limit: hitLimit,
    ok: hit === null ? true : meets(hit, hitLimit),
    source: platformHit !== null ? 'platform' : 'client',
    ...(hit === null ? { note: 'not measured: the run read no cached route and Prometheus had no cache counters' } : {}),
  });
  if (input.openModel)
    out.push({
      id: 'dropped-iterations',
      objective: 'no dropped iterations (open model)',
      actual: input.droppedIterations,
      unit: 'count',
      limit: { op: '==', value: 0, unit: 'count' },
      ok: input.droppedIterations === 0,
      source: 'client',
      ...(input.droppedIterations > 0
        ? { note: 'the load generator could not start iterations on time: raise maxVUs; latency figures understate the load asked for' }
        : {}),
    });
  if (input.soak) {
    const { analysis, maxRssSlopeMbPerHour, maxP95DriftMsPerHour } = input.soak;
    const slopes = Object.entries(analysis.rssSlopeMbPerHour);
    const worst = slopes.sort((a, b) => b[1] - a[1])[0];
    out.push({
      id: 'soak-rss-slope',
      objective: `RSS growth < ${maxRssSlopeMbPerHour} MB/h per service`,
      actual: worst ? worst[1] : null,
      unit: 'mb/h',
      // The analysis flags a leak when any instance grows faster than the limit.
      limit: { op: '<=', value: maxRssSlopeMbPerHour, unit: 'mb/h' },
      ok: !analysis.leakDetected,
      source: 'platform',
      ...(worst ? { note: `steepest: ${worst[0]}` } : { note: 'no RSS series from Prometheus' }),
    });
    const drift = analysis.p95DriftMsPerHour;
    const driftLimit: Limit = { op: '<', value: maxP95DriftMsPerHour, unit: 'ms/h' };
    out.push({
      id: 'soak-p95-drift',
      objective: `p95 drift < ${maxP95DriftMsPerHour} ms/h`,
      actual: drift,
      unit: 'ms/h',
      limit: driftLimit,
      ok: drift === null || meets(drift, driftLimit),
      source: 'client',
    });
  }
  return input.scope
    ? (out.map((s) =>
        s.source === 'client' || s.id === 'cache-hit-rate' ? { ...s, note: s.note ? `${s.note}; ${input.scope}` : input.scope } : s,
      ) as SloResult[])
    : out;
}
