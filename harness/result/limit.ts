/**
 * A limit as data: what a measured value must satisfy (`actual <op> value`), in the value's unit.
 * SLOs, thresholds, chaos expectations and the sign-off's objectives all state theirs this way, so a
 * report draws a chart line or a CI tool reads a limit without parsing the words around it.
 */
import type { MetricKind } from './builtin-metrics.ts';

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** `per-second`: a counter's rate; `mb/h`, `ms/h`: a slope over the run. */
export type LimitUnit = 'ms' | 'ratio' | 'count' | 'bytes' | 'mb' | 'per-second' | 'mb/h' | 'ms/h';

export interface Limit {
  readonly op: Operator;
  readonly value: number;
  readonly unit: LimitUnit;
}

const COMPARE: Readonly<Record<Operator, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** Whether a measured value satisfies the limit. */
export function meets(actual: number, limit: Pick<Limit, 'op' | 'value'>): boolean {
  return COMPARE[limit.op](actual, limit.value);
}

/** A parsed threshold (config/threshold-parser.ts), as far as its limit goes. */
export interface ThresholdParts {
  readonly selector: { readonly metric: string; readonly kind: MetricKind };
  /** 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | 'p' */
  readonly aggregation: string;
  readonly percentile?: number;
  readonly operator: Operator;
  readonly value: number;
}

/** The statistic a threshold judges, in k6's words: `p(95)`, `avg`, `rate`. */
export const thresholdAggregation = (t: Pick<ThresholdParts, 'aggregation' | 'percentile'>): string =>
  t.aggregation === 'p' ? `p(${t.percentile})` : t.aggregation;

/**
 * A threshold's limit as data: `p(95)<200` on a trend is < 200 ms. The unit is the aggregation's:
 * a built-in trend's values are ms but its `count` is a count; a rate is a ratio; a counter's
 * `count` is a count (bytes for data_*), its `rate` per second.
 */
export function thresholdLimit(t: ThresholdParts): Limit {
  return { op: t.operator, value: t.value, unit: aggregationUnit(t) };
}

function aggregationUnit(t: ThresholdParts): LimitUnit {
  switch (t.selector.kind) {
    case 'trend':
      return t.aggregation === 'count' ? 'count' : 'ms';
    case 'rate':
      return 'ratio';
    case 'counter':
      if (t.aggregation === 'rate') return 'per-second';
      return t.selector.metric === 'data_received' || t.selector.metric === 'data_sent' ? 'bytes' : 'count';
    case 'gauge':
      return 'count';
  }
}
