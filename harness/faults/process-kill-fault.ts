import { applyRecorded, lookUp } from './apply-recorded.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { AppliedFault, Fault, FaultEnvironment } from './fault.ts';
import { revertApplied } from './run-undo-action.ts';
import { waitForExit } from './wait-for-state.ts';

type ProcessKillSpec = Extract<FaultSpec, { type: 'process-kill' }>;

/** A signal to a component's process (a crash); the supervisor restarts it, so the fault heals itself. */
export class ProcessKillFault implements Fault {
  readonly spec: ProcessKillSpec;
  readonly selfHealing = true;
  private readonly env: FaultEnvironment;

  constructor(spec: ProcessKillSpec, env: FaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async inject(id: string, name: string, record: (applied: AppliedFault) => Promise<void>): Promise<AppliedFault> {
    const { component } = this.spec;
    const signal = this.spec.signal ?? 'SIGKILL';
    const pid = await lookUp(id, name, () => this.env.pidOf(component));
    return applyRecorded(
      { id, name, spec: this.spec, targets: `${component} (pid ${pid}, ${signal})`, undo: [{ kind: 'expect-running', component }] },
      this.env,
      record,
      async () => {
        process.kill(pid, signal);
        // kill() returns before the process is dead; until it is, the supervisor still reports the old
        // pid as running, and a revert (waiting for the component to run) would return at once.
        // A SIGTERM that the process handles slowly is still delivered: not an injection failure.
        if (!(await waitForExit(pid, 10_000)) && signal === 'SIGKILL') throw new Error(`pid ${pid} of ${component} was still alive 10 s after SIGKILL`);
      },
    );
  }

  /** Nothing to undo: waits (bounded) until the supervisor has the component running again. */
  async revert(applied: AppliedFault): Promise<void> {
    await revertApplied(applied, this.env);
  }
}
