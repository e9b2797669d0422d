import { parseDuration } from './duration.ts';
import { labelSelectorString, type FaultSpec, type FaultStep, type FaultTargetKind } from './fault-spec.ts';
import type { ProbeSpec } from './probe-spec.ts';
import type { PlannedFault, ResolvedChaos, ResolvedProbe } from './resolved-scenario.ts';
import { SCENARIO_DEFAULTS } from './scenario-defaults.ts';
import type { ChaosOptions } from './scenario-types.ts';
import { withDefaults } from './with-defaults.ts';

const D = SCENARIO_DEFAULTS;

/** A step's default name: what it does and to what. */
function stepName(step: FaultStep): string {
  return step.name ?? faultName(step.fault);
}

function faultName(f: FaultSpec): string {
  switch (f.type) {
    case 'toxic':
      return `${f.toxic} on ${[f.proxy].flat().join(', ')}`;
    case 'proxy-down':
      return `${[f.proxy].flat().join(', ')} down`;
    case 'process-kill':
      return `kill ${f.component}`;
    case 'process-pause':
      return `pause ${f.component}`;
    case 'component-stop':
      return `stop ${f.component}`;
    case 'redis-primary-kill':
      return `kill Redis primary (shard ${f.shard ?? 0})`;
    case 'pod-kill':
      return `kill ${f.percent === undefined ? `${f.count ?? 1} pod(s)` : `${f.percent} % of pods`} ${labelSelectorString(f.selector)}`;
    case 'scale':
      return `scale ${f.workload} to ${f.replicas}`;
    case 'network-partition':
      return `partition ${labelSelectorString(f.selector)} (${f.direction ?? 'both'})`;
    case 'node-pause':
      return `pause node ${f.node}`;
    case 'container-kill':
      return `kill container ${f.container}`;
    case 'container-pause':
      return `pause container ${f.container}`;
    case 'container-stop':
      return `stop container ${f.container}`;
    case 'istio-delay':
      return `delay ${f.percent ?? 100} % of requests to ${f.service} by ${f.delay} (Istio)`;
    case 'istio-abort':
      return `answer ${f.percent ?? 100} % of requests to ${f.service} with ${f.httpStatus} (Istio)`;
  }
}

/** Every injection of the method, in time order: steps with their repeats, ids `<step>.<repeat>`. */
function planFaults(method: readonly FaultStep[]): PlannedFault[] {
  return method
    .flatMap((step, i) =>
      Array.from({ length: step.repeat?.times ?? 1 }, (_, r) => ({
        id: `${i}.${r}`,
        step: i,
        name: stepName(step),
        // A copy: the resolved scenario is frozen, the file's own objects are not ours to freeze.
        spec: structuredClone(step.fault),
        ...(step.on ? { on: structuredClone(step.on), onNames: onNames(step) } : {}),
        atMs: parseDuration(step.at) + r * (step.repeat ? parseDuration(step.repeat.every) : 0),
        durationMs: step.duration === undefined ? undefined : parseDuration(step.duration),
        weight: step.weight ?? D.faultWeight,
      })),
    )
    .sort((a, b) => a.atMs - b.atMs);
}

/** Each variant's name: the step's own when it gives one (it names the step on every target), else what the variant does. */
function onNames(step: FaultStep): Readonly<Partial<Record<FaultTargetKind, string>>> {
  return Object.fromEntries(Object.entries(step.on ?? {}).map(([t, f]) => [t, step.name ?? faultName(f)])) as Partial<Record<FaultTargetKind, string>>;
}

export function resolveProbe(p: ProbeSpec): ResolvedProbe {
  switch (p.type) {
    case 'http': {
      const d = D.probes.http;
      return {
        type: p.type,
        name: p.name,
        availability: p.availability ?? d.availability,
        path: p.path,
        expectStatus: typeof p.expectStatus === 'number' ? [p.expectStatus, p.expectStatus] : [...(p.expectStatus ?? d.expectStatus)],
        everyMs: parseDuration(p.every ?? d.every),
        timeoutMs: parseDuration(p.timeout ?? d.timeout),
      };
    }
    case 'promql': {
      const d = D.probes.promql;
      const everyMs = parseDuration(p.every ?? d.every);
      return {
        type: p.type,
        name: p.name,
        availability: p.availability ?? d.availability,
        query: p.query,
        tolerance: { ...(p.tolerance.min === undefined ? {} : { min: p.tolerance.min }), ...(p.tolerance.max === undefined ? {} : { max: p.tolerance.max }) },
        absentOk: p.absentOk ?? d.absentOk,
        everyMs,
        timeoutMs: Math.min(everyMs, parseDuration(d.maxTimeout)),
      };
    }
    case 'datastore': {
      const d = D.probes.datastore;
      return {
        type: p.type,
        name: p.name,
        availability: p.availability ?? d.availability,
        store: p.store,
        everyMs: parseDuration(p.every ?? d.every),
        timeoutMs: parseDuration(p.timeout ?? d.timeout),
      };
    }
    case 'browser': {
      const d = D.probes.browser;
      return {
        type: p.type,
        name: p.name,
        availability: p.availability ?? d.availability,
        journey: p.journey,
        everyMs: parseDuration(p.every ?? d.every),
        timeoutMs: parseDuration(p.timeout ?? d.timeout),
      };
    }
  }
}

/** A chaos experiment with every default applied (the roadmap's expectations among them), durations in ms. */
export function resolveChaos(c: ChaosOptions): ResolvedChaos {
  const { probes, ...hypothesis } = c.steadyState;
  const steady = withDefaults(D.steadyState, hypothesis);
  const expect = withDefaults(D.expect, c.expect);
  return {
    steadyState: {
      probes: probes.map(resolveProbe),
      windowMs: parseDuration(steady.window),
      recoverWindows: steady.recoverWindows,
      recoveryTimeoutMs: parseDuration(steady.recoveryTimeout),
    },
    faults: planFaults(c.method),
    targets: c.targets ? [...c.targets] : undefined,
    abort: (c.abort ?? []).map((a) => ({ probe: a.probe, afterMs: parseDuration(a.after) })),
    ledger: c.ledger === false ? false : { ratePerSec: withDefaults(D.ledger, c.ledger).rate },
    expect: {
      mttrMs: parseDuration(expect.mttr),
      detectionMs: parseDuration(expect.detection),
      availability: expect.availability,
      maxLostWrites: expect.lostWrites,
      alert: expect.alert,
    },
  };
}
