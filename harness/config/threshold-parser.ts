import { tryParseDuration } from './duration.ts';
import type { ThresholdInput } from './scenario-types.ts';
import { AGGREGATIONS, BUILTIN_METRICS, type MetricKind } from '../result/builtin-metrics.ts';
import { closestName } from '../util/closest-name.ts';

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** `http_req_duration{name:login}` split into the metric and its tag filter. */
export interface MetricSelector {
  readonly key: string;
  readonly metric: string;
  readonly kind: MetricKind;
  readonly filter: Readonly<Record<string, string>>;
}

export interface ParsedThreshold {
  readonly selector: MetricSelector;
  /** As written. */
  readonly expression: string;
  /** 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' | 'p' */
  readonly aggregation: string;
  /** For percentiles: 0..100. */
  readonly percentile?: number;
  readonly operator: Operator;
  readonly value: number;
  readonly abortOnFail: boolean;
  readonly delayAbortEvalMs: number;
}

/** A threshold that cannot be understood; `path` is where it sits in the scenario. */
export class ThresholdSyntaxError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

const SELECTOR = /^([a-z_][a-z0-9_]*)(?:\{([^{}]*)\})?$/;
const EXPRESSION = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|==|===|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/;

export function parseSelector(key: string, path: string): MetricSelector {
  const m = SELECTOR.exec(key.trim());
  if (!m) throw new ThresholdSyntaxError(path, `'${key}' is not a metric name with an optional {tag:value} filter`);
  const metric = m[1]!;
  const kind = (BUILTIN_METRICS as Record<string, MetricKind>)[metric];
  if (!kind) {
    const hint = closestName(metric, Object.keys(BUILTIN_METRICS));
    throw new ThresholdSyntaxError(
      path,
      `'${metric}' is not a metric crucible records${hint ? ` (did you mean ${hint}?)` : ''}; known: ${Object.keys(BUILTIN_METRICS).join(', ')}`,
    );
  }
  const filter: Record<string, string> = {};
  for (const pair of (m[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = pair.indexOf(':');
    if (i <= 0 || i === pair.length - 1) throw new ThresholdSyntaxError(path, `tag filter '${pair}' must be tag:value`);
    filter[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return { key, metric, kind, filter };
}

/** Parses one k6-style threshold (`p(95)<200`, `rate<0.01`, `count==0`) against its metric's type. */
export function parseThreshold(selector: MetricSelector, input: ThresholdInput, path: string): ParsedThreshold {
  const expression = typeof input === 'string' ? input : input.threshold;
  if (typeof expression !== 'string') throw new ThresholdSyntaxError(path, 'a threshold is a string like "p(95)<200" or { threshold, abortOnFail }');
  const m = EXPRESSION.exec(expression);
  if (!m) throw new ThresholdSyntaxError(path, `'${expression}' is not <aggregation> <operator> <number>, e.g. "p(95)<200", "rate<0.01", "count==0"`);
  const [, agg, pct, op, num] = m as unknown as [string, string, string | undefined, string, string];
  const aggregation = pct !== undefined ? 'p' : agg;
  const allowed = AGGREGATIONS[selector.kind];
  if (!allowed.includes(aggregation === 'p' ? 'p(N)' : aggregation))
    throw new ThresholdSyntaxError(
      path,
      `'${aggregation === 'p' ? agg : aggregation}' does not apply to ${selector.metric} (a ${selector.kind}); use ${allowed.join(', ')}`,
    );
  const percentile = pct === undefined ? undefined : Number(pct);
  if (percentile !== undefined && !(percentile >= 0 && percentile <= 100)) throw new ThresholdSyntaxError(path, `percentile ${pct} is outside 0..100`);
  const delay = typeof input === 'string' ? 0 : tryParseDuration(input.delayAbortEval ?? 0);
  if (delay === undefined)
    throw new ThresholdSyntaxError(path, `delayAbortEval '${String((input as { delayAbortEval?: unknown }).delayAbortEval)}' is not a duration`);
  return {
    selector,
    expression,
    aggregation,
    ...(percentile !== undefined ? { percentile } : {}),
    operator: (op === '===' ? '==' : op) as Operator,
    value: Number(num),
    abortOnFail: typeof input !== 'string' && input.abortOnFail === true,
    delayAbortEvalMs: delay,
  };
}

/** Every threshold of a scenario, or the first error with its path (`thresholds["http_req_duration"][0]`). */
export function parseThresholds(thresholds: Readonly<Record<string, readonly ThresholdInput[]>>, base = 'thresholds'): ParsedThreshold[] {
  const out: ParsedThreshold[] = [];
  for (const [key, list] of Object.entries(thresholds)) {
    const keyPath = `${base}[${JSON.stringify(key)}]`;
    const selector = parseSelector(key, keyPath);
    if (!Array.isArray(list)) throw new ThresholdSyntaxError(keyPath, 'must be an array of thresholds, e.g. ["p(95)<200"]');
    list.forEach((t, i) => out.push(parseThreshold(selector, t, `${keyPath}[${i}]`)));
  }
  return out;
}
