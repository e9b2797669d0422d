import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, KindFaultEnvironment } from './fault.ts';

type NodePauseSpec = Extract<FaultSpec, { type: 'node-pause' }>;

/**
 * A node failure on kind: the node's container paused (kubelet, the container runtime and every pod on
 * it frozen), unpaused on revert, which waits until the node is Ready. Kubernetes notices only through
 * missed heartbeats: the node turns NotReady about 40-50 s after the pause (46 s measured here), and its
 * pods are evicted only later, so a shorter pause is a hang the platform must ride out, not a failover.
 */
export class NodePauseFault implements Fault {
  readonly spec: NodePauseSpec;
  readonly env: KindFaultEnvironment;

  constructor(spec: NodePauseSpec, env: KindFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const { node } = this.spec;
    const nodes = await this.env.nodeContainers();
    const c = nodes.find((n) => n.name === node);
    if (!c) throw new Error(`no node ${node} in kind cluster ${this.env.target.cluster} (nodes: ${nodes.map((n) => n.name).join(', ')})`);
    if (c.paused) throw new Error(`node ${node} is paused already (by another fault, or left paused: crucible recover)`);
    return {
      targets: `node ${node} of kind cluster ${this.env.target.cluster}`,
      undo: [{ kind: 'unpause-node', node }],
      apply: () => this.env.pauseNode(node),
    };
  }
}
