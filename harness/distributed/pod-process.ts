import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { LoadPlan } from '../load/engine-types.ts';
import type { Clock } from '../util/clock.ts';
import { runtimeModulePath } from '../util/runtime-module.ts';
import { decodeRecord, encodeRecord, podRecord, type CoordinatorRecord, type PodInterval } from './pod-stream.ts';

const POD_MAIN = runtimeModulePath('./pod-main.ts', import.meta.url);
/** Lines of a pod's own output (stderr, a flow's console.log) kept to say why it failed. */
const LOG_LINES = 20;

export interface PodStart {
  readonly plan: LoadPlan;
  readonly index: number;
  readonly count: number;
  readonly clock: Clock;
  /** How long a disposed pod may take to exit on its own (its workers close their connections) before it is killed. */
  readonly graceMs: number;
}

/**
 * A load pod seen from the coordinator: a child process running segment `index` of `count`
 * (pod-main.ts), its records parsed and validated as they arrive. Every way it can end settles
 * `done`: its `end` record, or its death (`lost` then says how), so the coordinator never waits
 * forever. Disposing it ends the process: on its own within the grace period, else SIGKILL.
 */
export class PodProcess implements AsyncDisposable {
  readonly index: number;
  /** Resolves with its worker count when the pod is ready; rejects when it failed to load or died first. */
  readonly ready: Promise<number>;
  /** Resolves after its `end` record, or when it died (then `lost` is set). */
  readonly done: Promise<void>;
  readonly exited: Promise<void>;
  /** Its worker threads, once it is ready. */
  workers: number | undefined;
  /** Why the pod ended before its `end` record (a crash, a kill, an invalid record), if it did. */
  lost: string | undefined;
  onInterval: (r: PodInterval) => void = () => {};
  /** Its last lines of output that were not records (stderr, flows' console output). */
  readonly log: string[] = [];
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #o: PodStart;
  #ended = false;

  constructor(o: PodStart) {
    this.#o = o;
    this.index = o.index;
    this.#child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', POD_MAIN], {
      env: { ...process.env, CRUCIBLE_POD_PLAN: JSON.stringify(o.plan), CRUCIBLE_POD_INDEX: String(o.index), CRUCIBLE_POD_COUNT: String(o.count) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let ready!: (workers: number) => void;
    let failed!: (e: Error) => void;
    let done!: () => void;
    this.ready = new Promise((res, rej) => ((ready = res), (failed = rej)));
    this.ready.catch(() => {});
    this.done = new Promise((res) => (done = res));
    this.exited = new Promise((res) => this.#child.once('close', () => res()));
    // A pod that exits first leaves its stdin closed: a write then must not crash the coordinator.
    this.#child.stdin.on('error', () => {});

    const died = (why: string): void => {
      if (this.#ended) return;
      this.#ended = true;
      this.lost ??= why;
      failed(new Error(`load pod ${o.index} ${why}`));
      done();
    };
    createInterface({ input: this.#child.stderr }).on('line', (l) => this.#keep(l));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      // Records start so (encodeRecord writes v first); any other line is the pod's own output, not data.
      if (!line.startsWith('{"v":')) return this.#keep(line);
      try {
        const r = decodeRecord(podRecord, line);
        if (r.pod !== o.index) throw new Error(`a record of pod ${r.pod} from pod ${o.index}`);
        switch (r.type) {
          case 'ready':
            this.workers = r.workers;
            return ready(r.workers);
          case 'failed':
            return died(`failed: ${r.message}`);
          case 'interval':
            return this.onInterval(r);
          case 'end':
            this.#ended = true;
            return done();
        }
      } catch (err) {
        // A record that cannot be merged makes the pod's figures untrustworthy: it is lost, and stopped.
        died(`sent an invalid record: ${err instanceof Error ? err.message : String(err)}`);
        this.#child.kill('SIGKILL');
      }
    });
    this.#child.once('error', (e) => died(`could not start: ${e.message}`));
    this.#child.once('close', (code, signal) =>
      died(`exited (${signal ? `signal ${signal}` : `code ${code}`}) before its end${this.log.length ? `; last output: ${this.log.at(-1)}` : ''}`),
    );
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  post(r: CoordinatorRecord): void {
    if (this.#child.stdin.writable) this.#child.stdin.write(`${encodeRecord(r)}\n`);
  }

  /** Ends the process now (a pod that overran the plan's deadline). */
  kill(): void {
    this.#child.kill('SIGKILL');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    // Closing its stdin tells the pod the coordinator is done with it (pod-main.ts stops and exits).
    this.#child.stdin.end();
    const cancel = new AbortController();
    const exited = await Promise.race([this.exited.then(() => true), this.#o.clock.sleep(this.#o.graceMs, cancel.signal).then(() => false)]);
    cancel.abort();
    if (!exited) {
      this.kill();
      await this.exited;
    }
  }

  #keep(line: string): void {
    this.log.push(line);
    if (this.log.length > LOG_LINES) this.log.shift();
  }
}
