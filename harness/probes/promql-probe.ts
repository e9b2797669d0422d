import { PrometheusClient } from '../metrics/prometheus-client.ts';
import type { ProbeCheck, ProbeTargetInfo } from './probe-check.ts';
import { failureReason } from './probe-check.ts';
import type { ResolvedProbe } from '../config/resolved-scenario.ts';

type PromqlProbeSpec = Extract<ResolvedProbe, { type: 'promql' }>;

/** A PromQL instant query judged against its tolerance; no value is bad unless `absentOk`. */
export function createPromqlProbe(spec: PromqlProbeSpec, target: ProbeTargetInfo): ProbeCheck {
  const { everyMs, timeoutMs } = spec;
  const prom = target.prometheusUrl ? new PrometheusClient(target.prometheusUrl, timeoutMs) : undefined;
  const { min, max } = spec.tolerance;
  return {
    name: spec.name,
    type: 'promql',
    everyMs,
    timeoutMs,
    async run() {
      if (!prom) return { ok: false, value: null, error: 'the target has no Prometheus' };
      try {
        const [first] = await prom.instant(spec.query, Date.now() / 1000);
        if (!first) return spec.absentOk ? { ok: true, value: null } : { ok: false, value: null, error: 'no value' };
        const v = first.value;
        const ok = (min === undefined || v >= min) && (max === undefined || v <= max);
        return ok ? { ok, value: v } : { ok, value: v, error: `value out of tolerance` };
      } catch (err) {
        return { ok: false, value: null, error: failureReason(err) };
      }
    },
    [Symbol.asyncDispose]: async () => {},
  };
}
