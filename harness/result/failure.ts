import type { Limit } from './limit.ts';

/**
 * What a run can fail on. Each kind names its subject the same way every time, so a renderer can
 * find the row a failure belongs to:
 * - threshold: `<metric> <expression>` as written (`http_req_duration{name:login} p(95)<300`)
 * - slo: the SLO's id (`p95-latency`)
 * - fault: `<name> (<id>)` of the injection (`faultSubject`); `measure` says which expectation
 * - steady-state: the phase of the hypothesis (`before`, `after`)
 * - availability: `experiment`
 * - data-loss: `lost` or `duplicated`
 * - rollback: `rollback`
 * - abort: `signal` (interrupted), or the probe whose abort condition stopped the experiment
 * - error: `run` (the run could not complete)
 * - security-finding, check-error: the check's id (`SEC-JWT-01`)
 * - coverage: `checks` (a penetration run in which no check applied: nothing was tested)
 * - detection: the attack class (`injection`)
 * - objective: a sign-off metric's id (`mttr`): one of the roadmap's success metrics not met
 */
export type FailureKind =
  | 'threshold'
  | 'slo'
  | 'fault'
  | 'steady-state'
  | 'availability'
  | 'data-loss'
  | 'rollback'
  | 'abort'
  | 'error'
  | 'security-finding'
  | 'check-error'
  | 'coverage'
  | 'detection'
  | 'objective';

/** A fault's expectations, for `measure`. */
export type FaultMeasure = 'revert' | 'mttr' | 'time-to-detect' | 'alert' | 'availability';

/** One judged expectation that was not met: what, the value measured, the limit it broke, and in words. */
export interface Failure {
  readonly kind: FailureKind;
  readonly subject: string;
  /** Which of the subject's expectations (a fault's `mttr`, `time-to-detect`, ...); absent when it has one. */
  readonly measure?: FaultMeasure;
  /** The measured value in the limit's unit; null when there was nothing to measure (never recovered, no samples). */
  readonly actual: number | null;
  /** The limit the value had to meet; absent when the expectation is not a number (a rollback, a finding). */
  readonly limit?: Limit;
  /** One line that stands on its own: `kill-gateway (1.0): MTTR 42.0 s > 30.0 s`. */
  readonly words: string;
}

/** The subject of a fault's failures: `kill-gateway (1.0)`. */
export const faultSubject = (f: { readonly name: string; readonly id: string }): string => `${f.name} (${f.id})`;
