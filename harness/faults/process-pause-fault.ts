import { procStat } from '../../platform/local/proc-info.ts';
import { waitForState } from './wait-for-state.ts';
import { applyRecorded, lookUp } from './apply-recorded.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { AppliedFault, Fault, FaultEnvironment } from './fault.ts';
import { revertApplied } from './run-undo-action.ts';

type ProcessPauseSpec = Extract<FaultSpec, { type: 'process-pause' }>;

/**
 * A hang rather than a crash: SIGSTOP to the component's process group, SIGCONT on revert. The
 * group, because a component's children must hang with it (PostgreSQL's backends would otherwise
 * keep answering while the postmaster is stopped). The process stays alive, so the supervisor sees
 * nothing wrong and does not restart it; only the platform's timeouts and health checks notice.
 */
export class ProcessPauseFault implements Fault {
  readonly spec: ProcessPauseSpec;
  readonly selfHealing = false;
  private readonly env: FaultEnvironment;

  constructor(spec: ProcessPauseSpec, env: FaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async inject(id: string, name: string, record: (applied: AppliedFault) => Promise<void>): Promise<AppliedFault> {
    const { component } = this.spec;
    const pid = await lookUp(id, name, () => this.env.pidOf(component));
    return applyRecorded(
      { id, name, spec: this.spec, targets: `${component} (pid ${pid})`, undo: [{ kind: 'continue-process', component, pid }] },
      this.env,
      record,
      async () => {
        const st = procStat(pid);
        if (!st) throw new Error(`pid ${pid} of ${component} is gone`);
        process.kill(st.pgid === pid ? -pid : pid, 'SIGSTOP');
        // kill() returns before the kernel has stopped the process; the fault is not in place until it has.
        if (!(await waitForState(pid, (s) => s === 'T', 2_000))) throw new Error(`pid ${pid} of ${component} did not stop within 2 s of SIGSTOP`);
      },
    );
  }

  async revert(applied: AppliedFault): Promise<void> {
    await revertApplied(applied, this.env);
  }
}
