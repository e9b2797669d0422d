import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { TrendValues } from '../../report/summary-model.ts';

export type { Histogram };

/** Trend samples are recorded in microseconds: 1 µs to 120 s at 3 significant digits (0.1 %). */
const HIGHEST_US = 120_000_000;
export const HISTOGRAM_DESCRIPTION = 'HdrHistogram 1µs–120s, 3 significant digits';

export function createHistogram(): Histogram {
  // Fixed range instead of autoResize: every histogram of the run must have the same layout to be added up.
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: false });
}

/** Records a value in ms; out-of-range values are clamped (a 200 s stall counts as 120 s). */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(Math.min(HIGHEST_US, Math.max(0, Math.round(ms * 1000))));
}

/** Compact wire form for worker -> main transfer (run-length + deflate; a few hundred bytes). */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

export function decodeHistogram(s: string): Histogram {
  return decodeFromCompressedBase64(s);
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
