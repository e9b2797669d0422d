import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, KindFaultEnvironment, LocalFaultEnvironment } from './fault.ts';
import { kindRedisPrimaryPod } from './kind-redis-primary.ts';
import { PodKillFault } from './pod-kill-fault.ts';
import { waitForExit } from './wait-for-state.ts';

type RedisPrimaryKillSpec = Extract<FaultSpec, { type: 'redis-primary-kill' }>;

/**
 * A crash of whichever node is the primary of a shard right now (after an earlier failover that is
 * not the node that started as primary). The cluster promotes its replica. On the local target its
 * process gets SIGKILL and the supervisor restarts it; on kind its pod is deleted with no grace period
 * and the StatefulSet recreates it on its volume (nodes.conf), so it rejoins as a replica either way.
 */
export class RedisPrimaryKillFault implements Fault {
  readonly spec: RedisPrimaryKillSpec;
  readonly env: LocalFaultEnvironment | KindFaultEnvironment;

  constructor(spec: RedisPrimaryKillSpec, env: LocalFaultEnvironment | KindFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const shard = this.spec.shard ?? 0;
    if (this.env.target.kind === 'kind') {
      const env = this.env as KindFaultEnvironment;
      const pod = await kindRedisPrimaryPod(env, shard);
      const kill = await new PodKillFault({ type: 'pod-kill', selector: { 'statefulset.kubernetes.io/pod-name': pod }, gracePeriodSeconds: 0 }, env).plan();
      return { ...kill, targets: `${kill.targets}, primary of shard ${shard}` };
    }
    const env = this.env as LocalFaultEnvironment;
    const { component, pid } = await env.redisPrimary(shard);
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
