import { faultSubject, type Failure, type FaultMeasure } from './failure.ts';
import type { Limit } from './limit.ts';
import type { ChaosAnalysis, FaultRecord } from './summary-model.ts';

/** What every fault must achieve (ChaosOptions.expect, resolved to ms). */
export interface FaultExpectations {
  readonly mttrMs: number;
  readonly detectionMs: number;
  /**
   * Availability objective for the fault's own span, 0-1. Left out by default: over the span from
   * injection to recovery availability is mostly the impact itself (a 2 s blip is below 99.9 %),
   * so the roadmap's objective judges the whole experiment (ChaosAnalysis.availability) instead.
   */
  readonly availability?: number;
  /** A Prometheus alert must fire for every fault the probes detected. */
  readonly alert: boolean;
}

export type MeasuredFault = Pick<FaultRecord, 'mttrMs' | 'detectedMs' | 'timeToDetectMs' | 'alertMs' | 'availability' | 'revertError'>;

/** The expectations a chaos run judges each of its faults on (the experiment's availability is judged over the whole run). */
export function faultExpectations(e: ChaosAnalysis['expectations']): FaultExpectations {
  return { mttrMs: e.mttrMs, detectionMs: e.detectionMs, alert: e.alert ?? false };
}

interface Miss {
  readonly measure: FaultMeasure;
  readonly actual: number | null;
  readonly limit?: Limit;
  readonly reason: string;
}

/** Every expectation a fault missed, with its numbers ('MTTR 42.0 s > 30.0 s'). */
function misses(m: MeasuredFault, e: FaultExpectations): Miss[] {
  const out: Miss[] = [];
  const mttr: Limit = { op: '<=', value: e.mttrMs, unit: 'ms' };
  if (m.revertError !== undefined) out.push({ measure: 'revert', actual: null, reason: `revert failed: ${m.revertError}` });
  if (m.mttrMs === null) out.push({ measure: 'mttr', actual: null, limit: mttr, reason: 'never recovered before the end of the experiment' });
  else if (m.mttrMs > e.mttrMs) out.push({ measure: 'mttr', actual: m.mttrMs, limit: mttr, reason: `MTTR ${pair(m.mttrMs, e.mttrMs, seconds)}` });
  if (m.timeToDetectMs !== null && m.timeToDetectMs > e.detectionMs)
    out.push({
      measure: 'time-to-detect',
      actual: m.timeToDetectMs,
      limit: { op: '<=', value: e.detectionMs, unit: 'ms' },
      reason: `time to detect ${pair(m.timeToDetectMs, e.detectionMs, seconds)}`,
    });
  if (e.alert && m.detectedMs !== null && m.alertMs === null)
    out.push({ measure: 'alert', actual: null, reason: `no alert fired although the probes detected it after ${seconds(m.timeToDetectMs ?? 0, 1)}` });
  if (m.availability === null) out.push({ measure: 'availability', actual: null, reason: 'no probe sample from the injection to the recovery' });
  else if (e.availability !== undefined && m.availability < e.availability)
    out.push({
      measure: 'availability',
      actual: m.availability,
      limit: { op: '>=', value: e.availability, unit: 'ratio' },
      reason: `availability ${pair(m.availability, e.availability, percent)}`,
    });
  return out;
}

/** Passed, or failed with every expectation it missed in words and numbers ('MTTR 42.0 s > 30.0 s'). */
export function faultVerdict(m: MeasuredFault, e: FaultExpectations): Pick<FaultRecord, 'verdict' | 'reasons'> {
  const reasons = misses(m, e).map((x) => x.reason);
  return { verdict: reasons.length ? 'failed' : 'passed', reasons };
}

/** The same judgement as faultVerdict, one failure per missed expectation, for the run's verdict. */
export function faultFailures(f: MeasuredFault & Pick<FaultRecord, 'name' | 'id'>, e: FaultExpectations): Failure[] {
  const subject = faultSubject(f);
  return misses(f, e).map(({ measure, actual, limit, reason }) => ({
    kind: 'fault',
    subject,
    measure,
    actual,
    ...(limit ? { limit } : {}),
    words: `${subject}: ${reason}`,
  }));
}

/** 'actual > limit' (or '<'), with as many decimals as it takes for the two not to print the same. */
function pair(actual: number, limit: number, format: (v: number, digits: number) => string): string {
  let digits = 1;
  while (digits < 4 && format(actual, digits) === format(limit, digits)) digits++;
  return `${format(actual, digits)} ${actual < limit ? '<' : '>'} ${format(limit, digits)}`;
}

function seconds(ms: number, digits: number): string {
  return `${(ms / 1000).toFixed(digits)} s`;
}

function percent(ratio: number, digits: number): string {
  return `${(ratio * 100).toFixed(digits + 1)} %`;
}
