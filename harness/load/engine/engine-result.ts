import type { EngineResult, LoadPlan } from '../engine-types.ts';
import type { ClientSeries, RequestRow } from '../../result/summary-model.ts';
import { createHistogram, percentileMs, type Histogram } from './hdr.ts';
import type { MetricStore } from './metric-store.ts';
import { executorPhases } from './phases.ts';

interface RowAcc {
  name: string;
  method: string;
  count: number;
  failed: number;
  statuses: Record<string, number>;
  latency: Histogram;
}

/** The per-request table: one row per (name, method), from the tagged series. */
export function requestRows(store: MetricStore, durationMs: number): RequestRow[] {
  const rows = new Map<string, RowAcc>();
  const row = (name = '', method = ''): RowAcc => {
    const key = `${name}\n${method}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { name, method, count: 0, failed: 0, statuses: {}, latency: createHistogram() }));
    return r;
  };
  for (const { tags, value } of store.counterSeries('http_reqs')) {
    const r = row(tags.name, tags.method);
    r.count += value;
    const status = tags.status ?? '0';
    r.statuses[status] = (r.statuses[status] ?? 0) + value;
  }
  for (const { tags, value } of store.rateSeries('http_req_failed')) row(tags.name, tags.method).failed += value.nonZero;
  for (const { tags, value } of store.trendSeries('http_req_duration')) row(tags.name, tags.method).latency.add(value);
  const seconds = durationMs / 1000;
  return [...rows.values()]
    .map((r) => ({
      name: r.name,
      method: r.method,
      count: r.count,
      failed: r.failed,
      rps: seconds > 0 ? r.count / seconds : 0,
      p50Ms: percentileMs(r.latency, 50) ?? 0,
      p95Ms: percentileMs(r.latency, 95) ?? 0,
      p99Ms: percentileMs(r.latency, 99) ?? 0,
      maxMs: r.latency.totalCount > 0 ? r.latency.maxValue / 1000 : 0,
      statuses: r.statuses,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.method.localeCompare(b.method));
}

/** Passes and fails per check name. */
function checkRows(store: MetricStore): EngineResult['checks'] {
  const checks = new Map<string, { name: string; passes: number; fails: number }>();
  for (const { tags, value } of store.rateSeries('checks')) {
    const name = tags.check ?? '';
    const c = checks.get(name) ?? { name, passes: 0, fails: 0 };
    c.passes += value.nonZero;
    c.fails += value.total - value.nonZero;
    checks.set(name, c);
  }
  return [...checks.values()];
}

export interface ResultInput {
  readonly plan: LoadPlan;
  readonly store: MetricStore;
  readonly series: ClientSeries;
  readonly startedAtMs: number;
  readonly durationMs: number;
  readonly stoppedEarly: boolean;
  readonly flowErrors: Readonly<Record<string, number>>;
}

export function buildEngineResult(i: ResultInput): EngineResult {
  i.store.elapsedMs = i.durationMs;
  return {
    view: i.store,
    series: i.series,
    requests: requestRows(i.store, i.durationMs),
    checks: checkRows(i.store),
    droppedIterations: i.store.counter('dropped_iterations')!.count,
    startedAtMs: i.startedAtMs,
    durationMs: i.durationMs,
    phases: executorPhases(i.plan.executors),
    stoppedEarly: i.stoppedEarly,
    workers: i.plan.workers,
    flowErrors: i.flowErrors,
  };
}
