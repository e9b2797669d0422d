/**
 * compareRuns: is the current run worse than the baseline beyond noise?
 *
 * How it decides (docs/report-schema.md#how-compare-decides says the same for users):
 *  - Samples are the per-interval values of the client series (one p95, error rate, rate, cache
 *    hit rate per interval), taken from the steady phases of each run (all intervals outside warmup
 *    and cooldown when a run has no steady phase), so warmup does not count as a change.
 *  - A metric changed only when BOTH hold:
 *      statistical: Mann–Whitney U, two-sided, normal approximation with tie correction, p < 0.01
 *                   after Holm's correction over the metrics tested together (ten or so metrics
 *                   at 0.01 each would otherwise raise a false alarm in about one comparison in
 *                   thirty), and the rank test points the same way as the effect;
 *      practical:   the effect is at least the minimum below (headline figures of the window:
 *                   median interval p95, rps-weighted error and cache-hit rates, mean rps).
 *        p95 latency (overall, per request)  >= 10 % and >= 5 ms
 *        error rate                          >= 0.5 percentage points
 *        throughput                          >= 5 %
 *        cache hit rate                      >= 2 percentage points
 *    Requiring both keeps long runs (where a 1 % wobble is "significant") and short noisy runs
 *    (where a 30 % jump can be chance) from raising false alarms.
 *  - With fewer than 8 intervals in either run the test has no power, so the effect-size rule
 *    alone decides and the row says so. Per-request rows without per-request series
 *    (series.requestP95Ms) use their run-level p95, with the effect-size rule alone, and need at
 *    least 50 requests in both runs.
 *  - Worse is: higher latency or error rate, lower throughput or cache hit rate. The verdict is
 *    regression if any metric regressed, else improvement if any improved, else no-change.
 */
import { mannWhitneyU } from './mann-whitney.ts';
import type { RunSummary } from '../result/summary-model.ts';

export { renderComparisonMarkdown, renderComparisonText } from './render-comparison.ts';

export type MetricKind = 'latency' | 'error-rate' | 'throughput' | 'cache-hit-rate';
export type MetricVerdict = 'regression' | 'improvement' | 'no-change' | 'not-compared';

export interface CompareOptions {
  /** Significance level of the rank test. @default 0.01 */
  readonly alpha?: number;
  /** Fewer intervals than this in either run: effect-size rule only. @default 8 */
  readonly minIntervals?: number;
  /** @default 0.10 */
  readonly latencyMinRelative?: number;
  /** @default 5 */
  readonly latencyMinMs?: number;
  /** Absolute, as a ratio (0.005 = 0.5 percentage points). @default 0.005 */
  readonly errorRateMinAbs?: number;
  /** @default 0.05 */
  readonly throughputMinRelative?: number;
  /** Absolute, as a ratio. @default 0.02 */
  readonly cacheHitMinAbs?: number;
  /** Per-request rows judged on run-level figures need this many requests in both runs. @default 50 */
  readonly minRequests?: number;
}

export const DEFAULT_COMPARE_OPTIONS: Required<CompareOptions> = {
  alpha: 0.01,
  minIntervals: 8,
  latencyMinRelative: 0.1,
  latencyMinMs: 5,
  errorRateMinAbs: 0.005,
  throughputMinRelative: 0.05,
  cacheHitMinAbs: 0.02,
  minRequests: 50,
};

export interface MetricComparison {
  /** `p95 latency`, `p95 latency: GET product`, `error rate`, `throughput`, `cache hit rate`. */
  readonly metric: string;
  readonly kind: MetricKind;
  readonly unit: 'ms' | 'ratio' | 'rps';
  readonly baseline: number | null;
  readonly current: number | null;
  /** current - baseline, in the metric's unit. */
  readonly deltaAbs: number | null;
  /** Relative change in percent of the baseline (null when the baseline is 0 or missing). */
  readonly deltaPct: number | null;
  /** Two-sided p-value of the rank test; null when it was not run. */
  readonly pValue: number | null;
  /** pValue after Holm's correction over every row tested in this comparison: the one judged against alpha. */
  readonly pAdjusted: number | null;
  readonly samples: { readonly baseline: number; readonly current: number };
  readonly test: 'mann-whitney' | 'effect-size-only' | 'none';
  readonly verdict: MetricVerdict;
  /** Why this verdict, in words. */
  readonly reason: string;
}

