import type { FaultRecord, ProbeSeries } from '../result/summary-model.ts';
import { firstAlert, type AlertFiring } from './alert-firings.ts';
import { firstGoodRun, type ProbeWindow } from './probe-windows.ts';

/** What timing needs to know of a fault (a subset of FaultRecord, as the chaos runner knows it). */
export type TimedFault = Pick<FaultRecord, 'id' | 'injectedMs' | 'revertedMs' | 'selfHealing'>;

export interface FaultTimingContext {
  readonly probes: readonly ProbeSeries[];
  /** From probeWindows over the whole run. */
  readonly windows: readonly ProbeWindow[];
  readonly recoverWindows: number;
  /** The end of the experiment (the end of the recovery wait); nothing at or after it counts. */
  readonly endMs: number;
  /** Every fault of the run, to bound detection by the next fault of another step. */
  readonly faults: readonly TimedFault[];
  /** Earliest first (alertFirings). */
  readonly alerts: readonly AlertFiring[];
  /** How long after the recovery an alert still counts (Prometheus' `for:` and evaluation delay). */
  readonly alertSlackMs: number;
}

export interface FaultTiming {
  readonly detectedMs: number | null;
  readonly alertMs: number | null;
  readonly alertName: string | null;
  readonly recoveredMs: number | null;
  /** End of the last window of the good run that proved the recovery (null when none). */
  readonly recoveryRunEndMs: number | null;
  readonly timeToDetectMs: number | null;
  readonly timeToAlertMs: number | null;
  readonly mttrMs: number | null;
}

/** The step of a fault from its id (`<step>.<repeat>`, AppliedFault's contract). */
function stepOf(id: string): string {
  const dot = id.indexOf('.');
  return dot === -1 ? id : id.slice(0, dot);
}

/**
 * Where MTTR counts from: the revert for faults that are removed, the injection for self-healing
 * ones (and for a fault whose revert failed or never happened: nothing else marks its end).
 */
export function recoveryReference(f: TimedFault): number {
  return !f.selfHealing && f.revertedMs !== null ? f.revertedMs : f.injectedMs;
}

/**
 * Until when a probe failure can be blamed on `f`: the next injection (strictly later) of a fault
 * of another step, or the end. A repeat of the same step does not end it, as the brief defines.
 */
export function detectionBound(f: TimedFault, faults: readonly TimedFault[], endMs: number): number {
  const step = stepOf(f.id);
  let bound = endMs;
  for (const o of faults) if (stepOf(o.id) !== step && o.injectedMs > f.injectedMs && o.injectedMs < bound) bound = o.injectedMs;
  return bound;
}

/** The first bad sample of any probe in [fromMs, beforeMs), or null. */
function firstBadSample(probes: readonly ProbeSeries[], fromMs: number, beforeMs: number): number | null {
  let first: number | null = null;
  for (const p of probes) {
    p.t.forEach((t, i) => {
      if (!p.ok[i] && t >= fromMs && t < beforeMs && (first === null || t < first)) first = t;
    });
  }
  return first;
}

export function faultTiming(f: TimedFault, ctx: FaultTimingContext): FaultTiming {
  const detectedMs = firstBadSample(ctx.probes, f.injectedMs, detectionBound(f, ctx.faults, ctx.endMs));
  const reference = recoveryReference(f);
  // A breach first seen after the reference (a slow probe) means the platform was not recovered before it.
  const searchFrom = detectedMs === null ? reference : Math.max(reference, detectedMs);
  const run = firstGoodRun(ctx.windows, searchFrom, ctx.recoverWindows);
  let recoveredMs: number | null = run === null ? null : ctx.windows[run.first]!.startMs;
  if (run !== null && detectedMs === null) {
    // Nothing noticed the fault and nothing was bad from the reference to the good run: it was
    // absorbed, so the gap up to the next window boundary is not recovery time.
    const badBetween = ctx.windows.some((w, k) => k < run.first && w.startMs >= reference && w.state === 'bad');
    if (!badBetween) recoveredMs = reference;
  }
  const alert = firstAlert(ctx.alerts, f.injectedMs, alertBound(f, recoveredMs, ctx));
  return {
    detectedMs,
    alertMs: alert?.firstFiringMs ?? null,
    alertName: alert?.name ?? null,
    recoveredMs,
    recoveryRunEndMs: run === null ? null : ctx.windows[run.last]!.endMs,
    timeToDetectMs: detectedMs === null ? null : detectedMs - f.injectedMs,
    timeToAlertMs: alert === null ? null : alert.firstFiringMs - f.injectedMs,
    mttrMs: recoveredMs === null ? null : recoveredMs - reference,
  };
}

/**
 * Until when an alert can be this fault's: the recovery plus the slack (alerts lag behind their
 * `for:`), but not past a later fault injected after this one recovered, since an alert starting
 * then is the later fault's. Without a recovery, the next injection of any fault ends it.
 */
export function alertBound(f: TimedFault, recoveredMs: number | null, ctx: Pick<FaultTimingContext, 'faults' | 'alertSlackMs'>): number {
  const next = Math.min(...ctx.faults.filter((o) => o.injectedMs > f.injectedMs).map((o) => o.injectedMs));
  if (recoveredMs === null) return next;
  return Math.min(recoveredMs + ctx.alertSlackMs, Math.max(recoveredMs, next));
}
