import { z } from 'zod';
import { tryParseDuration, type Duration } from './duration.ts';
import { FAULT_TARGET_KINDS, type WorkloadRef } from './fault-spec.ts';
import type { Assert, SameShape } from './same-shape.ts';
import type { ConfigDefinition, ScenarioExport, SuiteDefinition } from './scenario-types.ts';

/**
 * The shape of a scenario file's default export, checked whole before anything runs. Objects are
 * strict so a misspelt field (`duraton`) is an error, not a silently ignored option.
 */
const duration = z.custom<Duration>((v) => tryParseDuration(v) !== undefined, {
  error: (issue) => `expected a duration like 500ms, 30s, 5m, 1h or 1m30s, got ${JSON.stringify(issue.input)}`,
});
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { error: 'expected a function' });
const positiveInt = z.number().int().positive();
const count = z.number().int().nonnegative();
const tags = z.record(z.string(), z.string());
const stage = z.strictObject({ duration, target: z.number().nonnegative() });

const slos = z.strictObject({
  p95Ms: z.number().positive().optional(),
  errorRate: z.number().min(0).max(1).optional(),
  cacheHitRate: z.number().min(0).max(1).optional(),
});

const base = {
  startTime: duration.optional(),
  gracefulStop: duration.optional(),
  flows: z.record(z.string(), z.number().positive()).optional(),
  tags: tags.optional(),
  warmup: z.boolean().optional(),
};

const executorSchema = z.discriminatedUnion(
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
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'expected executor to be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate' : undefined,
  },
);

const threshold = z.union([z.string(), z.strictObject({ threshold: z.string(), abortOnFail: z.boolean().optional(), delayAbortEval: duration.optional() })]);

const probeName = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'expected a probe name of letters, digits, ., - and _');
const probe = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('http'),
      name: probeName,
      availability: z.boolean().optional(),
      path: z.string().startsWith('/', 'expected a path starting with /'),
      expectStatus: z.union([z.number().int().min(100).max(599), z.tuple([z.number().int().min(100).max(599), z.number().int().min(100).max(599)])]).optional(),
      timeout: duration.optional(),
      every: duration.optional(),
    }),
    z.strictObject({
      type: z.literal('promql'),
      name: probeName,
      availability: z.boolean().optional(),
      query: z.string().min(1),
      tolerance: z
        .strictObject({ min: z.number().optional(), max: z.number().optional() })
        .refine((t) => t.min !== undefined || t.max !== undefined, 'expected min, max or both'),
      absentOk: z.boolean().optional(),
      every: duration.optional(),
    }),
    z.strictObject({
      type: z.literal('datastore'),
      name: probeName,
      store: z.enum(['postgres', 'redis']),
      every: duration.optional(),
      timeout: duration.optional(),
      availability: z.boolean().optional(),
    }),
    z.strictObject({
      type: z.literal('browser'),
      name: probeName,
      journey: z.literal('shop'),
      every: duration.optional(),
      timeout: duration.optional(),
      availability: z.boolean().optional(),
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'expected a probe type: http, promql, datastore or browser' : undefined) },
);

