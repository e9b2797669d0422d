import { createHistogram, encodeHistogram, recordMs, type Histogram } from './hdr.ts';
import { tagKey } from './tag-key.ts';
import type { MetricsDelta, Tags } from './worker-protocol.ts';

export class TrendSeries {
  readonly histogram: Histogram = createHistogram();
  record(ms: number): void {
    recordMs(this.histogram, ms);
  }
}
export class CounterSeries {
  value = 0;
  add(n: number): void {
    this.value += n;
  }
}
export class RateSeries {
  nonZero = 0;
  total = 0;
  add(nonZero: boolean): void {
    this.total++;
    if (nonZero) this.nonZero++;
  }
}

interface Entry<S> {
  readonly metric: string;
  readonly key: string;
  readonly tags: Tags;
  readonly series: S;
}

/**
 * A worker's samples since its last report: one series per (metric, tag set), kept for the whole
 * run (their number depends on the tag sets, not on the duration) and reset at every flush.
 * Callers keep the series objects they get, so recording a sample is a field update.
 */
export class MetricRecorder {
  readonly #trends = new Map<string, Entry<TrendSeries>>();
  readonly #counters = new Map<string, Entry<CounterSeries>>();
  readonly #rates = new Map<string, Entry<RateSeries>>();

  trend(metric: string, tags: Tags): TrendSeries {
    return this.#get(this.#trends, metric, tags, () => new TrendSeries());
  }
  counter(metric: string, tags: Tags): CounterSeries {
    return this.#get(this.#counters, metric, tags, () => new CounterSeries());
  }
  rate(metric: string, tags: Tags): RateSeries {
    return this.#get(this.#rates, metric, tags, () => new RateSeries());
  }

  /** Everything recorded since the previous flush; series with nothing new are left out. */
  flush(): MetricsDelta {
    const trends: MetricsDelta['trends'][number][] = [];
    for (const { metric, key, tags, series } of this.#trends.values()) {
      if (series.histogram.totalCount === 0) continue;
      trends.push({ metric, key, tags, histogram: encodeHistogram(series.histogram) });
      series.histogram.reset();
    }
    const counters: MetricsDelta['counters'][number][] = [];
    for (const { metric, key, tags, series } of this.#counters.values()) {
      if (series.value === 0) continue;
      counters.push({ metric, key, tags, value: series.value });
      series.value = 0;
    }
    const rates: MetricsDelta['rates'][number][] = [];
    for (const { metric, key, tags, series } of this.#rates.values()) {
      if (series.total === 0) continue;
      rates.push({ metric, key, tags, nonZero: series.nonZero, total: series.total });
      series.nonZero = 0;
      series.total = 0;
    }
    return { trends, counters, rates };
  }

  #get<S>(map: Map<string, Entry<S>>, metric: string, tags: Tags, create: () => S): S {
    const key = tagKey(tags);
    const id = `${metric}${key}`;
    let entry = map.get(id);
    if (!entry) {
      entry = { metric, key, tags: { ...tags }, series: create() };
      map.set(id, entry);
    }
    return entry.series;
  }
}
