import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { ROADMAP } from '../result/roadmap.ts';
import { projectRoot } from '../util/project-root.ts';
import { defineScenario } from './define.ts';
import { loadDefinition } from './load-definition.ts';
import { resolveScenario } from './resolve-scenario.ts';
import type { ScenarioKind } from './scenario-types.ts';

const file = join(projectRoot(), 'scenarios', 'chaos', 'example.ts');
const browse = async (): Promise<void> => {};
const data = (): { users: number } => ({ users: 3 });

/** What every kind has: a warm-up, an open-model ramp, a threshold, an http option left undefined. */
const common = {
  name: 'example',
  data,
  flows: { browse, order: { weight: 3, run: browse } },
  load: {
    warm: { executor: 'constant-vus', vus: 2, duration: '10s', warmup: true },
    steady: { executor: 'ramping-arrival-rate', stages: [{ duration: '1m', target: 120 }], timeUnit: '1m', preAllocatedVUs: 5, startTime: '10s' },
  },
  thresholds: { 'http_req_duration{name:product}': [{ threshold: 'p(95)<300', abortOnFail: true, delayAbortEval: '5s' }] },
  http: { timeoutMs: undefined, connections: 8 },
  k6: { script: '../k6/example.ts' },
} as const;

/** A chaos scenario that sets little, so the defaults show, and repeats a step. */
const chaosScenario = defineScenario({
  ...common,
  kind: 'chaos',
  chaos: {
    steadyState: {
      probes: [
        { type: 'http', name: 'edge', path: '/healthz', expectStatus: 200 },
        { type: 'promql', name: 'p95', query: 'up', tolerance: { max: 0.5 }, every: '5s' },
        { type: 'datastore', name: 'pg', store: 'postgres' },
        { type: 'browser', name: 'shop', journey: 'shop', availability: false },
      ],
    },
    method: [
      {
        at: '20s',
        duration: '5s',
        fault: { type: 'toxic', proxy: 'gateway-redis-*', toxic: 'latency', attributes: { latency: 200 } },
        repeat: { times: 2, every: '30s' },
      },
      { name: 'kill a replica', at: '25s', fault: { type: 'process-kill', component: 'gateway-1' }, weight: 8 },
    ],
    abort: [{ probe: 'edge', after: '30s' }],
    expect: { mttr: '30s' },
  },
});

/** JSON with what JSON drops made visible: functions by name, undefined fields. */
const serialize = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'function' ? `[function ${v.name}]` : v === undefined ? '[undefined]' : v), 2);

function assertDeepFrozen(value: unknown, path = 'scenario'): void {
  if (typeof value !== 'object' || value === null) return;
  assert.ok(Object.isFrozen(value), `${path} is not frozen`);
  for (const [key, v] of Object.entries(value)) assertDeepFrozen(v, `${path}.${key}`);
}

describe('resolveScenario', () => {
  it('resolves once: every default applied, durations in ms, steps expanded (snapshot: node --test --test-update-snapshots updates it)', (t) => {
    const resolved = resolveScenario(chaosScenario, { file });
    t.assert.snapshot(
      { ...resolved, file: relative(projectRoot(), resolved.file), k6Script: relative(projectRoot(), resolved.k6Script ?? '') },
      { serializers: [serialize] },
    );
  });

  it('is deep-frozen', () => {
    const resolved = resolveScenario(chaosScenario, { file });
    assertDeepFrozen(resolved);
    assert.throws(() => {
      (resolved.http as { timeoutMs: number }).timeoutMs = 1;
    }, TypeError);
    assert.equal(resolved.kind === 'chaos' && resolved.chaos.faults.length, 3);
    assert.equal(resolved.data, data, 'the file’s own functions, not copies');
    assert.ok(chaosScenario.kind === 'chaos' && !Object.isFrozen(chaosScenario.chaos.method[0]!.fault), 'the file’s own objects are not frozen');
  });

  it('takes the roadmap’s success metrics as the SLOs and the chaos expectations, under crucible.config.ts and the scenario', () => {
    const chaos = resolveScenario(chaosScenario, { file });
    assert.ok(chaos.kind === 'chaos');
    assert.deepEqual(chaos.chaos.expect, {
      mttrMs: 30_000,
      detectionMs: ROADMAP.detectionMs,
      availability: ROADMAP.availability,
      maxLostWrites: ROADMAP.lostWrites,
      alert: false,
    });
    assert.equal(chaos.slos, false, 'a chaos run that sets no SLOs is judged on its experiment');
    const loadScenario = defineScenario({ ...common, kind: 'load', slos: { errorRate: 0.05 } });
    assert.deepEqual(resolveScenario(loadScenario, { file }).slos, { p95Ms: ROADMAP.p95Ms, errorRate: 0.05, cacheHitRate: ROADMAP.cacheHitRate });
    assert.deepEqual(resolveScenario(loadScenario, { file, slos: { p95Ms: 500, errorRate: 0.02 } }).slos, {
      p95Ms: 500,
      errorRate: 0.05,
      cacheHitRate: ROADMAP.cacheHitRate,
    });
    assert.equal(resolveScenario({ ...loadScenario, slos: false }, { file }).slos, false);
  });

  it('resolves a stress run’s windows and a soak run’s limits from the SLOs, which judge neither verdict directly', () => {
    const base = { __crucible: 'scenario', name: 'k', flows: { browse }, slos: { p95Ms: 300, errorRate: 0.02 } } as const;
    const ramp = { executor: 'ramping-arrival-rate', stages: [{ duration: '10s', target: 10 }], preAllocatedVUs: 1 } as const;
    const stress = resolveScenario({ ...base, kind: 'stress', load: { ramp }, stress: { minAchievedRatio: 0.9 } }, { file });
    assert.ok(stress.kind === 'stress');
    assert.deepEqual(stress.stress, { windowMs: 10_000, p95Ms: 300, errorRate: 0.02, minAchievedRatio: 0.9, brokenWindows: 3 });
    assert.equal(stress.slos, false);
    const soak = resolveScenario({ ...base, kind: 'soak', load: { ramp } }, { file });
    assert.ok(soak.kind === 'soak');
    assert.deepEqual(soak.soak, { maxRssSlopeMbPerHour: 50, maxP95DriftMsPerHour: 100, burstErrorRate: 0.1 });
    assert.deepEqual(soak.slos, { p95Ms: 300, errorRate: 0.02, cacheHitRate: ROADMAP.cacheHitRate });
  });
});

