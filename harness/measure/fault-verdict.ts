import type { FaultRecord } from '../result/summary-model.ts';

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

/** Passed, or failed with every expectation it missed in words and numbers ('MTTR 42.0 s > 30.0 s'). */
export function faultVerdict(m: MeasuredFault, e: FaultExpectations): Pick<FaultRecord, 'verdict' | 'reasons'> {
  const reasons: string[] = [];
  if (m.revertError !== undefined) reasons.push(`revert failed: ${m.revertError}`);
  if (m.mttrMs === null) reasons.push('never recovered before the end of the experiment');
  else if (m.mttrMs > e.mttrMs) reasons.push(`MTTR ${pair(m.mttrMs, e.mttrMs, seconds)}`);
  if (m.timeToDetectMs !== null && m.timeToDetectMs > e.detectionMs) reasons.push(`time to detect ${pair(m.timeToDetectMs, e.detectionMs, seconds)}`);
  if (e.alert && m.detectedMs !== null && m.alertMs === null)
    reasons.push(`no alert fired although the probes detected it after ${seconds(m.timeToDetectMs ?? 0, 1)}`);
  if (m.availability === null) reasons.push('no probe sample from the injection to the recovery');
  else if (e.availability !== undefined && m.availability < e.availability) reasons.push(`availability ${pair(m.availability, e.availability, percent)}`);
  return { verdict: reasons.length ? 'failed' : 'passed', reasons };
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
