import type { ParsedThreshold } from '../../config/threshold-parser.ts';
import type { CounterValues, GaugeValues, MetricSummary, RateValues, ThresholdResult, TrendValues } from '../../result/summary-model.ts';
import { thresholdAggregation, thresholdLimit } from '../../result/limit.ts';
import { findThreshold, thresholdActual } from './k6-thresholds.ts';
import {
  handleSummarySchema,
  machineReadableSchema,
  parseWith,
  summaryExportSchema,
  type ExportGroup,
  type LegacyGroup,
  type MachineMetric,
} from './k6-summary-schemas.ts';
import { canonicalize, parseMetricKey } from './metric-key.ts';

/**
 * Converters from k6's end-of-test summaries to crucible's result model (metrics with k6's names,
 * thresholds in crucible's polarity, checks, dropped iterations), plus notes for what a format lost.
 * Pure functions over parsed JSON; the formats are described in docs/k6.md.
 */

export type K6SummaryShape = 'handle-summary' | 'summary-export' | 'machine-readable';
export type CheckResult = { readonly name: string; readonly passes: number; readonly fails: number };

export interface K6Conversion {
  readonly shape: K6SummaryShape;
  /** Keyed exactly as k6 exported them, sub-metrics included (`http_req_duration{name:login}`). */
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /** ok = the threshold passed (crucible's polarity, whatever the format's). */
  readonly thresholds: readonly ThresholdResult[];
  /** Checks of nested groups are named by their group path: `browse::checkout::order is 201`. */
  readonly checks: readonly CheckResult[];
  readonly droppedIterations: number;
  /** The test run's length as k6 reported it, when the format carries it. */
  readonly durationMs: number | null;
  readonly notes: readonly string[];
}

export interface ConvertOptions {
  /** Crucible's thresholds: k6's summaries do not say which had abortOnFail, and a missing one gets a note. */
  readonly thresholds?: readonly ParsedThreshold[];
  /** Metrics named in k6's abortOnFail log line (abortedThresholdMetrics): their failed abortOnFail thresholds aborted the run. */
  readonly abortedOn?: readonly string[];
}

/** Said wherever k6's output has HTTP requests but no http_req_failed (k6 before v0.31 did not have the metric). */
export const ERROR_RATE_NOT_MEASURED =
  'error rate not measured: k6 reported HTTP requests but no http_req_failed metric (k6 before v0.31 has none), so no error rate was judged or shown (the error-rate SLO is not measured; a threshold on it fails); upgrade k6 to measure it';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Which of k6's summary shapes a parsed JSON document is: a `version` and `results` make the new
 * machine-readable summary; metrics with `type` and `values` the handleSummary object; flattened
 * metrics (or groups as objects) the --summary-export file. undefined for anything else.
 */
export function detectK6SummaryShape(json: unknown): K6SummaryShape | undefined {
  if (!isObject(json)) return undefined;
  if (typeof json['version'] === 'string' && isObject(json['results'])) return 'machine-readable';
  const metrics = json['metrics'];
  if (!isObject(metrics)) return undefined;
  const first = Object.values(metrics)[0];
  if (isObject(first)) return isObject(first['values']) && typeof first['type'] === 'string' ? 'handle-summary' : 'summary-export';
  const root = json['root_group'];
  if (isObject(root)) return Array.isArray(root['groups']) ? 'handle-summary' : 'summary-export';
  return 'state' in json || 'options' in json ? 'handle-summary' : undefined;
}

/** Detects the shape and converts; throws when the document is none of k6's summaries. */
export function convertK6Summary(json: unknown, options: ConvertOptions = {}): K6Conversion {
  const shape = detectK6SummaryShape(json);
  switch (shape) {
    case 'handle-summary':
      return fromHandleSummary(json, options);
    case 'summary-export':
      return fromSummaryExport(json, options);
    case 'machine-readable':
      return fromMachineReadable(json, options);
    case undefined:
      throw new Error('not a k6 summary: expected handleSummary data, a --summary-export file or a machine-readable summary');
  }
}

// Formats -----------------------------------------------------------------------------------------

/** The legacy `handleSummary(data)` object (what scenarios/k6/lib/crucible.ts writes): the richest shape. */
export function fromHandleSummary(json: unknown, options: ConvertOptions = {}): K6Conversion {
  const data = parseWith(handleSummarySchema, json, 'handleSummary data');
  const durationMs = data.state?.testRunDurationMs ?? null;
  const acc = new Accumulator(durationMs);
  const raw: { metric: string; expression: string; ok: boolean }[] = [];
  for (const [key, m] of Object.entries(data.metrics)) {
    acc.add(key, m.type, m.contains, m.values);
    for (const [expression, t] of Object.entries(m.thresholds ?? {})) raw.push({ metric: key, expression, ok: t.ok });
  }
  return acc.finish('handle-summary', raw, legacyChecks(data.root_group), options);
}

