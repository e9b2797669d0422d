import { ComponentStopFault } from './component-stop-fault.ts';
import { FAULT_TARGET, type FaultSpec } from '../config/fault-spec.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { ContainerKillFault } from './container-kill-fault.ts';
import { ContainerPauseFault } from './container-pause-fault.ts';
import { ContainerStopFault } from './container-stop-fault.ts';
import type { ContainersFaultEnvironment, Fault, FaultEnvironment, KindFaultEnvironment, LocalFaultEnvironment, Mesh } from './fault.ts';
import { describeJournalTarget } from './fault-journal.ts';
import { IstioRouteFault } from './istio-route-fault.ts';
import { NetworkPartitionFault } from './network-partition-fault.ts';
import { NodePauseFault } from './node-pause-fault.ts';
import { PodKillFault } from './pod-kill-fault.ts';
import { ProcessKillFault } from './process-kill-fault.ts';
import { ProcessPauseFault } from './process-pause-fault.ts';
import { ProxyDownFault } from './proxy-down-fault.ts';
import { RedisPrimaryKillFault } from './redis-primary-kill-fault.ts';
import { ScaleFault } from './scale-fault.ts';
import { ToxicFault } from './toxic-fault.ts';

export const isLocalEnvironment = (env: FaultEnvironment): env is LocalFaultEnvironment => env.target.kind === 'local';
export const isKindEnvironment = (env: FaultEnvironment): env is KindFaultEnvironment => env.target.kind === 'kind';
export const isContainersEnvironment = (env: FaultEnvironment): env is ContainersFaultEnvironment => env.target.kind === 'containers';

const ACTS_ON = { local: 'the local target', kind: 'a kind cluster', containers: 'the containers target' } as const;

/** The target's Toxiproxy mesh, if it has one: the local and containers environments are meshes themselves; a kind cluster's names one when it runs Toxiproxy. */
export const meshOf = (env: FaultEnvironment): Mesh | undefined => (isKindEnvironment(env) ? env.mesh : env);

/** A fault on a target it does not act on: refused before anything is planned or journaled. */
function wrongTarget(spec: FaultSpec, env: FaultEnvironment): CrucibleError {
  const on = FAULT_TARGET[spec.type].map((t) => ACTS_ON[t]).join(' or ');
  return new CrucibleError('CRUCIBLE_ERR_FAULT_INJECT', `fault type '${spec.type}' acts on ${on}, not on ${describeJournalTarget(env.target)}`);
}

/** The implementation of a fault spec on a target; a fault the target cannot run is refused (CRUCIBLE_ERR_FAULT_INJECT). */
export function createFault(spec: FaultSpec, env: FaultEnvironment): Fault {
  const local = (): LocalFaultEnvironment => {
    if (!isLocalEnvironment(env)) throw wrongTarget(spec, env);
    return env;
  };
  const kind = (): KindFaultEnvironment => {
    if (!isKindEnvironment(env)) throw wrongTarget(spec, env);
    return env;
  };
  const containers = (): ContainersFaultEnvironment => {
    if (!isContainersEnvironment(env)) throw wrongTarget(spec, env);
    return env;
  };
  const mesh = (): Mesh => {
    const found = meshOf(env);
    if (!found)
      throw new CrucibleError(
        'CRUCIBLE_ERR_FAULT_INJECT',
        `fault type '${spec.type}' needs a Toxiproxy mesh, and ${describeJournalTarget(env.target)} names none`,
      );
    return found;
  };
  switch (spec.type) {
    case 'toxic':
      return new ToxicFault(spec, env, mesh());
    case 'proxy-down':
      return new ProxyDownFault(spec, env, mesh());
    case 'process-kill':
      return new ProcessKillFault(spec, local());
    case 'process-pause':
      return new ProcessPauseFault(spec, local());
    case 'component-stop':
      return new ComponentStopFault(spec, local());
    case 'redis-primary-kill':
      return new RedisPrimaryKillFault(spec, isKindEnvironment(env) ? env : local());
    case 'pod-kill':
      return new PodKillFault(spec, kind());
    case 'scale':
      return new ScaleFault(spec, kind());
    case 'network-partition':
      return new NetworkPartitionFault(spec, kind());
    case 'node-pause':
      return new NodePauseFault(spec, kind());
    case 'container-kill':
      return new ContainerKillFault(spec, containers());
    case 'container-pause':
      return new ContainerPauseFault(spec, containers());
    case 'container-stop':
      return new ContainerStopFault(spec, containers());
    case 'istio-delay':
    case 'istio-abort':
      return new IstioRouteFault(spec, kind());
    default: {
      const unknown: never = spec;
      throw new Error(`unknown fault type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}
