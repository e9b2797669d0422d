import { CrucibleError } from '../errors/crucible-error.ts';
import { LocalTarget } from '../targets/local/local-target.ts';
import type { FaultEnvironment, JournalTarget } from './fault.ts';
import { containersFaultEnvironment } from './containers-fault-environment.ts';
import { kindFaultEnvironment } from './kind-fault-environment.ts';
import { localFaultEnvironment } from './local-fault-environment.ts';

/**
 * The running platform a journal names, as a fault environment: what `crucible recover` and the
 * fault watchdog undo faults on and check. A new kind of target is one more case here (and in
 * describeJournalTarget).
 * Throws CRUCIBLE_ERR_NOT_RUNNING when that platform does not run: a platform that was stopped
 * (a cluster that was deleted) took its faults with it.
 */
export async function faultEnvironmentFor(target: JournalTarget): Promise<FaultEnvironment> {
  switch (target.kind) {
    case 'local': {
      const local = new LocalTarget({ portBase: target.portBase });
      const state = local.state();
      if (!state || !local.supervisorAlive(state) || state.phase !== 'ready')
        throw new CrucibleError('CRUCIBLE_ERR_NOT_RUNNING', `no running local platform on port base ${target.portBase}`, {
          hint: "A platform that was stopped took its faults with it ('crucible up' starts clean); otherwise pass the run's --port-base.",
        });
      return localFaultEnvironment(state);
    }
    case 'kind':
      return kindFaultEnvironment(target);
    case 'containers':
      return containersFaultEnvironment(target);
    default:
      return unknownTarget(target);
  }
}

function unknownTarget(target: never): never {
  throw new Error(`no fault environment for a journal target of kind ${JSON.stringify((target as { kind?: unknown }).kind)}`);
}
