import type { Duration } from './duration.ts';

/** Toxiproxy's toxics in v2.12.0 (the `down` "toxic" is `proxy-down`, a disabled proxy). */
export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

/**
 * A mesh edge by its Toxiproxy proxy name, or several with a trailing `*`: on the local target
 * `edge-gateway-1`, `gateway-auth`, `gateway-catalog`, `auth-postgres`, `catalog-postgres`,
 * `gateway-redis-0..5`, `auth-redis-0..5` (`gateway-redis-*` is all six).
 */
export type ProxySelector = string;

/**
 * What a fault does, as written in a chaos scenario (a discriminated union on `type`). Faults are
 * target-neutral: the local target implements them with Toxiproxy, signals and the supervisor; a
 * Kubernetes target implements the same specs (pod kill, NetworkPolicy, scale, Istio) later.
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
  /** SIGKILL of the Redis Cluster primary owning `shard`'s slots (0, 1 or 2; default the one owning slot 0). Self-healing: its replica is promoted. */
  | { readonly type: 'redis-primary-kill'; readonly shard?: 0 | 1 | 2 };

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
} as const satisfies Record<FaultType, boolean>;

/** The fault types that end by themselves (see HEALS_ITSELF). */
export const SELF_HEALING: ReadonlySet<FaultType> = new Set((Object.keys(HEALS_ITSELF) as FaultType[]).filter((t) => HEALS_ITSELF[t]));

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
  /** Inject it `times` times, `every` apart (from one injection to the next): MTTR becomes a distribution. */
  readonly repeat?: { readonly times: number; readonly every: Duration };
  /** Weight in the resilience score (Litmus: 0-10). @default 5 */
  readonly weight?: number;
}
