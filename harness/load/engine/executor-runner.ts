import type { Clock } from '../../util/clock.ts';
import type { FlowErrors } from './flow-errors.ts';
import { settleWithin } from './settle-within.ts';

/** One executor's share of the load in one worker. */
export interface ExecutorRunner {
  /** Runs from run time zero `t0` (clock time) to the end of its graceful stop. */
  run(t0: number): Promise<void>;
  /** Stops starting iterations now; running ones get the graceful stop, then are aborted. */
  stop(): void;
  /** VUs in use now (closed model: looping; open model: allocated). */
  readonly vus: number;
  /** The most VUs allocated so far. */
  readonly vusMax: number;
}

/** After the abort, iterations that still do not end (a flow awaiting something that ignores its signal) are left behind. */
const ABANDON_AFTER_MS = 5_000;
const ABANDONED = 'iterations still running 5 s after their abort were abandoned (the flow ignores its signal)';

/** Waits on the clock until `startAt` (the executor's startTime) or the stop; returns `startAt`. */
export async function waitForStart(clock: Clock, startAt: number, stop: AbortSignal): Promise<number> {
  await clock.sleep(startAt - clock.monotonicMs(), stop);
  return startAt;
}

/**
 * The end of an executor: its running iterations (`running` settles when all have ended) get the
 * graceful stop, then `abortAll()` and ABANDON_AFTER_MS more; any still running then is recorded as abandoned.
 */
export async function endIterations(
  running: Promise<unknown>,
  gracefulStopMs: number,
  abortAll: () => void,
  env: { readonly clock: Clock; readonly flowErrors: FlowErrors },
): Promise<void> {
  if (await settleWithin(running, gracefulStopMs, env.clock)) return;
  abortAll();
  if (!(await settleWithin(running, ABANDON_AFTER_MS, env.clock))) env.flowErrors.add(ABANDONED);
}
