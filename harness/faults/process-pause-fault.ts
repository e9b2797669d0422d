import { procStat } from '../../platform/local/proc-info.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, LocalFaultEnvironment } from './fault.ts';
import { waitForState } from './wait-for-state.ts';

type ProcessPauseSpec = Extract<FaultSpec, { type: 'process-pause' }>;

/**
 * A hang rather than a crash: SIGSTOP to the component's process group, SIGCONT on revert. The
 * group, because a component's children must hang with it (PostgreSQL's backends would otherwise
 * keep answering while the postmaster is stopped). The process stays alive, so the supervisor sees
 * nothing wrong and does not restart it; only the platform's timeouts and health checks notice.
 */
export class ProcessPauseFault implements Fault {
  readonly spec: ProcessPauseSpec;
  readonly env: LocalFaultEnvironment;

  constructor(spec: ProcessPauseSpec, env: LocalFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const { component } = this.spec;
    const pid = await this.env.pidOf(component);
    return {
      targets: `${component} (pid ${pid})`,
      undo: [{ kind: 'continue-process', component, pid }],
      apply: async () => {
        const st = procStat(pid);
        if (!st) throw new Error(`pid ${pid} of ${component} is gone`);
        process.kill(st.pgid === pid ? -pid : pid, 'SIGSTOP');
        // kill() returns before the kernel has stopped the process; the fault is not in place until it has.
        if (!(await waitForState(pid, (s) => s === 'T', 2_000))) throw new Error(`pid ${pid} of ${component} did not stop within 2 s of SIGSTOP`);
      },
    };
  }
}
