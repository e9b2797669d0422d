import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, LocalFaultEnvironment } from './fault.ts';
import { waitForExit } from './wait-for-state.ts';

type RedisPrimaryKillSpec = Extract<FaultSpec, { type: 'redis-primary-kill' }>;

/**
 * SIGKILL of whichever node is the primary of a shard right now (after an earlier failover that is
 * not the node that started as primary). The cluster promotes its replica; the supervisor restarts
 * the killed node, which rejoins as a replica.
 */
export class RedisPrimaryKillFault implements Fault {
  readonly spec: RedisPrimaryKillSpec;
  readonly env: LocalFaultEnvironment;

  constructor(spec: RedisPrimaryKillSpec, env: LocalFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const shard = this.spec.shard ?? 0;
    const { component, pid } = await this.env.redisPrimary(shard);
    return {
      targets: `${component} (pid ${pid}), primary of shard ${shard}`,
      // Nothing to undo: recovery checks (bounded) that the supervisor has the node running again.
      undo: [{ kind: 'expect-running', component }],
      apply: async () => {
        process.kill(pid, 'SIGKILL');
        // Dead before the injection returns, so a recovery check cannot mistake the dying node for a running one.
        if (!(await waitForExit(pid, 10_000))) throw new Error(`pid ${pid} of ${component} was still alive 10 s after SIGKILL`);
      },
    };
  }
}
