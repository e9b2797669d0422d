import { CrucibleError } from '../errors/crucible-error.ts';
import { LocalTarget } from '../targets/local/local-target.ts';
import { referenceProfile } from './reference-profile.ts';
import type { TargetProfile } from './target-profile.ts';

/**
 * The reference platform's profile for a profile file: read from the state of a platform that
 * `crucible up` started on this port base (default: CRUCIBLE_PORT_BASE, else 7300), because its
 * ports and signing key change with the port base and with every start.
 */
export function localReferenceProfile(portBase?: number): TargetProfile {
  const target = new LocalTarget(portBase === undefined ? {} : { portBase });
  const state = target.state();
  if (!state || state.phase !== 'ready' || !target.supervisorAlive(state))
    throw new CrucibleError('CRUCIBLE_ERR_TARGET_UNAVAILABLE', `no reference platform is running on port base ${target.options.portBase}`, {
      hint: `Start it first: 'crucible up --port-base ${target.options.portBase}' (or run 'crucible pentest' without --profile, which starts it).`,
    });
  return referenceProfile(state);
}
