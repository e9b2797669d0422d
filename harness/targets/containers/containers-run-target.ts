import { CrucibleError } from '../../errors/crucible-error.ts';
import { reachableTarget, type StartedRunTarget } from '../run-target.ts';
import { ContainersTarget } from './containers-target.ts';

/**
 * A run against the platform `crucible up --target containers` started: its edge and its Prometheus,
 * as a target the run does not own (it is left running); its state lets chaos scenarios act on its
 * containers and mesh (harness/run/containers-chaos-session.ts).
 */
export async function containersRunTarget(portBase?: number): Promise<StartedRunTarget> {
  const target = new ContainersTarget(portBase === undefined ? {} : { portBase });
  const state = target.state();
  if (!state)
    throw new CrucibleError('CRUCIBLE_ERR_TARGET_UNAVAILABLE', `no container platform on port base ${target.portBase}`, {
      hint: `Start it first: crucible up --target containers --port-base ${target.portBase}`,
    });
  return reachableTarget({ name: state.name, baseUrl: state.endpoints.edge, prometheus: state.endpoints.prometheus }, { containersPlatform: state });
}
