import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { TrendValues } from '../../result/summary-model.ts';

export type { Histogram };

/** Trend samples are recorded in microseconds: 1 µs to 120 s at 3 significant digits (0.1 %). */
const HIGHEST_US = 120_000_000;

const LAYOUT = { lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: false } as const;

/**
 * For recording and for long-lived totals: a flat 32-bit counts array (74 KB), the fastest to
 * record into. Fixed range instead of autoResize: every histogram of the run must have the same
 * layout to be added up.
 */
export function createHistogram(): Histogram {
  return build(LAYOUT);
}

/**
 * For the histograms made and dropped every second (decoded worker deltas, per-interval buckets,
 * tag-filtered merges): the packed layout holds only the buckets in use, a few KB instead of 74 KB.
 * Allocating flat arrays at that rate kept the process's RSS creeping up over long runs (the
 * allocator does not hand freed 74 KB blocks back), while the JS heap stayed flat.
 */
export function createTransientHistogram(): Histogram {
  return build({ ...LAYOUT, bitBucketSize: 'packed' });
}

/** Records a value in ms; out-of-range values are clamped (a 200 s stall counts as 120 s). */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.min(HIGHEST_US, Math.max(0, Math.round(ms * 1000))));
}

/** Compact wire form for worker -> main transfer (run-length + deflate; a few hundred bytes). */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/**
 * How the histograms made and dropped every interval are laid out. `packed` (the engine's): small,
 * so a long run's RSS stays flat, but every merge and percentile walks each bucket through the
 * packed index, about 20 times slower than `flat`. `flat`: for a caller that replays a whole run's
 * intervals at once (the sample summaries, in simulated time), where speed matters and memory does not.
 */
export type TransientLayout = 'packed' | 'flat';

/** Decoded into the packed layout (or `layout`): decoded deltas live for one merge (see createTransientHistogram). */
export function decodeHistogram(s: string, layout: TransientLayout = 'packed'): Histogram {
  return decodeFromCompressedBase64(s, layout === 'packed' ? 'packed' : 32);
}

/** k6's trend statistics in ms; undefined without samples. */
export function trendValues(h: Histogram): TrendValues | undefined {
  const count = h.totalCount;
  if (count === 0) return undefined;
  const ms = (us: number): number => us / 1000;
  const at = (p: number): number => ms(h.getValueAtPercentile(p));
  return {
    count,
    min: at(0),
    max: ms(h.maxValue),
    avg: ms(h.mean),
    med: at(50),
    'p(90)': at(90),
    'p(95)': at(95),
    'p(99)': at(99),
    'p(99.9)': at(99.9),
  };
}

/** A percentile in ms, or null without samples. */
export function percentileMs(h: Histogram, p: number): number | null {
  return h.totalCount === 0 ? null : h.getValueAtPercentile(p) / 1000;
}
