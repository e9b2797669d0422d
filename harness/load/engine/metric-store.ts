import type { MetricsView, TagFilter } from '../engine-types.ts';
import type { CounterValues, GaugeValues, RateValues, TrendValues } from '../../result/summary-model.ts';
import { BUILTIN_METRICS, type MetricKind as MetricType } from '../../result/builtin-metrics.ts';
import { createHistogram, createTransientHistogram, trendValues, type Histogram } from './hdr.ts';
import type { Tags } from './worker-protocol.ts';

interface Series<V> {
  readonly tags: Tags;
  value: V;
}
interface Metric<V> {
  /** Every series merged: the unfiltered query costs nothing. */
  total: V;
  readonly series: Map<string, Series<V>>;
}
interface RateCounts {
  nonZero: number;
  total: number;
}

const matches = (tags: Tags, filter: TagFilter | undefined): boolean => {
  if (!filter) return true;
  for (const k in filter) if (tags[k] !== filter[k]) return false;
  return true;
};
const isEmpty = (filter: TagFilter | undefined): boolean => !filter || Object.keys(filter).length === 0;

/**
 * The run's cumulative samples on the main thread: worker deltas are merged in as they arrive.
 * Sub-metric queries (a TagFilter) merge every series whose tags include the filter's.
 */
export class MetricStore implements MetricsView {
  readonly #trends = new Map<string, Metric<Histogram>>();
  readonly #counters = new Map<string, Metric<number>>();
  readonly #rates = new Map<string, Metric<RateCounts>>();
  readonly #gauges = new Map<string, GaugeValues>();
  readonly #types = new Map<string, MetricType>(Object.entries(BUILTIN_METRICS));
  /** Run time so far, for counters' per-second rate. */
  elapsedMs = 0;

  addTrend(metric: string, key: string, tags: Tags, h: Histogram): void {
    const m = this.#metric(this.#trends, metric, 'trend', createHistogram);
    m.total.add(h);
    let s = m.series.get(key);
    if (!s) m.series.set(key, (s = { tags, value: createHistogram() }));
    s.value.add(h);
  }

  addCounter(metric: string, key: string, tags: Tags, value: number): void {
    const m = this.#metric(this.#counters, metric, 'counter', () => 0);
    m.total += value;
    const s = m.series.get(key);
    if (s) s.value += value;
    else m.series.set(key, { tags, value });
  }

  addRate(metric: string, key: string, tags: Tags, nonZero: number, total: number): void {
    const m = this.#metric(this.#rates, metric, 'rate', () => ({ nonZero: 0, total: 0 }));
    m.total.nonZero += nonZero;
    m.total.total += total;
    const s = m.series.get(key);
    if (s) {
      s.value.nonZero += nonZero;
      s.value.total += total;
    } else m.series.set(key, { tags, value: { nonZero, total } });
  }

  setGauge(metric: string, value: number): void {
    this.#types.set(metric, 'gauge');
    const g = this.#gauges.get(metric);
    this.#gauges.set(metric, g ? { value, min: Math.min(g.min, value), max: Math.max(g.max, value) } : { value, min: value, max: value });
  }

  trend(metric: string, filter?: TagFilter): TrendValues | undefined {
    const h = this.mergedTrend(metric, filter);
    return h && trendValues(h);
  }

  /** The merged histogram of the matching series (for percentiles the summary does not list). */
  mergedTrend(metric: string, filter?: TagFilter): Histogram | undefined {
    const m = this.#trends.get(metric);
    if (!m) return undefined;
    if (isEmpty(filter)) return m.total;
    const merged = createTransientHistogram();
    for (const s of m.series.values()) if (matches(s.tags, filter)) merged.add(s.value);
    return merged;
  }

  rate(metric: string, filter?: TagFilter): RateValues | undefined {
    const m = this.#rates.get(metric);
    if (!m) return undefined;
    let nonZero = m.total.nonZero;
    let total = m.total.total;
    if (!isEmpty(filter)) {
      nonZero = total = 0;
      for (const s of m.series.values()) {
        if (!matches(s.tags, filter)) continue;
        nonZero += s.value.nonZero;
        total += s.value.total;
      }
    }
    return total === 0 ? undefined : { rate: nonZero / total, passes: nonZero, fails: total - nonZero };
  }

  counter(metric: string, filter?: TagFilter): CounterValues | undefined {
    if (this.#types.get(metric) !== 'counter') return undefined;
    const m = this.#counters.get(metric);
    let count = m?.total ?? 0;
    if (m && !isEmpty(filter)) {
      count = 0;
      for (const s of m.series.values()) if (matches(s.tags, filter)) count += s.value;
    }
    return { count, rate: this.elapsedMs > 0 ? count / (this.elapsedMs / 1000) : 0 };
  }

  gauge(metric: string): GaugeValues | undefined {
    return this.#gauges.get(metric);
  }

  typeOf(metric: string): MetricType | undefined {
    return this.#types.get(metric);
  }

  /** Every series of a metric with its tags (for the requests and checks tables). */
  trendSeries(metric: string): Iterable<Series<Histogram>> {
    return this.#trends.get(metric)?.series.values() ?? [];
  }
  counterSeries(metric: string): Iterable<Series<number>> {
    return this.#counters.get(metric)?.series.values() ?? [];
  }
  rateSeries(metric: string): Iterable<Series<RateCounts>> {
    return this.#rates.get(metric)?.series.values() ?? [];
  }

  #metric<V>(map: Map<string, Metric<V>>, name: string, type: MetricType, empty: () => V): Metric<V> {
    let m = map.get(name);
    if (!m) {
      const known = this.#types.get(name);
      if (known && known !== type) throw new Error(`metric ${name} is a ${known}, not a ${type}`);
      this.#types.set(name, type);
      map.set(name, (m = { total: empty(), series: new Map() }));
    }
    return m;
  }
}
