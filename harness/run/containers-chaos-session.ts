import type { FaultSpec } from '../config/fault-spec.ts';
import { CrucibleError } from '../errors/crucible-error.ts';
import { containersFaultEnvironment } from '../faults/index.ts';
import { ContainersTarget, containersJournalTarget, type ContainersState } from '../targets/containers/containers-target.ts';
import type { ChaosSession } from './chaos-access.ts';

/**
 * The platform `crucible up --target containers` started: faults through the container engine (its
 * containers by owner label) and its Toxiproxy API, the datastores straight on the ports the port
 * block publishes (as the local target's), with the passwords `up` wrote beside its state.
 */
export async function containersChaosSession(state: ContainersState): Promise<ChaosSession> {
  const secrets = new ContainersTarget({ portBase: state.portBase }).secrets();
  if (!secrets)
    throw new CrucibleError('CRUCIBLE_ERR_NOT_RUNNING', `the container platform ${state.name} has no secrets.json beside its state`, {
      hint: `Start it again: crucible down --target containers --port-base ${state.portBase}; crucible up --target containers --port-base ${state.portBase}`,
    });
  const env = await containersFaultEnvironment(containersJournalTarget(state));
  const { postgres, redis } = state.endpoints;
  return {
    faultTarget: 'containers',
    env,
    datastores: {
      postgres: { ...postgres, user: 'postgres', password: secrets.postgresSuperPassword },
      redis: { nodes: redis.nodes, password: secrets.redisPassword },
    },
    methodProblems: async (steps: ReadonlyMap<number, FaultSpec>) => {
      const parts = (await env.containers()).map((c) => c.part);
      const problems: string[] = [];
      for (const [i, f] of steps)
        if ((f.type === 'container-kill' || f.type === 'container-pause' || f.type === 'container-stop') && !parts.includes(f.container))
          problems.push(`chaos.method[${i}].fault.container: no part named '${f.container}' (parts: ${parts.join(', ')})`);
      return problems;
    },
    [Symbol.asyncDispose]: async () => {},
  };
}
