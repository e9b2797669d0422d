import type { FaultSpec } from '../config/fault-spec.ts';
import type { Fault, FaultPlan, LocalFaultEnvironment } from './fault.ts';

type ComponentStopSpec = Extract<FaultSpec, { type: 'component-stop' }>;

/**
 * A component stopped cleanly (its own stop signal) and held down by the supervisor, which would
 * otherwise restart it at once; released on revert, which waits until it is ready again.
 */
export class ComponentStopFault implements Fault {
  readonly spec: ComponentStopSpec;
  readonly env: LocalFaultEnvironment;

  constructor(spec: ComponentStopSpec, env: LocalFaultEnvironment) {
    this.spec = spec;
    this.env = env;
  }

  async plan(): Promise<FaultPlan> {
    const { component } = this.spec;
    return { targets: component, undo: [{ kind: 'release-component', component }], apply: () => this.env.hold(component) };
  }
}
