/**
 * How a run's work is split: into lanes, striped. Lane l of L owns the global indices l, l+L, l+2L, ...
 * of every executor's VUs and of every arrival-rate executor's arrivals, so the lanes' shares add up to
 * the plan exactly (k6's execution segments do the same for equal segments: grafana/k6#997, the
 * "striped" sequence). Worker threads within a process and load pods within a run are the same split,
 * nested: pod p of P, worker w of W is lane p + w*P of P*W (see laneOf), so the pods' shares are
 * themselves striped (pod p owns exactly the indices congruent to p mod P), whatever W each pod has.
 */

/** Segment i of N of a distributed run (one load pod); a single-process run is segment 0 of 1. */
export interface Segment {
  readonly index: number;
  readonly count: number;
}

export const WHOLE_RUN: Segment = { index: 0, count: 1 };

/** A lane of the striped split: which indices one worker of one segment owns. */
export interface Lane {
  readonly lane: number;
  readonly lanes: number;
}

/** Worker `w` of `workers` within `segment`: lane segment.index + w*segment.count of segment.count*workers. */
export function laneOf(segment: Segment, w: number, workers: number): Lane {
  return { lane: segment.index + w * segment.count, lanes: segment.count * workers };
}

/** How many of `total` indices lane `w` of `workers` owns (ceil or floor of total/workers); the shares add up to total exactly. */
export function workerShare(total: number, w: number, workers: number): number {
  return Math.max(0, Math.ceil((total - w) / workers));
}

/** The global (0-based) index of lane w's k-th VU. */
export function globalIndex(k: number, w: number, workers: number): number {
  return w + k * workers;
}

/** Checks a segment read from outside (a CLI option, a pod's environment). */
export function isSegment(s: Segment): boolean {
  return Number.isInteger(s.index) && Number.isInteger(s.count) && s.count >= 1 && s.index >= 0 && s.index < s.count;
}
