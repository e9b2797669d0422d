import { ComponentStopFault } from './component-stop-fault.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultEnvironment } from './fault.ts';
import { ProcessKillFault } from './process-kill-fault.ts';
import { ProcessPauseFault } from './process-pause-fault.ts';
import { ProxyDownFault } from './proxy-down-fault.ts';
import { RedisPrimaryKillFault } from './redis-primary-kill-fault.ts';
import { ToxicFault } from './toxic-fault.ts';

/** The implementation of a fault spec on a target (the local target's environment today). */
export function createFault(spec: FaultSpec, env: FaultEnvironment): Fault {
  switch (spec.type) {
    case 'toxic':
      return new ToxicFault(spec, env);
    case 'proxy-down':
      return new ProxyDownFault(spec, env);
    case 'process-kill':
      return new ProcessKillFault(spec, env);
    case 'process-pause':
      return new ProcessPauseFault(spec, env);
    case 'component-stop':
      return new ComponentStopFault(spec, env);
    case 'redis-primary-kill':
      return new RedisPrimaryKillFault(spec, env);
    default: {
      const unknown: never = spec;
      throw new Error(`unknown fault type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}
