import type { Duration } from './duration.ts';

/** Toxiproxy's toxics in v2.12.0 (the `down` "toxic" is `proxy-down`, a disabled proxy). */
export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

/**
 * A mesh edge by its Toxiproxy proxy name, or several with a trailing `*`: on the local target
 * `edge-gateway-1`, `gateway-auth`, `gateway-catalog`, `auth-postgres`, `catalog-postgres`,
 * `gateway-redis-0..5`, `auth-redis-0..5` (`gateway-redis-*` is all six).
 */
export type ProxySelector = string;

/** Pods by their labels, all of which must match (a NetworkPolicy's `matchLabels`), e.g. `{ app: 'gateway' }`. */
export type PodSelector = Readonly<Record<string, string>>;

/** A Deployment or StatefulSet of the target's namespace, as kubectl names it: `deployment/gateway`, `statefulset/redis`. */
export type WorkloadRef = `deployment/${string}` | `statefulset/${string}`;

/**
 * What a fault does, as written in a chaos scenario (a discriminated union on `type`). Each type acts
 * on one kind of target (FAULT_TARGET): the local target's faults use Toxiproxy, signals and the
 * supervisor; the Kubernetes faults act on a kind cluster's namespace through its API server (and on
 * its node containers through the container engine); the container faults act on the containers
 * target's containers through the container engine.
 */
export type FaultSpec =
  /** A Toxiproxy toxic on one or more mesh edges; removed when the fault ends. */
  | {
      readonly type: 'toxic';
      readonly proxy: ProxySelector | readonly ProxySelector[];
      readonly toxic: ToxicType;
      /** Toxiproxy's attributes for the toxic, e.g. `{ latency: 300, jitter: 50 }` (ms), `{ rate: 8 }` (KB/s). */
      readonly attributes?: Readonly<Record<string, number>>;
      /** @default 'downstream' */
      readonly stream?: 'upstream' | 'downstream';
      /** Share of connections affected, 0-1. @default 1 */
      readonly toxicity?: number;
    }
  /** The edge is down: the proxy is disabled (connections refused and cut); re-enabled when the fault ends. */
  | { readonly type: 'proxy-down'; readonly proxy: ProxySelector | readonly ProxySelector[] }
  /** A signal to a component's process (SIGKILL by default). Self-healing: the supervisor restarts it. */
  | { readonly type: 'process-kill'; readonly component: string; readonly signal?: 'SIGKILL' | 'SIGTERM' }
  /** SIGSTOP for the fault's duration, then SIGCONT: a hang, not a crash. */
  | { readonly type: 'process-pause'; readonly component: string }
  /** The component is stopped and held down (no restart) for the fault's duration, then started again. */
  | { readonly type: 'component-stop'; readonly component: string }
  /**
   * A crash of the Redis Cluster primary owning `shard`'s slots (0, 1 or 2; default the one owning slot 0): SIGKILL of its process on the
   * local target, its pod deleted with no grace period on kind. Self-healing: its replica is promoted, the node comes back as a replica.
   */
  | { readonly type: 'redis-primary-kill'; readonly shard?: 0 | 1 | 2 }
  /**
   * Kubernetes: deletes `count` pods (or `percent` of them) matching `selector` (Ready ones first, by name). Self-healing: their
   * Deployment or StatefulSet replaces them; recovery checks it has its replicas Ready again.
   */
  | {
      readonly type: 'pod-kill';
      readonly selector: PodSelector;
      /** How many of the matching pods. @default 1 (unless `percent` is given) */
      readonly count?: number;
      /** Instead of `count`: this share of the matching pods, 1-100, rounded up (at least one). */
      readonly percent?: number;
      /** The deletion's grace period; 0 kills at once. @default the pod's own (terminationGracePeriodSeconds) */
      readonly gracePeriodSeconds?: number;
    }
  /** Kubernetes: a Deployment or StatefulSet scaled to `replicas` for the fault's duration, then back to what it had. */
  | { readonly type: 'scale'; readonly workload: WorkloadRef; readonly replicas: number }
  /**
   * Kubernetes: a NetworkPolicy with no rules selecting the pods, so nothing reaches them (ingress),
   * they reach nothing (egress), or both, for the fault's duration. NetworkPolicies only add allowances,
   * so the namespace's policies that allow what it cuts are detached from the pods meanwhile (a selector
   * of one label then); one it could not cut exactly is refused before anything changes (docs/chaos.md).
   */
  | {
      readonly type: 'network-partition';
      readonly selector: PodSelector;
      /** Which traffic of the pods is cut. @default 'both' */
      readonly direction?: 'ingress' | 'egress' | 'both';
    }
  /** Kubernetes on kind: the node's container paused (every process frozen) for the fault's duration, then unpaused. */
  | { readonly type: 'node-pause'; readonly node: string }
  /**
   * Containers: the main process of a platform part's container (`gateway-1`, `redis-0`, `postgres`, ...) killed from the host,
   * a crash (SIGKILL by default). Self-healing: the container's restart policy starts it again.
   */
  | { readonly type: 'container-kill'; readonly container: string; readonly signal?: 'SIGKILL' | 'SIGTERM' }
  /** Containers: the part's container paused (every process frozen) for the fault's duration, then unpaused. */
  | { readonly type: 'container-pause'; readonly container: string }
  /** Containers: the part's container stopped (its stop signal, then SIGKILL) and held stopped for the fault's duration, then started. */
  | { readonly type: 'container-stop'; readonly container: string }
  /**
   * Istio on kind: an http fault (`fault.delay.fixedDelay`) on every route of the service's VirtualService (one is created
   * when it has none) for the fault's duration, then its previous spec put back. Istio's sidecars enforce it; where no Istio
   * data plane runs only the API object changes (docs/chaos.md).
   */
  | {
      readonly type: 'istio-delay';
      readonly service: string;
      readonly delay: Duration;
      /** Share of requests delayed, 0-100. @default 100 */ readonly percent?: number;
    }
  /** Istio on kind: as istio-delay, with `fault.abort.httpStatus`: requests answered with that status instead of reaching the service. */
  | {
      readonly type: 'istio-abort';
      readonly service: string;
      readonly httpStatus: number;
      /** Share of requests aborted, 0-100. @default 100 */ readonly percent?: number;
    };

