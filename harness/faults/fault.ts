import type { KubeConfig } from '@kubernetes/client-node';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { PlatformContainer } from '../targets/containers/platform-containers.ts';

export type { PlatformContainer };

/** A Deployment or StatefulSet, as the journal names it. */
export interface WorkloadId {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
}

/**
 * How to undo what a fault did, recorded in the journal before the fault takes effect, so
 * `crucible recover` can finish the job after a crash. Every action is idempotent (undoing twice,
 * or undoing what never happened, is a no-op). The first five act on the local target, the next six
 * on a kind cluster, the last three on the containers target; an action runs only in an environment of its target's kind.
 */
export type UndoAction =
  | { readonly kind: 'remove-toxic'; readonly proxy: string; readonly toxic: string }
  | { readonly kind: 'enable-proxy'; readonly proxy: string }
  | { readonly kind: 'continue-process'; readonly component: string; readonly pid: number }
  | { readonly kind: 'release-component'; readonly component: string }
  /** Nothing to undo (a kill); recovery only checks that the component runs again. */
  | { readonly kind: 'expect-running'; readonly component: string }
  /** Nothing to undo (a pod kill); recovery checks the workload has its replicas Ready again, none of them a killed pod (by uid). */
  | { readonly kind: 'expect-ready'; readonly namespace: string; readonly workload: WorkloadId; readonly killed: readonly string[] }
  /** Scales the workload back to the replicas it had before the fault, then waits until they are Ready. */
  | { readonly kind: 'restore-replicas'; readonly namespace: string; readonly workload: WorkloadId; readonly replicas: number }
  | { readonly kind: 'delete-network-policy'; readonly namespace: string; readonly name: string }
  /** Removes the `NotIn` requirement a partition added to another policy's pod selector (and the fault's annotation). */
  | {
      readonly kind: 'reattach-network-policy';
      readonly namespace: string;
      readonly name: string;
      readonly faultId: string;
      readonly requirement: { readonly key: string; readonly operator: string; readonly values?: readonly string[] };
    }
  /**
   * Puts a VirtualService back as it was before the fault (its spec then, journaled), or deletes it when the fault created it
   * (`previous` null); a no-op when the fault's label no longer marks it.
   */
  | {
      readonly kind: 'restore-virtual-service';
      readonly namespace: string;
      readonly name: string;
      readonly faultId: string;
      readonly previous: Readonly<Record<string, unknown>> | null;
    }
  /** `podman unpause` (or docker's) of a kind node's container, then waits until the node is Ready. */
  | { readonly kind: 'unpause-node'; readonly node: string }
  /** Nothing to undo (a container kill); recovery checks its restart policy has it running and healthy again, not as the killed pid. */
  | { readonly kind: 'expect-container-running'; readonly container: string; readonly killedPid: number }
  /** Unpauses a platform container (a no-op when it is not paused). */
  | { readonly kind: 'unpause-container'; readonly container: string }
  /** Starts a stopped platform container (a no-op when it runs), then waits until it is healthy. */
  | { readonly kind: 'start-container'; readonly container: string };

/** Undo actions that only wait for the target to heal: a failed injection has nothing of theirs to roll back. */
export const isWaitOnly = (a: UndoAction): boolean => a.kind === 'expect-running' || a.kind === 'expect-ready' || a.kind === 'expect-container-running';

/** A fault as injected: what, when, and how to undo it. */
export interface AppliedFault {
  /** Unique within the run: `<step index>.<repeat index>`, e.g. '0.2'. */
  readonly id: string;
  readonly name: string;
  readonly spec: FaultSpec;
  /** What it hit, in words: 'gateway-redis-0, gateway-redis-1', 'redis-2 (pid 1234)'. */
  readonly targets: string;
  /** Epoch ms. */
  readonly injectedAt: number;
  readonly undo: readonly UndoAction[];
}

/**
 * Which platform faults act on, as the journal records it (one kind per target), so that recovery
 * (`crucible recover`, the watchdog) finds it again: faultEnvironmentFor() reads it back.
 */
export type JournalTarget =
  | { readonly kind: 'local'; readonly portBase: number }
  /**
   * A kind cluster: faults act in `namespace`; the kubeconfig file is the one the cluster was created
   * with; `toxiproxyUrl` is its mesh's API as published on the host, when it has one (toxics, proxy-down).
   */
  | { readonly kind: 'kind'; readonly cluster: string; readonly namespace: string; readonly kubeconfig: string; readonly toxiproxyUrl?: string }
  /**
   * The platform as containers (`crucible up --target containers`): its containers carry the owner
   * label `name` (crucible-<portBase>) and are driven through `engine`; `toxiproxyUrl` is its mesh's API on the host.
   */
  | { readonly kind: 'containers'; readonly portBase: number; readonly name: string; readonly engine: 'docker' | 'podman'; readonly toxiproxyUrl: string };

