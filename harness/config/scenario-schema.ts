import { z } from 'zod';
import { tryParseDuration } from './duration.ts';

/**
 * The shape of a scenario file's default export, checked whole before anything runs. Objects are
 * strict so a misspelt field (`duraton`) is an error, not a silently ignored option.
 */
const duration = z.custom<number | string>((v) => tryParseDuration(v) !== undefined, {
  error: (issue) => `expected a duration like 500ms, 30s, 5m, 1h or 1m30s, got ${JSON.stringify(issue.input)}`,
});
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { error: 'expected a function' });
const positiveInt = z.number().int().positive();
const count = z.number().int().nonnegative();
const tags = z.record(z.string(), z.string());
const stage = z.strictObject({ duration, target: z.number().nonnegative() });

const slos = z.strictObject({ p95Ms: z.number().positive().optional(), errorRate: z.number().min(0).max(1).optional(), cacheHitRate: z.number().min(0).max(1).optional() });

const base = {
  startTime: duration.optional(),
  gracefulStop: duration.optional(),
  flows: z.record(z.string(), z.number().positive()).optional(),
  tags: tags.optional(),
  warmup: z.boolean().optional(),
};

export const executorSchema = z.discriminatedUnion(
  'executor',
  [
    z.strictObject({ executor: z.literal('constant-vus'), vus: positiveInt, duration, ...base }),
    z.strictObject({ executor: z.literal('ramping-vus'), startVUs: count.optional(), stages: z.array(stage).min(1), ...base }),
    z.strictObject({
      executor: z.literal('constant-arrival-rate'),
      rate: z.number().positive(),
      timeUnit: duration.optional(),
      duration,
      preAllocatedVUs: positiveInt,
      maxVUs: positiveInt.optional(),
      ...base,
    }),
    z.strictObject({
      executor: z.literal('ramping-arrival-rate'),
      startRate: z.number().nonnegative().optional(),
      timeUnit: duration.optional(),
      stages: z.array(stage).min(1),
      preAllocatedVUs: positiveInt,
      maxVUs: positiveInt.optional(),
      ...base,
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'expected executor to be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate' : undefined) },
);

const threshold = z.union([
  z.string(),
  z.strictObject({ threshold: z.string(), abortOnFail: z.boolean().optional(), delayAbortEval: duration.optional() }),
]);

export const scenarioSchema = z.strictObject({
  __crucible: z.literal('scenario'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a kebab-case name (a-z, 0-9, -)'),
  kind: z.enum(['load', 'stress', 'soak', 'chaos', 'pentest']),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  data: fn.optional(),
  flows: z
    .record(z.string(), z.union([fn, z.strictObject({ weight: z.number().positive().optional(), run: fn })], { error: 'expected a flow: an async function, or { weight, run }' }))
    .refine((f) => Object.keys(f).length > 0, 'expected at least one flow'),
  load: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a load scenario name of letters, digits, - and _'), executorSchema).refine((l) => Object.keys(l).length > 0, 'expected at least one load scenario'),
  thresholds: z.record(z.string(), z.array(threshold)).optional(),
  slos: z.union([z.literal(false), slos]).optional(),
  stress: z
    .strictObject({ window: duration.optional(), minAchievedRatio: z.number().gt(0).max(1).optional(), stopAfterBrokenWindows: positiveInt.optional() })
    .optional(),
  soak: z.strictObject({ maxRssSlopeMbPerHour: z.number().positive().optional(), maxP95DriftMsPerHour: z.number().positive().optional() }).optional(),
  http: z.strictObject({ timeoutMs: positiveInt.optional(), connections: positiveInt.optional(), discardResponseBodies: z.boolean().optional() }).optional(),
  k6: z.strictObject({ script: z.string().min(1) }).optional(),
});

export const suiteSchema = z.strictObject({
  __crucible: z.literal('suite'),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a kebab-case name (a-z, 0-9, -)'),
  description: z.string().optional(),
  scenarios: z.array(z.string().min(1)).min(1),
  continueOnFailure: z.boolean().optional(),
});

export const configSchema = z.strictObject({
  __crucible: z.literal('config'),
  reportsDir: z.string().min(1).optional(),
  slos: slos.optional(),
  portBase: z.number().int().min(1024).max(65_436).optional(),
});
