import { applyRecorded } from './apply-recorded.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { AppliedFault, Fault, FaultEnvironment } from './fault.ts';
import { expandProxySelector } from './proxy-selector.ts';
import { revertApplied } from './run-undo-action.ts';
import { ToxiproxyApi } from './toxiproxy-api.ts';

type ProxyDownSpec = Extract<FaultSpec, { type: 'proxy-down' }>;

/**
 * Mesh edges down: the proxies are disabled, which refuses new connections and cuts open ones
 * (a pooled keep-alive connection does not escape it); reverted by enabling them again.
 */
export class ProxyDownFault implements Fault {
  readonly spec: ProxyDownSpec;
  readonly selfHealing = false;
  private readonly env: FaultEnvironment;

  constructor(spec: ProxyDownSpec, env: FaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async inject(id: string, name: string, record: (applied: AppliedFault) => Promise<void>): Promise<AppliedFault> {
    const proxies = await expandProxySelector(this.spec.proxy, this.env);
    const api = new ToxiproxyApi(this.env.toxiproxyUrl);
    return applyRecorded(
      { id, name, spec: this.spec, targets: proxies.join(', '), undo: proxies.map((proxy) => ({ kind: 'enable-proxy', proxy })) },
      this.env,
      record,
      async () => {
        for (const proxy of proxies) await api.setEnabled(proxy, false);
      },
    );
  }

  async revert(applied: AppliedFault): Promise<void> {
    await revertApplied(applied, this.env);
  }
}
