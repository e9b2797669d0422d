import type { ResolvedStage } from '../engine-types.ts';

/**
 * When the iterations of an arrival-rate executor start (k6 semantics): the rate starts at
 * `startRatePerSec` and moves linearly to each stage's target, reached at the stage's end.
 * Arrival n (0-based) is the moment the integral of the rate reaches n, so a constant rate r
 * starts iterations at 0, 1/r, 2/r, ... and the count over any span is the area under the rate.
 */
export interface ArrivalSchedule {
  readonly durationMs: number;
  /** Arrivals in [0, durationMs). */
  readonly total: number;
  /** Iterations per second at `tMs` from the executor's start (0 outside the schedule). */
  rateAt(tMs: number): number;
  /** Ms from the executor's start of arrival n, for 0 <= n < total. */
  timeOf(n: number): number;
}

interface Segment {
  readonly startS: number;
  readonly durationS: number;
  readonly fromRate: number;
  readonly toRate: number;
  /** Arrivals before the segment (the integral so far). */
  readonly startCount: number;
  readonly endCount: number;
}

export function arrivalSchedule(startRatePerSec: number, stages: readonly ResolvedStage[]): ArrivalSchedule {
  const segments: Segment[] = [];
  let startS = 0;
  let count = 0;
  let rate = startRatePerSec;
  for (const stage of stages) {
    const durationS = stage.durationMs / 1000;
    const endCount = count + ((rate + stage.target) / 2) * durationS;
    if (durationS > 0) segments.push({ startS, durationS, fromRate: rate, toRate: stage.target, startCount: count, endCount });
    startS += durationS;
    count = endCount;
    rate = stage.target;
  }
  const durationMs = startS * 1000;
  // The integral lands on a whole number for whole rates and durations; float noise must not add one.
  const total = Math.max(0, Math.ceil(count - 1e-6));
  let cursor = 0;

  const segmentOf = (n: number): Segment => {
    // Callers ask in increasing order: move the cursor instead of searching.
    if (segments[cursor]!.startCount > n) cursor = 0;
    while (cursor < segments.length - 1 && segments[cursor]!.endCount <= n) cursor++;
    return segments[cursor]!;
  };

  return {
    durationMs,
    total,
    rateAt(tMs) {
      const t = tMs / 1000;
      for (const s of segments) {
        if (t >= s.startS && t < s.startS + s.durationS) return s.fromRate + ((s.toRate - s.fromRate) * (t - s.startS)) / s.durationS;
      }
      return 0;
    },
    timeOf(n) {
      const s = segmentOf(n);
      const m = n - s.startCount;
      const a = (s.toRate - s.fromRate) / (2 * s.durationS);
      // Solves fromRate*t + a*t^2 = m; this form stays exact when fromRate is 0 and stable when a is tiny.
      const disc = Math.max(0, s.fromRate * s.fromRate + 4 * a * m);
      const t = m <= 0 ? 0 : (2 * m) / (s.fromRate + Math.sqrt(disc));
      return (s.startS + Math.min(Math.max(t, 0), s.durationS)) * 1000;
    },
  };
}

/** Arrival n, n+stride, n+2*stride... of the schedule: one worker's share of it. */
export function* arrivalTimes(schedule: ArrivalSchedule, offset: number, stride: number): Generator<number> {
  for (let n = offset; n < schedule.total; n += stride) yield schedule.timeOf(n);
}