/**
 * The `--summary-export` file: metrics flattened to their values (no type or contains), rates with
 * `value` instead of `rate`, thresholds as `{ expr: true }` where true means FAILED, groups and checks
 * as objects keyed by name.
 */
export function fromSummaryExport(json: unknown, options: ConvertOptions = {}): K6Conversion {
  const data = parseWith(summaryExportSchema, json, '--summary-export file');
  const acc = new Accumulator(null);
  const raw: { metric: string; expression: string; ok: boolean }[] = [];
  const rewritten: string[] = [];
  for (const [key, flat] of Object.entries(data.metrics)) {
    const nums: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(flat)) {
      if (k === 'thresholds' && isObject(v)) {
        // Inverted polarity: the export writes !ok.
        for (const [expression, failed] of Object.entries(v)) raw.push({ metric: key, expression, ok: failed !== true });
      } else if (typeof v === 'number' || v === null) nums[k] = v;
    }
    const type = inferExportType(nums);
    if (type === 'rate') {
      const stored = nums['value'] ?? null;
      delete nums['value'];
      const derived = rateOf(nums['passes'], nums['fails']);
      // k6 0.26 to 0.29 wrote "value": 0 for every rate; passes and fails are right in every version.
      if (derived !== null && (stored === null || Math.abs(stored - derived) > 1e-9)) {
        nums['rate'] = derived;
        if (stored !== null) rewritten.push(`${key} (${stored} in the file, ${derived} from passes/fails)`);
      } else nums['rate'] = stored;
    }
    acc.add(key, type, inferContains(key, type, acc), nums);
  }
  const notes = [
    "the --summary-export format carries no metric types, units or run duration: they were inferred from the values and k6's built-in metric names",
  ];
  if (rewritten.length > 0) {
    notes.push(
      `rates were derived from passes / (passes + fails) where the file's figure disagreed (k6 0.26 to 0.29 export every rate as 0): ${rewritten.join(', ')}`,
    );
  }
  return acc.finish('summary-export', raw, exportChecks(data.root_group), options, notes);
}

/**
 * k6's new machine-readable summary (opt-in since v1.5): snake_case, rates as {matches, total, rate},
 * counters without a rate, trends with avg/min/med/max/p90/p95 only, checks without their groups, and
 * no threshold results at all.
 */
export function fromMachineReadable(json: unknown, options: ConvertOptions = {}): K6Conversion {
  const data = parseWith(machineReadableSchema, json, 'machine-readable summary');
  const duration = data.config?.duration;
  const durationMs = typeof duration === 'number' ? duration * 1_000 : null;
  const acc = new Accumulator(durationMs);
  const add = (m: MachineMetric): void => acc.add(m.name, m.type, m.contains ?? inferContains(m.name, m.type, acc), machineValues(m));
  for (const m of data.results.metrics ?? []) add(m);

  const notes = [
    "k6's new machine-readable summary carries no threshold results: thresholds were not converted (k6's exit code 99 still says whether any failed); run k6 with --new-machine-readable-summary=false for them",
  ];
  const checkMetrics = data.results.checks?.metrics ?? [];
  const succeeded = checkMetrics.find((m) => m.name === 'checks_succeeded');
  if (succeeded && !acc.has('checks')) {
    const v = machineValues(succeeded);
    acc.add('checks', 'rate', 'default', v);
    notes.push('the checks rate was taken from checks_succeeded (the new format has no checks metric)');
  }
  const checks = (data.results.checks?.results ?? []).map((c) => ({ name: c.name, passes: c.passes, fails: c.fails }));
  if (checks.length > 0) notes.push('the new format lists checks without their groups: checks of nested groups appear under their own names only');
  return acc.finish('machine-readable', null, checks, options, notes);
}

// Values ------------------------------------------------------------------------------------------

type Values = Record<string, number | null>;
type MetricType = MetricSummary['type'];
type Contains = 'default' | 'time' | 'data';

const TREND_KEYS = ['count', 'min', 'max', 'avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)'] as const satisfies readonly (keyof TrendValues)[];

