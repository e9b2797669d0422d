import type { ResolvedStage } from '../engine-types.ts';

/** The VU count of a ramping-vus executor from `atMs` on (ms from the executor's start). */
export interface VuStep {
  readonly atMs: number;
  readonly vus: number;
}

/**
 * VU targets over time, k6 semantics: linear between stage targets, and the count changes at the
 * moment the line crosses a whole number (so a ramp up rounds down, a ramp down rounds up).
 * One step per VU added or removed, plus the start.
 */
export function vuSteps(startVUs: number, stages: readonly ResolvedStage[]): VuStep[] {
  const steps: VuStep[] = [{ atMs: 0, vus: startVUs }];
  let at = 0;
  let from = startVUs;
  for (const { durationMs, target } of stages) {
    const span = Math.abs(target - from);
    const dir = Math.sign(target - from);
    for (let k = 1; k <= span; k++) {
      const t = at + (durationMs * k) / span;
      // Steps inside one instant (a zero-length stage) collapse to the last value.
      if (steps.at(-1)!.atMs === t) steps.pop();
      steps.push({ atMs: t, vus: from + dir * k });
    }
    at += durationMs;
    from = target;
  }
  return steps;
}

/** The VU target at `tMs` from the executor's start. */
export function vuTargetAt(startVUs: number, stages: readonly ResolvedStage[], tMs: number): number {
  let vus = startVUs;
  for (const step of vuSteps(startVUs, stages)) {
    if (step.atMs > tMs) break;
    vus = step.vus;
  }
  return vus;
}

export function maxVus(startVUs: number, stages: readonly ResolvedStage[]): number {
  return Math.max(startVUs, ...stages.map((s) => s.target));
}
