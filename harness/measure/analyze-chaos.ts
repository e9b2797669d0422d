import type { ChaosAnalysis, FaultRecord, ProbeSeries } from '../result/summary-model.ts';
import { alertFirings, type AlertInput } from './alert-firings.ts';
import { overallAvailability, sampleAvailability } from './availability.ts';
import { dataLossLedger, type LedgerInput } from './data-loss-ledger.ts';
import { faultDistributions } from './distribution.ts';
import { faultTiming } from './fault-timing.ts';
import { faultVerdict } from '../result/fault-verdict.ts';
import { probeWindows } from './probe-windows.ts';
import { resilienceScore } from './resilience-score.ts';
import { steadyStateChecks } from './steady-state-checks.ts';

/** A fault as the chaos runner knows it after the run. */
export type ChaosFaultInput = Pick<FaultRecord, 'id' | 'name' | 'type' | 'targets' | 'selfHealing' | 'injectedMs' | 'revertedMs' | 'revertError'> & {
  /** The step's weight in the resilience score (Litmus, 0-10), resolved with the scenario. */
  readonly weight: number;
};

export interface ChaosInput {
  /** Every probe's samples, times in ms from the run start. */
  readonly probes: readonly ProbeSeries[];
  /** Every injected fault; ids are `<step>.<repeat>` (the step bounds detection). */
  readonly faults: readonly ChaosFaultInput[];
  /** Prometheus alerts: firing starts, or firing spans per alert name. */
  readonly alerts: readonly AlertInput[];
  readonly expectations: ChaosAnalysis['expectations'] & { readonly alert: boolean };
  readonly windowMs: number;
  readonly recoverWindows: number;
  /** The end of the experiment: the end of the recovery wait, ms from the run start. */
  readonly endMs: number;
  /** The ledger writer's records and the rows read back; null when the scenario has no ledger. */
  readonly ledger: LedgerInput | null;
  readonly rollback: ChaosAnalysis['rollback'];
  readonly abortedBy?: ChaosAnalysis['abortedBy'];
  /**
   * How long after a fault's recovery an alert still counts as its alert: the rules' `for:` (up to
   * 30 s on the reference platform) plus an evaluation interval. @default 30000
   */
  readonly alertSlackMs?: number;
}

const DEFAULT_ALERT_SLACK_MS = 30_000;

/** The whole measurement of a chaos run, from plain data: no I/O, no clock. */
export function analyzeChaos(input: ChaosInput): ChaosAnalysis {
  const { probes, windowMs, recoverWindows, endMs, expectations } = input;
  const windows = probeWindows(probes, windowMs, endMs);
  const alerts = alertFirings(input.alerts);
  const ctx = { probes, windows, recoverWindows, endMs, faults: input.faults, alerts, alertSlackMs: input.alertSlackMs ?? DEFAULT_ALERT_SLACK_MS };

  const faults: FaultRecord[] = input.faults.map((f) => {
    const timing = faultTiming(f, ctx);
    let counted = sampleAvailability(probes, f.injectedMs, timing.recoveredMs ?? endMs);
    // An absorbed self-healing fault recovers at its injection: an empty span. The good run that
    // proved the recovery is then the only evidence of what users saw.
    if (counted.total === 0 && timing.recoveryRunEndMs !== null) counted = sampleAvailability(probes, f.injectedMs, timing.recoveryRunEndMs);
    const measured = {
      id: f.id,
      name: f.name,
      type: f.type,
      targets: f.targets,
      selfHealing: f.selfHealing,
      injectedMs: f.injectedMs,
      revertedMs: f.revertedMs,
      detectedMs: timing.detectedMs,
      alertMs: timing.alertMs,
      alertName: timing.alertName,
      recoveredMs: timing.recoveredMs,
      timeToDetectMs: timing.timeToDetectMs,
      timeToAlertMs: timing.timeToAlertMs,
      mttrMs: timing.mttrMs,
      availability: counted.ratio,
      ...(f.revertError !== undefined ? { revertError: f.revertError } : {}),
    };
    return { ...measured, ...faultVerdict(measured, { mttrMs: expectations.mttrMs, detectionMs: expectations.detectionMs, alert: expectations.alert }) };
  });

  const firstInjection = faults.length ? Math.min(...faults.map((f) => f.injectedMs)) : 0;
  return {
    windowMs,
    recoverWindows,
    expectations: {
      mttrMs: expectations.mttrMs,
      detectionMs: expectations.detectionMs,
      availability: expectations.availability,
      maxLostWrites: expectations.maxLostWrites,
      alert: expectations.alert,
    },
    steadyState: steadyStateChecks({ windows, recoverWindows, probes, faults, endMs }),
    faults,
    distributions: faultDistributions(faults),
    availability: overallAvailability(probes, firstInjection, endMs, expectations.availability),
    resilienceScore: resilienceScore(faults.map((f, i) => ({ weight: input.faults[i]!.weight, availability: f.availability }))),
    probes,
    ledger: input.ledger === null ? null : dataLossLedger(input.ledger),
    rollback: input.rollback,
    ...(input.abortedBy ? { abortedBy: input.abortedBy } : {}),
  };
}
