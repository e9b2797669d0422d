import { applyRecorded, lookUp } from './apply-recorded.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { AppliedFault, Fault, FaultEnvironment } from './fault.ts';
import { revertApplied } from './run-undo-action.ts';
import { waitForExit } from './wait-for-state.ts';

type RedisPrimaryKillSpec = Extract<FaultSpec, { type: 'redis-primary-kill' }>;

/**
 * SIGKILL of whichever node is the primary of a shard right now (after an earlier failover that is
 * not the node that started as primary). The cluster promotes its replica; the supervisor restarts
 * the killed node, which rejoins as a replica.
 */
export class RedisPrimaryKillFault implements Fault {
  readonly spec: RedisPrimaryKillSpec;
  readonly selfHealing = true;
  private readonly env: FaultEnvironment;

  constructor(spec: RedisPrimaryKillSpec, env: FaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async inject(id: string, name: string, record: (applied: AppliedFault) => Promise<void>): Promise<AppliedFault> {
    const shard = this.spec.shard ?? 0;
    const { component, pid } = await lookUp(id, name, () => this.env.redisPrimary(shard));
    return applyRecorded(
      { id, name, spec: this.spec, targets: `${component} (pid ${pid}), primary of shard ${shard}`, undo: [{ kind: 'expect-running', component }] },
      this.env,
      record,
      async () => {
        process.kill(pid, 'SIGKILL');
        // Dead before inject returns, so a revert cannot mistake the dying node for a running one.
        if (!(await waitForExit(pid, 10_000))) throw new Error(`pid ${pid} of ${component} was still alive 10 s after SIGKILL`);
      },
    );
  }

  /** Nothing to undo: waits (bounded) until the supervisor has the node running again. */
  async revert(applied: AppliedFault): Promise<void> {
    await revertApplied(applied, this.env);
  }
}
