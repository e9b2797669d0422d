import type { LoadPlan } from '../engine-types.ts';
import { WorkerHandle, type WorkerExit } from './worker-handle.ts';

/**
 * The run's load worker threads, one per `plan.workers`. Disposing them ends every thread, in
 * parallel: none outlives the run, whichever way it ends.
 */
export class WorkerThreads implements AsyncDisposable {
  readonly handles: readonly WorkerHandle[];

  constructor(plan: LoadPlan, exit: WorkerExit) {
    const started: WorkerHandle[] = [];
    try {
      for (let workerIndex = 0; workerIndex < plan.workers; workerIndex++) started.push(new WorkerHandle({ plan, workerIndex, workers: plan.workers }, exit));
    } catch (err) {
      // The caller never gets the group to dispose: end the threads already started here.
      void Promise.all(started.map((w) => w.terminate()));
      throw err;
    }
    this.handles = started;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.handles.map((w) => w[Symbol.asyncDispose]()));
  }
}