/** The new format's rate {matches,total,rate} and trend p90/p95 (p(90)/p(95) in early builds) in legacy spelling. */
function machineValues(m: MachineMetric): Values {
  const v: Values = { ...m.values };
  if (m.type === 'rate' && 'matches' in v) {
    const matches = v['matches'] ?? 0;
    const total = v['total'] ?? matches;
    return { rate: v['rate'] ?? (total > 0 ? matches / total : 0), passes: matches, fails: total - matches };
  }
  if (m.type === 'trend') {
    for (const p of ['90', '95']) {
      if (`p${p}` in v) {
        v[`p(${p})`] = v[`p${p}`] ?? null;
        delete v[`p${p}`];
      }
    }
  }
  return v;
}

/** The export drops `type`; the value keys still tell the four kinds apart. */
function inferExportType(v: Values): MetricType {
  if ('passes' in v && 'fails' in v) return 'rate';
  if ('count' in v && 'rate' in v && !('avg' in v) && !('med' in v)) return 'counter';
  if ('value' in v) return 'gauge';
  return 'trend';
}

const TIME_METRICS = new Set([
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'iteration_duration',
  'group_duration',
  'ws_connecting',
  'ws_session_duration',
  'ws_ping',
  'grpc_req_duration',
]);
const DATA_METRICS = new Set(['data_received', 'data_sent', 'ws_msgs_sent_bytes']);

function inferContains(key: string, type: MetricType, acc: Accumulator): Contains {
  const { name } = parseMetricKey(key);
  if (TIME_METRICS.has(name)) return 'time';
  if (DATA_METRICS.has(name)) return 'data';
  if (type === 'trend') acc.unknownUnits.add(name);
  return 'default';
}

/** k6's RateSink figure: non-zero samples over all samples; null without samples (k6 would say 0). */
function rateOf(passes: number | null | undefined, fails: number | null | undefined): number | null {
  if (typeof passes !== 'number' || typeof fails !== 'number' || passes + fails <= 0) return null;
  return passes / (passes + fails);
}

const num = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);

/** Builds the metrics map and collects what was missing for the notes. */
class Accumulator {
  readonly metrics: Record<string, MetricSummary> = {};
  readonly unknownUnits = new Set<string>();
  private readonly missing = new Map<string, Set<string>>();
  private readonly extra = new Set<string>();
  private readonly derivedRates: string[] = [];
  private readonly durationMs: number | null;

  constructor(durationMs: number | null) {
    this.durationMs = durationMs;
  }

  has(key: string): boolean {
    return key in this.metrics;
  }

  add(key: string, type: MetricType, contains: Contains, v: Values): void {
    this.metrics[key] = this.summary(key, type, contains, v);
  }

  private summary(key: string, type: MetricType, contains: Contains, v: Values): MetricSummary {
    switch (type) {
      case 'trend': {
        if (!('med' in v) && 'p(50)' in v) v = { ...v, med: v['p(50)'] ?? null };
        const values = Object.fromEntries(TREND_KEYS.map((k) => [k, num(v[k])])) as unknown as TrendValues;
        const absent = TREND_KEYS.filter((k) => !(k in v));
        if (absent.length > 0) this.noteMissing(absent.join(', '), key);
        for (const k of Object.keys(v)) if (!(TREND_KEYS as readonly string[]).includes(k) && k !== 'p(50)') this.extra.add(k);
        return { type, unit: contains === 'time' ? 'ms' : 'count', values };
      }
      case 'rate': {
        const passes = num(v['passes']);
        const fails = num(v['fails']);
        const values: RateValues = { rate: 'rate' in v ? num(v['rate']) : passes / (passes + fails), passes, fails };
        return { type, unit: 'ratio', values };
      }
      case 'counter': {
        const count = num(v['count']);
        let rate = num(v['rate']);
        if (!('rate' in v)) {
          rate = this.durationMs ? count / (this.durationMs / 1_000) : Number.NaN;
          this.derivedRates.push(key);
        }
        const values: CounterValues = { count, rate };
        return { type, unit: contains === 'data' ? 'bytes' : 'count', values };
      }
      case 'gauge': {
        const value = num(v['value']);
        const values: GaugeValues = { value, min: 'min' in v ? num(v['min']) : value, max: 'max' in v ? num(v['max']) : value };
        return { type, unit: 'count', values };
      }
    }
  }

  private noteMissing(stats: string, key: string): void {
    const set = this.missing.get(stats) ?? new Set<string>();
    set.add(key);
    this.missing.set(stats, set);
  }

