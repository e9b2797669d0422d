import { z } from 'zod';
import type { IntervalReport, MetricsDelta } from '../load/engine/worker-protocol.ts';

/**
 * The wire between a load pod and the coordinator: JSON lines, one message a line, every line
 * carrying the format's version `v`. A pod writes its records on stdout and reads the coordinator's
 * on stdin (a child process now; a pod's log stream and an exec'd stdin on Kubernetes next), so the
 * same bytes travel whatever carries them. Every line read is validated: a pod of another version,
 * or a line that is not a record (a stray console.log of a flow), is refused by name, never merged.
 */
export const POD_STREAM_VERSION = 1;

const tags = z.record(z.string(), z.string());
const counts = z.record(z.string(), z.number().int().nonnegative());

/** A worker's deltas since its previous record: HDR histograms encoded as hdr-histogram-js does (compressed base64, µs). */
const delta = z.strictObject({
  trends: z.array(z.strictObject({ metric: z.string(), key: z.string(), tags, histogram: z.string().min(1) })).readonly(),
  counters: z.array(z.strictObject({ metric: z.string(), key: z.string(), tags, value: z.number().nonnegative() })).readonly(),
  rates: z
    .array(z.strictObject({ metric: z.string(), key: z.string(), tags, nonZero: z.number().int().nonnegative(), total: z.number().int().nonnegative() }))
    .readonly(),
}) satisfies z.ZodType<MetricsDelta>;

const v = z.literal(POD_STREAM_VERSION);
const pod = z.number().int().nonnegative();

/** What a pod says. */
export const podRecord = z.discriminatedUnion('type', [
  /** The scenario is loaded and data() returned in every worker: the pod waits for its release. */
  z.strictObject({ v, type: z.literal('ready'), pod, workers: z.number().int().positive() }),
  /** The pod could not load or run its segment (the message says why); it exits. */
  z.strictObject({ v, type: z.literal('failed'), pod, message: z.string() }),
  /**
   * One worker's interval (index from the run's time zero, per second by default): its deltas, its VUs,
   * its flow errors. `final`: the worker's last record, which closes every later interval of it.
   * Dropped iterations travel as the `dropped_iterations` counter of the deltas.
   */
  z.strictObject({
    v,
    type: z.literal('interval'),
    pod,
    worker: z.number().int().nonnegative(),
    final: z.boolean(),
    index: z.number().int().nonnegative(),
    delta,
    vus: z.number().int().nonnegative(),
    vusMax: z.number().int().nonnegative(),
    flowErrors: counts,
  }),
  /** Every worker has sent its final record: the pod exits next. */
  z.strictObject({ v, type: z.literal('end'), pod }),
]);
export type PodRecord = z.infer<typeof podRecord>;
export type PodInterval = Extract<PodRecord, { type: 'interval' }>;

/** What the coordinator says. */
export const coordinatorRecord = z.discriminatedUnion('type', [
  /** Start the segment at this epoch time (every pod gets the same one: a synchronised start). */
  z.strictObject({ v, type: z.literal('start'), atEpochMs: z.number() }),
  /** Stop starting iterations; running ones get their executor's graceful stop (abortOnFail, Ctrl-C). */
  z.strictObject({ v, type: z.literal('stop') }),
]);
export type CoordinatorRecord = z.infer<typeof coordinatorRecord>;

/** One record as its line (without the newline). */
export function encodeRecord(r: PodRecord | CoordinatorRecord): string {
  return JSON.stringify(r);
}

/** Parses one line with `schema`; a line that is not a valid record of this version throws, saying what was wrong. */
export function decodeRecord<T>(schema: z.ZodType<T>, line: string): T {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new Error(`not a pod stream record (not JSON): ${line.slice(0, 120)}`);
  }
  const version = (json as { v?: unknown } | null)?.v;
  if (version !== POD_STREAM_VERSION) throw new Error(`pod stream version ${String(version)} is not ${POD_STREAM_VERSION}: ${line.slice(0, 120)}`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`invalid pod stream record: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A worker's report as the pod's interval record. */
export function intervalRecord(podIndex: number, worker: number, r: IntervalReport, final: boolean): PodInterval {
  return {
    v: POD_STREAM_VERSION,
    type: 'interval',
    pod: podIndex,
    worker,
    final,
    index: r.index,
    delta: r.delta,
    vus: r.vus,
    vusMax: r.vusMax,
    flowErrors: r.flowErrors,
  };
}
