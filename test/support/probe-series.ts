import type { ProbeSeries } from '../../harness/result/summary-model.ts';

/** Test support: a synthetic probe, sampled every `everyMs` over [fromMs, toMs), bad inside the `bad` spans. */
export function probeSeries(
  name: string,
  o: {
    readonly everyMs: number;
    readonly toMs: number;
    readonly fromMs?: number;
    /** Half-open [from, to) spans in which every sample is bad. */
    readonly bad?: readonly (readonly [number, number])[];
    readonly type?: ProbeSeries['type'];
    readonly error?: string;
  },
): ProbeSeries {
  const t: number[] = [];
  for (let at = o.fromMs ?? 0; at < o.toMs; at += o.everyMs) t.push(at);
  const ok = t.map((at) => !(o.bad ?? []).some(([from, to]) => at >= from && at < to));
  const failures = ok.filter((x) => !x).length;
  return {
    name,
    type: o.type ?? 'http',
    everyMs: o.everyMs,
    t,
    ok,
    latencyMs: ok.map((x) => (x ? 5 : null)),
    errors: failures ? { [o.error ?? 'status 503']: failures } : {},
  };
}

/** Test support: a probe from explicit samples, `[t, ok]`. */
export function probeSamples(name: string, samples: readonly (readonly [number, boolean])[], everyMs = 1000): ProbeSeries {
  const bad = samples.filter(([, ok]) => !ok).length;
  return {
    name,
    type: 'http',
    everyMs,
    t: samples.map(([t]) => t),
    ok: samples.map(([, ok]) => ok),
    latencyMs: samples.map(() => 5),
    errors: bad ? { 'status 503': bad } : {},
  };
}
