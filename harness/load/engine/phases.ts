import type { ResolvedExecutor, ResolvedStage } from '../engine-types.ts';
import type { Phase } from '../../result/summary-model.ts';
import { executorEndMs } from './executor-timing.ts';

/**
 * Chart shading for each executor, in run time: a `ramp` phase where its target (VUs or rate)
 * changes, a `steady` phase where it is flat. Zero-length stages (jumps) make no phase.
 */
export function executorPhases(executors: readonly ResolvedExecutor[]): Phase[] {
  return executors.flatMap((e): Phase[] => {
    switch (e.executor) {
      case 'constant-vus':
        return [{ name: `${e.name}: ${e.vus} VUs`, kind: 'steady', startMs: e.startTimeMs, endMs: executorEndMs(e) }];
      case 'constant-arrival-rate':
        return [{ name: `${e.name}: ${e.ratePerSec}/s`, kind: 'steady', startMs: e.startTimeMs, endMs: executorEndMs(e) }];
      case 'ramping-vus':
        return stagePhases(e.name, e.startTimeMs, e.startVUs, e.stages, ' VUs');
      case 'ramping-arrival-rate':
        return stagePhases(e.name, e.startTimeMs, e.startRatePerSec, e.stages, '/s');
    }
  });
}

function stagePhases(name: string, startMs: number, from: number, stages: readonly ResolvedStage[], unit: string): Phase[] {
  const phases: Phase[] = [];
  let at = startMs;
  for (const { durationMs, target } of stages) {
    if (durationMs > 0) {
      phases.push(
        target === from
          ? { name: `${name}: ${target}${unit}`, kind: 'steady', startMs: at, endMs: at + durationMs }
          : { name: `${name}: ${from}→${target}${unit}`, kind: 'ramp', startMs: at, endMs: at + durationMs },
      );
    }
    at += durationMs;
    from = target;
  }
  return phases;
}