const proxySelector = z.string().regex(/^[a-z0-9-]+\*?$/, 'expected a proxy name like gateway-redis-0, or a prefix ending in * (gateway-redis-*)');
const proxies = z.union([proxySelector, z.array(proxySelector).min(1)]);
const component = z.string().regex(/^[a-z0-9-]+$/, 'expected a component name like gateway-1, catalog-1, postgres, redis-0');
// Kubernetes' own rules: a label key is an optional DNS-subdomain prefix and a name of at most 63; a value at most 63.
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'expected a label value (at most 63 letters, digits, -, _ and .)');
const podSelector = z.record(z.string(), labelValue).superRefine((s, ctx) => {
  if (Object.keys(s).length === 0)
    ctx.addIssue({ code: 'custom', message: "expected at least one label, e.g. { app: 'gateway' } (an empty selector would match every pod)" });
  for (const key of Object.keys(s))
    if (!LABEL_KEY.test(key))
      ctx.addIssue({ code: 'custom', path: [key], message: `expected a label key like app or app.kubernetes.io/name, got ${JSON.stringify(key)}` });
});
const workloadRef = z.custom<WorkloadRef>((v) => typeof v === 'string' && /^(deployment|statefulset)\/[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(v), {
  error: (issue) => `expected deployment/<name> or statefulset/<name>, got ${JSON.stringify(issue.input)}`,
});
const nodeName = z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'expected a node name like crucible-worker (kubectl get nodes)');
const containerPart = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a part of the platform like gateway-1, redis-0 or postgres (crucible status --target containers)');
const istioService = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a Service of the namespace like gateway, auth or catalog');
const fault = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('toxic'),
      proxy: proxies,
      toxic: z.enum(['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data']),
      attributes: z.record(z.string(), z.number().nonnegative()).optional(),
      stream: z.enum(['upstream', 'downstream']).optional(),
      toxicity: z.number().min(0).max(1).optional(),
    }),
    z.strictObject({ type: z.literal('proxy-down'), proxy: proxies }),
    z.strictObject({ type: z.literal('process-kill'), component, signal: z.enum(['SIGKILL', 'SIGTERM']).optional() }),
    z.strictObject({ type: z.literal('process-pause'), component }),
    z.strictObject({ type: z.literal('component-stop'), component }),
    z.strictObject({ type: z.literal('redis-primary-kill'), shard: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional() }),
    z
      .strictObject({
        type: z.literal('pod-kill'),
        selector: podSelector,
        count: positiveInt.optional(),
        percent: z.number().gt(0).max(100).optional(),
        gracePeriodSeconds: z.number().int().nonnegative().optional(),
      })
      .refine((f) => f.count === undefined || f.percent === undefined, { message: 'expected count or percent, not both', path: ['percent'] }),
    z.strictObject({ type: z.literal('scale'), workload: workloadRef, replicas: count }),
    z.strictObject({ type: z.literal('network-partition'), selector: podSelector, direction: z.enum(['ingress', 'egress', 'both']).optional() }),
    z.strictObject({ type: z.literal('node-pause'), node: nodeName }),
    z.strictObject({ type: z.literal('container-kill'), container: containerPart, signal: z.enum(['SIGKILL', 'SIGTERM']).optional() }),
    z.strictObject({ type: z.literal('container-pause'), container: containerPart }),
    z.strictObject({ type: z.literal('container-stop'), container: containerPart }),
    z.strictObject({ type: z.literal('istio-delay'), service: istioService, delay: duration, percent: z.number().gt(0).max(100).optional() }),
    z.strictObject({
      type: z.literal('istio-abort'),
      service: istioService,
      httpStatus: z.number().int().min(200).max(599),
      percent: z.number().gt(0).max(100).optional(),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'expected a fault type: toxic, proxy-down, process-kill, process-pause, component-stop, redis-primary-kill, pod-kill, scale, network-partition, node-pause, container-kill, container-pause, container-stop, istio-delay or istio-abort'
        : undefined,
  },
);

const chaos = z.strictObject(
  {
    steadyState: z.strictObject({
      probes: z.array(probe).min(1),
      window: duration.optional(),
      recoverWindows: positiveInt.optional(),
      recoveryTimeout: duration.optional(),
    }),
    method: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(80).optional(),
          at: duration,
          duration: duration.optional(),
          fault,
          on: z.partialRecord(z.enum(FAULT_TARGET_KINDS), fault).optional(),
          repeat: z.strictObject({ times: z.number().int().min(1).max(100), every: duration }).optional(),
          weight: z.number().min(0).max(10).optional(),
        }),
      )
      .min(1),
    targets: z.array(z.enum(FAULT_TARGET_KINDS)).min(1).optional(),
    abort: z.array(z.strictObject({ probe: probeName, after: duration })).optional(),
    ledger: z.union([z.literal(false), z.strictObject({ rate: z.number().gt(0).max(100).optional() })]).optional(),
    expect: z
      .strictObject({
        mttr: duration.optional(),
        detection: duration.optional(),
        availability: z.number().min(0).max(1).optional(),
        alert: z.boolean().optional(),
        lostWrites: count.optional(),
      })
      .optional(),
  },
  { error: (issue) => (issue.input === undefined ? 'a chaos scenario needs chaos: { steadyState, method }' : undefined) },
);

