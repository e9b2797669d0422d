import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultEnvironment, FaultPlan, Mesh } from './fault.ts';
import { expandProxySelector } from './proxy-selector.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';

type ProxyDownSpec = Extract<FaultSpec, { type: 'proxy-down' }>;

/**
 * Mesh edges down: the proxies are disabled, which refuses new connections and cuts open ones
 * (a pooled keep-alive connection does not escape it); reverted by enabling them again.
 */
export class ProxyDownFault implements Fault {
  readonly spec: ProxyDownSpec;
  readonly env: FaultEnvironment;
  readonly mesh: Mesh;

  constructor(spec: ProxyDownSpec, env: FaultEnvironment, mesh: Mesh) {
    this.spec = spec;
    this.env = env;
    this.mesh = mesh;
  }

  async plan(): Promise<FaultPlan> {
    const proxies = await expandProxySelector(this.spec.proxy, this.mesh);
    const api = new ToxiproxyApi(this.mesh.toxiproxyUrl);
    return {
      targets: proxies.join(', '),
      undo: proxies.map((proxy) => ({ kind: 'enable-proxy', proxy })),
      apply: async () => {
        for (const proxy of proxies) await api.setEnabled(proxy, false);
      },
    };
  }
}