describe('the kind decides the options', () => {
  const KINDS: readonly ScenarioKind[] = ['load', 'stress', 'soak', 'chaos', 'pentest'];
  const OWN = {
    stress: { window: '5s' },
    soak: { maxRssSlopeMbPerHour: 10 },
    chaos: chaosScenario.kind === 'chaos' ? chaosScenario.chaos : {},
  } as const;
  const ramp = { executor: 'ramping-arrival-rate', stages: [{ duration: '30s', target: 10 }], preAllocatedVUs: 1 } as const;
  const problems = (value: unknown): readonly string[] => {
    try {
      resolveScenario(value, { file });
    } catch (err) {
      assert.ok(err instanceof CrucibleError, String(err));
      assert.equal(err.code, 'CRUCIBLE_ERR_INVALID_SCENARIO');
      assert.equal(err.exitCode, 2);
      return err.details;
    }
    return [];
  };

  for (const kind of KINDS)
    for (const [option, value] of Object.entries(OWN)) {
      const own = option === kind;
      it(`${own ? 'accepts' : 'rejects'} ${option} options on kind ${kind}`, () => {
        const scenario = {
          __crucible: 'scenario',
          name: 'k',
          kind,
          flows: { browse },
          load: { ramp },
          ...(kind === 'chaos' ? { chaos: OWN.chaos } : {}),
          [option]: value,
        };
        const found = problems(scenario);
        if (own) assert.deepEqual(found, []);
        else
          assert.deepEqual(found, [
            `scenarios/chaos/example.ts: ${option}: only a scenario of kind ${option} ${option === 'chaos' ? 'runs an experiment' : `takes ${option} options`} (this one is kind ${kind}; set kind: '${option}')`,
          ]);
      });
    }

  it('requires the experiment on kind chaos, and a known kind', () => {
    assert.deepEqual(problems({ __crucible: 'scenario', name: 'k', kind: 'chaos', flows: { browse }, load: { ramp } }), [
      'scenarios/chaos/example.ts: chaos: a chaos scenario needs chaos: { steadyState, method }',
    ]);
    assert.deepEqual(problems({ __crucible: 'scenario', name: 'k', kind: 'smoke', flows: { browse }, load: { ramp } }), [
      'scenarios/chaos/example.ts: kind: expected kind to be one of load, stress, soak, chaos, pentest, got "smoke"',
    ]);
  });

  it('names the file and each misplaced field when a file is loaded', async () => {
    const fixture = (name: string): string => join(projectRoot(), 'fixtures', 'scenarios', 'invalid', `${name}.ts`);
    const details = async (name: string): Promise<string> => {
      const err = await loadDefinition(fixture(name)).then(
        () => assert.fail(`${name} was accepted`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof CrucibleError);
      return err.details.join('\n');
    };
    const misplaced = await details('misplaced-kind-options');
    assert.match(misplaced, /invalid\/misplaced-kind-options\.ts: stress: only a scenario of kind stress takes stress options \(this one is kind load/);
    assert.match(misplaced, /invalid\/misplaced-kind-options\.ts: soak: only a scenario of kind soak takes soak options \(this one is kind load/);
    assert.match(
      await details('chaos-without-experiment'),
      /invalid\/chaos-without-experiment\.ts: chaos: a chaos scenario needs chaos: \{ steadyState, method \}/,
    );
  });
});