const kebabName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a kebab-case name (a-z, 0-9, -)');

/** What every scenario has, whatever its kind. */
const scenarioBase = {
  __crucible: z.literal('scenario'),
  name: kebabName,
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  data: fn.optional(),
  flows: z
    .record(
      z.string(),
      z.union([fn, z.strictObject({ weight: z.number().positive().optional(), run: fn })], { error: 'expected a flow: an async function, or { weight, run }' }),
    )
    .refine((f) => Object.keys(f).length > 0, 'expected at least one flow'),
  load: z
    .record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a load scenario name of letters, digits, - and _'), executorSchema)
    .refine((l) => Object.keys(l).length > 0, 'expected at least one load scenario'),
  thresholds: z.record(z.string(), z.array(threshold)).optional(),
  slos: z.union([z.literal(false), slos]).optional(),
  http: z.strictObject({ timeoutMs: positiveInt.optional(), connections: positiveInt.optional(), discardResponseBodies: z.boolean().optional() }).optional(),
  k6: z.strictObject({ script: z.string().min(1) }).optional(),
};

const stress = z.strictObject({
  window: duration.optional(),
  minAchievedRatio: z.number().gt(0).max(1).optional(),
  stopAfterBrokenWindows: positiveInt.optional(),
});
const soak = z.strictObject({ maxRssSlopeMbPerHour: z.number().positive().optional(), maxP95DriftMsPerHour: z.number().positive().optional() });

/** The options only one kind takes, by the kind that takes them (the loader names the misplaced field). */
export const KIND_OPTIONS = { stress: 'stress', soak: 'soak', chaos: 'chaos' } as const;

/**
 * The shape of a scenario file's default export: a union keyed on `kind`, each member strict, so
 * a kind's own options (`chaos`, `stress`, `soak`) are an error on any other kind.
 */
export const scenarioSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ ...scenarioBase, kind: z.literal('load') }),
    z.strictObject({ ...scenarioBase, kind: z.literal('stress'), stress: stress.optional() }),
    z.strictObject({ ...scenarioBase, kind: z.literal('soak'), soak: soak.optional() }),
    z.strictObject({ ...scenarioBase, kind: z.literal('chaos'), chaos }),
    z.strictObject({ ...scenarioBase, kind: z.literal('pentest') }),
  ],
  {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
      return `expected kind to be one of load, stress, soak, chaos, pentest${kind === undefined ? ' (missing)' : `, got ${JSON.stringify(kind)}`}`;
    },
  },
);

export const suiteSchema = z.strictObject({
  __crucible: z.literal('suite'),
  name: kebabName,
  description: z.string().optional(),
  scenarios: z.array(z.string().min(1)).min(1),
  continueOnFailure: z.boolean().optional(),
});

/** 'local', an http(s) URL, or a profile file: what `crucible run --target` takes (harness/cli/run-target-option.ts reads it). */
const targetRef = z.string().refine((v) => v === 'local' || /^https?:\/\/./.test(v) || /\.(ts|mts|js|mjs|json)$/.test(v), {
  error: "expected 'local', an http(s) URL, or a target profile file (.ts, .mts, .js, .mjs or .json)",
});

export const configSchema = z.strictObject({
  __crucible: z.literal('config'),
  target: targetRef.optional(),
  reportsDir: z.string().min(1).optional(),
  slos: slos.optional(),
  portBase: z.number().int().min(1024).max(65_436).optional(),
});

// The hand-written, documented types (scenario-types.ts) describe exactly what these schemas
// accept: tsc fails here when one changes without the other (same-shape.ts says what is compared).
type _ScenarioTie = Assert<SameShape<ScenarioExport, z.input<typeof scenarioSchema>>>;
type _SuiteTie = Assert<SameShape<SuiteDefinition, z.input<typeof suiteSchema>>>;
type _ConfigTie = Assert<SameShape<ConfigDefinition, z.input<typeof configSchema>>>;
