import { applyRecorded } from './apply-recorded.ts';
import type { FaultSpec } from '../config/fault-spec.ts';
import type { AppliedFault, Fault, FaultEnvironment } from './fault.ts';
import { revertApplied } from './run-undo-action.ts';

type ComponentStopSpec = Extract<FaultSpec, { type: 'component-stop' }>;

/**
 * A component stopped cleanly (its own stop signal) and held down by the supervisor, which would
 * otherwise restart it at once; released on revert, which waits until it is ready again.
 */
export class ComponentStopFault implements Fault {
  readonly spec: ComponentStopSpec;
  readonly selfHealing = false;
  private readonly env: FaultEnvironment;

  constructor(spec: ComponentStopSpec, env: FaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async inject(id: string, name: string, record: (applied: AppliedFault) => Promise<void>): Promise<AppliedFault> {
    const { component } = this.spec;
    return applyRecorded({ id, name, spec: this.spec, targets: component, undo: [{ kind: 'release-component', component }] }, this.env, record, () =>
      this.env.hold(component),
    );
  }

  async revert(applied: AppliedFault): Promise<void> {
    await revertApplied(applied, this.env);
  }
}
