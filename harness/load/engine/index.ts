export { createBuiltinEngine } from './builtin-engine.ts';
export { arrivalSchedule, arrivalTimes } from './arrival-schedule.ts';
export type { ArrivalSchedule } from './arrival-schedule.ts';
export { vuSteps, vuTargetAt } from './vu-schedule.ts';
export type { VuStep } from './vu-schedule.ts';
export { executorPhases } from './phases.ts';
export { executorEndMs, executorStopMs, plannedDurationMs, targetRateAt } from './executor-timing.ts';
export { BUILTIN_METRICS } from '../../result/builtin-metrics.ts';
export { HISTOGRAM_DESCRIPTION } from './hdr.ts';
