import type { MetricSummary, SloResult, ThresholdResult } from '../result/summary-model.ts';

/** Number formatting shared by every renderer, so HTML, Markdown and JUnit quote the same figures. */

const en = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return en.format(Math.round(n));
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  // One decimal below a second, so a figure just over a limit (200.3 ms) does not print as the limit.
  return `${ms >= 1000 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

/** A ratio as a percentage; small ones keep two decimals so 0.4 % does not read as 0 %. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  return `${pct !== 0 && Math.abs(pct) < 1 ? pct.toFixed(2) : pct.toFixed(1)} %`;
}

export function formatRps(rps: number | null | undefined): string {
  if (rps === null || rps === undefined || !Number.isFinite(rps)) return '–';
  return `${rps >= 100 ? Math.round(rps) : rps.toFixed(1)} rps`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Seconds from the run start as m:ss (h:mm:ss past an hour), for chart axes and tables. */
export function formatClock(ms: number): string {
  const s = Math.round(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function formatSloActual(slo: SloResult): string {
  if (slo.actual === null) return 'not measured';
  switch (slo.unit) {
    case 'ms':
      return formatMs(slo.actual);
    case 'ratio':
      return formatPercent(slo.actual);
    case 'count':
      return formatCount(slo.actual);
    case 'mb/h':
      return `${slo.actual.toFixed(2)} MB/h`;
    case 'ms/h':
      return `${slo.actual.toFixed(2)} ms/h`;
  }
}

/** The metric a threshold names, without its tag filter: `http_req_duration{name:login}` -> `http_req_duration`. */
export function baseMetric(metric: string): string {
  const brace = metric.indexOf('{');
  return brace === -1 ? metric : metric.slice(0, brace);
}

/**
 * A threshold's actual value in the expression's own unit (so it can be compared with the number
 * written in the expression), plus a readable form when that differs: `0.0123 (1.23 %)`.
 */
export function formatThresholdActual(t: ThresholdResult, metrics: Readonly<Record<string, MetricSummary>>): string {
  if (t.actual === null) return 'no samples';
  const m = metrics[t.metric] ?? metrics[baseMetric(t.metric)];
  const raw = Number.isInteger(t.actual) ? String(t.actual) : String(Number(t.actual.toPrecision(6)));
  // The limit's unit is the expression's (a trend's count is a count); a v1 summary has none, so its metric's unit stands in.
  const unit = t.limit?.unit ?? (m?.type === 'rate' ? 'ratio' : m?.unit);
  if (unit === 'ratio') return `${raw} (${formatPercent(t.actual)})`;
  if (unit === 'ms') return `${raw} ms`;
  if (m?.type === 'counter' && unit === 'count') return formatCount(t.actual);
  return raw;
}