export type FaultType = FaultSpec['type'];

/**
 * Whether a fault ends by itself (the platform must heal): MTTR then counts from the injection, it
 * needs no duration, and reverting it has nothing to undo. The one place this is decided: every
 * fault type must say which it is.
 */
const HEALS_ITSELF = {
  toxic: false,
  'proxy-down': false,
  'process-kill': true,
  'process-pause': false,
  'component-stop': false,
  'redis-primary-kill': true,
  'pod-kill': true,
  scale: false,
  'network-partition': false,
  'node-pause': false,
  'container-kill': true,
  'container-pause': false,
  'container-stop': false,
  'istio-delay': false,
  'istio-abort': false,
} as const satisfies Record<FaultType, boolean>;

/** The fault types that end by themselves (see HEALS_ITSELF). */
export const SELF_HEALING: ReadonlySet<FaultType> = new Set((Object.keys(HEALS_ITSELF) as FaultType[]).filter((t) => HEALS_ITSELF[t]));

/** The kinds of target a fault acts on: the local platform's processes and mesh, a kind cluster, or the platform as containers. */
export const FAULT_TARGET_KINDS = ['local', 'kind', 'containers'] as const;
export type FaultTargetKind = (typeof FAULT_TARGET_KINDS)[number];

/** Where each fault type acts, and so which target can run it (every type must say). */
export const FAULT_TARGET = {
  // The mesh's faults act wherever a Toxiproxy mesh runs (on kind, the journal target names its API).
  toxic: ['local', 'kind', 'containers'],
  'proxy-down': ['local', 'kind', 'containers'],
  'process-kill': ['local'],
  'process-pause': ['local'],
  'component-stop': ['local'],
  'redis-primary-kill': ['local', 'kind'],
  'pod-kill': ['kind'],
  scale: ['kind'],
  'network-partition': ['kind'],
  'node-pause': ['kind'],
  'container-kill': ['containers'],
  'container-pause': ['containers'],
  'container-stop': ['containers'],
  'istio-delay': ['kind'],
  'istio-abort': ['kind'],
} as const satisfies Record<FaultType, readonly FaultTargetKind[]>;

export const TARGET_WORDS: Record<FaultTargetKind, string> = {
  local: 'the local target',
  kind: 'a kind cluster (--target kind)',
  containers: 'the containers target (--target containers)',
};

/** A step's fault on each target: its own `fault` where that runs, or the step's `on.<target>` variant instead. */
export type FaultsByTarget = Readonly<Partial<Record<FaultTargetKind, FaultSpec>>>;

