import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, LocalFaultEnvironment } from './fault.ts';
import { expandProxySelector } from './proxy-selector.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';

type ProxyDownSpec = Extract<FaultSpec, { type: 'proxy-down' }>;

/**
 * Mesh edges down: the proxies are disabled, which refuses new connections and cuts open ones
 * (a pooled keep-alive connection does not escape it); reverted by enabling them again.
 */
export class ProxyDownFault implements Fault {
  readonly spec: ProxyDownSpec;
  readonly env: LocalFaultEnvironment;

  constructor(spec: ProxyDownSpec, env: LocalFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const proxies = await expandProxySelector(this.spec.proxy, this.env);
    const api = new ToxiproxyApi(this.env.toxiproxyUrl);
    return {
      targets: proxies.join(', '),
      undo: proxies.map((proxy) => ({ kind: 'enable-proxy', proxy })),
      apply: async () => {
        for (const proxy of proxies) await api.setEnabled(proxy, false);
      },
    };
  }
}
