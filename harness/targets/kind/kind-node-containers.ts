import { detectContainerEngine, type ContainerEngine } from '../../containers/container-engine.ts';
import { engineCommand } from '../../containers/engine-command.ts';

/** kind's label on every node container of a cluster. */
const CLUSTER_LABEL = 'io.x-k8s.kind.cluster';

export interface NodeContainer {
  /** The container's name, which is the Kubernetes node's name (`<cluster>-worker`). */
  readonly name: string;
  readonly paused: boolean;
}

/**
 * A kind cluster's node containers through the container engine (a node failure is a paused node
 * container): what the Kubernetes faults need below the API server.
 */
export class KindNodeContainers {
  readonly cluster: string;
  readonly #engine: ContainerEngine;

  constructor(cluster: string, engine: ContainerEngine) {
    this.cluster = cluster;
    this.#engine = engine;
  }

  /** For the engine kind runs on here (Docker where one answers, else Podman). */
  static async detect(cluster: string): Promise<KindNodeContainers> {
    return new KindNodeContainers(cluster, await detectContainerEngine());
  }

  /** Every node container of the cluster, by name; empty when the cluster does not exist. */
  async list(): Promise<NodeContainer[]> {
    const out = await engineCommand(this.#engine, ['ps', '-a', '--filter', `label=${CLUSTER_LABEL}=${this.cluster}`, '--format', '{{.Names}} {{.State}}'], {
      timeoutMs: 30_000,
    });
    return out
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter(([name]) => name !== undefined && name !== '')
      .map(([name = '', state = '']) => ({ name, paused: state.toLowerCase() === 'paused' }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async pause(node: string): Promise<void> {
    await engineCommand(this.#engine, ['pause', node], { timeoutMs: 30_000 });
  }

  async unpause(node: string): Promise<void> {
    await engineCommand(this.#engine, ['unpause', node], { timeoutMs: 30_000 });
  }

  /**
   * Forgets the connection tracking entries of these pod addresses on every node (conntrack -D), as
   * sources (`from`) or destinations (`to`): packets of connections established before a NetworkPolicy
   * was are then checked against it like new ones, as a cut cable would drop them. A node with no such
   * entry answers "0 flow entries" with a non-zero status, which is not an error here.
   */
  async forgetConnections(ips: readonly string[], sides: readonly ('from' | 'to')[]): Promise<void> {
    const nodes = (await this.list()).filter((n) => !n.paused);
    const script = ips.flatMap((ip) => sides.map((side) => `conntrack -D ${side === 'from' ? '-s' : '-d'} ${ip} >/dev/null 2>&1 || true`)).join('; ');
    if (script === '') return;
    await Promise.all(nodes.map((n) => engineCommand(this.#engine, ['exec', n.name, 'sh', '-c', script], { timeoutMs: 30_000 })));
  }
}