/** A Toxiproxy mesh the toxic and proxy-down faults act on: the local target's, or one inside a kind cluster. */
export interface Mesh {
  /** Toxiproxy's API, e.g. http://127.0.0.1:7303. */
  readonly toxiproxyUrl: string;
  /** Names of the proxies that exist (to expand `gateway-redis-*` and refuse unknown ones). */
  proxies(): Promise<readonly string[]>;
}

/** What faults need from the local target; provided from its state and its supervisor's control API. */
export interface LocalFaultEnvironment extends Mesh {
  /** Where these faults act, as the journal records it. */
  readonly target: Extract<JournalTarget, { kind: 'local' }>;
  /** The live pid of a component (throws naming the component when there is none). */
  pidOf(component: string): Promise<number>;
  /** Supervisor control: hold a component down (stop, no restart) and release it. */
  hold(component: string): Promise<void>;
  release(component: string): Promise<void>;
  /** Redis Cluster: the component name and pid of the primary owning `shard` (0..2). */
  redisPrimary(shard: number): Promise<{ readonly component: string; readonly pid: number }>;
  /**
   * The safety net, independent of any journal: what faults could have left on the target and is
   * still there, each problem in words; empty means clean.
   */
  verifyClean(): Promise<string[]>;
}

/** What faults need from a kind cluster: its API server, and its node containers through the container engine. */
export interface KindFaultEnvironment {
  readonly target: Extract<JournalTarget, { kind: 'kind' }>;
  readonly kubeConfig: KubeConfig;
  /** The cluster's Toxiproxy mesh, when the journal target names its API. */
  readonly mesh: Mesh | undefined;
  /** The cluster's node containers (named as its nodes), and whether each is paused. */
  nodeContainers(): Promise<readonly { readonly name: string; readonly paused: boolean }[]>;
  /** Pauses / unpauses a node's container (idempotent: unpausing a running or missing one is a no-op, said in words). */
  pauseNode(node: string): Promise<void>;
  /** Cuts the connections these pod addresses already have, as sources (`from`) or destinations (`to`), on every node. */
  forgetConnections(ips: readonly string[], sides: readonly ('from' | 'to')[]): Promise<void>;
  unpauseNode(node: string): Promise<string>;
  /** Leftover partition policies, workloads still scaled by a fault, paused nodes, workloads not Ready; empty means clean. */
  verifyClean(): Promise<string[]>;
}

/** What faults need from the containers target: its containers through the container engine, and its Toxiproxy mesh. */
export interface ContainersFaultEnvironment extends Mesh {
  readonly target: Extract<JournalTarget, { kind: 'containers' }>;
  /** Every container of the platform (by its owner label), sorted by part. */
  containers(): Promise<readonly PlatformContainer[]>;
  /** A signal to the container's main process from the host: a crash its restart policy heals (the engine's own kill counts as a stop). */
  kill(container: string, pid: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  pause(container: string): Promise<void>;
  /** Idempotent: a container that is not paused (or is gone) is left as it is, said in words. */
  unpause(container: string): Promise<string>;
  stop(container: string): Promise<void>;
  /** Idempotent: starts it when it does not run, then waits (bounded) until it is healthy; what it did, in words. */
  start(container: string): Promise<string>;
  /** Waits (bounded) until the container runs as another pid than `killedPid` and is healthy; what it saw, in words. */
  expectRunning(container: string, killedPid: number, timeoutMs: number): Promise<string>;
  /** Paused or stopped containers, unhealthy ones, toxics and disabled proxies; empty means clean. */
  verifyClean(): Promise<string[]>;
}

/** Where faults act: one environment per kind of target, each with only what its faults can act on. */
export type FaultEnvironment = LocalFaultEnvironment | KindFaultEnvironment | ContainersFaultEnvironment;

/** What injecting a fault will do, worked out before anything changes. */
export interface FaultPlan {
  /** What it hits, in words: 'gateway-redis-0, gateway-redis-1', 'redis-2 (pid 1234)'. */
  readonly targets: string;
  /** How to undo it: journaled before `apply` runs, run by the revert (and by `crucible recover`). */
  readonly undo: readonly UndoAction[];
  /** Changes the target. If it throws half-way, the undo actions run before the injection fails. */
  apply(): Promise<void>;
}

/**
 * One kind of fault on one kind of target: it looks up what it will hit and says how to apply and
 * undo it, refusing (by throwing) what cannot be done. Everything else (the journal, the dead-man
 * timer, reverting, rolling back a failed injection) is the active fault's (`injectFault`), the same
 * for every implementation; a Kubernetes fault is one more implementation of this.
 */
export interface Fault {
  readonly spec: FaultSpec;
  /** The target it acts on; its undo actions run against it. */
  readonly env: FaultEnvironment;
  /** `id` is unique within the journal (a toxic is named after it). Changes nothing. */
  plan(id: string, name: string): Promise<FaultPlan>;
}
