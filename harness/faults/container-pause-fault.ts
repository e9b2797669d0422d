import type { FaultSpec } from '../config/fault-spec.ts';
import type { ContainersFaultEnvironment, Fault, FaultPlan } from './fault.ts';
import { runningContainer } from './running-container.ts';

type ContainerPauseSpec = Extract<FaultSpec, { type: 'container-pause' }>;

/**
 * A hang of a platform container: paused by the engine (the cgroup freezer: every process in it
 * frozen), unpaused on revert. It still runs as far as the engine knows, so its restart policy does
 * nothing; only the platform's timeouts and health checks notice.
 */
export class ContainerPauseFault implements Fault {
  readonly spec: ContainerPauseSpec;
  readonly env: ContainersFaultEnvironment;

  constructor(spec: ContainerPauseSpec, env: ContainersFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const c = await runningContainer(this.env, this.spec.container);
    return {
      targets: `${c.part} (container ${c.container})`,
      undo: [{ kind: 'unpause-container', container: c.container }],
      apply: () => this.env.pause(c.container),
    };
  }
}
