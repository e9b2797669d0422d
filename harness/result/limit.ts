/**
 * A limit as data: what a measured value must satisfy (`actual <op> value`), in the value's unit.
 * SLOs, thresholds, chaos expectations and the sign-off's objectives all state theirs this way, so a
 * report draws a chart line or a CI tool reads a limit without parsing the words around it.
 */
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

/** The operator that says a value broke the limit: '<' breaks as '>=' (for `MTTR 42 s >= 30 s`). */
export const BROKEN: Readonly<Record<Operator, Operator>> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };

/**
 * The unit a threshold's aggregation is in: a trend's values are in the metric's unit (ms for the
 * built-in ones) but `count` is a count; a rate is a ratio; a counter's `rate` is per second.
 */
export function thresholdUnit(kind: 'trend' | 'rate' | 'counter' | 'gauge', aggregation: string, metricUnit?: LimitUnit): LimitUnit {
  switch (kind) {
    case 'trend':
      return aggregation === 'count' ? 'count' : (metricUnit ?? 'ms');
    case 'rate':
      return 'ratio';
    case 'counter':
      return aggregation === 'rate' ? 'per-second' : (metricUnit ?? 'count');
    case 'gauge':
      return metricUnit ?? 'count';
  }
}