/** The fault a step injects on `target` (its variant for that target, else its fault), if that target can run it. */
export function faultOn(step: { readonly spec: FaultSpec; readonly on?: FaultsByTarget | undefined }, target: FaultTargetKind): FaultSpec | undefined {
  const spec = step.on?.[target] ?? step.spec;
  return (FAULT_TARGET[spec.type] as readonly FaultTargetKind[]).includes(target) ? spec : undefined;
}

/** A chaos experiment as far as targets go: its injections, and the targets it declares (chaos.targets). */
export interface TargetedMethod {
  readonly faults: readonly { readonly step: number; readonly spec: FaultSpec; readonly on?: FaultsByTarget | undefined }[];
  readonly targets?: readonly FaultTargetKind[] | undefined;
}

/** Whether the experiment declares itself for `target` (or declares nothing: then it is for every target that can run it). */
export const declaredFor = (chaos: TargetedMethod, target: FaultTargetKind): boolean => !chaos.targets || chaos.targets.includes(target);

/**
 * Why the target cannot run the experiment, each as `<file>: chaos.<field>: ...`, so a run refuses it
 * before anything starts: a target the scenario does not declare, or a step whose fault (or `on.<target>`
 * variant) acts on other targets. Empty when it can run.
 */
export function faultTargetProblems(file: string, chaos: TargetedMethod, target: FaultTargetKind): string[] {
  if (!declaredFor(chaos, target) && chaos.targets)
    return [`${file}: chaos.targets: the experiment is for ${chaos.targets.map((t) => TARGET_WORDS[t]).join(' and ')}; ${TARGET_WORDS[target]} is not one`];
  const problems = new Map<number, string>();
  for (const f of chaos.faults) {
    if (faultOn(f, target)) continue;
    const spec = f.on?.[target] ?? f.spec;
    const where = f.on?.[target] ? `chaos.method[${f.step}].on.${target}.type` : `chaos.method[${f.step}].fault.type`;
    const runsOn: readonly FaultTargetKind[] = FAULT_TARGET[spec.type];
    problems.set(
      f.step,
      `${file}: ${where}: '${spec.type}' acts on ${runsOn.map((t) => TARGET_WORDS[t]).join(' or ')}; ${TARGET_WORDS[target]} cannot run it` +
        (f.on?.[target] ? '' : ` (give the step an on.${target} fault for it)`),
    );
  }
  return [...problems].sort(([a], [b]) => a - b).map(([, p]) => p);
}

/** The targets a chaos experiment supports: those it declares, or every one that can run each step. */
export function methodTargets(chaos: TargetedMethod): FaultTargetKind[] {
  return FAULT_TARGET_KINDS.filter((t) => faultTargetProblems('', chaos, t).length === 0);
}

/** `deployment/web` as the API names it. */
export function parseWorkloadRef(ref: WorkloadRef): { readonly kind: 'Deployment' | 'StatefulSet'; readonly name: string } {
  const slash = ref.indexOf('/');
  return { kind: ref.slice(0, slash) === 'deployment' ? 'Deployment' : 'StatefulSet', name: ref.slice(slash + 1) };
}

/** A pod selector as the API's label selector string: `app=web,tier=front`. */
export const labelSelectorString = (selector: PodSelector): string =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** One step of a chaos scenario's method: a fault at a time, for a duration, possibly repeated. */
export interface FaultStep {
  /** Shown in reports. @default derived from the spec, e.g. 'latency on gateway-redis-*' */
  readonly name?: string;
  /** When it is injected, from the start of the load. */
  readonly at: Duration;
  /**
   * How long it lasts before it is reverted (the dead-man's switch: it reverts itself even if the
   * run is stuck). Required for every fault but the self-healing ones.
   */
  readonly duration?: Duration;
  readonly fault: FaultSpec;
  /**
   * The same step on another kind of target, where `fault` cannot run there or means something else:
   * e.g. `fault: { type: 'process-kill', component: 'gateway-1' }, on: { kind: { type: 'pod-kill', selector: { app: 'gateway' } } }`.
   * A target uses its variant when there is one, else `fault`; a scenario supports the targets that can run every step.
   */
  readonly on?: FaultsByTarget;
  /** Inject it `times` times, `every` apart (from one injection to the next): MTTR becomes a distribution. */
  readonly repeat?: { readonly times: number; readonly every: Duration };
  /** Weight in the resilience score (Litmus: 0-10). @default 5 */
  readonly weight?: number;
}
