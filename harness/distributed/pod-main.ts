import { createInterface } from 'node:readline';
import type { LoadPlan } from '../load/engine-types.ts';
import { WorkerThreads } from '../load/engine/worker-threads.ts';
import { isSegment, type Segment } from '../load/engine/worker-share.ts';
import { systemClock } from '../util/clock.ts';
import { coordinatorRecord, decodeRecord, encodeRecord, intervalRecord, POD_STREAM_VERSION, type PodRecord } from './pod-stream.ts';

// Entry of a load pod: one process running segment i of N of the plan on its own worker threads, its
// records on stdout (pod-stream.ts), the coordinator's on stdin. Ready once every worker has loaded the
// scenario, then it waits for the release; it exits when its workers are done, or when its stdin
// closes (the coordinator is gone: a pod never outlives its run).

/** A worker that has not exited this long after the stop is terminated with its thread group. */
const EXIT_GRACE_MS = 5_000;

const env = process.env;
const segment: Segment = {
  // On Kubernetes an Indexed Job gives the index as JOB_COMPLETION_INDEX.
  index: Number(env.CRUCIBLE_POD_INDEX ?? env.JOB_COMPLETION_INDEX),
  count: Number(env.CRUCIBLE_POD_COUNT),
};
const emit = (r: PodRecord): void => void process.stdout.write(`${encodeRecord(r)}\n`);
const fail = (message: string): never => {
  emit({ v: POD_STREAM_VERSION, type: 'failed', pod: Number.isInteger(segment.index) ? segment.index : 0, message });
  process.exit(1);
};

if (!isSegment(segment)) fail(`CRUCIBLE_POD_INDEX/CRUCIBLE_POD_COUNT do not name a segment (got ${env.CRUCIBLE_POD_INDEX}/${env.CRUCIBLE_POD_COUNT})`);
let plan: LoadPlan;
try {
  plan = { ...(JSON.parse(env.CRUCIBLE_POD_PLAN ?? '') as LoadPlan), segment };
} catch (err) {
  fail(`CRUCIBLE_POD_PLAN is not a load plan: ${String(err)}`);
}

{
  await using threads = new WorkerThreads(plan!, { clock: systemClock, graceMs: EXIT_GRACE_MS });
  const workers = threads.handles;
  const stopAll = (): void => workers.forEach((w) => w.post({ type: 'stop' }));
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  // A crashed worker fails the pod: stop the others now rather than at the plan's end.
  for (const w of workers) void w.done.then(() => w.error && stopAll());
  let started = false;
  let finished = false;
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    const r = decodeRecord(coordinatorRecord, line);
    if (r.type === 'stop') return stopAll();
    if (started) return;
    started = true;
    // Epoch time is the one clock pods on different hosts share; each converts it to its own monotonic reading.
    const t0 = systemClock.monotonicMs() + (r.atEpochMs - systemClock.epochMs());
    workers.forEach((w, i) => {
      w.onReport = (report, final) => emit(intervalRecord(segment.index, i, report, final));
      w.post({ type: 'start', t0 });
    });
  });
  // The coordinator is gone (its end of stdin closed): stop now, whatever stage the run is in.
  input.on('close', () => {
    if (finished) return;
    if (!started) process.exit(0);
    stopAll();
  });
  // Ctrl-C in a terminal reaches the whole process group: the coordinator relays it as a stop, with
  // the graceful stop and the last records, so the pod must not die of it first. SIGTERM (a deleted
  // Kubernetes pod, a stopped container) is a stop too.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => (started ? stopAll() : process.exit(0)));
  emit({ v: POD_STREAM_VERSION, type: 'ready', pod: segment.index, workers: workers.length });
  await Promise.all(workers.map((w) => w.done));
  finished = true;
  input.close();
  const crashed = workers.find((w) => w.error);
  if (crashed) fail(crashed.error!.message);
  emit({ v: POD_STREAM_VERSION, type: 'end', pod: segment.index });
}
