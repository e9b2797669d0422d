import { CrucibleError } from '../../errors/crucible-error.ts';
import { reachableTarget, type StartedRunTarget } from '../run-target.ts';
import { KindTarget } from './kind-target.ts';

/**
 * A run against the platform `crucible up --target kind` started: its edge and its Prometheus on the
 * host ports kind publishes, as a target the run does not own (it is left running); its state lets
 * chaos scenarios act on the cluster.
 */
export async function kindRunTarget(portBase?: number): Promise<StartedRunTarget> {
  const target = new KindTarget(portBase === undefined ? {} : { portBase });
  const state = target.state();
  if (!state)
    throw new CrucibleError('CRUCIBLE_ERR_TARGET_UNAVAILABLE', `no kind platform on port base ${target.portBase}`, {
      hint: `Start it first: crucible up --target kind --port-base ${target.portBase}`,
    });
  return reachableTarget({ name: state.name, baseUrl: state.endpoints.edge, prometheus: state.endpoints.prometheus }, { kindPlatform: state });
}
