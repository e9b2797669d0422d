import type { ResolvedExecutor } from '../engine-types.ts';
import { arrivalSchedule, type ArrivalSchedule } from './arrival-schedule.ts';
import { maxVus } from './vu-schedule.ts';

export type ArrivalRateExecutor = Extract<ResolvedExecutor, { executor: 'constant-arrival-rate' | 'ramping-arrival-rate' }>;
export type ClosedExecutor = Extract<ResolvedExecutor, { executor: 'constant-vus' | 'ramping-vus' }>;

export function isArrivalRate(e: ResolvedExecutor): e is ArrivalRateExecutor {
  return e.executor === 'constant-arrival-rate' || e.executor === 'ramping-arrival-rate';
}

/** How long the executor starts iterations (without its graceful stop). */
export function executorDurationMs(e: ResolvedExecutor): number {
  switch (e.executor) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return e.durationMs;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return e.stages.reduce((sum, s) => sum + s.durationMs, 0);
  }
}

/** Run time at which the executor stops starting iterations. */
export function executorEndMs(e: ResolvedExecutor): number {
  return e.startTimeMs + executorDurationMs(e);
}

/** Run time by which the executor's last iterations have been stopped. */
export function executorStopMs(e: ResolvedExecutor): number {
  return executorEndMs(e) + e.gracefulStopMs;
}

/** The plan's length: the latest executor end plus its graceful stop. */
export function plannedDurationMs(executors: readonly ResolvedExecutor[]): number {
  return Math.max(0, ...executors.map(executorStopMs));
}

/** The most VUs the executor can have at once. */
export function executorMaxVus(e: ResolvedExecutor): number {
  switch (e.executor) {
    case 'constant-vus':
      return e.vus;
    case 'ramping-vus':
      return maxVus(e.startVUs, e.stages);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return Math.max(e.maxVUs, e.preAllocatedVUs);
  }
}

export function executorSchedule(e: ArrivalRateExecutor): ArrivalSchedule {
  return e.executor === 'constant-arrival-rate'
    ? arrivalSchedule(e.ratePerSec, [{ durationMs: e.durationMs, target: e.ratePerSec }])
    : arrivalSchedule(e.startRatePerSec, e.stages);
}

/**
 * The open-model target rate (iterations/s) at run time `tMs`, summed over the arrival-rate
 * executors; null when the plan has none (a closed-model run has no target rate).
 */
export function targetRateAt(executors: readonly ResolvedExecutor[], tMs: number): number | null {
  const open = executors.filter(isArrivalRate);
  if (open.length === 0) return null;
  return open.reduce((sum, e) => sum + executorSchedule(e).rateAt(tMs - e.startTimeMs), 0);
}

/** Executors starting iterations at run time `tMs`. */
export function activeExecutors(executors: readonly ResolvedExecutor[], tMs: number): string[] {
  return executors.filter((e) => tMs >= e.startTimeMs && tMs < executorEndMs(e)).map((e) => e.name);
}
