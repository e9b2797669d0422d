import type { FaultSpec } from '../config/fault-spec.ts';
import type { ContainersFaultEnvironment, Fault, FaultPlan } from './fault.ts';
import { runningContainer } from './running-container.ts';

type ContainerStopSpec = Extract<FaultSpec, { type: 'container-stop' }>;

/**
 * A platform container stopped cleanly (its stop signal, SIGKILL after the engine's grace period) and
 * held stopped: a stop by the user is one the restart policy leaves alone. Started again on revert,
 * which waits until it is healthy.
 */
export class ContainerStopFault implements Fault {
  readonly spec: ContainerStopSpec;
  readonly env: ContainersFaultEnvironment;

  constructor(spec: ContainerStopSpec, env: ContainersFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const c = await runningContainer(this.env, this.spec.container);
    return {
      targets: `${c.part} (container ${c.container})`,
      undo: [{ kind: 'start-container', container: c.container }],
      apply: () => this.env.stop(c.container),
    };
  }
}