export interface RunRef {
  readonly id: string;
  readonly scenario: string;
  readonly startedAt: string;
  readonly status: string;
}

export interface Comparison {
  readonly baseline: RunRef;
  readonly current: RunRef;
  readonly verdict: 'regression' | 'improvement' | 'no-change';
  readonly rows: readonly MetricComparison[];
  readonly notes: readonly string[];
  readonly options: Required<CompareOptions>;
}

/** Indexes of the intervals compared: steady phases, else everything but warmup and cooldown. */
export function comparisonWindow(s: RunSummary): { readonly idx: number[]; readonly label: string } {
  const t = s.series.t;
  const all = t.map((_, i) => i);
  const steady = s.phases.filter((p) => p.kind === 'steady');
  if (steady.length) return { idx: all.filter((i) => steady.some((p) => t[i]! >= p.startMs && t[i]! < p.endMs)), label: 'steady phases' };
  const skip = s.phases.filter((p) => p.kind === 'warmup' || p.kind === 'cooldown');
  if (skip.length) return { idx: all.filter((i) => !skip.some((p) => t[i]! >= p.startMs && t[i]! < p.endMs)), label: 'all but warmup and cooldown' };
  return { idx: all, label: 'the whole run' };
}

const nums = (xs: readonly (number | null | undefined)[]): number[] => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
const pick = <T>(col: readonly T[] | undefined, idx: readonly number[]): T[] => (col ? idx.map((i) => col[i]!).filter((v) => v !== undefined) : []);
function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
/** A rate over the window weighted by each interval's request rate (a quiet interval counts less). */
function weighted(rate: readonly (number | null)[], rps: readonly number[]): number | null {
  let num = 0;
  let den = 0;
  rate.forEach((r, i) => {
    if (r === null || !Number.isFinite(r)) return;
    num += r * (rps[i] ?? 0);
    den += rps[i] ?? 0;
  });
  return den > 0 ? num / den : mean(nums(rate));
}

