import type { ParsedThreshold } from '../../config/threshold-parser.ts';
import type { MetricSummary, TrendValues } from '../../result/summary-model.ts';
import { k6Duration } from './k6-duration.ts';
import { canonicalize } from './metric-key.ts';

/** `p(95) < 200` split into its parts (k6's grammar: `<aggregation> <operator> <number>`). */
export interface ThresholdExpression {
  readonly aggregation: string;
  /** The N of `p(N)`, when the aggregation is a percentile. */
  readonly percentile?: number;
  readonly operator: '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
  readonly value: number;
}

const EXPRESSION = /^\s*([a-z]+)(?:\(\s*(\d+(?:\.\d+)?)\s*\))?\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

export function parseThresholdExpression(expression: string): ThresholdExpression | undefined {
  const m = EXPRESSION.exec(expression);
  if (!m) return undefined;
  const aggregation = m[1]!.toLowerCase();
  const base = { aggregation, operator: m[3] as ThresholdExpression['operator'], value: Number(m[4]) };
  return m[2] === undefined ? base : { ...base, percentile: Number(m[2]) };
}

const TREND_PERCENTILES: readonly [number, keyof TrendValues][] = [
  [50, 'med'],
  [90, 'p(90)'],
  [95, 'p(95)'],
  [99, 'p(99)'],
  [99.9, 'p(99.9)'],
];

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/**
 * The aggregated value an expression is judged on, read from the metric's exported values; null when
 * the summary does not carry it (a percentile k6 was not asked for, a metric without samples).
 */
export function thresholdActual(expression: string, metric: MetricSummary | undefined): number | null {
  const parsed = parseThresholdExpression(expression);
  if (!parsed || !metric) return null;
  const { aggregation, percentile } = parsed;
  switch (metric.type) {
    case 'trend': {
      if (aggregation === 'p' && percentile !== undefined) {
        const key = TREND_PERCENTILES.find(([p]) => p === percentile)?.[1];
        return key ? finite(metric.values[key]) : null;
      }
      if (metric.values.count === 0) return null;
      return aggregation in metric.values ? finite(metric.values[aggregation as keyof TrendValues]) : null;
    }
    case 'rate':
      return aggregation === 'rate' && metric.values.passes + metric.values.fails > 0 ? finite(metric.values.rate) : null;
    case 'counter':
      return aggregation === 'count' || aggregation === 'rate' ? finite(metric.values[aggregation]) : null;
    case 'gauge':
      return aggregation === 'value' || aggregation === 'min' || aggregation === 'max' ? finite(metric.values[aggregation]) : null;
  }
}

/** A crucible threshold as k6 takes it in options.thresholds (durations as k6 strings). */
export type K6Threshold = string | { readonly threshold: string; readonly abortOnFail?: boolean; readonly delayAbortEval?: string };

function toK6Threshold(t: ParsedThreshold): K6Threshold {
  if (!t.abortOnFail && t.delayAbortEvalMs === 0) return t.expression;
  return {
    threshold: t.expression,
    ...(t.abortOnFail ? { abortOnFail: true } : {}),
    ...(t.delayAbortEvalMs > 0 ? { delayAbortEval: k6Duration(t.delayAbortEvalMs) } : {}),
  };
}

/** The thresholds by metric key, as the scenario wrote the keys (k6 parses them itself). */
export function toK6Thresholds(thresholds: readonly ParsedThreshold[]): Record<string, K6Threshold[]> {
  const out: Record<string, K6Threshold[]> = {};
  for (const t of thresholds) (out[t.selector.key] ??= []).push(toK6Threshold(t));
  return out;
}

const squash = (expression: string): string => expression.replace(/\s+/g, '');

/** Finds the threshold crucible declared for (metric, expression), however either was spaced. */
export function findThreshold(known: readonly ParsedThreshold[] | undefined, metric: string, expression: string): ParsedThreshold | undefined {
  const key = canonicalize(metric);
  return known?.find((t) => canonicalize(t.selector.key) === key && squash(t.expression) === squash(expression));
}

/**
 * The metrics named in k6's abortOnFail message: "thresholds on metrics 'a', 'b' were crossed; at least one
 * has abortOnFail enabled, stopping test prematurely" (older builds say "breached").
 */
export function abortedThresholdMetrics(log: string): string[] {
  const found = new Set<string>();
  for (const m of log.matchAll(/thresholds on metrics (.+?) were (?:crossed|breached); at least one has abortOnFail enabled/g)) {
    for (const q of m[1]!.matchAll(/'([^']+)'/g)) found.add(q[1]!);
    if (!m[1]!.includes("'")) for (const name of m[1]!.split(',')) found.add(name.trim());
  }
  return [...found];
}
