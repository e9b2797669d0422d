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
export const ABANDON_AFTER_MS = 5_000;
export const ABANDONED = 'iterations still running 5 s after their abort were abandoned (the flow ignores its signal)';
