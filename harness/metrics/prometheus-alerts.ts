import { FIRING_ALERTS } from './platform-queries.ts';
import { PrometheusClient, type RangeSeries } from './prometheus-client.ts';

/** One alert's firing span, in ms from the run's origin. */
export interface AlertFiring {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * When each alert was firing over [startEpochMs, endEpochMs], from Prometheus' own `ALERTS` series
 * (1 s resolution: the local target evaluates its rules every second).
 */
export async function firingAlerts(prometheusUrl: string, startEpochMs: number, endEpochMs: number, originEpochMs: number): Promise<AlertFiring[]> {
  const stepSec = 1;
  const series = await new PrometheusClient(prometheusUrl).range(FIRING_ALERTS, Math.floor(startEpochMs / 1000), Math.ceil(endEpochMs / 1000), stepSec);
  return alertSpans(series, originEpochMs, stepSec);
}

/**
 * The firing spans in a range query's answer for `ALERTS{alertstate="firing"}` (ms from the origin):
 * consecutive points of one series make a span; a gap of more than two steps starts a new one.
 */
export function alertSpans(series: readonly RangeSeries[], originEpochMs: number, stepSec: number): AlertFiring[] {
  const out: AlertFiring[] = [];
  for (const s of series) {
    const { alertname = 'unknown', alertstate: _state, ...labels } = s.labels;
    let span: { start: number; end: number } | undefined;
    const close = (): void => {
      if (span) out.push({ name: alertname, startMs: span.start * 1000 - originEpochMs, endMs: span.end * 1000 - originEpochMs, labels });
    };
    for (const [t] of s.values) {
      if (span && t - span.end <= 2 * stepSec) span.end = t;
      else {
        close();
        span = { start: t, end: t };
      }
    }
    close();
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}
