import type { Failure } from './failure.ts';
import { meets, type Limit } from './limit.ts';
import { ROADMAP } from './roadmap.ts';
import type { SignoffMetric } from './signoff-model.ts';
import type { RunSummary, RunVerdict } from './summary-model.ts';
import { exitCodeOf } from './verdict.ts';

export interface SignoffEvidence {
  readonly summary: RunSummary;
  readonly runDir: string;
}

const slo = (s: RunSummary | undefined, id: string): number | null => s?.slos.find((x) => x.id === id)?.actual ?? null;
const max = (xs: readonly (number | null)[]): number | null => (xs.length === 0 || xs.some((x) => x === null) ? null : Math.max(...(xs as number[])));

/** A measured value against its limit; a metric without evidence (null) fails. */
const judged = (actual: number | null, limit: Limit): Pick<SignoffMetric, 'actual' | 'limit' | 'pass'> => ({
  actual,
  limit,
  pass: actual !== null && meets(actual, limit),
});

/** The nine roadmap metrics from the runs' summaries, each judged against the roadmap's limit; a metric without evidence fails. */
export function signoffMetrics(r: {
  readonly pentest: SignoffEvidence | undefined;
  readonly load: SignoffEvidence | undefined;
  readonly chaos: readonly SignoffEvidence[];
  readonly rel: (runDir: string) => string;
}): SignoffMetric[] {
  const O = ROADMAP;
  const sec = r.pentest?.summary.security;
  const secEv = r.pentest ? [r.rel(r.pentest.runDir)] : [];
  const load = r.load?.summary;
  const loadEv = r.load ? [r.rel(r.load.runDir)] : [];
  const chaosEv = r.chaos.map((c) => r.rel(c.runDir));
  const faults = r.chaos.flatMap((c) => c.summary.chaos?.faults ?? []);
  const p95 = slo(load, 'p95-latency');
  const errors = slo(load, 'error-rate');
  const cache = load?.platform?.cacheHitRate ?? slo(load, 'cache-hit-rate');
  // Each attack class to its first detection alert (a class never alerted on is not detected);
  // each chaos fault the probes saw, to the probes seeing it (a 6 s blip can end before any
  // alert's `for:` has run out, so the alert is reported per fault but is not required here).
  const detections = [...(sec?.detection.map((d) => d.timeToDetectMs) ?? []), ...faults.filter((f) => f.detectedMs !== null).map((f) => f.timeToDetectMs)];
  const mttrs = faults.map((f) => f.mttrMs);
  const good = r.chaos.reduce((n, c) => n + (c.summary.chaos?.availability.good ?? 0), 0);
  const total = r.chaos.reduce((n, c) => n + (c.summary.chaos?.availability.total ?? 0), 0);
  const ledgers = r.chaos.map((c) => c.summary.chaos?.ledger).filter((l) => l !== null && l !== undefined);
  const lost = ledgers.length === 0 ? null : ledgers.reduce((n, l) => n + l.lostCount + l.duplicatedCount, 0);
  const perChaosRun = (f: (s: RunSummary) => number | null): Record<string, number | null> =>
    Object.fromEntries(r.chaos.map((c) => [r.rel(c.runDir), f(c.summary)]));
  const runAvailability = (s: RunSummary): number | null =>
    s.chaos && s.chaos.availability.total > 0 ? s.chaos.availability.good / s.chaos.availability.total : null;
  const runMttr = (s: RunSummary): number | null => max((s.chaos?.faults ?? []).map((f) => f.mttrMs));
  const runLost = (s: RunSummary): number | null => (s.chaos?.ledger ? s.chaos.ledger.lostCount + s.chaos.ledger.duplicatedCount : null);
  const detectWorst = detections.length === 0 ? null : max(detections);
  const coverage = judged(sec ? sec.verdictCoverage : null, { op: '==', value: 1, unit: 'ratio' });
  const mttrWorst = mttrs.length === 0 ? null : max(mttrs);
  return [
    {
      id: 'p95-latency',
      objective: `p95 < ${O.p95Ms} ms`,
      unit: 'ms',
      ...judged(p95, { op: '<', value: O.p95Ms, unit: 'ms' }),
      how: 'client-side p95 of every request in the baseline load after its warm-up',
      evidence: loadEv,
    },
    {
      id: 'cache-hit-rate',
      objective: `cache hit rate > ${O.cacheHitRate * 100} %`,
      unit: 'ratio',
      ...judged(cache, { op: '>', value: O.cacheHitRate, unit: 'ratio' }),
      how: 'product cache hits / (hits + misses) from Prometheus over the baseline after its warm-up',
      evidence: loadEv,
    },
    {
      id: 'error-rate',
      objective: `error rate < ${O.errorRate * 100} %`,
      unit: 'ratio',
      ...judged(errors, { op: '<', value: O.errorRate, unit: 'ratio' }),
      how: 'failed requests / all in the baseline load after its warm-up',
      evidence: loadEv,
    },
    {
      id: 'critical-vulnerabilities',
      objective: 'zero critical vulnerabilities',
      unit: 'count',
      ...judged(sec ? sec.counts.critical : null, { op: '<=', value: O.criticalVulnerabilities, unit: 'count' }),
      how: 'failed penetration checks with CVSS ≥ 9.0',
      evidence: secEv,
    },
    {
      id: 'check-verdicts',
      objective: '100 % of checks reach a verdict',
      unit: 'ratio',
      // A check that could not run is no verdict, whatever the coverage says.
      ...coverage,
      pass: coverage.pass && sec?.counts.error === 0,
      how: 'applicable penetration checks that passed or failed (an error is no verdict)',
      evidence: secEv,
    },
    {
      id: 'time-to-detect',
      objective: 'time to detect < 5 min',
      unit: 'ms',
      ...judged(detectWorst, { op: '<', value: O.detectionMs, unit: 'ms' }),
      how: 'worst of: each attack class to its first detection alert (none counts as not detected); each chaos fault to the first bad probe sample',
      evidence: [...secEv, ...chaosEv],
    },
    {
      id: 'mttr',
      objective: 'MTTR < 15 min',
      unit: 'ms',
      ...judged(mttrWorst, { op: '<', value: O.mttrMs, unit: 'ms' }),
      how: 'worst MTTR over every chaos fault (never recovered counts as not measured)',
      evidence: chaosEv,
      perRun: perChaosRun(runMttr),
    },
    {
      id: 'availability',
      objective: 'availability ≥ 99.9 %',
      unit: 'ratio',
      ...judged(total === 0 ? null : good / total, { op: '>=', value: O.availability, unit: 'ratio' }),
      how: 'good probe samples / all over every chaos experiment (the steady-state probes, under load, faults included)',
      evidence: chaosEv,
      perRun: perChaosRun(runAvailability),
    },
    {
      id: 'data-loss',
      objective: 'zero data loss',
      unit: 'count',
      ...judged(lost, { op: '<=', value: O.lostWrites, unit: 'count' }),
      how: 'acknowledged orders missing from PostgreSQL, plus orders applied twice, over every chaos ledger',
      evidence: chaosEv,
      perRun: perChaosRun(runLost),
    },
  ];
}

const metricValue = (m: SignoffMetric): string => {
  if (m.actual === null) return 'not measured';
  if (m.unit === 'ratio') return `${(m.actual * 100).toFixed(2)} %`;
  if (m.unit === 'ms') return m.actual >= 1000 ? `${(m.actual / 1000).toFixed(1)} s` : `${m.actual.toFixed(1)} ms`;
  return String(m.actual);
};

/** The sign-off's verdict: passed when every metric passed; interrupted, it is aborted (not every step ran). */
export function judgeSignoff(metrics: readonly SignoffMetric[], end: { readonly interrupted: boolean }): RunVerdict {
  const failures = metrics
    .filter((m) => !m.pass)
    .map((m): Failure => ({ kind: 'objective', subject: m.id, actual: m.actual, limit: m.limit, words: `${m.objective} not met: ${metricValue(m)}` }));
  const status = end.interrupted ? 'aborted' : failures.length ? 'failed' : 'passed';
  return { status, exitCode: exitCodeOf(status), failures, warnings: [] };
}
