import { Worker } from 'node:worker_threads';
import type { Clock } from '../../util/clock.ts';
import { runtimeModuleUrl } from '../../util/runtime-module.ts';
import type { IntervalReport, MainMessage, WorkerInit, WorkerMessage } from './worker-protocol.ts';

const WORKER_URL = runtimeModuleUrl('./worker-main.ts', import.meta.url);

export interface WorkerExit {
  readonly clock: Clock;
  /** How long a disposed worker may take to exit on its own (it closes its connections first) before it is terminated. */
  readonly graceMs: number;
}

/**
 * A load worker thread seen from the main thread: promises for its milestones, reports through
 * `onReport`. A crash or an early exit settles every milestone, so the engine never waits forever.
 * Disposing it ends the thread: on its own within the grace period, else terminated.
 */
export class WorkerHandle implements AsyncDisposable {
  /** Resolves when the scenario is loaded and data() returned; rejects when that failed. */
  readonly ready: Promise<void>;
  /** Resolves after the last report (or when the thread died: `error` then says why). */
  readonly done: Promise<void>;
  readonly exited: Promise<void>;
  error: Error | undefined;
  onReport: (r: IntervalReport, final: boolean) => void = () => {};
  readonly #worker: Worker;
  readonly #exit: WorkerExit;
  #finished = false;

  constructor(init: WorkerInit, exit: WorkerExit) {
    this.#exit = exit;
    this.#worker = new Worker(WORKER_URL, { workerData: init });
    let ready!: () => void;
    let failed!: (e: Error) => void;
    let done!: () => void;
    this.ready = new Promise((res, rej) => ((ready = res), (failed = rej)));
    this.done = new Promise((res) => (done = res));
    // A rejection nobody awaits yet (the engine awaits ready first) must not be unhandled.
    this.ready.catch(() => {});
    this.exited = new Promise((res) => this.#worker.once('exit', () => res()));

    this.#worker.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'ready':
          return ready();
        case 'failed':
          return failed((this.error = new Error(`load worker ${init.workerIndex} could not load the scenario: ${m.message}`)));
        case 'interval':
          return this.onReport(m, false);
        case 'done':
          this.#finished = true;
          this.onReport(m, true);
          return done();
      }
    });
    const died = (e: Error): void => {
      if (this.#finished) return;
      this.error ??= e;
      failed(e);
      done();
    };
    this.#worker.on('error', (e) => died(new Error(`load worker ${init.workerIndex} crashed: ${e.message}`, { cause: e })));
    this.#worker.on('exit', (code) => died(new Error(`load worker ${init.workerIndex} exited (code ${code}) before reporting its end`)));
  }

  post(m: MainMessage): void {
    this.#worker.postMessage(m);
  }

  /** Stops the thread now, wherever it is (a flow that ignores its signal). */
  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const cancel = new AbortController();
    const exited = await Promise.race([this.exited.then(() => true), this.#exit.clock.sleep(this.#exit.graceMs, cancel.signal).then(() => false)]);
    cancel.abort();
    if (!exited) await this.terminate();
  }
}
