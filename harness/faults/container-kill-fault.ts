import type { FaultSpec } from '../config/fault-spec.ts';
import type { ContainersFaultEnvironment, Fault, FaultPlan } from './fault.ts';
import { runningContainer } from './running-container.ts';

type ContainerKillSpec = Extract<FaultSpec, { type: 'container-kill' }>;

/**
 * A crash of a platform container: a signal (SIGKILL by default) to its main process from the host.
 * The engine sees the process die and its restart policy starts the container again, so the fault
 * heals itself. Not the engine's own `kill`: podman counts that as a stop by the user and never
 * restarts the container (measured with podman 4.3).
 */
export class ContainerKillFault implements Fault {
  readonly spec: ContainerKillSpec;
  readonly env: ContainersFaultEnvironment;

  constructor(spec: ContainerKillSpec, env: ContainersFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const signal = this.spec.signal ?? 'SIGKILL';
    const c = await runningContainer(this.env, this.spec.container);
    return {
      targets: `${c.part} (container ${c.container}, pid ${c.pid}, ${signal})`,
      // Nothing to undo: recovery checks (bounded) that the restart policy has it running and healthy again.
      undo: [{ kind: 'expect-container-running', container: c.container, killedPid: c.pid }],
      apply: () => this.env.kill(c.container, c.pid, signal),
    };
  }
}