interface Input {
  readonly metric: string;
  readonly kind: MetricKind;
  readonly unit: MetricComparison['unit'];
  readonly base: number[];
  readonly cur: number[];
  readonly baseline: number | null;
  readonly current: number | null;
  /** Skip the rank test (no per-interval samples): effect-size rule only, with this reason. */
  readonly effectOnly?: string;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;
const pp = (v: number): string => `${(v * 100).toFixed(2)} pp`;

/** What a row needs for its verdict before the p-values are adjusted together. */
interface Measured {
  readonly input: Input;
  readonly effectOnly?: string;
  /** Raw rank test, when one is run. */
  readonly mw?: { readonly p: number; readonly z: number };
}

function measure(x: Input, o: Required<CompareOptions>): Measured {
  const n = Math.min(x.base.length, x.cur.length);
  const effectOnly =
    x.effectOnly ?? (n < o.minIntervals ? `fewer than ${o.minIntervals} intervals (${x.base.length} vs ${x.cur.length}): effect-size rule only` : undefined);
  if (effectOnly !== undefined || x.baseline === null || x.current === null) return { input: x, ...(effectOnly ? { effectOnly } : {}) };
  const { p, z } = mannWhitneyU(x.cur, x.base);
  return { input: x, mw: { p, z } };
}

/**
 * Holm's step-down correction: the i-th smallest of m p-values is multiplied by (m - i + 1), and
 * adjusted values are kept monotone. Controls the chance of any false alarm across the rows.
 */
export function holmAdjust(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}

function judge(m: Measured, pAdjusted: number | null, o: Required<CompareOptions>): MetricComparison {
  const x = m.input;
  const { baseline, current } = x;
  const samples = { baseline: x.base.length, current: x.cur.length };
  const common = { metric: x.metric, kind: x.kind, unit: x.unit, baseline, current, samples };
  if (baseline === null || current === null) {
    return {
      ...common,
      deltaAbs: null,
      deltaPct: null,
      pValue: null,
      pAdjusted: null,
      test: 'none',
      verdict: 'not-compared',
      reason: `no ${baseline === null ? 'baseline' : 'current'} figure`,
    };
  }
  const deltaAbs = current - baseline;
  const deltaPct = baseline !== 0 ? (deltaAbs / baseline) * 100 : null;
  const rel = baseline !== 0 ? Math.abs(deltaAbs / baseline) : Infinity;
  // Which way is worse, and is the effect big enough to matter?
  const worseIfUp = x.kind === 'latency' || x.kind === 'error-rate';
  let big: boolean;
  let need: string;
  switch (x.kind) {
    case 'latency':
      big = rel >= o.latencyMinRelative && Math.abs(deltaAbs) >= o.latencyMinMs;
      need = `${pct(o.latencyMinRelative)} and ${o.latencyMinMs} ms`;
      break;
    case 'error-rate':
      big = Math.abs(deltaAbs) >= o.errorRateMinAbs;
      need = pp(o.errorRateMinAbs);
      break;
    case 'throughput':
      big = rel >= o.throughputMinRelative;
      need = pct(o.throughputMinRelative);
      break;
    case 'cache-hit-rate':
      big = Math.abs(deltaAbs) >= o.cacheHitMinAbs;
      need = pp(o.cacheHitMinAbs);
      break;
  }
  const direction: MetricVerdict = deltaAbs === 0 ? 'no-change' : deltaAbs > 0 === worseIfUp ? 'regression' : 'improvement';
  if (!m.mw || pAdjusted === null) {
    const why = m.effectOnly ?? 'no rank test';
    return {
      ...common,
      deltaAbs,
      deltaPct,
      pValue: null,
      pAdjusted: null,
      test: 'effect-size-only',
      verdict: big ? direction : 'no-change',
      reason: big ? `${why}; the change is at least ${need}` : `${why}; the change is smaller than ${need}`,
    };
  }
  const significant = pAdjusted < o.alpha;
  const agrees = deltaAbs === 0 || Math.sign(m.mw.z) === Math.sign(deltaAbs);
  const verdict = significant && big && agrees ? direction : 'no-change';
  const reason =
    verdict !== 'no-change'
      ? `significant (Holm-adjusted p < ${o.alpha}) and at least ${need}`
      : !significant
        ? `not significant (Holm-adjusted p ≥ ${o.alpha}): within noise`
        : !big
          ? `significant, but smaller than ${need}: too small to matter`
          : 'the rank test and the headline figure disagree on the direction';
  return { ...common, deltaAbs, deltaPct, pValue: m.mw.p, pAdjusted, test: 'mann-whitney', verdict, reason };
}

const ref = (s: RunSummary): RunRef => ({ id: s.run.id, scenario: s.run.scenario.name, startedAt: s.run.startedAt, status: s.verdict.status });

export function compareRuns(baseline: RunSummary, current: RunSummary, opts: CompareOptions = {}): Comparison {
  const o = { ...DEFAULT_COMPARE_OPTIONS, ...opts };
  const notes: string[] = [];
  const wb = comparisonWindow(baseline);
  const wc = comparisonWindow(current);
  if (baseline.run.scenario.name !== current.run.scenario.name)
    notes.push(`Different scenarios (${baseline.run.scenario.name} vs ${current.run.scenario.name}): differences may come from the plans, not the platform.`);
  if (baseline.run.target.baseUrl !== current.run.target.baseUrl)
    notes.push(`Different targets (${baseline.run.target.baseUrl} vs ${current.run.target.baseUrl}).`);
  for (const [name, s] of [
    ['baseline', baseline],
    ['current', current],
  ] as const)
    if (s.verdict.status === 'aborted' || s.verdict.status === 'error')
      notes.push(`The ${name} run ${s.verdict.status === 'aborted' ? 'was aborted' : 'ended in an error'}: its figures cover part of its plan only.`);
  const sameInterval = baseline.series.intervalMs === current.series.intervalMs;
  const intervalNote = sameInterval
    ? undefined
    : `series intervals differ (${baseline.series.intervalMs} vs ${current.series.intervalMs} ms): effect-size rule only`;
  if (intervalNote) notes.push(`The ${intervalNote}.`);
  notes.push(
    `Samples: per-interval values of ${wb.label === wc.label ? wb.label : `${wb.label} (baseline) and ${wc.label} (current)`}; ${wb.idx.length} baseline and ${wc.idx.length} current intervals.`,
  );

  // Rows decided up front (not comparable) and measured rows, in display order; verdicts come after Holm.
  const rows: (MetricComparison | Measured)[] = [];
  const add = (x: Input): void => {
    rows.push(measure(intervalNote && !x.effectOnly ? { ...x, effectOnly: intervalNote } : x, o));
  };

  const bp95 = nums(pick(baseline.series.p95Ms, wb.idx));
  const cp95 = nums(pick(current.series.p95Ms, wc.idx));
  add({ metric: 'p95 latency', kind: 'latency', unit: 'ms', base: bp95, cur: cp95, baseline: median(bp95), current: median(cp95) });

  const brps = pick(baseline.series.rps, wb.idx);
  const crps = pick(current.series.rps, wc.idx);
  const berr = pick(baseline.series.errorRate, wb.idx);
  const cerr = pick(current.series.errorRate, wc.idx);
  add({
    metric: 'error rate',
    kind: 'error-rate',
    unit: 'ratio',
    base: nums(berr),
    cur: nums(cerr),
    baseline: weighted(berr, brps),
    current: weighted(cerr, crps),
  });

  const bTarget = mean(nums(pick(baseline.series.targetRps, wb.idx)));
  const cTarget = mean(nums(pick(current.series.targetRps, wc.idx)));
  const targetsDiffer = bTarget !== null && cTarget !== null && Math.abs(cTarget - bTarget) > 0.01 * Math.max(bTarget, cTarget);
  if (targetsDiffer) {
    rows.push({
      metric: 'throughput',
      kind: 'throughput',
      unit: 'rps',
      baseline: mean(nums(brps)),
      current: mean(nums(crps)),
      deltaAbs: null,
      deltaPct: null,
      pValue: null,
      pAdjusted: null,
      samples: { baseline: brps.length, current: crps.length },
      test: 'none',
      verdict: 'not-compared',
      reason: `target rates differ (${bTarget!.toFixed(1)} vs ${cTarget!.toFixed(1)} rps): throughput follows the plan`,
    });
  } else {
    add({ metric: 'throughput', kind: 'throughput', unit: 'rps', base: nums(brps), cur: nums(crps), baseline: mean(nums(brps)), current: mean(nums(crps)) });
  }

  const bHit = pick(baseline.series.cacheHitRate, wb.idx);
  const cHit = pick(current.series.cacheHitRate, wc.idx);
  if (nums(bHit).length || nums(cHit).length)
    add({
      metric: 'cache hit rate',
      kind: 'cache-hit-rate',
      unit: 'ratio',
      base: nums(bHit),
      cur: nums(cHit),
      baseline: weighted(bHit, brps),
      current: weighted(cHit, crps),
    });

  rows.push(...requestRows(baseline, current, wb.idx, wc.idx, o, intervalNote));

  const tested = rows.filter((r): r is Measured & { mw: { p: number; z: number } } => 'input' in r && r.mw !== undefined);
  const adjusted = new Map(holmAdjust(tested.map((r) => r.mw.p)).map((p, i) => [tested[i]!, p] as const));
  if (tested.length > 1) notes.push(`p-values are Holm-adjusted over the ${tested.length} metrics tested.`);
  const judged = rows.map((r) => ('input' in r ? judge(r, adjusted.get(r as (typeof tested)[number]) ?? null, o) : r));
  if (judged.every((r) => r.verdict === 'not-compared')) notes.push('No metric could be compared: "no-change" here means "no evidence", not "the same".');
  const verdict = judged.some((r) => r.verdict === 'regression') ? 'regression' : judged.some((r) => r.verdict === 'improvement') ? 'improvement' : 'no-change';
  return { baseline: ref(baseline), current: ref(current), verdict, rows: judged, notes, options: o };
}

function requestRows(
  baseline: RunSummary,
  current: RunSummary,
  wb: number[],
  wc: number[],
  o: Required<CompareOptions>,
  intervalNote: string | undefined,
): (MetricComparison | Measured)[] {
  const key = (r: { method: string; name: string }): string => `${r.method} ${r.name}`;
  const uniqueName = (s: RunSummary, name: string): boolean => s.requests.filter((r) => r.name === name).length === 1;
  const names = [...new Set([...baseline.requests.map(key), ...current.requests.map(key)])];
  return names.map((k) => {
    const b = baseline.requests.find((r) => key(r) === k);
    const c = current.requests.find((r) => key(r) === k);
    const metric = `p95 latency: ${k}`;
    if (!b || !c) {
      return {
        metric,
        kind: 'latency',
        unit: 'ms',
        baseline: b?.p95Ms ?? null,
        current: c?.p95Ms ?? null,
        deltaAbs: null,
        deltaPct: null,
        pValue: null,
        pAdjusted: null,
        samples: { baseline: b?.count ?? 0, current: c?.count ?? 0 },
        test: 'none',
        verdict: 'not-compared',
        reason: `only in the ${b ? 'baseline' : 'current'} run`,
      } satisfies MetricComparison;
    }
    const bCol = uniqueName(baseline, b.name) ? baseline.series.requestP95Ms?.[b.name] : undefined;
    const cCol = uniqueName(current, c.name) ? current.series.requestP95Ms?.[c.name] : undefined;
    if (bCol && cCol) {
      const bs = nums(pick(bCol, wb));
      const cs = nums(pick(cCol, wc));
      return measure(
        {
          metric,
          kind: 'latency',
          unit: 'ms',
          base: bs,
          cur: cs,
          baseline: median(bs),
          current: median(cs),
          ...(intervalNote ? { effectOnly: intervalNote } : {}),
        },
        o,
      );
    }
    if (b.count < o.minRequests || c.count < o.minRequests) {
      return {
        metric,
        kind: 'latency',
        unit: 'ms',
        baseline: b.p95Ms,
        current: c.p95Ms,
        deltaAbs: c.p95Ms - b.p95Ms,
        deltaPct: b.p95Ms ? ((c.p95Ms - b.p95Ms) / b.p95Ms) * 100 : null,
        pValue: null,
        pAdjusted: null,
        samples: { baseline: b.count, current: c.count },
        test: 'none',
        verdict: 'not-compared',
        reason: `fewer than ${o.minRequests} requests in a run: its p95 is not stable enough to compare`,
      } satisfies MetricComparison;
    }
    return measure(
      {
        metric,
        kind: 'latency',
        unit: 'ms',
        base: [],
        cur: [],
        baseline: b.p95Ms,
        current: c.p95Ms,
        effectOnly: 'no per-request series: run-level p95, effect-size rule only',
      },
      o,
    );
  });
}
