import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, LocalFaultEnvironment } from './fault.ts';
import { waitForExit } from './wait-for-state.ts';

type ProcessKillSpec = Extract<FaultSpec, { type: 'process-kill' }>;

/** A signal to a component's process (a crash); the supervisor restarts it, so the fault heals itself. */
export class ProcessKillFault implements Fault {
  readonly spec: ProcessKillSpec;
  readonly env: LocalFaultEnvironment;

  constructor(spec: ProcessKillSpec, env: LocalFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const { component } = this.spec;
    const signal = this.spec.signal ?? 'SIGKILL';
    const pid = await this.env.pidOf(component);
    return {
      targets: `${component} (pid ${pid}, ${signal})`,
      // Nothing to undo: recovery checks (bounded) that the supervisor has the component running again.
      undo: [{ kind: 'expect-running', component }],
      apply: async () => {
        process.kill(pid, signal);
        // kill() returns before the process is dead; until it is, the supervisor still reports the old
        // pid as running, and a recovery check (waiting for the component to run) would pass at once.
        // A SIGTERM that the process handles slowly is still delivered: not an injection failure.
        if (!(await waitForExit(pid, 10_000)) && signal === 'SIGKILL') throw new Error(`pid ${pid} of ${component} was still alive 10 s after SIGKILL`);
      },
    };
  }
}