  finish(
    shape: K6SummaryShape,
    raw: readonly { metric: string; expression: string; ok: boolean }[] | null,
    checks: readonly CheckResult[],
    options: ConvertOptions,
    notes: string[] = [],
  ): K6Conversion {
    const aborted = new Set((options.abortedOn ?? []).map(canonicalize));
    const thresholds: ThresholdResult[] = (raw ?? []).map(({ metric, expression, ok }): ThresholdResult => {
      // k6 judges the thresholds crucible gave it: their limits are crucible's, as the built-in engine states them.
      const known = findThreshold(options.thresholds, metric, expression);
      const abortOnFail = known?.abortOnFail === true;
      return {
        metric,
        expression,
        ok,
        actual: thresholdActual(expression, this.metrics[metric]),
        ...(known ? { aggregation: thresholdAggregation(known), limit: thresholdLimit(known) } : {}),
        abortOnFail,
        aborted: abortOnFail && !ok && aborted.has(canonicalize(metric)),
      };
    });
    for (const [stats, keys] of this.missing) {
      notes.push(`k6 did not export ${stats} for ${[...keys].join(', ')}: those values are NaN (crucible passes --summary-trend-stats to get them all)`);
    }
    if (this.extra.size > 0) notes.push(`trend statistics outside crucible's model were dropped: ${[...this.extra].join(', ')}`);
    if (this.derivedRates.length > 0) {
      notes.push(
        this.durationMs
          ? `counter rates were derived as count / run duration for ${this.derivedRates.join(', ')} (the format carries counts only)`
          : `counter rates are unknown (NaN) for ${this.derivedRates.join(', ')}: the format carries counts only`,
      );
    }
    if (this.unknownUnits.size > 0)
      notes.push(`the unit of custom trend(s) ${[...this.unknownUnits].join(', ')} is unknown in this format (recorded as 'count')`);
    const exportedNames = new Set(Object.keys(this.metrics).map((k) => parseMetricKey(k).name));
    const httpMeasured = exportedNames.has('http_reqs') || exportedNames.has('http_req_duration');
    if (httpMeasured && !exportedNames.has('http_req_failed')) notes.push(ERROR_RATE_NOT_MEASURED);
    for (const t of raw === null ? [] : (options.thresholds ?? [])) {
      if (thresholds.some((r) => findThreshold([t], r.metric, r.expression))) continue;
      const name = parseMetricKey(t.selector.key).name;
      if (!exportedNames.has(name)) {
        // No such metric at all: judged as crucible's engine judges a threshold without samples (failed,
        // no value), so a gate k6 could not measure never passes for want of a figure.
        thresholds.push({
          metric: t.selector.key,
          expression: t.expression,
          ok: false,
          actual: null,
          aggregation: thresholdAggregation(t),
          limit: thresholdLimit(t),
          abortOnFail: t.abortOnFail,
          aborted: false,
        });
        notes.push(
          `k6 reported no ${name} metric, so the threshold ${t.selector.key}: ${t.expression} was not measured and fails${name === 'http_req_failed' ? ' (k6 before v0.31 has no http_req_failed)' : ''}`,
        );
      } else {
        notes.push(
          `k6 did not evaluate ${t.selector.key}: ${t.expression} (a script's own options.thresholds replace the --config file's; build them with crucibleOptions() from scenarios/k6/lib/crucible.ts)`,
        );
      }
    }
    const dropped = this.metrics['dropped_iterations'];
    const droppedIterations = dropped?.type === 'counter' && Number.isFinite(dropped.values.count) ? dropped.values.count : 0;
    if (droppedIterations > 0)
      notes.push(`${droppedIterations} iterations were dropped (k6 had no free VU at their start time): the open-model rate was not achieved`);
    return { shape, metrics: this.metrics, thresholds, checks, droppedIterations, durationMs: this.durationMs, notes };
  }
}

// Checks ------------------------------------------------------------------------------------------

const groupPrefix = (path: string | undefined, names: readonly string[]): string => (path ?? names.map((n) => `::${n}`).join('')).replace(/^::/, '');

function legacyChecks(root: LegacyGroup): CheckResult[] {
  const out: CheckResult[] = [];
  const walk = (g: LegacyGroup, names: readonly string[]): void => {
    const prefix = names.length === 0 ? '' : groupPrefix(g.path, names);
    for (const c of g.checks) out.push({ name: prefix ? `${prefix}::${c.name}` : c.name, passes: c.passes, fails: c.fails });
    for (const sub of g.groups) walk(sub, [...names, sub.name]);
  };
  walk(root, []);
  return out;
}

function exportChecks(root: ExportGroup): CheckResult[] {
  const out: CheckResult[] = [];
  const walk = (g: ExportGroup, names: readonly string[]): void => {
    const prefix = names.length === 0 ? '' : groupPrefix(g.path, names);
    for (const c of Object.values(g.checks)) out.push({ name: prefix ? `${prefix}::${c.name}` : c.name, passes: c.passes, fails: c.fails });
    for (const sub of Object.values(g.groups)) walk(sub, [...names, sub.name]);
  };
  walk(root, []);
  return out;
}
